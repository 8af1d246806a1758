import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpReply } from '../../../src/domain/bounces/classify-smtp-reply.js';
import { normaliseDiagnostic } from '../../../src/domain/bounces/diagnostic-patterns.js';
import { reasonForReceiverText } from '../../../src/domain/bounces/receiver-codes.js';
import { findTextRecipients } from '../../../src/domain/bounces/text-bounce.js';
import { classifyBounce } from '../../../src/domain/bounces/classify-bounce.js';
import { suppressionTier } from '../../../src/domain/bounces/decide-suppression.js';
import { dsn, textNotice } from './synthetic-dsn.js';

// Replies written as the receivers' public documentation shows them (addresses and IPs from documentation ranges).
test("receivers' documented codes and sentences decide the reason", () => {
  const cases: Array<[string, string | null]> = [
    // Orange / La Poste: the last three digits of the OFR/LPN code
    [
      '421 mwinf5c77 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]',
      'blocked',
    ],
    ['550 5.7.1 Service unavailable; client [192.0.2.1] blocked. LPNAAA_101', 'blocked'],
    ['421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. OFR005_104 [104]', 'toomanyconn'],
    ['550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]', 'userunknown'],
    ['552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]', 'mailboxfull'],
    // ... written with a hyphen
    ['554 5.7.1 Service refused, please try later. LPN007-510 [510]', 'blocked'],
    ['550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420', 'suspend'],
    ['550 5.5.0 Adresse d au moins un destinataire invalide. LPN007_418', 'userunknown'],
    ['421 4.2.0 Service refuse. Veuillez essayer plus tard. OFR005_505 [505]', 'systemerror'],
    ['550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', 'spamdetected'],
    ['554 5.7.1 Client host rejected LPN000_630', 'policyviolation'],
    ['571 5.7.1 Message refused, DMARC verification Failed. LPN007_517', 'authfailure'],
    // a "try later" code, or one Orange does not list, names no cause: the receiver said none
    ['421 Veuillez essayer plus tard. OFR004_201', 'undefined'],
    ['550 Mail rejete. Mail rejected. OUK_513', 'undefined'],
    ['421 Service refused, please try later. LPN105_777', 'undefined'],
    // Yahoo
    ['554 30 Sorry, your message to a@example.jp cannot be delivered. This mailbox is disabled (554.30)', 'suspend'],
    ['554 Message not allowed - [PH01] Email not accepted for policy reasons.', 'policyviolation'],
    // Mimecast
    ['554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554', 'virusdetected'],
    ['550 DMARC Sender Invalid - envelope rejected', 'authfailure'],
    ['550 Local CT IP Reputation - (reject)', 'badreputation'],
    ['553 This route requires encryption (TLS)', 'securityerror'],
    // Gmail
    ['421 4.7.0 This message is suspicious due to the very low reputation of the sending IP address', 'badreputation'],
    // Barracuda: its verdict for each recipient of a refused transaction
    ['550 permanent failure for one or more recipients (a@example.org:blocked)', 'blocked'],
    // Spectrum: the AUP# code's range names the cause
    ['554 5.7.1 AUP#O-1020 Sender rejected', 'rejected'],
    ['554 5.7.1 AUP#I-1100 Sender rejected', 'requireptr'],
    ['554 5.7.1 AUP#I-1160 Sender rejected', 'policyviolation'],
    ['554 5.7.1 AUP#I-1200 Sender rejected', 'blocked'],
    ['421 4.7.1 AUP#I-1350 Sender rejected', 'speeding'],
    ['554 5.7.1 AUP#O-1010 This email account has been blocked from sending emails', 'rejected'],
    ['554 5.7.1 AUP#I-1000 Your IP address has been blocked', 'blocked'],
    ["550 5.7.1 AUP#I-1260 Spectrum doesn't process IPV6 addresses", 'networkerror'],
    ['554 5.7.1 AUP#O-1530 Message rejected', 'mesgtoobig'],
    // Tencent QQ: the sending IP suspected, not the message
    ['550 Suspected spam ip. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022', 'blocked'],
    ['550 Suspected bounce attacks. https://service.mail.qq.com/detail/122/57', 'blocked'],
    ['550 Bad address syntax. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000729', 'syntaxerror'],
    // Cox: the AUP# code names the cause, whatever the words before it
    ['554 5.7.1 [192.0.2.1] Not allowed to send from this IP. AUP#CXBL', 'blocked'],
    ['550 5.7.1 Mail from 192.0.2.1 refused by policy; AUP#CXDNS', 'requireptr'],
    // (CXSNDR: "Your email failed authentication checks against your sending domain's SPF, DomainKeys, or DKIM policy")
    ['550 5.1.0 <s@example.net> sender rejected AUP#CXSNDR', 'authfailure'],
    ['550 5.1.0 <s@example.net> sender rejected AUP#CXSMTP', 'rejected'],
    ['421 4.7.0 too many sessions from 192.0.2.1 AUP#CXCNCT', 'toomanyconn'],
    ['554 5.7.1 192.0.2.1 is listed. AUP#IPBL0001', 'blocked'],
    // ... its block-list codes are four binary digits, not Spectrum's numbers (1010 would be a limited account there)
    ['554 5.7.1 192.0.2.1 is listed. AUP#IPBL1010', 'blocked'],
    ['554 5.7.1 192.0.2.1 is listed. AUP#IPBL1100', 'blocked'],
    ['554 5.7.1 Message rejected. AUP#URLBL011', 'spamdetected'],
    // I.UA: the number of the explanation page the reply links
    ['550 Mailbox is frozen. See http://mail.i.ua/err/3/', 'suspend'],
    ['550 Sender address cannot be checked. See http://mail.i.ua/err/8/', 'rejected'],
    ['550 Blocked. See http://mail.i.ua/err/9/', 'blocked'],
    // Tencent QQ: its refusal of the sender's frequency is no missing mailbox (that is "Mailbox not found")
    [
      '550 Mailbox unavailable or access denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022',
      'toomanyconn',
    ],
    // Microsoft 365: its documented refusals of the sending host, and its rate limits
    ['451 4.7.500 Access denied, please try again later', 'blocked'],
    ['550 5.7.506 Access denied, bad HELO', 'blocked'],
    ['550 5.7.510 Access denied, example.com does not accept email over IPv6', 'blocked'],
    ['550 5.7.508 Access denied, [192.0.2.1] has exceeded permitted limits within 192.0.2.0/24 range', 'toomanyconn'],
    ['550 5.7.705 Access denied, tenant has exceeded threshold', 'speeding'],
    [
      "550 5.7.703 Your message can't be delivered because messages to example.com, exceeded the tenant's threshold",
      'speeding',
    ],
    // ... and its bans of the sending IP, the banned address in brackets or not (5.7.606-649 "banned sending IP" is
    // read by its code), as is the recipient organisation's refusal
    ['550 5.7.511 Access denied, banned sender', 'blocked'],
    [
      '550 5.7.511 Access denied, banned sender[192.0.2.1]. To request removal from this list please forward this message to delist@messaging.microsoft.com.',
      'blocked',
    ],
    ['550 5.7.507 Access denied, rejected by recipient', 'blocked'],
    ['432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded', 'speeding'],
    ['550 5.0.350 Generic error, x-dg-ref header is too long', 'contenterror'],
    // Deutsche Telekom (t-online.de): the code in brackets at the end names its verdict on the connecting host
    [
      '554 IP=192.0.2.254 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)',
      'blocked',
    ],
    [
      '554 IP=192.0.2.254 - None/bad reputation. Ask your postmaster for help or to contact <postmaster@rx.t-online.de> for reset. (NOWL)',
      'blocked',
    ],
    // Gmail: the recipient receiving mail too fast; a rate limit for a session without TLS
    [
      '450 4.2.1 The user you are trying to contact is receiving email too quickly. Please resend your email at a later time.',
      'speeding',
    ],
    ['450 4.2.1 <a@example.org>: Mailbox received too much email in a short period of time (G30)', 'speeding'],
    ["421 4.7.29 Your email has been rate limited because you're not using a TLS connection.", 'securityerror'],
    // Yahoo's VS codes: the connecting IP refused or deprioritised, or the envelope sender
    ['553 VS99-IP1 deferred', 'blocked'],
    ['451 VS1-MF Excessive unknown recipients - possible Open Relay (#4.4.5)', 'rejected'],
    // an address in a domain reserved for documentation can never be delivered
    ['550 5.1.4 Recipient address reserved by RFC 2606', 'userunknown'],
    // Gmail: an unusual rate of mail from the sender's DKIM domain, refused for a while, and its limit on copies of one
    // message
    [
      '421 4.7.28 Gmail has detected an unusual rate of mail originating from your DKIM domain [example.org 12]. To protect our users from spam, mail sent from your domain has been temporarily rate limited.',
      'blocked',
    ],
    [
      '421-4.7.28 Gmail has detected that this message exceeded its quota for sending messages with the same Message-ID:. To best protect our users, the message has been temporarily rejected.',
      'policyviolation',
    ],
    ['550 5.7.505 Access denied, banned recipient', 'filtered'],
    [
      '550 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour.',
      'toomanyconn',
    ],
    // Comcast: the code its reply links names the cause
    [
      '421 4.2.0 192.0.2.1 Throttled - try again later. Please see http://postmaster.comcast.net/smtp-error-codes.php#RL000001',
      'speeding',
    ],
    [
      '550 5.1.0 <s@example.net> sender rejected. Please see http://postmaster.comcast.net/smtp-error-codes.php#SL000002',
      'rejected',
    ],
    [
      '554 5.7.1 192.0.2.1 found on one or more RBLs. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
      'blocked',
    ],
    // ... or that follows the reply code with no link
    ['550 BL000000 Email from your mail server has been sent in patterns that are characteristic of spam.', 'blocked'],
    // Italiaonline's check of the From domain after DATA, not the recipient's domain
    ['550 Invalid Domain [smtp-41.iol.local; VIR_420]', 'rejected'],
    // NetEase: its code after the reply code names the cause, whatever link follows it
    [
      '554 DT:SPM 163 smtp12,EMCowACnzwc_BjhcKMZmAQ--.20404S2 1547175487,please see http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.1&hostid=smtp12',
      'spamdetected',
    ],
    ['421 HL:ICC', 'toomanyconn'],
    ['421 HL:IFC', 'speeding'],
    ['421 HL:REP', 'blocked'],
    ['450 MI:DMC', 'toomanyconn'],
    ['450 RP:DRC', 'toomanyconn'],
    ['451 MI:SFQ', 'speeding'],
    ['451 RP:QRC', 'speeding'],
    // GoDaddy: its IB code names the cause, whatever the words before it
    ['550 This message has exceeded the max number of messages per session. IB510', 'speeding'],
    ['550 a@example.org Blank From: addresses are not allowed. Provide a valid From. IB501', 'notcompliantrfc'],
    ['535 Authentication not allowed on IBSMTP Servers. IB401', 'securityerror'],
    ['421 Temporarily rejected. Reverse DNS for this IP failed. IB108', 'requireptr'],
    ['550 Rejected. IB504', 'speeding'],
    // nothing documented: left to the generic table
    ['550 5.1.1 User unknown', null],
  ];
  for (const [reply, reason] of cases) assert.equal(reasonForReceiverText(normaliseDiagnostic(reply)), reason, reply);
});

test('a documented code wins over the generic words around it', () => {
  // "Service refused, please try later" alone would be a system error or nothing; OFR_999 names the IP
  assert.equal(
    classifySmtpReply(421, null, 'mwinf5c77 ME Service refuse. Service refused, please try later. OFR_999 [999]')
      .reason,
    'blocked',
  );
  // a recipient refusal stays hard, a content refusal soft
  assert.deepEqual(classifySmtpReply(550, '5.1.1', 'Invalid recipient. OFR_416 [416]'), {
    reason: 'userunknown',
    hard: true,
  });
  assert.deepEqual(classifySmtpReply(550, '5.2.0', 'Mail rejected. OFR_506 [506]'), {
    reason: 'spamdetected',
    hard: false,
  });
});

test('Exim\'s "(generated from ...)" line belongs to the recipient above it', () => {
  const notice = [
    'This message was created automatically by mail delivery software.',
    '',
    '  user@example.net',
    '    (generated from alias@example.org)',
    '    SMTP error from remote mail server after end of data:',
    '    host mx.example.net [192.0.2.1]: 550 5.2.0 Mail rejected.',
  ].join('\n');
  const found = findTextRecipients(notice, new Set());
  assert.deepEqual(
    found.map((r) => r.address),
    ['user@example.net'],
  );
  assert.match(found[0]!.text, /550 5\.2\.0/);
});

test("a receiver's notice prose (Microsoft's, Google's) names the cause when the report carries no reply", () => {
  const cases: Array<[string, string, boolean]> = [
    ["Your message to a@b.example couldn't be delivered.\na wasn't found at b.example.", 'userunknown', true],
    // its German edition
    [
      'Ihre Nachricht an a@b.example konnte nicht zugestellt werden.\na wurde nicht in b.example gefunden.',
      'userunknown',
      true,
    ],
    // Google's Korean card: "Address not found / a@b's address could not be found or cannot receive mail"
    [
      '주소를 찾을 수 없음\na@b.example 주소를 찾을 수 없거나 해당 주소에서 메일을 받을 수 없어 메일이 전송되지 않았습니다.',
      'userunknown',
      true,
    ],
    [
      'No se ha encontrado la dirección\nNo se pudo encontrar la dirección de correo electrónico que escribiste. Comprueba la dirección de correo electrónico del destinatario y trata de volver a enviar el mensaje.',
      'userunknown',
      true,
    ],
    // its 2018 Spanish edition, and its Indonesian one as its HTML reads in text
    [
      'Tu mensaje no se ha entregado a a@b.example porque no se ha encontrado la dirección o esta no puede recibir correo.',
      'userunknown',
      true,
    ],
    [
      'Alamat tidak dapat ditemukan\nPesan Anda tidak terkirim ke a@b.example karena alamat tersebut tidak dapat ditemukan, atau tidak bisa menerima email.',
      'userunknown',
      true,
    ],
    // any edition links its help topic for an address not found
    ['a@b.example\nhttps://support.google.com/mail/?p=NoSuchUser', 'userunknown', true],
    ["Adresse introuvable\nVotre message n'a pas été distribué à a@b.example.", 'userunknown', true],
    [
      "Your message to a@b.example couldn't be delivered.\nThe group a only accepts messages from people in its organization or on its allowed senders list, and your email address isn't on the list.",
      'rejected',
      false,
    ],
    [
      "Your message to a@b.example couldn't be delivered.\nYour message can't be delivered because delivery to this address is restricted.",
      'rejected',
      false,
    ],
    [
      "Your message to a@b.example couldn't be delivered.\nYour message wasn't delivered because the sender isn't on the recipient's list of senders to accept mail from.",
      'rejected',
      false,
    ],
    [
      "Your message to a@b.example couldn't be delivered.\nThe recipient's domain has set up a rule that blocks mail from your domain.",
      'rejected',
      false,
    ],
  ];
  for (const [prose, reason, hard] of cases) {
    const r = classifyBounce(dsn('Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\n', prose))
      .recipients[0]!;
    assert.deepEqual([r.recipient, r.reason, r.hard], ['a@b.example', reason, hard], prose);
  }
});

test("NTT docomo's 'Unknown user' after DATA is its recipient's settings refusing the sender, from its hosts only", () => {
  const postfix = (host: string, step: string, status = '5.0.0') =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@docomo.ne.jp\nAction: failed\nStatus: ${status}\nRemote-MTA: dns; ${host}\n` +
          `Diagnostic-Code: smtp; 550 Unknown user a@docomo.ne.jp\n`,
        `<a@docomo.ne.jp>: host ${host}[203.0.113.1] said: 550 Unknown user a@docomo.ne.jp (in reply to ${step}\n` +
          '    command)\n',
      ),
    ).recipients[0]!;
  const r = postfix('mfsmax.docomo.ne.jp', 'end of DATA');
  assert.deepEqual([r.reason, r.hard], ['rejected', false]);
  // refused at RCPT TO, the address is unknown; with Sendmail's Status 5.2.0, the mailbox refused it
  assert.deepEqual(
    [postfix('mfsmax.docomo.ne.jp', 'RCPT TO').reason, postfix('mfsmax.docomo.ne.jp', 'RCPT TO').hard],
    ['userunknown', true],
  );
  assert.equal(postfix('mfsmax.docomo.ne.jp', 'end of DATA', '5.2.0').reason, 'filtered');
  // another receiver's "Unknown user" after DATA keeps the general reading
  assert.equal(postfix('mx.example.jp', 'end of DATA').reason, 'filtered');
});

/** The one recipient of a report whose reply came from `host`. */
function reportedFrom(host: string, recipient: string, status: string, reply: string) {
  return classifyBounce(
    dsn(
      `Final-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: ${status}\nRemote-MTA: dns; ${host}\n` +
        `Diagnostic-Code: smtp; ${reply}\n`,
    ),
  ).recipients[0]!;
}

test("NTT docomo's 'Too much mail data' is its handset's mailbox out of room; elsewhere a message over the size limit", () => {
  const reply = (host: string) => reportedFrom(host, 'a@docomo.ne.jp', '5.0.0', '552 Too much mail data').reason;
  assert.equal(reply('mfsmax.docomo.ne.jp'), 'mailboxfull');
  assert.equal(reply('mx.example.jp'), 'mesgtoobig');
});

test("Apple's refusal for a domain on the Spamhaus DBL is a block from its hosts; elsewhere the listed domain is content", () => {
  const reply = (host: string) =>
    reportedFrom(
      host,
      'a@icloud.com',
      '5.7.1',
      '550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/',
    ).reason;
  assert.equal(reply('mx01.mail.icloud.com'), 'blocked');
  assert.equal(reply('mx.example.jp'), 'spamdetected');
});

test("a receiver's documented code for an unknown address holds when the notice names no step", () => {
  // Tencent QQ Mail's "Mailbox not found" with the page it links
  const qq = reportedFrom(
    'mx1.qq.com',
    'a@qq.com',
    '5.0.0',
    '550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728',
  );
  assert.deepEqual([qq.reason, qq.hard], ['userunknown', true]);
  // ... and GoDaddy's "Recipient not found" from its own hosts (elsewhere the bare words follow the step)
  const godaddy = (host: string) => reportedFrom(host, 'a@example.com', '5.0.0', '550 Recipient not found');
  assert.deepEqual(
    [godaddy('p3plibsmtp01-01.prod.phx3.secureserver.net').reason, godaddy('mx.example.org').reason],
    ['userunknown', 'filtered'],
  );
  // with no step named, a bare "user not found" could have followed an accepted RCPT TO (filtered); I.UA's code 2 is
  // its own directory's verdict
  const noStep = (reply: string) =>
    classifyBounce(
      dsn(`Final-Recipient: rfc822; a@i.ua\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${reply}\n`),
    ).recipients[0]!;
  const r = noStep('550 User is not found. See http://mail.i.ua/err/2/');
  assert.deepEqual([r.reason, r.hard], ['userunknown', true]);
  assert.equal(noStep('550 User is not found.').reason, 'filtered');
});

test("Yahoo's refusal of an address it has no account for holds after DATA: its template anywhere, its words from its hosts", () => {
  const afterData = (host: string, reply: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@yahoo.com\nAction: failed\nStatus: 5.0.0\nRemote-MTA: dns; ${host}\n` +
          `Diagnostic-Code: smtp; ${reply}\n`,
        `<a@yahoo.com>: host ${host}[203.0.113.1] said: ${reply} (in reply to end of DATA\n    command)\n`,
      ),
    ).recipients[0]!;
  const generic = '552 1 Requested mail action aborted, mailbox not found';
  const template =
    "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0] - mta1.mail.ne1.yahoo.com";
  for (const reply of [generic, template]) {
    const r = afterData('mta7.am0.yahoodns.net', reply);
    assert.deepEqual([r.reason, r.hard], ['userunknown', true], reply);
  }
  // elsewhere, a missing mailbox after DATA keeps the general reading: the address had been accepted
  assert.equal(afterData('mx.example.net', generic).reason, 'filtered');
  // Yahoo's own template is its verdict whoever quotes it, with no host named (qmail names only an IP)
  const quoted = classifyBounce(
    textNotice(
      `Hi. This is the qmail-send program.\n\n<a@yahoo.com>:\n203.0.113.1 failed after I sent the message.\nRemote host said: ${template}\n`,
      { from: 'MAILER-DAEMON@mx.example.org', subject: 'failure notice' },
    ),
  ).recipients[0]!;
  assert.deepEqual([quoted.reason, quoted.hard], ['userunknown', true]);
});

/** A Postfix report of `reply`, given by `host` in answer to RCPT TO for `recipient`. */
function refusedBy(host: string, reply: string, recipient = 'a@example.org') {
  return classifyBounce(
    dsn(
      `Final-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: ${reply[0]}.0.0\nRemote-MTA: dns; ${host}\n` +
        `Diagnostic-Code: smtp; ${reply}\n`,
      `<${recipient}>: host ${host}[203.0.113.1] said: ${reply} (in reply to RCPT TO command)\n`,
    ),
  ).recipients[0]!;
}

test("Mimecast's sentences that name the sending IP, its reputation or the account, from its hosts only", () => {
  const mimecast = 'us-smtp-inbound-1.mimecast.com';
  const at = (host: string, code: string, text: string) => refusedBy(host, `${code} ${text}`);
  assert.equal(at(mimecast, '421', 'Sender address blocked').reason, 'blocked');
  // (its greylisting of an IP of poor reputation)
  assert.equal(at(mimecast, '451', 'Internal resources are temporarily unavailable').reason, 'badreputation');
  assert.equal(at(mimecast, '451', 'Account inbounds disabled').reason, 'notaccept');
  assert.equal(at(mimecast, '451', 'Exceeding outbound thread limit').reason, 'toomanyconn');
  assert.equal(at(mimecast, '451', 'Account service is temporarily unavailable').reason, 'toomanyconn');
  // the sending customer's own outbound mail switched off says nothing about the recipient, here or elsewhere
  for (const host of [mimecast, 'mx.example.org']) {
    const outbound = at(host, '550', 'Account outbounds disabled');
    assert.equal(outbound.reason, 'onhold', host);
    assert.notEqual(suppressionTier(outbound.reason, '5'), 'address', host);
  }
  const recipient = at(mimecast, '451', 'Recipient temporarily unavailable');
  assert.deepEqual([recipient.reason, recipient.hard], ['blocked', false]);
  // elsewhere the words keep their plain reading: a sender address, a busy system, a mailbox that exists
  assert.equal(at('mx.example.org', '421', 'Sender address blocked').reason, 'rejected');
  assert.equal(at('mx.example.org', '451', 'Internal resources are temporarily unavailable').reason, 'systemerror');
  const elsewhere = at('mx.example.org', '451', 'Recipient temporarily unavailable');
  assert.deepEqual([elsewhere.reason, elsewhere.hard], ['suspend', false]);
  // the recipient's own managed-senders list, whatever host says it
  assert.equal(
    at('mx.example.org', '550', 'Rejected by header-based Manually Blocked Senders - block for manual block').reason,
    'rejected',
  );
});

test("Broadcom Email Security.cloud's (MessageLabs) fixed replies, from its hosts only", () => {
  const messagelabs = 'cluster1.eu.messagelabs.com';
  const at = (host: string, code: string, text: string) => refusedBy(host, `${code} ${text}`);
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    [
      '553',
      'Connection rejected by policy [7.7] 20805, please visit www.symanteccloud.com/troubleshooting',
      'badreputation',
    ],
    ['550', 'Message Filtered', 'spamdetected'],
    ['550', 'Message filtered by Outbound scanning', 'spamdetected'],
    ['452', 'Too many recipients received this hour', 'toomanyconn'],
    ['550', 'sender envelope domain not allowed for sender IP address (#5.1.8)', 'rejected'],
    ['550', 'Requested action aborted [4]', 'notcompliantrfc'],
    ['550', 'Recipient mailbox is not allowed', 'userunknown'],
  ];
  for (const [code, text, reason] of cases) assert.equal(at(messagelabs, code, text).reason, reason, text);
  // its Address Registration's verdict is the address's whatever step the report names, or none
  const stepless = classifySmtpReply(553, null, '553 Recipient mailbox is not allowed', null, {
    remoteHost: messagelabs,
  });
  assert.deepEqual(stepless, { reason: 'userunknown', hard: true });
  // the same words from another receiver keep their plain reading
  assert.equal(at('mx.example.org', '550', 'Message Filtered').reason, 'filtered');
  assert.equal(at('mx.example.org', '550', 'Recipient mailbox is not allowed').reason, 'policyviolation');
  // and whoever says it, the sender's own address blocked is not the recipient's
  assert.equal(at(messagelabs, '553', 'Your email address (a@example.com) has been blocked').reason, 'rejected');
});

test("au by KDDI's '550 : User unknown' with no address is its recipient's settings refusing the sender", () => {
  const at = (host: string, reply: string) => refusedBy(host, reply, 'a@ezweb.ne.jp');
  const refused = at('lsean.ezweb.ne.jp', '550 : User unknown');
  assert.deepEqual([refused.reason, refused.hard], ['filtered', false]);
  assert.equal(at('msmx.au.com', '550 : User unknown').reason, 'filtered');
  // an address it names is unknown; another receiver's words keep their reading
  assert.equal(at('lsean.ezweb.ne.jp', '550 <a@ezweb.ne.jp>: User unknown').reason, 'userunknown');
  assert.equal(at('mx.example.org', '550 : User unknown').reason, 'userunknown');
  // the address it names is unknown whatever step the notice names: its directory's verdict; another receiver's
  // refusal after DATA came once the address had been taken
  const afterData = (host: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@ezweb.ne.jp\nAction: failed\nStatus: 5.0.0\nRemote-MTA: dns; ${host}\n` +
          'Diagnostic-Code: smtp; 550 <a@ezweb.ne.jp>: User unknown\n',
        `<a@ezweb.ne.jp>: host ${host}[203.0.113.1] said: 550 <a@ezweb.ne.jp>: User unknown (in reply to end of DATA command)\n`,
      ),
    ).recipients[0]!;
  assert.deepEqual([afterData('msmx.au.com').reason, afterData('msmx.au.com').hard], ['userunknown', true]);
  assert.equal(afterData('mx.example.org').reason, 'filtered');
});

test("Exchange 2003's store codes decide its notices; after those that pass on another MTA's refusal, its words do", () => {
  const read = (line: string) => classifySmtpReply(null, '5.0.0', `MSEXCH:IMS:EXAMPLE:SITE:SERVER 0 ${line}`, null);
  assert.deepEqual(read('(000C05A6) Unknown Recipient'), { reason: 'userunknown', hard: true });
  assert.equal(read('(000C0595) Ambiguous Recipient').reason, 'filtered');
  assert.equal(read('(000B0981) 502 Server does not support AUTH').reason, 'securityerror');
  assert.equal(read('(00050311) Conversion to Internet format failed').reason, 'contenterror');
  // Exchange 5.5's summary of the remote MTA's refusal after 000B099C (Microsoft KB Q257264) names the cause; the code
  // alone names none
  assert.equal(read('(000B099C) Message exceeds size limit.').reason, 'mesgtoobig');
  assert.deepEqual(read('(000B099C)'), { reason: 'onhold', hard: false });
});

test("Facebook's response codes name what was refused, whatever enhanced code comes with them", () => {
  const cases: Array<[number, string, string, string, boolean]> = [
    // RCP-P2: the recipient's preferences, under 5.1.1: its settings, not a dead address
    [550, '5.1.1', '550 5.1.1 RCP-P2 Refused due to recipient preferences', 'filtered', false],
    [550, '5.1.1', '550 5.1.1 RCP-P1 Unknown recipient', 'userunknown', true],
    // POL-T1: the sending server held back for a while, never the recipient's address
    [450, '4.7.1', '450 4.7.1 POL-T1 Not accepting messages from your mail server', 'blocked', false],
    // POL-P7 is two refusals, told by its words: the domain's authentication, or its abuse policies
    [
      550,
      '5.7.1',
      "550 5.7.1 POL-P7 The message does not comply with Facebook's Domain Authentication requirements.",
      'authfailure',
      false,
    ],
    [
      550,
      '5.7.1',
      "550 5.7.1 POL-P7 The message does not comply with Facebook's abuse policies and will not be accepted.",
      'policyviolation',
      false,
    ],
    // CON-T1: Facebook's own servers with too many connections open
    [
      421,
      '4.7.0',
      "421 4.7.0 CON-T1 Facebook's mail server currently has too many connections open to allow another one.",
      'toomanyconn',
      false,
    ],
  ];
  for (const [code, status, reply, reason, hard] of cases)
    assert.deepEqual(classifySmtpReply(code, status, reply), { reason, hard }, reply);
});

test("Exchange Online's directory-based edge blocking answers RCPT TO, so its reply names the step itself", () => {
  const gateway = classifyBounce(
    textNotice(
      'I was unable to deliver your message to the following addresses:\n\nnina@example.com\n\nReason: 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [XX2PR01MB0002.eurprd01.prod.outlook.com]\n',
    ),
  );
  assert.deepEqual(
    gateway.recipients.map((r) => [r.recipient, r.reason, r.hard]),
    [['nina@example.com', 'userunknown', true]],
  );
});

test("Tencent QQ's 'Mailbox unavailable or access denied' from its own hosts is its sender limit, help link or not", () => {
  const at = (host: string) =>
    refusedBy(host, '550 Mailbox unavailable or access denied [MELk9PB6== IP: 192.0.2.1]', 'a@qq.com');
  assert.deepEqual([at('mx3.qq.com').reason, at('mx3.qq.com').hard], ['toomanyconn', false]);
  assert.equal(at('mxbiz1.qq.com').reason, 'toomanyconn');
  // another receiver's words keep their reading
  assert.notEqual(at('mx.example.org').reason, 'toomanyconn');
});

test("a consumer service's own domain names the receiver that answered when the report names no host", () => {
  /** A report whose reply names no host: no Remote-MTA, or only the address it was given. */
  const unnamed = (recipient: string, reply: string, remote = '', step = 'RCPT TO') =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: 5.0.0\n${remote}` +
          `Diagnostic-Code: smtp; ${reply}\n`,
        `<${recipient}>: ${reply} (in reply to ${step} command)\n`,
      ),
    ).recipients[0]!;
  // au by KDDI: "550 : User unknown" for its subscriber is its reception settings refusing the sender
  const au = unnamed('a@ezweb.ne.jp', '550 : User unknown');
  assert.deepEqual([au.reason, au.hard], ['filtered', false]);
  assert.equal(unnamed('a@au.com', '550 : User unknown').reason, 'filtered');
  assert.equal(unnamed('a@ezweb.ne.jp', '550 : User unknown', 'Remote-MTA: dns; [203.0.113.1]\n').reason, 'filtered');
  // NTT docomo: "Unknown user" after DATA for its subscriber is the same refusal
  const docomo = unnamed('a@docomo.ne.jp', '550 Unknown user a@docomo.ne.jp', '', 'end of DATA');
  assert.deepEqual([docomo.reason, docomo.hard], ['rejected', false]);
  // Apple iCloud Mail's block for a listed domain, for an icloud.com address
  const dbl = '550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL';
  assert.equal(unnamed('a@icloud.com', dbl).reason, 'blocked');
  // the same replies for an address elsewhere, or from a host the report names that is not the receiver's (a gateway
  // on the way refused), keep their general reading
  assert.equal(unnamed('a@example.jp', '550 : User unknown').reason, 'userunknown');
  assert.equal(
    unnamed('a@ezweb.ne.jp', '550 : User unknown', 'Remote-MTA: dns; mx.example.org\n').reason,
    'userunknown',
  );
  assert.equal(unnamed('a@example.jp', '550 Unknown user a@example.jp', '', 'end of DATA').reason, 'filtered');
  assert.equal(unnamed('a@example.com', dbl).reason, 'spamdetected');
  // Yahoo's addresses are not read so: its bracketed codes are its verdict only from its own hosts (above)
  const tss = '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints';
  assert.notEqual(unnamed('a@yahoo.com', tss).reason, 'rejected');
});

test("the relay's own delivery outcome is read with its recipient's receiver", () => {
  // Tencent QQ's frequency refusal for a qq.com address, as the relay reports it (its reply, no host)
  const qq = '550 Mailbox unavailable or access denied [MELk9PB6== IP: 192.0.2.1]';
  const limited = classifySmtpReply(550, null, qq, 'RCPT', { recipient: 'a@qq.com' });
  assert.deepEqual([limited.reason, limited.hard], ['toomanyconn', false]);
  assert.notEqual(classifySmtpReply(550, null, qq, 'RCPT', { recipient: 'a@example.org' }).reason, 'toomanyconn');
  assert.equal(
    classifySmtpReply(550, null, '550 : User unknown', 'RCPT', { recipient: 'a@ezweb.ne.jp' }).reason,
    'filtered',
  );
});

test("the host that answered is read from an MTA's own words when the report has no Remote-MTA", () => {
  // Yahoo's "mailbox not found" after DATA is its directory's verdict from its own hosts, a filter's elsewhere
  const reply = '552 1 Requested mail action aborted, mailbox not found';
  const fields = `Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; ${reply}\n`;
  const sendmail = (host: string) =>
    classifyBounce(
      dsn(
        fields,
        `   ----- Transcript of session follows -----\n... while talking to ${host}.:\n>>> DATA\n<<< ${reply}\n` +
          '554 5.0.0 <a@example.com>... Service unavailable\n',
      ),
    ).recipients[0]!;
  const exchange = (host: string) =>
    classifyBounce(
      dsn(
        fields,
        'Delivery has failed to these recipients or groups:\n\na@example.com\n\n' +
          'Diagnostic information for administrators:\n\nGenerating server: mail.example.org\n\na@example.com\n' +
          `Remote Server at ${host} (192.0.2.1) returned '${reply}'\n`,
      ),
    ).recipients[0]!;
  for (const notice of [sendmail, exchange]) {
    const yahoo = notice('mta7.am0.yahoodns.net');
    assert.deepEqual([yahoo.reason, yahoo.hard], ['userunknown', true]);
    assert.equal(notice('mx.example.com').reason, 'filtered');
    // and the report says so, for the recipient's record
    assert.equal(yahoo.remoteHost, 'mta7.am0.yahoodns.net');
  }
  assert.equal(sendmail('mx.example.com').command, 'DATA');
});

test("Microsoft's 5.4.1 edge block reads the same when the report's Status carries its code and the reply does not", () => {
  const quoted = (status: string) =>
    classifyBounce(
      dsn(
        `Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: ${status}\n` +
          'Remote-MTA: dns; example-org.mail.protection.outlook.com\n' +
          'Diagnostic-Code: smtp; 550 [a@example.org]: Recipient address rejected: Access denied\n',
      ),
    ).recipients[0]!;
  assert.deepEqual([quoted('5.4.1').reason, quoted('5.4.1').hard], ['userunknown', true]);
  // under another code the same words are a receiver's own rule on the address (Postfix's access(5) REJECT)
  assert.deepEqual([quoted('5.7.1').reason, quoted('5.7.1').hard], ['filtered', false]);
});

test("Exchange's own faults and verdicts read as both of the reference library's Microsoft tables read them", () => {
  const cases: Array<[string, string]> = [
    // several directory entries for one address: the directory's fault
    ['550 5.1.4 Destination mailbox address ambiguous', 'systemerror'],
    ['550 5.1.4 RESOLVER.ADR.Ambiguous; ambiguous address', 'systemerror'],
    ['550 5.1.2 Invalid X.400 address', 'userunknown'],
    // DNS records that give no usable route, and a loop of generated messages
    ['550 5.4.4 Invalid arguments', 'networkerror'],
    ['554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS records for this domain are configured in a loop', 'networkerror'],
    ['550 5.4.11 Agent generated message depth exceeded', 'contenterror'],
    ['550 5.2.1 Mailbox cannot be accessed', 'suspend'],
    // the sending IP refused by a connector's restriction; the recipient over its hourly intake
    ['550 5.7.51 RestrictDomainsToIPAddresses or RestrictDomainsToCertificate rejected the connection.', 'blocked'],
    [
      '550 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour.',
      'toomanyconn',
    ],
  ];
  for (const [reply, reason] of cases)
    assert.equal(
      classifySmtpReply(null, null, reply, null, { remoteHost: 'example-com.mail.protection.outlook.com' }).reason,
      reason,
      reply,
    );
});

test("Gmail's closings: 'Try again later' holds the sending host back unless it names its limit; idle, malformed", () => {
  const reply = (text: string) =>
    classifySmtpReply(421, null, text, 'CONN', { remoteHost: 'gmail-smtp-in.l.google.com' });
  assert.equal(reply('421 4.7.0 Try again later, closing connection. (EHLO) u1si123 - gsmtp').reason, 'blocked');
  assert.equal(
    reply('421 4.7.0 Try again later, closing connection. Connection rate limit exceeded').reason,
    'toomanyconn',
  );
  // its other documented closings: an idle session timed out, a transaction it does not take, a malformed message
  assert.equal(reply('451 4.4.2 Timeout - closing connection. d1si123 - gsmtp').reason, 'expired');
  assert.equal(reply('421 4.7.0 Connection expired, try reconnecting. d1si123 - gsmtp').reason, 'expired');
  // (Exim's own session timing out says so in other words before the same closing)
  assert.equal(reply('421 mx.example.net SMTP incoming data timeout - closing connection.').reason, 'networkerror');
  assert.equal(
    reply('451 4.3.0 Multiple destination domains per transaction is unsupported. Please try again. d1si123 - gsmtp')
      .reason,
    'systemerror',
  );
  assert.equal(reply('554 5.6.0 Mail message is malformed. Not accepted. d1si123 - gsmtp').reason, 'notcompliantrfc');
  // Gmail's own trouble stays its own
  assert.equal(
    reply('421 4.7.0 Temporary System Problem.  Try again later (10). d1si123 - gsmtp').reason,
    'systemerror',
  );
});

test("Cox's replies without a code name their cause from its own hosts only", () => {
  const cox = 'mx.west.cox.net';
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['421 4.7.0 cox too many bad commands from 192.0.2.1', 'blocked'],
    ['451 4.7.1 DNS check failure - try again later', 'requireptr'],
    ['421 4.7.0 message threshold exceeded', 'toomanyconn'],
    ['452 4.3.1 requested action aborted: try again later', 'toomanyconn'],
    ['554 5.7.1 ESMTP no data before greeting', 'policyviolation'],
  ];
  for (const [reply, reason] of cases) assert.equal(refusedBy(cox, reply).reason, reason, reply);
  // elsewhere the same words keep their plain reading
  assert.notEqual(refusedBy('mx.example.org', '421 4.7.0 message threshold exceeded').reason, 'toomanyconn');
});
