import type { Logger } from '../log.js';
import { relayPushHeaders } from '../relay-protocol/auth.js';
import type { FeedItem } from '../relay-protocol/feed.js';

// Best-effort push of outcome events to the MDE (POST <pushUrl>, body signed with the relay secret, X-Relay-Id), so a
// destination's 250 shows in the MDE within moments instead of at its next poll. Nothing here is durable and nothing
// here can slow or fail a delivery: items wait in a bounded in-memory queue, go out in batches, a failed batch is
// retried a couple of times and then dropped with a warning. The status feed stays the record; the MDE's poll
// picks up whatever a push lost, and the MDE applies an item that arrives by both paths once.

export interface StatusPushOptions {
  url: string;
  relayId: string;
  secret: string;
  log: Logger;
  /** Per request. Default 2 s: a push slower than that has lost its point, the poll will bring the item. */
  timeoutMs?: number;
  /** Pauses before each retry of a failed batch; then the batch is dropped. Default 200 ms, 1 s. */
  retryDelaysMs?: readonly number[];
  /** Items per request. Default 200. */
  batchSize?: number;
  /** Items held at most; beyond it the oldest are dropped (the poll reconciles them). Default 10,000. */
  maxQueued?: number;
}

export interface StatusPusher {
  /** Queues items for pushing; returns at once. */
  push(items: readonly FeedItem[]): void;
  /** Stops pushing: aborts the request in flight and drops what is queued. */
  close(): Promise<void>;
}

export function startStatusPusher(o: StatusPushOptions): StatusPusher {
  const timeoutMs = o.timeoutMs ?? 2000;
  const retryDelaysMs = o.retryDelaysMs ?? [200, 1000];
  const batchSize = o.batchSize ?? 200;
  const maxQueued = o.maxQueued ?? 10_000;
  const queue: FeedItem[] = [];
  const stop = new AbortController();
  let draining: Promise<void> | undefined;

  const send = async (items: FeedItem[]): Promise<void> => {
    const body = JSON.stringify({ items });
    const res = await fetch(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...relayPushHeaders(o.relayId, o.secret, body, Date.now()) },
      body,
      signal: AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)]),
    });
    await res.body?.cancel();
    if (res.status !== 200) throw new Error(`push answered HTTP ${res.status}`);
  };
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      stop.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });

  const drain = async (): Promise<void> => {
    while (queue.length > 0 && !stop.signal.aborted) {
      const batch = queue.splice(0, batchSize);
      for (let attempt = 0; ; attempt++) {
        try {
          await send(batch);
          break;
        } catch (err) {
          if (stop.signal.aborted) return;
          const delay = retryDelaysMs[attempt];
          if (delay === undefined) {
            o.log.warn('relay.push_failed', {
              items: batch.length,
              attempts: attempt + 1,
              firstSeq: batch[0]?.seq,
              lastSeq: batch.at(-1)?.seq,
              error: err,
            });
            break;
          }
          await pause(delay);
        }
      }
    }
  };

  const kick = (): void => {
    if (draining || stop.signal.aborted || queue.length === 0) return;
    draining = drain().finally(() => {
      draining = undefined;
      kick();
    });
  };

  return {
    push(items) {
      if (stop.signal.aborted || items.length === 0) return;
      queue.push(...items);
      if (queue.length > maxQueued) {
        const dropped = queue.splice(0, queue.length - maxQueued);
        o.log.warn('relay.push_dropped', { items: dropped.length, reason: 'push queue full' });
      }
      kick();
    },
    async close() {
      stop.abort();
      queue.length = 0;
      await draining;
    },
  };
}
