import type { Config } from '../config/config.js';
import { parseDurationMs } from '../domain/duration.js';
import { DELIVERY_REVISION, type DeliverMessageInput } from '../workflows/definitions.js';

/** First handoff retry delay and its cap when HANDOFF_RETRY lists fewer than two durations. */
const HANDOFF_RETRY_FALLBACK_MS: [number, number] = [1000, 30_000];

/**
 * The settings every deliverMessageWorkflow starts with, from the configuration: one place for ingress and for the
 * service's own mail (reputation alerts), so both start their workflows alike. The caller adds the message id.
 */
export function deliveryWorkflowInput(
  config: Pick<Config, 'STATUS_CHECK_INTERVAL' | 'RELAY_MAX_LIFETIME' | 'HANDOFF_RETRY'>,
): Omit<DeliverMessageInput, 'messageId'> {
  return {
    statusCheckIntervalMs: config.STATUS_CHECK_INTERVAL,
    maxLifetimeMs: parseDurationMs(config.RELAY_MAX_LIFETIME),
    handoffRetryMs: [
      config.HANDOFF_RETRY[0] ?? HANDOFF_RETRY_FALLBACK_MS[0],
      config.HANDOFF_RETRY[1] ?? HANDOFF_RETRY_FALLBACK_MS[1],
    ],
    revision: DELIVERY_REVISION,
  };
}
