import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../log.js';
import type { CopySettings } from '../delivery/recipient-copies.js';
import type { ReputationSettings } from '../reputation/settings.js';
import type { SendingPolicy } from '../domain/sender-auth/verification.js';
import type { SenderAuthSettings } from '../sender-auth/settings.js';

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
  /** SENDER_DOMAIN_POLICY for the policy re-check; unset = `verified`. */
  senderDomainPolicy?: SendingPolicy;
  /** Sender domain DNS checks (verification, rotation, return path); unset = none run. */
  senderAuth?: SenderAuthSettings;
  /** Reputation scan settings; unset = the configuration defaults. */
  reputation?: ReputationSettings;
}
