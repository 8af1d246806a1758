// The Return-Path a delivery agent writes at final delivery (RFC 5321 4.4): the envelope's reverse-path. Every
// non-delivery notification travels with the null path "<>" (RFC 5321 4.5.5 and 6.1), so the receiver writes it on
// each message before classifying it, as a mailbox would hold the message: a notice whose subject and sender no table
// knows is still read as one when it came from the null sender and states a failure. The field goes first, so it is
// the one read even when the message carries an older Return-Path of its own.

export function withReturnPath(message: Buffer, reversePath: string): Buffer {
  // smtp-server has parsed the path out of one command line; keep it to printable characters all the same
  const path = reversePath.replace(/[^\x21-\x7e]|[<>]/g, '');
  // blank lines a sender left before the header would otherwise end the header right after this field
  let start = 0;
  while (start < message.length && (message[start] === 0x0d || message[start] === 0x0a)) start++;
  return Buffer.concat([Buffer.from(`Return-Path: <${path}>\r\n`, 'latin1'), message.subarray(start)]);
}
