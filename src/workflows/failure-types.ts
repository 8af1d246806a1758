// The `type` of every ApplicationFailure an activity throws on purpose, shared by the activities that throw them and
// the workflows that name them (nonRetryableErrorTypes, or a check of err.cause.type). The values are recorded in
// workflow histories: changing one would make old histories replay differently, so they are never renamed.

export const failureTypes = {
  /** The stored message (or its row) is gone: retrying cannot bring it back. Always non-retryable. */
  messageNotFound: 'MessageNotFound',
  /** A relay answered the handoff with a 5xx, or is not registered: try another IP rather than this relay again. */
  relayRefused: 'RelayRefused',
  /** The message's raw MIME was purged by retention (only finished messages are): nothing can be sent again. */
  rawPurged: 'RawPurged',
} as const;

export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];
