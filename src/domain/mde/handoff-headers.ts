// How the MDE tells a relay which of its source IPs to send from and how urgent the message is: control header lines
// prepended to the message it hands off (in the spirit of ZoneMTA's X-Sending-Zone). The relay reads and strips every
// X-Mde-* line before queueing, so destinations never see them.

export const SOURCE_IP_HEADER = 'X-Mde-Source-Ip';
export const PRIORITY_HEADER = 'X-Mde-Priority';

export function withHandoffHeaders(raw: Buffer, o: { sourceIp: string; priority: number }): Buffer {
  // The message's own line ending style, so the header block stays consistent.
  const eol = raw.indexOf('\r\n') >= 0 || raw.length === 0 ? '\r\n' : '\n';
  return Buffer.concat([Buffer.from(`${SOURCE_IP_HEADER}: ${o.sourceIp}${eol}${PRIORITY_HEADER}: ${Math.trunc(o.priority)}${eol}`), raw]);
}
