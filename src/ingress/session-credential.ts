import type { SMTPServerSession } from 'smtp-server';
import { listIpCredentials } from '../db/accounts-repo.js';
import { smtpCredentialActive, touchIpCredential } from '../db/credentials-repo.js';
import type { Queryable } from '../db/pool.js';
import { findContainingCidr } from '../domain/network/cidr.js';
import { smtpReplies } from '../domain/smtp-reply.js';
import type { ListenerKind } from '../domain/policy/submission-policy.js';
import { smtpError } from '../smtp/smtp-reply-patch.js';

/** The part of an ingress session's state that says who the client is. */
export interface SessionIdentity {
  accountId?: string;
  via?: 'auth' | 'ip-credential';
}

/**
 * Run at every MAIL FROM, before the account's policy: a credential revoked after the session began fails at once.
 * - AUTH sessions: the username the session authenticated with (smtp-server keeps it as session.user) must still be
 *   valid, else 535 5.7.8 "credentials revoked".
 * - The plain port: the client's IP credential is resolved again at each MAIL (revoked ones are not listed); its
 *   last_used_at moves. A session that was let in by an IP credential that is now revoked gets the same 535; a session
 *   without one is left unidentified, so the caller answers 530 as before.
 * Returns the SMTP error to answer with, or undefined to go on.
 */
export async function sessionCredentialRefusal(
  db: Queryable,
  kind: ListenerKind,
  session: SMTPServerSession,
  st: SessionIdentity,
  ip: string,
): Promise<Error | undefined> {
  const username = (session.user as { username?: unknown } | undefined)?.username;
  if (st.via === 'auth' && typeof username === 'string') {
    return (await smtpCredentialActive(db, username)) ? undefined : smtpError(smtpReplies.credentialRevoked);
  }
  if (kind !== 'plain' || st.via === 'auth') return undefined;
  const hit = (await listIpCredentials(db)).find((c) => findContainingCidr([c.cidr], ip));
  if (!hit) {
    if (st.via !== 'ip-credential') return undefined;
    st.accountId = undefined;
    st.via = undefined;
    return smtpError(smtpReplies.credentialRevoked);
  }
  await touchIpCredential(db, hit.id);
  st.accountId = hit.accountId;
  st.via = 'ip-credential';
  return undefined;
}
