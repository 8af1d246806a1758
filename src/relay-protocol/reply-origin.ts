import { z } from 'zod';
import { SMTP_COMMANDS } from '../domain/bounces/smtp-codes.js';
import { MAX_HOST_NAME } from '../domain/mime/address.js';

// Where a destination's reply came from, on the wire (feed, push, per-message lookup): the command it answered and the
// host that gave it. The MDE's bounce classification reads both; null for the relay's own failures, absent from relays
// that predate it.
export const replyOrigin = {
  /** The command the reply answered: the greeting (CONN), HELO/EHLO, MAIL, RCPT or DATA. */
  command: z.enum(SMTP_COMMANDS).nullable().optional(),
  /** The destination host that gave it (an MX name, at most a DNS name's length). */
  remoteHost: z.string().max(MAX_HOST_NAME).nullable().optional(),
};
