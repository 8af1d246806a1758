// Defaults that more than one process reads: the service hands the relay settings on to the relays it starts, and a
// relay started alone (docker-compose) must fall back to the same values.

/** The relays' 4xx retry delays: Postfix's backoff (minimal_backoff_time 5m doubling up to maximal_backoff_time), the last step repeating. */
export const RELAY_RETRY_SCHEDULE = '5m,10m,20m,40m,80m,160m,320m,640m';

/**
 * How long a relay keeps retrying before the recipient fails as expired, and how long a message workflow waits for a
 * usable IP. Postfix's maximal_queue_lifetime is 5d; senders of transactional mail want a final answer sooner.
 */
export const RELAY_MAX_LIFETIME = '2d';

/** Log level of every process when LOG_LEVEL is unset: one line per event worth knowing, no debug detail. */
export const LOG_LEVEL = 'info';
