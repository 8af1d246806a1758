// Bounce classification off the SMTP event loop. The bounce receiver runs in the ingress process, whose event loop
// serves every SMTP session; parsing and classifying a received message is CPU work on bytes someone else chose, so
// it runs on a small fixed pool of worker threads (node:worker_threads) fed from one FIFO queue.
//
// - Backpressure: the bytes of the messages queued or being classified are bounded (maxQueuedBytes); a message that
//   would go past the bound is refused at once (ClassifierBusy → the receiver answers 451, the sender retries later),
//   so a flood of large reports cannot grow the queue or the memory without limit.
// - A job that runs longer than jobTimeoutMs (nothing legitimate comes near it: every parser and pattern is linear
//   and every input is cut) terminates its thread; the job fails (ClassifierFailed) and a fresh thread is started
//   for the next one. So does a thread that dies (out of its heap limit, a crash).
// - Threads start on first use and are unref'd: an idle pool never keeps the process alive.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BounceReport } from '../domain/bounces/classify-bounce.js';
import type { ClassifyAnswer, ClassifyJob } from './classify-thread.js';

export interface BounceClassifier {
  classify(raw: Buffer): Promise<BounceReport>;
  close(): Promise<void>;
}

export interface ClassifierPoolOptions {
  /** Worker threads. Default 1: one core's worth of classification, the other for the SMTP sessions. */
  threads?: number;
  /** Bytes of messages waiting or being classified; past it classify() rejects with ClassifierBusy. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Milliseconds one message may take before its thread is stopped. Default 10 s. */
  jobTimeoutMs?: number;
  /** Heap limit of each thread, MiB: a message that needs more fails alone. Default 512. */
  maxHeapMb?: number;
}

/** The queue is full: try again later (451). */
export class ClassifierBusy extends Error {}
/** The message could not be classified (timed out, the thread died, or the pool closed). */
export class ClassifierFailed extends Error {}

interface Job {
  id: number;
  raw: Buffer;
  resolve(r: BounceReport): void;
  reject(e: Error): void;
}
interface Slot {
  worker: Worker | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Starts one thread. Its entry is next to this module with the same extension: classify-thread.js when compiled,
 * classify-thread.ts when the service runs from source under tsx. tsx's loader flags do not take effect inside a
 * worker thread on Node 20, so a .ts entry is started by a two-line bootstrap that registers tsx's ESM hooks in the
 * thread first (resolved here, from this package's dependencies) and then imports the entry.
 */
function startThread(maxHeapMb: number): Worker {
  const ext = path.extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./classify-thread${ext}`, import.meta.url);
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (ext !== '.ts') return new Worker(entry, { resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits });
}

export function createClassifierPool(o: ClassifierPoolOptions = {}): BounceClassifier {
  const threads = Math.max(1, o.threads ?? 1);
  const maxQueuedBytes = o.maxQueuedBytes ?? 16 * 1024 * 1024;
  const jobTimeoutMs = o.jobTimeoutMs ?? 10_000;
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: null, job: null, timer: null }));
  const queue: Job[] = [];
  let queuedBytes = 0;
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot): Job | null => {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = null;
    slot.timer = null;
    if (job) queuedBytes -= job.raw.length;
    return job;
  };

  const discard = (slot: Slot, why: string): void => {
    const w = slot.worker;
    slot.worker = null;
    finish(slot)?.reject(new ClassifierFailed(why));
    if (w) void w.terminate();
    pump();
  };

  const spawn = (slot: Slot): Worker => {
    const w = startThread(o.maxHeapMb ?? 512);
    w.unref();
    w.on('message', (answer: ClassifyAnswer) => {
      if (slot.worker !== w || slot.job?.id !== answer.id) return;
      const job = finish(slot)!;
      if ('report' in answer) job.resolve(answer.report);
      else job.reject(new ClassifierFailed(answer.error));
      pump();
    });
    w.on('error', (err: Error) => {
      if (slot.worker === w) discard(slot, `classifier thread failed: ${err.message}`);
    });
    w.on('exit', (code) => {
      if (slot.worker === w) discard(slot, `classifier thread exited (${code})`);
    });
    return w;
  };

  function pump(): void {
    if (closed) return;
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker ??= spawn(slot);
      slot.timer = setTimeout(() => discard(slot, `classification took over ${jobTimeoutMs} ms`), jobTimeoutMs);
      slot.timer.unref();
      // a copy the thread owns: the receiver's buffer may be a view into a shared pool
      const raw = new Uint8Array(job.raw);
      slot.worker.postMessage({ id: job.id, raw } satisfies ClassifyJob, [raw.buffer]);
    }
  }

  return {
    classify(raw) {
      if (closed) return Promise.reject(new ClassifierFailed('classifier closed'));
      // one message larger than the whole bound is still taken when nothing else waits
      if (queuedBytes > 0 && queuedBytes + raw.length > maxQueuedBytes)
        return Promise.reject(new ClassifierBusy(`classifier queue full (${queuedBytes} bytes)`));
      return new Promise<BounceReport>((resolve, reject) => {
        queuedBytes += raw.length;
        queue.push({ id: nextId++, raw, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new ClassifierFailed('classifier closed'));
      await Promise.all(
        slots.map(async (slot) => {
          const w = slot.worker;
          slot.worker = null;
          finish(slot)?.reject(new ClassifierFailed('classifier closed'));
          if (w) await w.terminate();
        }),
      );
      queuedBytes = 0;
    },
  };
}
