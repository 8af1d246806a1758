// Per-destination throttling, keyed by (source IP, recipient domain) as receivers judge a sender by its address:
// Postfix's per-destination concurrency and rate delay, plus its slow-down when a destination pushes back.
//
// - Normal: up to `concurrency` parallel sessions per key, and with `ratePerMinute` > 0 session starts spaced by
//   60 s / rate (as destination_rate_delay does), so a key never exceeds its rate in any minute.
// - A destination that answers 421 (anywhere) or 451 to the session as a whole (greeting, MAIL, DATA) throttles the
//   key: one session at a time, and no new session before the next backoff step has passed; consecutive such
//   answers walk the backoff list (the last step repeats). A 451 to a single RCPT (greylisting is its usual cause,
//   and greylisting is per recipient) only slows the key to one session at a time, without a pause.
// - A session that delivers restores the normal limits, provided it started after the key was last slowed down (a
//   success from a session already under way says nothing about the destination's mood since).
//
// Pure and clock-injected: the delivery loop asks for allowances before it claims and reports each session's end.
// The state is soft and lives in memory: a restarted relay starts unthrottled and relearns from the next answers.

export interface ThrottleConfig {
  /** Parallel sessions per key while the destination is healthy (>= 1). */
  concurrency: number;
  /** Session starts per minute per key; 0 = unlimited. */
  ratePerMinute: number;
  /** Pause after the 1st, 2nd, … consecutive throttling answer; the last step repeats. */
  backoffMs: readonly number[];
}

/** Postfix-like defaults: a few parallel sessions per destination, no rate limit, backing off up to 10 minutes. */
export const THROTTLE_DEFAULTS = {
  concurrency: 5,
  ratePerMinute: 0,
  backoffMs: [30_000, 60_000, 120_000, 300_000, 600_000],
} as const satisfies ThrottleConfig;

export interface ThrottleKey {
  sourceIp: string;
  domain: string;
}
/** A key's remaining session starts right now, listed only where it differs from `defaultAllowance()`. */
export interface KeyAllowance extends ThrottleKey {
  allowed: number;
}
export interface ThrottledKey extends ThrottleKey {
  /** Epoch ms before which no session starts; null once the pause has passed (the key is still at one session). */
  pausedUntil: number | null;
  /** The destination's reply that slowed the key down. */
  reason: string;
  /** Consecutive throttling answers (0 when only slowed by a RCPT 451). */
  level: number;
}

/**
 * What one session told us about the destination: `throttled` (421, or 451 to the session), `slowed` (451 to a
 * RCPT), `succeeded` (a recipient was accepted for delivery), `none` (no usable signal, e.g. connection refused).
 */
export type SessionSignal = 'throttled' | 'slowed' | 'succeeded' | 'none';

/** The SMTP codes a session produced: `sessionCodes` from connect/greeting/EHLO/MAIL/DATA, `rcptCodes` from RCPT. */
export function classifySession(s: {
  sessionCodes: readonly number[];
  rcptCodes: readonly number[];
  delivered: boolean;
}): SessionSignal {
  if (s.sessionCodes.some((c) => c === 421 || c === 451) || s.rcptCodes.includes(421)) return 'throttled';
  if (s.rcptCodes.includes(451)) return 'slowed';
  return s.delivered ? 'succeeded' : 'none';
}

/** Handed out when a session starts; given back when it ends. */
export interface SessionTicket {
  readonly key: string;
  readonly epoch: number;
}

interface KeyState extends ThrottleKey {
  inflight: number;
  level: number;
  slowed: boolean;
  pausedUntil: number;
  reason: string;
  /** Bumped on every change of the key's limits; a session's ticket remembers the epoch it started in. */
  epoch: number;
  lastStartAt: number | null;
}

const keyOf = (k: ThrottleKey): string => `${k.sourceIp}\n${k.domain}`;

export class DestinationThrottle {
  private readonly keys = new Map<string, KeyState>();
  private readonly spacingMs: number;

  constructor(
    private readonly cfg: ThrottleConfig,
    private readonly clock: () => number,
  ) {
    if (!Number.isInteger(cfg.concurrency) || cfg.concurrency < 1)
      throw new Error('per-destination concurrency must be an integer >= 1');
    if (!(cfg.ratePerMinute >= 0)) throw new Error('per-destination rate must be >= 0');
    if (cfg.backoffMs.length === 0 || cfg.backoffMs.some((ms) => !(ms >= 0)))
      throw new Error('throttle backoff needs at least one non-negative step');
    this.spacingMs = cfg.ratePerMinute > 0 ? 60_000 / cfg.ratePerMinute : 0;
  }

  /** Session starts allowed now for a key the throttle holds no state for. */
  defaultAllowance(): number {
    return this.spacingMs > 0 ? 1 : this.cfg.concurrency;
  }

  /** Every key whose allowance is below the default right now (at a limit, slowed, paused or rate-spaced). */
  allowances(): KeyAllowance[] {
    const now = this.clock();
    const out: KeyAllowance[] = [];
    for (const [k, s] of this.keys) {
      if (this.isIdle(s, now)) {
        this.keys.delete(k);
        continue;
      }
      const allowed = this.allowanceOf(s, now);
      if (allowed < this.defaultAllowance()) out.push({ sourceIp: s.sourceIp, domain: s.domain, allowed });
    }
    return out;
  }

  allowance(key: ThrottleKey): number {
    const s = this.keys.get(keyOf(key));
    return s ? this.allowanceOf(s, this.clock()) : this.defaultAllowance();
  }

  start(key: ThrottleKey): SessionTicket {
    const k = keyOf(key);
    let s = this.keys.get(k);
    if (!s)
      this.keys.set(
        k,
        (s = { ...key, inflight: 0, level: 0, slowed: false, pausedUntil: 0, reason: '', epoch: 0, lastStartAt: null }),
      );
    s.inflight++;
    s.lastStartAt = this.clock();
    return { key: k, epoch: s.epoch };
  }

  /**
   * Ends a session with what it learned; `reason` is the reply behind a `throttled` or `slowed` signal. Returns the
   * change it made to the key's limits (for the log), or null.
   */
  finish(ticket: SessionTicket, signal: SessionSignal, reason = ''): 'throttled' | 'slowed' | 'restored' | null {
    const s = this.keys.get(ticket.key);
    if (!s) return null;
    let change: 'throttled' | 'slowed' | 'restored' | null = null;
    s.inflight = Math.max(0, s.inflight - 1);
    const now = this.clock();
    const current = ticket.epoch === s.epoch;
    switch (signal) {
      case 'throttled': {
        // Answers from sessions that were already under way when the key was throttled share that step: only an
        // answer to a session started since walks the backoff list on.
        if (current || s.level === 0) {
          s.level++;
          s.epoch++;
        }
        const step = this.cfg.backoffMs[Math.min(s.level, this.cfg.backoffMs.length) - 1] ?? 0;
        s.pausedUntil = Math.max(s.pausedUntil, now + step);
        s.slowed = true;
        s.reason = reason;
        change = 'throttled';
        break;
      }
      case 'slowed':
        if (s.level === 0) s.reason = reason; // a throttling answer's reason says more; keep it
        if (!s.slowed) {
          s.slowed = true;
          s.epoch++;
          change = 'slowed';
        }
        break;
      case 'succeeded':
        if (current && s.slowed) {
          s.level = 0;
          s.slowed = false;
          s.pausedUntil = 0;
          s.reason = '';
          s.epoch++;
          change = 'restored';
        }
        break;
      case 'none':
        break;
    }
    if (this.isIdle(s, now)) this.keys.delete(ticket.key);
    return change;
  }

  /** Keys below their normal limits because a destination pushed back, for the stats endpoint and logs. */
  throttled(): ThrottledKey[] {
    const now = this.clock();
    return [...this.keys.values()]
      .filter((s) => s.slowed)
      .map((s) => ({
        sourceIp: s.sourceIp,
        domain: s.domain,
        pausedUntil: s.pausedUntil > now ? s.pausedUntil : null,
        reason: s.reason,
        level: s.level,
      }));
  }

  private allowanceOf(s: KeyState, now: number): number {
    if (now < s.pausedUntil) return 0;
    let n = (s.slowed ? 1 : this.cfg.concurrency) - s.inflight;
    if (this.spacingMs > 0) n = Math.min(n, s.lastStartAt !== null && now < s.lastStartAt + this.spacingMs ? 0 : 1);
    return Math.max(0, n);
  }

  /** Nothing left to remember: no session running, normal limits, rate spacing passed. */
  private isIdle(s: KeyState, now: number): boolean {
    return (
      s.inflight === 0 &&
      !s.slowed &&
      (this.spacingMs === 0 || s.lastStartAt === null || now >= s.lastStartAt + this.spacingMs)
    );
  }
}
