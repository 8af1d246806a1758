import type { Config } from '../config/config.js';
import type { SignalThresholds } from '../domain/reputation/own-signals.js';
import type { DeliverMessageInput } from '../workflows/definitions.js';
import { domainOf } from '../domain/mime/address.js';
import { deliveryWorkflowInput } from '../temporal/delivery-workflow-input.js';

/** What the reputation activities need from the configuration (tests build their own). */
export interface ReputationSettings {
  resolver?: string;
  dnsTimeoutMs: number;
  ipZones: string[];
  domainZones: string[];
  /** The service's own sending names scanned besides customers' sender domains (hostname, alert sender domain). */
  ownDomains: string[];
  alertTo: string[];
  alertFrom: string;
  remindIntervalMs: number;
  autoSwap: boolean;
  delistConfirmScans: number;
  signalWindowMs: number;
  thresholds: SignalThresholds;
  /** Alert emails start their delivery workflow like ingress does. */
  taskQueue: string;
  workflowInput: Omit<DeliverMessageInput, 'messageId'>;
}

/** The id of the account that sends the service's own mail (alerts); created at start, has no credentials or keys. */
export const SYSTEM_ACCOUNT_ID = 'acc_system';

/**
 * The domain of ALERT_EMAIL_FROM: the system account's sender domain, one of the scanned own domains and the right
 * side of alert Message-IDs. A value without a domain is taken whole (lower-cased), so the system account still has
 * a sender domain and the alerts' policy re-check names that value.
 */
export const alertSenderDomain = (alertFrom: string): string => domainOf(alertFrom) ?? alertFrom.toLowerCase();

export function reputationSettingsFromConfig(c: Config): ReputationSettings {
  const hostnameDomain =
    c.SMTP_HOSTNAME.split('.').length > 2 ? c.SMTP_HOSTNAME.split('.').slice(1).join('.') : c.SMTP_HOSTNAME;
  return {
    resolver: c.DNS_RESOLVER,
    dnsTimeoutMs: c.DNS_TIMEOUT,
    ipZones: c.DNSBL_ZONES,
    domainZones: c.DOMAIN_BL_ZONES,
    ownDomains: [...new Set([hostnameDomain.toLowerCase(), c.BOUNCE_DOMAIN, alertSenderDomain(c.ALERT_EMAIL_FROM)])],
    alertTo: c.ALERT_EMAIL_TO,
    alertFrom: c.ALERT_EMAIL_FROM,
    remindIntervalMs: c.ALERT_REMIND_INTERVAL,
    autoSwap: c.AUTO_SWAP === 'on',
    delistConfirmScans: c.DELIST_CONFIRM_SCANS,
    signalWindowMs: c.REPUTATION_SIGNAL_WINDOW,
    thresholds: {
      minVolume: c.REPUTATION_MIN_VOLUME,
      bounceRate: c.REPUTATION_BOUNCE_RATE,
      deferralRate: c.REPUTATION_DEFERRAL_RATE,
      complaintRate: c.REPUTATION_COMPLAINT_RATE,
      blockReplies: c.REPUTATION_BLOCK_REPLIES,
    },
    taskQueue: c.TEMPORAL_TASK_QUEUE,
    workflowInput: deliveryWorkflowInput(c),
  };
}
