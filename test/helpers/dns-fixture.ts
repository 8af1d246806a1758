// A small authoritative DNS responder on 127.0.0.1 (UDP, dns-packet) standing in for blocklist zones: names listed with
// A codes and TXT reasons, zones that answer an operator's "query refused" code for every name, zones that never
// answer (timeouts), NXDOMAIN for everything else. Listings can change while it runs (delisting), and it counts queries.
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface DnsFixture {
  /** host:port for DNS_RESOLVER. */
  address: string;
  port: number;
  list(name: string, a: string[], txt?: string[]): void;
  /** Sets a name's records whole (TXT and CNAME listings for sender domain tests). */
  set(name: string, listing: DnsListing): void;
  unlist(name: string): void;
  /** Every name asked (lowercase), in order, with its type. */
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

/** A name's records: A codes or addresses, TXT, and (for mail routing tests) AAAA and MX. */
export interface DnsListing {
  a: string[];
  txt?: string[];
  aaaa?: string[];
  mx?: Array<{ exchange: string; priority: number }>;
  /** An alias: answered to CNAME queries, and to others with the target's records after it (as a recursive server). */
  cname?: string;
}

export interface DnsFixtureOptions {
  listings?: Record<string, DnsListing>;
  /** Zones answering this code for any name (e.g. 127.255.255.254, Spamhaus' "open resolver" refusal). */
  refusingZones?: Record<string, string>;
  /** Zones whose queries are dropped: the client times out. */
  silentZones?: string[];
}

/** A TXT record's value as DNS carries it: strings of at most 255 bytes (a DKIM key is longer), joined by readers. */
const txtStrings = (t: string): string[] => t.match(/[^]{1,255}/g) ?? [''];

const inZone = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

export async function startDnsFixture(o: DnsFixtureOptions = {}): Promise<DnsFixture> {
  const listings = new Map(Object.entries(o.listings ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const queries: Array<{ name: string; type: string }> = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    const name = q.name.toLowerCase();
    queries.push({ name, type: q.type });
    if ((o.silentZones ?? []).some((z) => inZone(name, z))) return; // never answers
    const refusing = Object.entries(o.refusingZones ?? {}).find(([z]) => inZone(name, z));
    const listed: DnsListing | undefined = refusing ? { a: [refusing[1]], txt: [] } : listings.get(name);
    const answers: dnsPacket.Answer[] = [];
    if (listed?.cname) {
      answers.push({ type: 'CNAME', name: q.name, ttl: 60, data: listed.cname });
      const target = listings.get(listed.cname.toLowerCase());
      if (target && q.type === 'TXT')
        for (const t of target.txt ?? [])
          answers.push({ type: 'TXT', name: listed.cname, ttl: 60, data: txtStrings(t) });
    }
    if (listed && q.type === 'A')
      for (const ip of listed.a) answers.push({ type: 'A', name: q.name, ttl: 60, data: ip });
    if (listed && q.type === 'TXT')
      for (const t of listed.txt ?? []) answers.push({ type: 'TXT', name: q.name, ttl: 60, data: txtStrings(t) });
    if (listed && q.type === 'AAAA')
      for (const ip of listed.aaaa ?? []) answers.push({ type: 'AAAA', name: q.name, ttl: 60, data: ip });
    if (listed && q.type === 'MX')
      for (const m of listed.mx ?? [])
        answers.push({ type: 'MX', name: q.name, ttl: 60, data: { preference: m.priority, exchange: m.exchange } });
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | (listed ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: query.questions,
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket.address().port));
  });
  return {
    address: `127.0.0.1:${port}`,
    port,
    list: (name, a, txt) => {
      listings.set(name.toLowerCase(), { a, txt });
    },
    set: (name, listing) => {
      listings.set(name.toLowerCase(), listing);
    },
    unlist: (name) => {
      listings.delete(name.toLowerCase());
    },
    queries,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}
