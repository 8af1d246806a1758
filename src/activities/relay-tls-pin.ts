import net from 'node:net';
import tls from 'node:tls';
import { certificateFingerprint } from '../relay-protocol/tls-pin.js';

// The MDE trusts a relay's SMTP intake by the SHA-256 fingerprint registered for it (Postfix's
// `smtp_tls_security_level = fingerprint`). Node only runs a custom check after the chain verified, and a pinned
// certificate is usually self-signed, so the pin is enforced in two steps:
// 1. probe: EHLO, STARTTLS and a handshake that accepts any certificate, only to read the relay's certificate; nothing
//    else is sent, and a certificate with another fingerprint ends the handoff there (no AUTH is ever sent);
// 2. the handoff itself trusts exactly that certificate (`ca`) and checks the fingerprint again (`checkServerIdentity`),
//    so a server without its private key cannot complete the handshake, whatever the probe saw.

/** The probe reads at most this much SMTP before TLS: a greeting and an EHLO answer are a few hundred bytes. */
const MAX_PROBE_BYTES = 16 * 1024;

export class RelayCertificateMismatch extends Error {}

/** Reads the certificate a relay's SMTP intake presents after STARTTLS (PEM), within timeoutMs. */
export function probeRelayCertificate(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let secure: tls.TLSSocket | undefined;
    let buffered = '';
    let step: 'greeting' | 'ehlo' | 'starttls' = 'greeting';
    const timer = setTimeout(() => fail(new Error(`TLS probe of ${host}:${port} timed out`)), timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      secure?.destroy();
      socket.destroy();
    };
    const fail = (err: Error): void => {
      done();
      reject(err);
    };
    socket.on('error', fail);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (buffered.length > MAX_PROBE_BYTES) return fail(new Error(`relay ${host}:${port} sent too much before TLS`));
      // A complete reply ends with a line "ddd text" (a space after the code, not a hyphen).
      const lines = buffered.split('\r\n');
      const last = lines.length > 1 ? lines[lines.length - 2] : undefined;
      if (last === undefined || !/^\d{3}(?: |$)/.test(last)) return;
      buffered = '';
      const code = Number(last.slice(0, 3));
      if (step === 'greeting') {
        if (code !== 220) return fail(new Error(`relay ${host}:${port} greeted ${last.slice(0, 200)}`));
        step = 'ehlo';
        socket.write('EHLO mde.tls-probe\r\n');
      } else if (step === 'ehlo') {
        if (code !== 250) return fail(new Error(`relay ${host}:${port} answered EHLO ${last.slice(0, 200)}`));
        step = 'starttls';
        socket.write('STARTTLS\r\n');
      } else {
        if (code !== 220)
          return fail(new Error(`relay ${host}:${port} refused STARTTLS: ${last.slice(0, 200)} (TLS is required)`));
        socket.removeAllListeners('data');
        // Only to read the certificate: it is checked against the pin by the caller, and nothing is sent over it.
        secure = tls.connect({ socket, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false });
        secure.once('error', fail);
        secure.once('secureConnect', () => {
          const der = secure?.getPeerCertificate().raw;
          done();
          if (!der) return reject(new Error(`relay ${host}:${port} presented no certificate`));
          resolve(toPem(der));
        });
      }
    });
  });
}

function toPem(der: Buffer): string {
  const b64 =
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** The certificate (PEM) a relay presents, if its fingerprint is the registered one; else RelayCertificateMismatch. */
export async function pinnedRelayCertificate(
  relay: { id: string; smtpHost: string; smtpPort: number },
  fingerprint: string,
  timeoutMs: number,
): Promise<string> {
  const pem = await probeRelayCertificate(relay.smtpHost, relay.smtpPort, timeoutMs);
  const seen = certificateFingerprint(pem);
  if (seen !== fingerprint)
    throw new RelayCertificateMismatch(
      `relay ${relay.id} presented a TLS certificate with SHA-256 fingerprint ${seen}, not the registered ${fingerprint}; nothing was sent`,
    );
  return pem;
}

/** TLS options that accept only the pinned certificate (node's `tls.connect`, as nodemailer's `tls`). */
export function pinnedTlsOptions(pem: string, fingerprint: string): tls.ConnectionOptions {
  return {
    ca: pem,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    // The pin replaces the host name check: the relay is identified by its certificate, not by a name in it.
    checkServerIdentity: (_host, cert) =>
      cert.fingerprint256 === fingerprint
        ? undefined
        : new Error(`relay certificate fingerprint ${cert.fingerprint256} is not the registered ${fingerprint}`),
  };
}
