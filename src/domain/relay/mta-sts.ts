// MTA-STS (RFC 8461) without I/O: the `_mta-sts` TXT record, the policy file, MX pattern matching, when a cached
// policy may be used, and what a delivery session may do under a policy given the TLS it got. The relay's I/O side
// (src/relay/mta-sts-policies.ts, src/relay/smtp-delivery.ts) asks these functions and does what they answer.
//
// Every parser here reads outside bytes: each is one pass over input bounded by the caller (the policy file by
// MAX_POLICY_BYTES, TXT records by DNS itself), with no backtracking patterns.

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface MtaStsPolicy {
  mode: MtaStsMode;
  /** MX patterns as written, lowercase: "mail.example.com" or "*.example.net". */
  mx: string[];
  /** How long the policy may be cached, in seconds (RFC 8461 §3.2: at most 31557600, about a year). */
  maxAgeSeconds: number;
}

/** The policy file is refused past this size (RFC 8461 §3.3 leaves the limit to senders; 64 KiB is generous). */
export const MAX_POLICY_BYTES = 64 * 1024;
/** RFC 8461 §3.2: max_age is at most 31557600 seconds. */
export const MAX_AGE_LIMIT_SECONDS = 31_557_600;
/** Patterns kept from one policy: a real one names a handful of hosts; this bounds matching work per delivery. */
const MAX_MX_PATTERNS = 100;

/**
 * Why a session did not meet a policy, in the result types of SMTP TLS Reporting (RFC 8460 §4.3) where one fits;
 * `mx-not-in-policy` is the MX host matching no `mx` pattern (RFC 8461 §4.1).
 */
export type TlsFailure =
  | 'starttls-not-supported'
  | 'certificate-host-mismatch'
  | 'certificate-expired'
  | 'certificate-not-trusted'
  | 'validation-failure'
  | 'mx-not-in-policy';

/** The TLS facts of one recipient's delivery attempt, as recorded by the relay and shown by the API. */
export interface DeliveryTls {
  /** "TLSv1.3", …; null when the session stayed in plaintext (or never reached a host). */
  version: string | null;
  /** OpenSSL cipher name; null without TLS. */
  cipher: string | null;
  /** The certificate chains to a trusted CA and is valid for the host name connected to. */
  verified: boolean;
  /** The domain's MTA-STS mode the attempt ran under ('none': no policy). */
  mtaSts: MtaStsMode;
  /** What failed the policy's requirements; under `testing` the mail was delivered anyway. */
  failure: TlsFailure | null;
}

const ID = /^[A-Za-z0-9]{1,32}$/;
const STS_RECORD = /^v=STSv1[ \t]*;/;

/**
 * The policy id of a domain's `_mta-sts` TXT answer (each record given as its character-strings, joined here), or
 * null when the domain has no usable record: RFC 8461 §3.1 discards records not starting with "v=STSv1;", and
 * treats anything but exactly one remaining, valid record as "no policy".
 */
export function parseStsRecord(records: ReadonlyArray<readonly string[] | string>): { id: string } | null {
  const sts = records.map((r) => (typeof r === 'string' ? r : r.join(''))).filter((r) => STS_RECORD.test(r));
  if (sts.length !== 1) return null;
  let id: string | null = null;
  for (const field of (sts[0] as string).split(';').slice(1)) {
    const f = field.trim();
    if (f === '') continue;
    const eq = f.indexOf('=');
    if (eq <= 0) return null;
    if (f.slice(0, eq) === 'id') {
      const value = f.slice(eq + 1);
      if (id !== null || !ID.test(value)) return null;
      id = value;
    }
  }
  return id === null ? null : { id };
}

export type PolicyParse = { ok: true; policy: MtaStsPolicy } | { ok: false; error: string };

const MX_PATTERN = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Parses a policy file (RFC 8461 §3.2): "key: value" lines ending in CRLF or LF; version STSv1, mode and max_age
 * required, at least one mx unless the mode is none. Unknown keys are ignored (extensions); of a repeated key other
 * than mx the first counts.
 */
export function parseMtaStsPolicy(text: string): PolicyParse {
  if (text.length > MAX_POLICY_BYTES) return { ok: false, error: `policy over ${MAX_POLICY_BYTES} bytes` };
  const fields = new Map<string, string>();
  const mx: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, error: 'a line is not "key: value"' };
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === 'mx') {
      const pattern = value.toLowerCase().replace(/\.$/, '');
      if (!MX_PATTERN.test(pattern)) return { ok: false, error: 'invalid mx pattern' };
      if (mx.length < MAX_MX_PATTERNS) mx.push(pattern);
    } else if (!fields.has(key)) fields.set(key, value);
  }
  if (fields.get('version') !== 'STSv1') return { ok: false, error: 'version is not STSv1' };
  const mode = fields.get('mode');
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') return { ok: false, error: 'invalid mode' };
  const age = fields.get('max_age') ?? '';
  if (!/^\d{1,10}$/.test(age) || Number(age) > MAX_AGE_LIMIT_SECONDS) return { ok: false, error: 'invalid max_age' };
  if (mode !== 'none' && mx.length === 0) return { ok: false, error: 'no mx pattern' };
  return { ok: true, policy: { mode, mx, maxAgeSeconds: Number(age) } };
}

/**
 * Whether an MX host name matches a pattern (RFC 8461 §4.1): equal, or a "*." pattern standing for exactly one
 * leftmost label. Case and a trailing dot do not matter.
 */
export function mxMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return h === p;
  const suffix = p.slice(1); // ".example.net"
  const label = h.slice(0, h.length - suffix.length);
  return h.endsWith(suffix) && label.length > 0 && !label.includes('.');
}

export const mxAllowed = (policy: Pick<MtaStsPolicy, 'mx'>, host: string): boolean =>
  policy.mx.some((p) => mxMatches(p, host));

/** A policy held in the relay's cache: the TXT id it was fetched under, and until when it may be used (epoch ms). */
export interface CachedPolicy {
  id: string;
  policy: MtaStsPolicy;
  expiresAt: number;
}

/** What the DNS said about `_mta-sts.<domain>` this time. */
export type StsRecordAnswer = { kind: 'record'; id: string } | { kind: 'none' } | { kind: 'error' };

/**
 * Whether to fetch the policy file, or use the cached policy as it is (RFC 8461 §5.1): a record whose id differs from
 * the cached one (or no cached policy) means fetch; no record, or a failed lookup, keeps an unexpired cached policy
 * (the record's absence is no proof the policy was withdrawn, and stripping it is the downgrade an attacker tries).
 */
export function planPolicyLookup(
  answer: StsRecordAnswer,
  cached: CachedPolicy | undefined,
  now: number,
): { kind: 'fetch'; id: string } | { kind: 'cached'; cached: CachedPolicy } | { kind: 'none' } {
  const live = cached && cached.expiresAt > now ? cached : undefined;
  if (answer.kind === 'record' && answer.id !== live?.id) return { kind: 'fetch', id: answer.id };
  return live ? { kind: 'cached', cached: live } : { kind: 'none' };
}

/** The cache entry for a policy just fetched under `id` at `now`. */
export const cachePolicy = (id: string, policy: MtaStsPolicy, now: number): CachedPolicy => ({
  id,
  policy,
  expiresAt: now + policy.maxAgeSeconds * 1000,
});

/**
 * The RFC 8460 result type of a certificate verification error as Node reports it (`authorizationError`: an
 * OpenSSL code, or ERR_TLS_CERT_ALTNAME_INVALID from the host name check).
 */
export function certificateFailure(code: string): TlsFailure {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'certificate-host-mismatch';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'certificate-expired';
  if (
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'CERT_UNTRUSTED'
  )
    return 'certificate-not-trusted';
  return 'validation-failure';
}

/** What a session got, read off its socket after EHLO (and STARTTLS when it happened). */
export interface SessionTls {
  secure: boolean;
  /** Chain trusted and valid for the host name connected to. */
  verified: boolean;
  /** Node's reason when not verified (an OpenSSL code or ERR_TLS_CERT_ALTNAME_INVALID). */
  verifyError: string | null;
}

/**
 * Whether a session may carry the mail under the domain's mode, and what failed. `enforce`: only to a host matching
 * the policy, over TLS with a verified certificate, otherwise not at all (RFC 8461 §5). `testing`: always, the
 * failure recorded (§5: report, deliver). `none`: always, nothing to fail.
 */
export function decideSession(
  mode: MtaStsMode,
  s: SessionTls & { mxMatched: boolean },
): { send: boolean; failure: TlsFailure | null } {
  if (mode === 'none') return { send: true, failure: null };
  const failure: TlsFailure | null = !s.mxMatched
    ? 'mx-not-in-policy'
    : !s.secure
      ? 'starttls-not-supported'
      : !s.verified
        ? certificateFailure(s.verifyError ?? '')
        : null;
  return { send: mode === 'testing' || failure === null, failure };
}
