// Real messages damaged the ways hostile or broken senders damage them: cut short, spliced into each other, a segment
// repeated, bytes flipped, runs of MIME and report syntax inserted, line breaks changed. Deterministic: the same seed
// gives the same messages, so a failure names a message that can be made again.

/** Pieces of syntax the parsers look for, inserted once or as long runs. */
const SYNTAX = [
  '\0',
  '\r',
  '\n',
  '\r\n',
  '\r\n ',
  '--',
  '=?utf-8?b?',
  '?=',
  '<',
  '>',
  '@',
  '"',
  '(',
  ';',
  ':',
  '\t',
  '=\n',
  'Content-Type: multipart/mixed; boundary=',
  'Content-Type: message/rfc822\n\n',
  'Content-Transfer-Encoding: base64\n',
  'Content-Transfer-Encoding: quoted-printable\n',
  'Final-Recipient: rfc822; ',
  'Status: 5.',
  'Diagnostic-Code: smtp; 550 ',
  'Action: failed\n',
  '550-',
  '<<< ',
  '>>> RCPT TO:',
  '<a href="https://x.example/',
  '</body>',
];

/** One to four damages to `message`, drawn from `random`; other messages are spliced in from `pool`. */
export function mutateMessage(message: Buffer, pool: readonly Buffer[], random: () => number): Buffer {
  const int = (n: number): number => Math.floor(random() * n);
  let s = message.toString('latin1');
  for (let k = 1 + int(4); k > 0; k--) {
    const at = int(s.length + 1);
    switch (int(8)) {
      case 0: {
        const bytes = Buffer.from(s, 'latin1');
        for (let j = 1 + int(20); j > 0 && bytes.length > 0; j--) bytes[int(bytes.length)] = int(256);
        s = bytes.toString('latin1');
        break;
      }
      case 1:
        s = s.slice(0, at);
        break;
      case 2: {
        const end = Math.min(s.length, at + int(400));
        const segment = s.slice(at, end);
        s = s.slice(0, end) + segment.repeat(int(Math.floor(200_000 / Math.max(1, segment.length)))) + s.slice(end);
        break;
      }
      case 3:
        s = s.slice(0, at) + s.slice(Math.min(s.length, at + int(2000)));
        break;
      case 4: {
        const other = pool[int(pool.length)]!.toString('latin1');
        s = s.slice(0, at) + other.slice(int(other.length));
        break;
      }
      case 5:
        s =
          s.slice(0, at) +
          SYNTAX[int(SYNTAX.length)]!.repeat(random() < 0.2 ? 1 + int(50_000) : 1 + int(3)) +
          s.slice(at);
        break;
      case 6:
        s = `${'From: MAILER-DAEMON@x.example\nContent-Type: message/rfc822\n\n'.repeat(1 + int(30))}${s}`;
        break;
      case 7:
        s = s.replace(/\r?\n/g, random() < 0.5 ? '\r\n' : '\n');
        break;
    }
  }
  return Buffer.from(s, 'latin1');
}
