import type { AlertEmail } from '../reputation/alerts.js';

/** The email sent when a verified sender domain starts failing its DNS checks: what broke and what to publish. */
export function composeDomainFailingAlert(
  d: { accountId: string; domain: string; problems: readonly string[] },
  now: Date,
): AlertEmail {
  return {
    subject: `Sender domain ${d.domain} fails its DNS checks`,
    text: [
      `Sender domain ${d.domain} (account ${d.accountId}) was verified, and its DNS check at ${now.toISOString()} failed:`,
      '',
      ...d.problems.map((p) => `- ${p}`),
      '',
      'Mail from it is still accepted and signed, but receivers cannot verify its DKIM signature while the record is',
      `missing or wrong. GET /v1/accounts/${d.accountId}/sender-domains/${d.domain} lists every record expected and`,
      'the value found; POST .../verify checks again after the records are fixed.',
    ].join('\n'),
  };
}
