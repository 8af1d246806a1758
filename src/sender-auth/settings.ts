import type { Config } from '../config/config.js';
import type { RecordSettings } from '../domain/sender-auth/dns-records.js';

/** What the sender-domain checks and signing need from the configuration (tests build their own). */
export interface SenderAuthSettings extends RecordSettings {
  /** DNS_RESOLVER (host:port); unset = the system's resolvers. */
  resolver?: string;
  dnsTimeoutMs: number;
  /** DKIM_ROTATION_OVERLAP: how long a superseded DKIM key stays expected in DNS. */
  rotationOverlapMs: number;
  /** RELAY_MASTER_SECRET: DKIM private keys are sealed with a key derived from it. */
  masterSecret: string;
}

export function senderAuthSettingsFromConfig(c: Config, masterSecret: string): SenderAuthSettings {
  return {
    resolver: c.DNS_RESOLVER,
    dnsTimeoutMs: c.DNS_TIMEOUT,
    spfIncludeDomain: c.SPF_INCLUDE_DOMAIN,
    bounceDomain: c.BOUNCE_DOMAIN,
    rotationOverlapMs: c.DKIM_ROTATION_OVERLAP,
    masterSecret,
  };
}
