/** The Received trace header (RFC 5321 §4.4) this hop prepends, as every MTA does. */
export function receivedHeader(opts: {
  clientHostname: string;
  clientIp: string;
  hostname: string;
  secure: boolean;
  authenticated: boolean;
  id: string;
  date: Date;
}): string {
  const proto = `ESMTP${opts.secure ? 'S' : ''}${opts.authenticated ? 'A' : ''}`;
  return `Received: from ${opts.clientHostname} ([${opts.clientIp}])\r\n\tby ${opts.hostname} with ${proto} id ${opts.id};\r\n\t${opts.date.toUTCString().replace('GMT', '+0000')}\r\n`;
}
