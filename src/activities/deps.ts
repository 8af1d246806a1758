import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../log.js';
import type { CopySettings } from '../delivery/recipient-copies.js';
import type { ReputationSettings } from '../reputation/settings.js';

/** What the worker injects into activities; tests pass their own of the same type. */
export interface ActivityDeps {
  pool: pg.Pool;
  /** Used to signal message workflows from the poller. */
  temporal: Client;
  /** The credential the MDE presents to a relay (derived from the master secret, never stored). */
  relaySecret(relayId: string): string;
  log: Logger;
  /** Per-recipient copies at handoff (VERP envelope sender, tracking); unset = one transaction with the original sender. */
  copies?: CopySettings;
  /** Reputation scan settings; unset = the configuration defaults. */
  reputation?: ReputationSettings;
}
