import { fieldText, headerFields, withoutFields, type HeaderField } from './header-fields.js';
import libmime from 'libmime';
import { headerBlockEnd } from './message-headers.js';
import { MDE_HEADER_PREFIX } from '../relay/handoff-headers.js';

// The submission's control headers: read at ingress, kept as message data (routing, tracking, events and webhooks),
// and removed before the message is stored for delivery, so recipients never see them.
//
// Our own headers: X-Relay-Tag (repeatable, comma lists), X-Relay-Priority, X-Relay-Metadata-<key>, X-Relay-Track
// (`opens,clicks` | `opens` | `clicks` | `none` | `all`: the listed kinds on, the others off), and any other X-Relay-*
// (stripped, ignored). So that an app can move here from another provider by changing only the SMTP settings, the
// providers' headers are read as aliases:
//   SendGrid   X-SMTPAPI (JSON: category string|array → tags, unique_args → metadata)
//   Postmark   X-PM-Tag, X-PM-Metadata-<key>, X-PM-TrackOpens (true|false), X-PM-TrackLinks (None|HtmlAndText|HtmlOnly|TextOnly)
//   Mailgun    X-Mailgun-Tag, X-Mailgun-Variables (JSON object → metadata), X-Mailgun-Track (yes|no),
//              X-Mailgun-Track-Opens (yes|no), X-Mailgun-Track-Clicks (yes|no|htmlonly)
//   Amazon SES X-SES-MESSAGE-TAGS (`name=value, name2=value2` → metadata)
//   Postal     X-Postal-Tag
// Precedence: provider aliases first, then our own X-Relay-* headers (ours win on the same metadata key or track
// flag). Unreadable values (bad JSON, unknown words) are ignored; the header is stripped all the same.

export const RELAY_HEADER_PREFIX = 'x-relay-';

/** Limits: extra tags / metadata keys beyond these are dropped (first ones in header order are kept). */
export const HINT_LIMITS = {
  /** Most tags per message. */
  maxTags: 20,
  /** Longest tag, in characters (longer tags are dropped, not cut, so a tag filter never half-matches). */
  maxTagLength: 128,
  /** Most metadata keys per message. */
  maxMetadataKeys: 50,
  /** Longest metadata key, in characters (longer keys are dropped). */
  maxMetadataKeyLength: 128,
  /** Longest metadata value, in characters (longer values are cut to this length). */
  maxMetadataValueLength: 1000,
} as const;

export interface TrackOverride {
  /** undefined = the account's setting. */
  opens?: boolean;
  clicks?: boolean;
}

export interface RelayHints {
  /** Tags from X-Relay-Tag and the aliases; trimmed, deduplicated, order kept. */
  tags: string[];
  /** X-Relay-Priority, lowercased (e.g. "high", "normal", "low"); undefined when absent. */
  priority?: string;
  /**
   * X-Relay-Metadata-<key> and the aliases. Keys taken from a header name are lowercased (header names are
   * case-insensitive and mail libraries rewrite their case); keys from JSON (X-SMTPAPI, X-Mailgun-Variables) and
   * X-SES-MESSAGE-TAGS keep theirs.
   */
  metadata: Record<string, string>;
  /** Per-message tracking override (X-Relay-Track and the aliases); an absent flag means the account's default. */
  track: TrackOverride;
}

/** Higher runs first in a relay's queue: `high` (OTP, alerts) ahead of unmarked mail ahead of `low` (bulk). */
export function priorityRank(priority: string | undefined): number {
  switch (priority) {
    case 'high':
    case 'urgent':
      return 10;
    case 'low':
    case 'bulk':
      return -10;
    default:
      return 0;
  }
}

const exactControlHeaders = new Set([
  'x-smtpapi',
  'x-pm-tag',
  'x-pm-trackopens',
  'x-pm-tracklinks',
  'x-mailgun-tag',
  'x-mailgun-variables',
  'x-mailgun-track',
  'x-mailgun-track-opens',
  'x-mailgun-track-clicks',
  'x-ses-message-tags',
  'x-postal-tag',
]);
const controlPrefixes = [RELAY_HEADER_PREFIX, 'x-pm-metadata-'];

/** Whether a header (name in any case) is a control header removed before delivery. */
export function isControlHeader(name: string): boolean {
  const key = name.trim().toLowerCase();
  return (
    exactControlHeaders.has(key) ||
    controlPrefixes.some((p) => key.startsWith(p) && key.length > p.length) ||
    key.startsWith(RELAY_HEADER_PREFIX)
  );
}

/**
 * Headers the service itself writes and trusts further down the pipeline, which a customer must never be able to
 * set: the MDE's handoff lines to a relay (X-Mde-*: source IP, priority; the relay takes the first one it sees) and
 * the reputation alerts' incident marker. Removed at ingress with the control headers.
 */
const internalHeaders = new Set(['x-reputation-incident']);

/** Whether a header (name in any case) is internal to the service and removed from every submission. */
export function isInternalHeader(name: string): boolean {
  const key = name.trim().toLowerCase();
  return key.startsWith(MDE_HEADER_PREFIX) || internalHeaders.has(key);
}

/** One header as written: its name (original case) and unfolded value. */
export interface HeaderEntry {
  name: string;
  value: string;
}

class HintsBuilder {
  private readonly tags: string[] = [];
  private readonly metadata = new Map<string, string>();
  readonly track: TrackOverride = {};
  priority?: string;

  addTag(raw: unknown): void {
    if (typeof raw !== 'string') return;
    for (const part of raw.split(',')) {
      const tag = part.trim();
      if (tag === '' || tag.length > HINT_LIMITS.maxTagLength || this.tags.includes(tag)) continue;
      if (this.tags.length >= HINT_LIMITS.maxTags) return;
      this.tags.push(tag);
    }
  }

  setMetadata(rawKey: string, rawValue: unknown): void {
    const key = rawKey.trim();
    if (key === '' || key.length > HINT_LIMITS.maxMetadataKeyLength || rawValue === undefined || rawValue === null)
      return;
    const value =
      typeof rawValue === 'string'
        ? rawValue
        : typeof rawValue === 'number' || typeof rawValue === 'boolean'
          ? String(rawValue)
          : JSON.stringify(rawValue);
    if (!this.metadata.has(key) && this.metadata.size >= HINT_LIMITS.maxMetadataKeys) return;
    this.metadata.set(key, value.slice(0, HINT_LIMITS.maxMetadataValueLength));
  }

  build(): RelayHints {
    return {
      tags: this.tags,
      ...(this.priority ? { priority: this.priority } : {}),
      metadata: Object.fromEntries(this.metadata),
      track: { ...this.track },
    };
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** yes/true/1 → true, no/false/0 → false, anything else → undefined. */
function yesNo(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['yes', 'true', '1', 'on'].includes(v)) return true;
  if (['no', 'false', '0', 'off'].includes(v)) return false;
  return undefined;
}

function applyAlias(b: HintsBuilder, key: string, value: string): void {
  switch (key) {
    case 'x-smtpapi': {
      const api = parseJsonObject(value);
      if (!api) return;
      const category = api.category;
      if (typeof category === 'string') b.addTag(category);
      else if (Array.isArray(category)) for (const c of category) b.addTag(c);
      const args = api.unique_args;
      if (args !== null && typeof args === 'object' && !Array.isArray(args))
        for (const [k, v] of Object.entries(args)) b.setMetadata(k, v);
      return;
    }
    case 'x-pm-tag':
    case 'x-mailgun-tag':
    case 'x-postal-tag':
      b.addTag(value);
      return;
    case 'x-pm-trackopens':
    case 'x-mailgun-track-opens': {
      const on = yesNo(value);
      if (on !== undefined) b.track.opens = on;
      return;
    }
    case 'x-pm-tracklinks': {
      const v = value.trim().toLowerCase();
      if (v === 'none') b.track.clicks = false;
      else if (['htmlandtext', 'htmlonly', 'textonly'].includes(v)) b.track.clicks = true;
      return;
    }
    case 'x-mailgun-variables': {
      const vars = parseJsonObject(value);
      if (vars) for (const [k, v] of Object.entries(vars)) b.setMetadata(k, v);
      return;
    }
    case 'x-mailgun-track': {
      const on = yesNo(value);
      if (on !== undefined) {
        b.track.opens = on;
        b.track.clicks = on;
      }
      return;
    }
    case 'x-mailgun-track-clicks': {
      const v = value.trim().toLowerCase();
      const on = v === 'htmlonly' ? true : yesNo(v);
      if (on !== undefined) b.track.clicks = on;
      return;
    }
    case 'x-ses-message-tags':
      for (const pair of value.split(',')) {
        const eq = pair.indexOf('=');
        if (eq > 0) b.setMetadata(pair.slice(0, eq), pair.slice(eq + 1).trim());
      }
      return;
    default:
      if (key.startsWith('x-pm-metadata-')) b.setMetadata(key.slice('x-pm-metadata-'.length), value);
  }
}

function applyOwn(b: HintsBuilder, key: string, value: string): void {
  if (key === 'x-relay-tag') b.addTag(value);
  else if (key === 'x-relay-priority') {
    if (b.priority === undefined && value.trim() !== '') b.priority = value.trim().toLowerCase();
  } else if (key.startsWith('x-relay-metadata-') && key.length > 'x-relay-metadata-'.length)
    b.setMetadata(key.slice('x-relay-metadata-'.length), value);
  else if (key === 'x-relay-track') {
    const words = value
      .split(',')
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w !== '');
    if (words.length === 0 || words.some((w) => !['opens', 'clicks', 'none', 'all'].includes(w))) return;
    const all = words.includes('all');
    b.track.opens = all || words.includes('opens');
    b.track.clicks = all || words.includes('clicks');
  }
}

/** RFC 2047 encoded-words decoded (mail libraries such as nodemailer encode JSON and non-ASCII header values). */
function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Hints from headers in the order they were written (names in any case, values unfolded, encoded-words allowed). */
export function hintsFromEntries(entries: readonly HeaderEntry[]): RelayHints {
  const b = new HintsBuilder();
  const keyed = entries.map((e) => ({ value: decodeWords(e.value), key: e.name.trim().toLowerCase() }));
  for (const e of keyed) if (!e.key.startsWith(RELAY_HEADER_PREFIX)) applyAlias(b, e.key, e.value);
  // Our own headers come last so they win over an alias; their tags come first in the list.
  const own = new HintsBuilder();
  for (const e of keyed) if (e.key.startsWith(RELAY_HEADER_PREFIX)) applyOwn(own, e.key, e.value);
  const aliases = b.build();
  const mine = own.build();
  const merged = new HintsBuilder();
  for (const t of [...mine.tags, ...aliases.tags]) merged.addTag(t);
  for (const [k, v] of Object.entries({ ...aliases.metadata, ...mine.metadata })) merged.setMetadata(k, v);
  Object.assign(merged.track, aliases.track, mine.track);
  merged.priority = mine.priority;
  return merged.build();
}

/** Hints from a plain header map (the explain API: {"X-Relay-Tag": ["a", "b"], "X-Relay-Priority": "high"}). */
export function hintsFromHeaderMap(
  headers: Readonly<Record<string, string | readonly string[]>> | undefined,
): RelayHints {
  const entries: HeaderEntry[] = [];
  for (const [name, v] of Object.entries(headers ?? {}))
    for (const value of typeof v === 'string' ? [v] : v) entries.push({ name, value });
  return hintsFromEntries(entries);
}

/**
 * Reads the control headers of a raw message and returns it without them and without internal headers: only those
 * fields are cut out, every other byte (other header lines, line endings, the body) is kept as it arrived. A message
 * without such headers is returned as the same buffer. Ingress passes the block it already split (parseHeaderBlock),
 * so the fields removed are the fields it checked.
 */
export function takeRelayHeaders(
  raw: Buffer,
  block?: { end: number; fields: readonly HeaderField[] },
): { raw: Buffer; hints: RelayHints } {
  const end = block?.end ?? headerBlockEnd(raw);
  const fields = block?.fields ?? headerFields(raw, end);
  const isControl = (f: HeaderField): boolean => isControlHeader(f.name);
  // latin1: the bytes as written, as mail libraries read header lines; encoded-words are decoded later.
  const entries: HeaderEntry[] = fields.filter(isControl).map((f) => fieldText(raw, f, 'latin1'));
  return {
    raw: withoutFields(raw, end, fields, (f) => isControl(f) || isInternalHeader(f.name)),
    hints: hintsFromEntries(entries),
  };
}
