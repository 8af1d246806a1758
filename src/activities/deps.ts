import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../log.js';

/** What the worker injects into activities; tests pass their own of the same type. */
export interface ActivityDeps {
  pool: pg.Pool;
  /** Used to signal message workflows from the poller. */
  temporal: Client;
  /** The credential the MDE presents to a relay (derived from the master secret, never stored). */
  relaySecret(relayId: string): string;
  log: Logger;
}
