// The event vocabulary customers see. message_events also holds internal steps (routed, waiting, alert, rerouted,
// handoff-failed, completed, policy, ...): those are shown only to the admin key (GET /v1/events and
// GET /v1/messages/:id/events) and are never sent to webhooks.

export const publicEventTypes = [
  'accepted',
  'relayed',
  'delivered',
  'deferred',
  'bounced',
  'failed',
  'suppressed',
  'sandboxed',
  'opened',
  'clicked',
  'complained',
] as const;
export type PublicEventType = (typeof publicEventTypes)[number];

export function isPublicEventType(type: string): type is PublicEventType {
  return (publicEventTypes as readonly string[]).includes(type);
}
