// The Temporal floor of the benchmark: the least a workflow per message can cost on this server, with the shape of
// ours reduced to its skeleton — started, one activity that does nothing, one signal awaited, completed. Bundled on
// its own by the bench-only worker of bench/floor.ts (its own task queue), never by the service's worker.
import { condition, defineSignal, proxyActivities, proxySinks, setHandler, type Sinks } from '@temporalio/workflow';

/** The one activity: nothing, so what it costs is Temporal's activity round trip alone. */
export interface FloorActivities {
  floorNoop(): Promise<void>;
}

/** Tells the bench process the moment a workflow finishes (a sink: no server round trip, nothing in the history). */
export interface FloorSinks extends Sinks {
  floor: { done(): void };
}

/** The signal the workflow waits for, as ours waits for the relay's status. */
export const floorSignal = defineSignal('floorStatus');

const { floorNoop } = proxyActivities<FloorActivities>({ startToCloseTimeout: '30s' });
const { floor } = proxySinks<FloorSinks>();

export async function floorWorkflow(): Promise<void> {
  let signalled = false;
  setHandler(floorSignal, () => {
    signalled = true;
  });
  await floorNoop();
  await condition(() => signalled);
  floor.done();
}
