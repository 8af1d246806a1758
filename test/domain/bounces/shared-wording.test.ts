// The rules written from wording that several MTAs or a standard share (RFC 3463 subjects, RFC 5322 3.6 field
// counts, RFC 2505's "UBE", each MTA's noun for an expired delivery), each tested on replies worded as the named
// systems document them, and with the near misses that must stay out of each rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { normaliseDiagnostic, reasonForText } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { reasonForStatus } from '../../../src/domain/bounces/status-code-reasons.js';

test('an unlisted detail of the network, content or security subject reads as that subject (RFC 3463)', () => {
  const cases: Array<[string, string | null]> = [
    ['5.7.57', 'securityerror'], // Microsoft: client not authenticated to send anonymous mail
    ['5.6.11', 'contenterror'], // Microsoft: bare line feeds
    ['4.4.316', 'networkerror'], // Microsoft: connection refused
    ['4.7.512', 'blocked'], // the documented 4.7.500-699 range keeps its own reading
    ['5.7.1', 'securityerror'],
    ['4.3.0', 'systemerror'], // other or undefined mail system status
    // the address and mailbox subjects are not guessed: an unknown detail there must not make a hard bounce
    ['5.1.90', null],
    ['5.2.99', null],
    ['5.3.190', null],
    ['5.5.99', null],
  ];
  for (const [status, reason] of cases) assert.equal(reasonForStatus(status), reason, status);
  // the words still come first: a vendor code with readable text is read from the text
  assert.equal(classifySmtpReply(550, '5.7.64', 'TenantAttribution; Relay Access Denied').reason, 'norelaying');
  assert.deepEqual(classifySmtpReply(550, '5.7.57', 'Client was not authenticated to send anonymous mail'), {
    reason: 'securityerror',
    hard: false,
  });
});

test('a refusal at MAIL FROM for want of a login is about the session, not the sender (RFC 4954, Microsoft 5.7.57)', () => {
  for (const reply of [
    '530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [AM6PR07CA0001.eurprd07.prod.outlook.com]',
    '530 5.7.57 Client not authenticated to send mail. [BN1P110CA0052.NAMP110.PROD.OUTLOOK.COM]',
    '530 5.7.0 Authentication required',
  ])
    assert.equal(classifySmtpReply(530, null, reply, 'MAIL').reason, 'securityerror', reply);
  // the sender address itself refused at MAIL FROM stays a refusal of the sender
  assert.equal(
    classifySmtpReply(
      553,
      null,
      '553 5.7.1 <a@example.com>: Sender address rejected: not owned by user b@example.com',
      'MAIL',
    ).reason,
    'rejected',
  );
});

test('a header field RFC 5322 allows once, given more than once, is a non-compliant message', () => {
  for (const reply of [
    '550-5.7.1 There are multiple Subject headers. Please review RFC 5322 specifications.',
    '550 5.7.1 Messages with multiple addresses in From: header are not accepted.',
    '550 message rejected: More than one To: header',
    '554 5.6.0 Message contains duplicate Message-ID headers',
    '550 Multiple Date headers are not allowed',
  ])
    assert.equal(reasonForText(reply), 'notcompliantrfc', reply);
  // header names that only start like a once-only field are not counted
  assert.notEqual(reasonForText('550 multiple to-do items rejected'), 'notcompliantrfc');
  assert.notEqual(reasonForText('550 5.5.3 Too many recipients: multiple recipients refused'), 'notcompliantrfc');
});

test('"UBE" (unsolicited bulk e-mail, RFC 2505) in a content filter verdict is spam', () => {
  assert.equal(reasonForText('550 5.7.1 Message content rejected, UBE, id=12345-02'), 'spamdetected');
  assert.equal(reasonForText('554 Rejected as UBE'), 'spamdetected');
  // only the word: "tube", "cube" are not it
  assert.equal(reasonForText('550 5.1.1 <tube@cube.example>: Recipient address rejected: User unknown'), 'userunknown');
});

test('each MTA\'s noun for the delivery that ran out of time, then "expired", is an expired queue', () => {
  for (const text of [
    'Envelope expired', // OpenSMTPD
    '550 4.4.7 QUEUE.Expired; message expired', // Exchange
    '554 4.4.7 Message expired: unable to deliver in 840 minutes.', // Amazon SES
    'Delivery expired (message too old)',
    'queue lifetime expired',
  ])
    assert.equal(reasonForText(text), 'expired', text);
  // an expired account, certificate or password is not a queue that ran out of time
  assert.equal(reasonForText('550 5.2.1 The account has expired'), 'suspend');
  assert.notEqual(reasonForText('454 4.7.0 TLS handshake failed: certificate expired'), 'expired');
  assert.notEqual(reasonForText('535 5.7.8 Password expired'), 'expired');
});

test('a refusal by the recipient is filtered; a refusal by the recipient domain is not', () => {
  // Tencent QQ Mail's documented "Mail is rejected by recipients"
  assert.equal(reasonForText('550 Mail is rejected by recipients [MeOYYtfLOm5QuZj.081]'), 'filtered');
  assert.equal(reasonForText('550 5.7.1 Message refused by the recipient'), 'filtered');
  // ... or by "this user", the receiver's word for its mailbox's owner; not by a user's domain or server
  assert.equal(reasonForText('550-Your message was rejected by this user and was not delivered'), 'filtered');
  assert.equal(reasonForText('550 Message rejected by user'), 'filtered');
  assert.equal(reasonForText('550 Message rejected by the user domain'), null);
  // Gmail's wrapper around any refusal: what matters is the remote server's words that follow it
  const gmail =
    'Google tried to deliver your message, but it was rejected by the recipient domain. The error that the ' +
    'other server returned was: 550 5.1.1 <a@example.jp>... User unknown';
  assert.equal(classifySmtpReply(550, '5.1.1', gmail).reason, 'userunknown');
  assert.equal(reasonForText('it was rejected by the recipient domain.'), null);
  // a recipient that refuses some senders takes mail: neither a host that takes none (RFC 7504) nor an unknown user
  assert.deepEqual(
    classifySmtpReply(
      550,
      '5.7.1',
      'Recipient address rejected: This recipient does not accept mail from unknown senders',
    ),
    { reason: 'filtered', hard: false },
  );
  assert.equal(classifySmtpReply(556, '5.1.10', 'Recipient address has null MX').reason, 'notaccept');
  // RFC 7505 4.2: the sender's null MX is no reason to give up on the recipient
  assert.deepEqual(classifySmtpReply(550, '5.7.27', 'Sender address has null MX', 'MAIL'), {
    reason: 'rejected',
    hard: false,
  });
  assert.deepEqual(classifySmtpReply(550, null, 'Sender address has null MX'), { reason: 'rejected', hard: false });
  // a recipient refusing a script is a content refusal, not a host that takes no mail
  assert.deepEqual(
    classifySmtpReply(550, '5.7.1', 'The user does not accept email in non-Western (non-Latin) character sets.'),
    { reason: 'contenterror', hard: false },
  );
});

test("Gmail's notice about suspicious content is spam, and the low-reputation one stays reputation", () => {
  assert.equal(
    classifySmtpReply(421, '4.7.0', 'This message is suspicious due to the nature of the content or the links within.')
      .reason,
    'spamdetected',
  );
  assert.equal(
    classifySmtpReply(
      550,
      '5.7.1',
      'Our system has detected that this message is likely suspicious due to the very low reputation of the sending domain.',
    ).reason,
    'badreputation',
  );
});

test('a deferral that names the sending IP ("Message from (ip)") or refuses the connection is blocked', () => {
  // Yahoo's [GLnn] deferrals: "421 4.7.0 [GL01] Message from (192.0.2.1) temporarily deferred"
  assert.equal(
    classifySmtpReply(421, '4.7.0', '[GL01] Message from (192.0.2.1) temporarily deferred - 4.16.50').reason,
    'blocked',
  );
  assert.equal(classifySmtpReply(554, '5.7.1', 'You are not allowed to connect.').reason, 'blocked');
  // the sending IP said to be blocked, with no noun before it
  assert.equal(classifySmtpReply(421, null, 'mx.example: 192.0.2.1 temporarily blocked').reason, 'blocked');
  // Validity's Sender Score is the sending IP's reputation
  assert.equal(
    classifySmtpReply(421, '4.7.1', 'Service unavailable. Your IP has a poor sender score').reason,
    'badreputation',
  );
});

test('a contraction reads the same with a typographic apostrophe or none', () => {
  for (const text of ["That mailbox doesn't exist", 'That mailbox doesn\u2019t exist', 'That mailbox doesnt exist'])
    assert.equal(reasonForText(text), 'userunknown', text);
  for (const text of ["We couldn't find a mail exchanger", 'We couldnt find a mail exchanger'])
    assert.equal(reasonForText(text), 'notaccept', text);
  // only the negative contractions: "want" or "dont" inside a longer word stay as they are
  assert.equal(reasonForText('We want to exist'), null);
});

test("a queue's own limit named as such is an expired delivery", () => {
  for (const text of [
    'Your message was not delivered because the destination computer was not reachable within the allowed queue period.',
    'Message exceeded the maximum queue time',
  ])
    assert.equal(reasonForText(text), 'expired', text);
  // a queue that is merely full is the remote system's trouble, not an expiry
  assert.notEqual(reasonForText('Queue is full, try later'), 'expired');
});

test('an address that "could not be found" is unknown, in the words of Exchange and Gmail notices', () => {
  for (const text of [
    "The e-mail address you entered couldn't be found. Please check the recipient's e-mail address.",
    "Your message wasn't delivered to a@example.jp because the address couldn't be found.",
  ])
    assert.equal(reasonForText(text), 'userunknown', text);
  // a domain that could not be found is the domain's fault
  assert.equal(reasonForText("because the domain example.net couldn't be found"), 'hostunknown');
});

test("Postfix's back-off from an unreachable destination is no suspended account", () => {
  // "delivery temporarily suspended: <cause>" is how Postfix reports a destination it stopped trying for a while
  assert.equal(
    reasonForText('delivery temporarily suspended: connect to mx.example.net[192.0.2.1]:25: Connection timed out'),
    'networkerror',
  );
  assert.equal(reasonForText('550 5.2.1 Account suspended'), 'suspend');
  assert.equal(reasonForText('554 This account has been suspended for abuse'), 'suspend');
  // au by KDDI: a restricted (unpaid) account still exists; an account "rate limited" is a speed, not a state
  assert.equal(reasonForText('the user(s) account is temporarily limited.'), 'suspend');
  assert.equal(reasonForText('550 your account is rate limited'), 'speeding');
  // a relay asking the sender's client to log in first (Broadcom Email Security.cloud)
  assert.equal(reasonForText('please turn on smtp authentication in your mail client'), 'securityerror');
});

test('retries that ran out are an expired delivery, however the attempts are counted', () => {
  for (const text of [
    'Delivery failed after multiple attempts',
    'Message was not delivered after 5 retries',
    'Maximum delivery attempts exceeded',
    'The maximum number of delivery attempts has been reached',
    'Delivery attempts exhausted',
    // Exim, past the retry rules' cutoff
    "all hosts for 'example.net' have been failing for a long time (and retry time not reached)",
    // ... or counted in time
    'Delivery has failed after 4 days: a@example.net',
    'Mail server for "example.net" unreachable for too long',
    'Message not delivered: the destination server could not be reached after multiple attempts',
    // ... or said by the sending MTA of itself, or of its retry counter
    'Unable to deliver message after multiple retries',
    'We could not deliver your message after 5 attempts',
    'Retry limit exceeded',
    'The message could not be delivered within the allotted time',
  ])
    assert.equal(reasonForText(normaliseDiagnostic(text)), 'expired', text);
  // attempts of something else are not deliveries
  assert.notEqual(reasonForText('535 5.7.8 too many authentication attempts exceeded'), 'expired');
  // RFC 3463 x.4.1
  assert.equal(reasonForText('no answer from host'), 'networkerror');
});

test('a rate limit written as one word, a connection refused by policy and a blocklisted sending domain', () => {
  assert.equal(classifySmtpReply(451, null, '451 Ratelimit exceeded, try again later').reason, 'speeding');
  // "rate limit" as a word, not inside another one
  assert.notEqual(reasonForText('550 message exceeds moderate limits of size'), 'speeding');
  // Broadcom (Symantec) Email Security.cloud refuses the connecting host before any envelope
  assert.equal(
    classifySmtpReply(
      501,
      null,
      '501 Connection rejected by policy [7.7] 20805, please visit www.messagelabs.com/support',
    ).reason,
    'blocked',
  );
  // the sending domain is the envelope sender's: a refusal of the sender, not of the sending host
  assert.equal(
    classifySmtpReply(550, '5.7.1', '550 5.7.1 Rejected: the sending domain is on our blocklist').reason,
    'rejected',
  );
});

test('a sending host refused for looking dynamic or residential is blocked, in either word order', () => {
  for (const reply of [
    '550 Host Looks Dynamic - https://community.mimecast.com/docs/DOC-1369#550', // Mimecast
    '554 5.7.1 Your IP appears to be residential',
    '550 5.7.1 Mail from dynamic IP addresses is not accepted',
    // ... or for what its IP is not
    '553 Sorry, you seem to be a non-static-ip server(#5.7.1)',
  ])
    assert.equal(classifySmtpReply(550, null, reply).reason, 'blocked', reply);
  // a mailbox or domain that "looks" like something says nothing about the sending host
  assert.notEqual(classifySmtpReply(550, null, '550 Recipient address looks invalid').reason, 'blocked');
});

test("a reply that could not resolve the sending host's PTR is about the sender's reverse DNS, not a host unknown", () => {
  assert.deepEqual(classifySmtpReply(421, null, '192.0.2.1 rejected. Unable to resolve your PTR'), {
    reason: 'requireptr',
    hard: false,
  });
  // the recipient's domain that does not resolve stays a host unknown
  assert.equal(
    classifySmtpReply(550, null, 'Unable to resolve the recipient domain example.org').reason,
    'hostunknown',
  );
});

test("resources said to be unavailable, in either grammatical number, are the receiving system's trouble", () => {
  // Mimecast's documented 451
  assert.equal(classifySmtpReply(451, null, 'Internal resources are temporarily unavailable').reason, 'systemerror');
  assert.equal(classifySmtpReply(451, '4.3.0', 'Resource temporarily unavailable').reason, 'systemerror');
  // ... and its 451s for a step it cannot handle now
  for (const reply of ['Unable to process connection at this time', 'Unable to process command'])
    assert.equal(classifySmtpReply(451, null, reply).reason, 'systemerror', reply);
  // words naming a cause still name it
  assert.equal(classifySmtpReply(550, '5.1.1', 'Unable to process message: user unknown').reason, 'userunknown');
});

test('a sender refused for mailing too many unknown addresses is blocked, never an unknown recipient', () => {
  // Yahoo's documented TSS11 deferral
  assert.deepEqual(classifySmtpReply(421, '4.7.0', '[TSS11] Excessive unknown recipients - possible Open Relay'), {
    reason: 'blocked',
    hard: false,
  });
  assert.equal(classifySmtpReply(550, '5.7.1', 'Too many invalid recipients').reason, 'blocked');
  // ... counted as the commands that named them, by an unnamed receiver behind an Exchange-style notice
  assert.equal(
    classifySmtpReply(556, '5.0.0', '556 Too many invalid recipient requests. Closing connection.').reason,
    'blocked',
  );
});

test('"user unknown" in the languages of European receivers is an unknown recipient', () => {
  for (const reply of [
    'Benutzer unbekannt',
    'Empfänger unbekannt',
    'Destinataire inconnu',
    'Adresse inexistante',
    'Destinataire invalide',
    'Usuario desconocido',
    'Destinatario inexistente',
    'Utente inesistente',
    'Usuário desconhecido',
    'Ontvanger onbekend',
    'Die E-Mail-Adresse existiert nicht',
    'La dirección no existe',
    'このメールアドレスは存在しません',
  ])
    assert.deepEqual(classifySmtpReply(550, null, reply), { reason: 'userunknown', hard: true }, reply);
});

test('"mailbox full", "account disabled", "message too big" and "unknown domain" in the same languages', () => {
  // under 550, whose code alone says nothing of a full mailbox
  for (const reply of [
    'Boîte aux lettres pleine',
    'Postfach voll',
    'El buzón está lleno',
    'Casella di posta piena',
    'Caixa postal cheia',
    'Mailbox vol',
    'メールボックスの容量が一杯です',
  ])
    assert.deepEqual(classifySmtpReply(550, null, reply), { reason: 'mailboxfull', hard: false }, reply);
  for (const reply of ['Compte désactivé', 'Konto gesperrt', 'Cuenta suspendida'])
    assert.deepEqual(classifySmtpReply(550, null, reply), { reason: 'suspend', hard: false }, reply);
  assert.equal(classifySmtpReply(550, null, 'Message trop volumineux').reason, 'mesgtoobig');
  assert.deepEqual(classifySmtpReply(550, null, 'Domaine inconnu'), { reason: 'hostunknown', hard: true });
  // Japanese providers: the destination's domain or mail server missing (not its address), a refusal by the
  // recipient's reception settings, a spam verdict
  for (const reply of ['宛先ドメインが存在しません', '送信先のメールサーバが見つかりません'])
    assert.deepEqual(classifySmtpReply(550, null, reply), { reason: 'hostunknown', hard: true }, reply);
  assert.equal(classifySmtpReply(550, null, '受信拒否されました').reason, 'filtered');
  assert.equal(classifySmtpReply(550, null, '迷惑メールと判定されました').reason, 'spamdetected');
});

test('RFC 5321\'s "mailbox unavailable" in other words, and a closed account named by its address', () => {
  assert.equal(classifySmtpReply(550, null, 'Mailbox not available').reason, 'userunknown');
  assert.deepEqual(classifySmtpReply(550, null, 'The account a@b.example has been closed'), {
    reason: 'suspend',
    hard: false,
  });
});

test("an address's local part is a name someone chose, not words of the reply", () => {
  assert.equal(reasonForText('<spam-filter.virus@example.org> was not delivered'), null);
  assert.equal(reasonForText('<no-such-user@example.org>: Recipient address rejected: User unknown'), 'userunknown');
});

test('a host name is a name, unless it names the block list', () => {
  assert.equal(reasonForText('Connection timed out with mx1.spamfilter.example.net [192.0.2.1]'), 'networkerror');
  assert.equal(reasonForText('554 Service unavailable; Client host blocked using zen.spamhaus.org'), 'blocked');
  // Exchange's dotted status names are no host names
  assert.equal(reasonForText('550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'), 'userunknown');
});

test("a scanner's stamp that it found nothing names no threat; its finding one still does", () => {
  // the stamps as MailScanner, Proofpoint Essentials, Websense and AVG publish them
  for (const stamp of [
    'This message has been scanned for viruses and dangerous content by MailScanner, and is believed to be clean.',
    'This email has been scanned for spam and viruses by Proofpoint Essentials. Click here to report this email as spam.',
    'This message has been scanned for malware by Websense. www.websense.com',
    'No virus found in this message. Checked by AVG - www.avg.com Version: 2015.0.6140 / Virus Database: 4365/10123',
  ])
    assert.equal(reasonForText(stamp), null, stamp);
  assert.equal(reasonForText('550 sorry, no mailbox here by that name. Virus-free. www.avg.com'), 'userunknown');
  assert.equal(
    reasonForText('550 5.7.1 Your message was scanned for viruses and a virus was found: Eicar-Test-Signature'),
    'virusdetected',
  );
  assert.equal(reasonForText('554 Message has been scanned for viruses and found infected'), 'virusdetected');
  assert.equal(reasonForText('554 5.7.1 Message has been scanned for spam and rejected as spam'), 'spamdetected');
});

test("a size limit named as the recipient's own is x.2.3's, not the system's", () => {
  for (const reply of ['Message length exceeds limit set by recipient', "Message size exceeds recipient's size limit"])
    assert.equal(classifySmtpReply(552, null, reply).reason, 'exceedlimit', reply);
  assert.equal(classifySmtpReply(552, null, 'Message size exceeds fixed maximum message size').reason, 'mesgtoobig');
  // other things a recipient set are not size limits
  assert.notEqual(classifySmtpReply(550, null, 'Rejected by a rule set by the recipient').reason, 'exceedlimit');
  assert.equal(classifySmtpReply(450, null, "Recipient's rate limit exceeded").reason, 'speeding');
});
