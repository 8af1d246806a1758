import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startDestinationSink, type Sink, type SinkOptions } from './destination-sink.js';
import { startRelays } from './relays.js';
import { startStack, type Stack } from './stack.js';

/** A stack with in-process relays that deliver to one destination sink: the real pipeline from submission to mailbox. */
export interface Pipeline {
  stack: Stack;
  sink: Sink;
  relays: RelayHandle[];
  /** Closes the stack, then the relays, then the sink. */
  close(): Promise<void>;
}

export async function startPipeline(
  o: {
    sink?: SinkOptions;
    stack?: Parameters<typeof startStack>[0];
    relays?: { count?: number; push?: boolean };
  } = {},
): Promise<Pipeline> {
  const sink = await startDestinationSink(o.sink);
  const stack = await startStack(o.stack);
  const relays = await startRelays(stack, {
    count: o.relays?.count ?? 1,
    transport: `*=127.0.0.1:${sink.port}`,
    push: o.relays?.push,
  });
  return {
    stack,
    sink,
    relays,
    async close() {
      await stack.close();
      for (const r of relays) await r.close();
      await sink.close();
    },
  };
}
