import nodemailer from 'nodemailer';

// What the bench's submission generators send over: our submission port, STARTTLS required, AUTH PLAIN, a pool of
// `connections` kept open for every message, and a body of about 5 KB like the other runs.

export function submissionTransport(port: number, user: string, pass: string, connections: number) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    auth: { user, pass },
    tls: { rejectUnauthorized: false },
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
  });
}

/** About 5 KB of 78-character lines. */
export const benchBody = Array.from({ length: 64 }, () => 'X'.repeat(78)).join('\r\n');
