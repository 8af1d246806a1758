// The body of a bounce-classifier worker thread (see classifier-pool.ts): bytes in, BounceReport out. It runs
// classifyRawBounce off the event loop that serves SMTP sessions; a job that throws answers with the error's message.
import { parentPort } from 'node:worker_threads';
import { classifyRawBounce } from './classify-raw-bounce.js';

export interface ClassifyJob {
  id: number;
  raw: Uint8Array;
}
export type ClassifyAnswer =
  { id: number; report: ReturnType<typeof classifyRawBounce> } | { id: number; error: string };

const port = parentPort;
if (port) {
  port.on('message', (job: ClassifyJob) => {
    let answer: ClassifyAnswer;
    try {
      answer = {
        id: job.id,
        report: classifyRawBounce(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength)),
      };
    } catch (err) {
      answer = { id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
}
