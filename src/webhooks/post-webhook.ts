import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { classifyIp, parseIpAddress, type AddressClassification } from '../domain/network/address-class.js';
import { pinnedLookup } from '../infra/pinned-lookup.js';

// One webhook POST that cannot be turned against the service's own network. The target's host is resolved once,
// every address is checked (loopback, private, link-local, … are refused unless allowPrivate), and the socket is
// opened to exactly those checked addresses: http.request gets a `lookup` that answers with them, so no second DNS
// answer (rebinding) can slip in between check and connect. The Host header and TLS servername stay the URL's name.
// Redirects are never followed. The outcome is a generic class for the account's eyes; the raw cause is only logged.

export type WebhookErrorClass =
  | 'invalid url'
  | 'dns'
  | 'blocked address'
  | 'connection refused'
  | 'connection failed'
  | 'timeout'
  | 'tls'
  | `http ${number}`;

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  /** A generic class, safe to show to the account; null when delivered. */
  error: WebhookErrorClass | null;
  /** What actually happened (error code, refused address): for the operator's log only. */
  detail: string | null;
}

export type AddressLookup = (host: string) => Promise<string[]>;

export interface PostOptions {
  timeoutMs: number;
  /** Let targets reach internal addresses (local development only). */
  allowPrivate: boolean;
  /** Resolves a host name to all its addresses; default the system resolver (getaddrinfo, as any client would). */
  lookup?: AddressLookup;
}

const systemLookup: AddressLookup = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Maps a socket, TLS or DNS error to the class shown to the account. */
export function errorClass(err: unknown): WebhookErrorClass {
  const e = err as { code?: string; name?: string };
  const code = e.code ?? '';
  if (
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    code === 'ABORT_ERR' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'EAI_FAIL' || code === 'ESERVFAIL')
    return 'dns';
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'EPROTO' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  )
    return 'tls';
  return 'connection failed';
}

/** Fails with an AbortError when the signal fires first (a DNS lookup cannot be cancelled, only abandoned). */
function raced<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const hostOf = (url: URL): string => (url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);

/** Resolves and checks the target's addresses: the ones a connection may use, or why there are none. */
export async function checkTarget(
  url: URL,
  o: { allowPrivate: boolean; lookup?: AddressLookup; signal?: AbortSignal },
): Promise<{ ok: true; addresses: AddressClassification[] } | { ok: false; error: WebhookErrorClass; detail: string }> {
  const host = hostOf(url);
  const literal = parseIpAddress(host);
  let texts: string[];
  if (literal) texts = [host];
  else {
    try {
      const pending = (o.lookup ?? systemLookup)(host);
      texts = await (o.signal ? raced(pending, o.signal) : pending);
    } catch (err) {
      return {
        ok: false,
        error: errorClass(err),
        detail: `lookup ${host}: ${(err as { code?: string }).code ?? String(err)}`,
      };
    }
  }
  const addresses: AddressClassification[] = [];
  for (const t of texts) {
    const a = parseIpAddress(t);
    if (!a)
      return {
        ok: false,
        error: 'blocked address',
        detail: `unparseable address ${JSON.stringify(t.slice(0, 64))} for ${host}`,
      };
    const c = classifyIp(a);
    // Every address must pass: a name that answers with one internal address among public ones is refused whole.
    if (c.scope === 'internal' && !o.allowPrivate)
      return { ok: false, error: 'blocked address', detail: `${host} resolves to ${c.address} (${c.kind})` };
    addresses.push(c);
  }
  if (addresses.length === 0) return { ok: false, error: 'dns', detail: `${host}: no address` };
  return { ok: true, addresses };
}

/** POSTs `body` to `target`; never throws. */
export async function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  o: PostOptions,
): Promise<PostOutcome> {
  const fail = (error: WebhookErrorClass, detail: string, statusCode: number | null = null): PostOutcome => ({
    ok: false,
    statusCode,
    error,
    detail,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return fail('invalid url', 'unparseable url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('invalid url', `protocol ${url.protocol}`);
  const signal = AbortSignal.timeout(o.timeoutMs);
  const checked = await checkTarget(url, { allowPrivate: o.allowPrivate, lookup: o.lookup, signal });
  if (!checked.ok) return fail(checked.error, checked.detail);

  const host = hostOf(url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const req = client.request(
      {
        method: 'POST',
        // A literal is connected to as is (it is the checked address); a name goes through the pinned lookup.
        hostname: host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(checked.addresses),
        agent: false, // one connection per attempt: nothing pooled that a later attempt could reuse unchecked
        signal,
        ...(url.protocol === 'https:' && !parseIpAddress(host) ? { servername: host } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // The response body is not read: nothing of it is recorded, and a slow or endless one must not hold the attempt.
        res.destroy();
        req.destroy();
        if (status >= 200 && status < 300) resolve({ ok: true, statusCode: status, error: null, detail: null });
        else
          resolve(
            fail(
              `http ${status}`,
              status >= 300 && status < 400 ? `redirect not followed (${status})` : `status ${status}`,
              status,
            ),
          );
      },
    );
    req.on('error', (err: Error & { code?: string }) => {
      resolve(
        fail(errorClass(signal.aborted ? signal.reason : err), `${err.code ?? err.name}: ${err.message}`.slice(0, 300)),
      );
    });
    req.end(body);
  });
}
