import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import type { Config } from '../config/config.js';
import type { AuthLockoutSettings } from '../domain/policy/auth-lockout.js';
import { normalizeIp } from '../domain/network/cidr.js';
import { smtpReplies, type SmtpReply } from '../domain/smtp-reply.js';

/** Connection and session limits of an SMTP listener; each default is far above what a busy legitimate app does. */
export interface SessionLimits {
  /** Open connections across the listeners of this process. */
  maxConnections: number;
  /** Open connections from one client address. */
  maxConnectionsPerIp: number;
  /** Idle time allowed between commands (smtp-server's socketTimeout), ms. */
  commandTimeoutMs: number;
  /** Whole-session deadline, ms: the connection is closed with 421 4.4.2 when it is reached. */
  sessionTimeoutMs: number;
  /** MAIL transactions in one session. */
  maxMessagesPerSession: number;
}

export function sessionLimitsFromConfig(c: Config): SessionLimits {
  return {
    maxConnections: c.SMTP_MAX_CONNECTIONS,
    maxConnectionsPerIp: c.SMTP_MAX_CONNECTIONS_PER_IP,
    commandTimeoutMs: c.SMTP_COMMAND_TIMEOUT,
    sessionTimeoutMs: c.SMTP_SESSION_TIMEOUT,
    maxMessagesPerSession: c.SMTP_MAX_MESSAGES_PER_SESSION,
  };
}

export function authLockoutFromConfig(c: Config): AuthLockoutSettings {
  return {
    ipLimit: c.AUTH_FAIL_LIMIT_IP,
    userLimit: c.AUTH_FAIL_LIMIT_USER,
    windowMs: c.AUTH_FAIL_WINDOW,
    lockoutMs: c.AUTH_LOCKOUT,
  };
}

interface LiveConnection {
  session: SMTPServerSession;
  send(code: number, data: string, context?: unknown): void;
}

/**
 * Counts open connections (in total and per client address) for one or more listeners, and enforces the session
 * deadline. `admit` is called from onConnect, `release` from onClose: smtp-server calls onClose for every connection,
 * including ones refused in onConnect and ones that closed before onConnect ran, so only admitted sessions are counted
 * down.
 */
export class ConnectionLimiter {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly admitted = new WeakMap<SMTPServerSession, { ip: string; timer: NodeJS.Timeout }>();

  constructor(private readonly limits: SessionLimits) {}

  /** A refusal for this new session, or undefined when it is admitted (and counted). */
  admit(server: SMTPServer, session: SMTPServerSession): SmtpReply | undefined {
    const ip = normalizeIp(session.remoteAddress) ?? session.remoteAddress;
    if (this.total >= this.limits.maxConnections) return smtpReplies.tooManyConnections;
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp >= this.limits.maxConnectionsPerIp) return smtpReplies.tooManyConnectionsFromIp;
    this.total += 1;
    this.perIp.set(ip, fromIp + 1);
    const timer = setTimeout(() => this.expire(server, session), this.limits.sessionTimeoutMs);
    timer.unref();
    this.admitted.set(session, { ip, timer });
    return undefined;
  }

  release(session: SMTPServerSession): void {
    const a = this.admitted.get(session);
    if (!a) return;
    this.admitted.delete(session);
    clearTimeout(a.timer);
    this.total -= 1;
    const n = (this.perIp.get(a.ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(a.ip);
    else this.perIp.set(a.ip, n);
  }

  /** Open connections now (in total, or from one address). */
  count(ip?: string): number {
    return ip === undefined ? this.total : (this.perIp.get(ip) ?? 0);
  }

  /** The session deadline: 421 (smtp-server closes the connection after a 421). */
  private expire(server: SMTPServer, session: SMTPServerSession): void {
    const connections = (server as unknown as { connections: Set<LiveConnection> }).connections;
    for (const c of connections) {
      if (c.session !== session) continue;
      const r = smtpReplies.sessionTimeLimit;
      c.send(r.code, `${r.enhanced} ${r.text}`, false);
      return;
    }
  }
}
