// Entry point the worker bundles: re-exports every workflow, nothing else.
export { deliverMessageWorkflow } from './deliver-message.js';
export { pollRelaysWorkflow } from './poll-relays.js';
export { scanReputationWorkflow } from './scan-reputation.js';
export { deliverWebhookWorkflow } from './deliver-webhook.js';
export { purgeRetentionWorkflow } from './purge-retention.js';
export { checkSenderDomainsWorkflow } from './check-sender-domains.js';
