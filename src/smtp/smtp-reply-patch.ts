import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { SmtpReply } from '../domain/smtp-reply.js';

// smtp-server derives the enhanced status code of an error reply from its basic code alone (550 → 5.1.1, 554 → 5.6.0),
// so a policy refusal such as "553 5.7.1" cannot be expressed; it lists AUTH in EHLO even before STARTTLS when it would
// refuse it there; and it answers AUTH before STARTTLS with a non-standard 538. Three narrow adjustments, applied once:
// a reply text that already starts with an enhanced code keeps it (and gets no second one), AUTH is advertised only
// where it is accepted, and 538 becomes RFC 3207's "530 5.7.0 Must issue a STARTTLS command first".
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3} /;
let applied = false;

export function applySmtpReplyPatch(tlsRequired: SmtpReply): void {
  if (applied) return;
  applied = true;
  const proto = SMTPConnection.prototype as unknown as PatchedConnection;
  const original = proto.send;
  const originalEhlo = proto.handler_EHLO;
  proto.handler_EHLO = function handler_EHLO(this: PatchedConnection, command: unknown, callback: unknown): unknown {
    if (this.secure || this._server.options.allowInsecureAuth) return originalEhlo.call(this, command, callback);
    const isSupported = this._isSupported;
    this._isSupported = (name: string) => name !== 'AUTH' && isSupported.call(this, name);
    try {
      return originalEhlo.call(this, command, callback);
    } finally {
      this._isSupported = isSupported;
    }
  };
  proto.send = function send(this: unknown, code: number, data?: unknown, context?: unknown): void {
    if (code === 538)
      return original.call(this, tlsRequired.code, `${tlsRequired.enhanced} ${tlsRequired.text}`, false);
    if (typeof data === 'string' && ENHANCED.test(data)) return original.call(this, code, data, false);
    return original.call(this, code, data, context);
  };
}

interface PatchedConnection {
  secure: boolean;
  _server: { options: { allowInsecureAuth?: boolean } };
  _isSupported(name: string): boolean;
  send(code: number, data?: unknown, context?: unknown): void;
  handler_EHLO(command: unknown, callback: unknown): unknown;
}

/** An error for smtp-server callbacks that answers with exactly this reply. */
export function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(`${reply.enhanced} ${reply.text}`), { responseCode: reply.code });
}
