import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils.js';

// Workflow histories to and from Temporal's JSON history format (the one `temporal workflow show --output json` and
// the Web UI's download write). The SDK's own historyToJSON/historyFromJSON (@temporalio/common/lib/proto-utils)
// throw "type must be a Type" in this install: @temporalio/common and @temporalio/proto each carry their own copy of
// protobufjs, and the message types come from proto's copy while the JSON codec is common's. So the codec here is
// the one from the copy that owns the types.

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const proto = requireFromProto('@temporalio/proto') as Record<string, unknown>;
const { patchProtobufRoot } = requireFromProto('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot<T>(root: T): T;
};
interface ProtoType {
  fromObject(o: unknown): unknown;
}
const { toJson, fromJson } = requireFromProto('protobufjs/ext/protojson') as {
  toJson(type: ProtoType, message: unknown): unknown;
  fromJson(type: ProtoType, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
};
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): ProtoType }).lookupType(
  'temporal.api.history.v1.History',
);

/** A history (e.g. from `handle.fetchHistory()`) as Temporal's JSON history object. */
export function historyToJSON(history: History): unknown {
  return toJson(historyType, historyType.fromObject(history));
}

/** A JSON history object (as written by historyToJSON) back to a History. Unknown fields from newer servers are ignored. */
export function historyFromJSON(json: unknown): History {
  const history = fromJson(historyType, json, { ignoreUnknownFields: true });
  if (history === null || typeof history !== 'object') throw new TypeError('not a workflow history');
  return history as History;
}
