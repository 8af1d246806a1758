import type { DomainTransition } from '../domain/sender-auth/verification.js';

// Contracts of the sender domain check activities (src/activities/sender-domain-activities.ts), imported as types by
// checkSenderDomainsWorkflow through ./types.ts.

export interface SenderDomainRef {
  accountId: string;
  domain: string;
}

export interface SenderDomainCheckResult extends SenderDomainRef {
  transition: DomainTransition;
  problems: string[];
  /** Set when the domain started failing now: the alert to send, under this message id. */
  alertMessageId?: string;
  /** The check could not run (database or code error); the next run tries again. */
  error?: string;
}

export interface SenderDomainActivities {
  listSenderDomainsToCheck(): Promise<SenderDomainRef[]>;
  checkSenderDomainBatch(batch: SenderDomainRef[]): Promise<SenderDomainCheckResult[]>;
  sendSenderDomainAlert(a: {
    accountId: string;
    domain: string;
    problems: string[];
    messageId: string;
  }): Promise<boolean>;
}
