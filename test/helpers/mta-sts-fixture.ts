// MTA-STS (RFC 8461) test fixtures: a CA made for the test run (the relay is told to trust it, as RELAY_EXTRA_CA_FILE
// does), server certificates it issues, a local HTTPS server serving each domain's policy file at
// https://mta-sts.<domain>/.well-known/mta-sts.txt, and the DNS listings of a domain whose MX, policy host and
// `_mta-sts` record all point at these local servers (127.0.0.1).
import https from 'node:https';
import { generate } from 'selfsigned';
import type { DnsListing } from './dns-fixture.js';

export type Pem = { key: string; cert: string };

let ca: Promise<Pem> | undefined;
/** The test CA (one per test process). */
export function testCa(): Promise<Pem> {
  ca ??= generate([{ name: 'commonName', value: 'MTA-STS Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  }).then((p) => ({ key: p.private, cert: p.cert }));
  return ca;
}

/** A server certificate for these DNS names, issued by the test CA. */
export async function issuedCertificate(names: string[]): Promise<Pem> {
  const p = await generate([{ name: 'commonName', value: names[0] as string }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: await testCa(),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2 as const, value })) },
    ],
  });
  return { key: p.private, cert: p.cert };
}

export interface PolicyServer {
  port: number;
  /** Policy files served, by domain (the Host header's mta-sts.<domain>); change them at will. */
  policies: Map<string, string>;
  /** Host names that fetched, in order. */
  fetches: string[];
  close(): Promise<void>;
}

/** An HTTPS server for the policy hosts of these domains, with one certificate naming them all. */
export async function startPolicyServer(domains: string[]): Promise<PolicyServer> {
  const policies = new Map<string, string>();
  const fetches: string[] = [];
  const pem = await issuedCertificate(domains.map((d) => `mta-sts.${d}`));
  const server = https.createServer(pem, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    fetches.push(host);
    const policy = policies.get(host.replace(/^mta-sts\./, ''));
    if (req.url !== '/.well-known/mta-sts.txt' || policy === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(policy);
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  return {
    port,
    policies,
    fetches,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** DNS of a domain with MX mx.<domain>, its policy host, and (with `stsId`) its _mta-sts record; all at 127.0.0.1. */
export function mtaStsDomainDns(domain: string, stsId?: string): Record<string, DnsListing> {
  return {
    [domain]: { a: [], mx: [{ exchange: `mx.${domain}`, priority: 10 }] },
    [`mx.${domain}`]: { a: ['127.0.0.1'] },
    [`mta-sts.${domain}`]: { a: ['127.0.0.1'] },
    ...(stsId ? { [`_mta-sts.${domain}`]: { a: [], txt: [`v=STSv1; id=${stsId};`] } } : {}),
  };
}

/** A policy file with one mx pattern, cached for a day. */
export const stsPolicy = (mode: string, mx: string): string =>
  `version: STSv1\r\nmode: ${mode}\r\nmx: ${mx}\r\nmax_age: 86400\r\n`;
