import { findContainingCidr } from '../network/cidr.js';

// Is an open or click a person, or a machine acting for the mailbox? Machine engagements are still recorded (the
// customer sees them) but flagged, so rates can leave them out. The heuristic, first match wins:
//
//  1. no User-Agent at all                                             → `no_user_agent`
//     a HEAD request (mail clients GET images and links; scanners probe) → `head_request`
//  2. a mail-privacy image proxy by User-Agent: Google (GoogleImageProxy, ggpht.com), Yahoo (YahooMailProxy)
//                                                                      → `image_proxy`
//  3. Apple Mail Privacy Protection: an open from Apple's 17.0.0.0/8 or whose User-Agent is exactly "Mozilla/5.0"
//     (the bare string MPP's prefetcher sends)                         → `apple_mpp`
//  4. a Google image proxy address (66.102.0.0/20, 66.249.80.0/20)     → `image_proxy`
//  5. a security scanner or non-browser client by User-Agent (Barracuda, Mimecast, Proofpoint, Microsoft
//     Defender/Safe Links, Symantec/MessageLabs, Trend Micro, Sophos, Zscaler, Cisco/IronPort, FireEye, Forcepoint,
//     Bitdefender, ESET, curl, wget, python-requests, Go-http-client, Java, okhttp, HeadlessChrome, preview bots
//     such as Slackbot/facebookexternalhit, and generic bot/crawler/spider/scanner)
//                                                                      → `link_scanner`
//  6. less than `fastSeconds` (2 s) after the copy was delivered: no person reads (or clicks) that fast, but
//     gateways that open and follow every link on arrival do           → `too_fast`
//
// Anything else is a person (`machine: false`). Tables are data, so adding a scanner is a one-line change.

export type EngagementKind = 'open' | 'click';

export interface EngagementFacts {
  kind: EngagementKind;
  userAgent: string | undefined;
  ip: string | undefined;
  /** When the recipient's copy was delivered (or handed to the relay, if no delivery report yet); undefined = unknown. */
  deliveredAt: Date | undefined;
  now: Date;
  /** The request was a HEAD (it gets the same answer, without a body). */
  head?: boolean;
}

export type MachineVerdict = { machine: false } | { machine: true; reason: MachineReason };
export type MachineReason =
  'no_user_agent' | 'head_request' | 'image_proxy' | 'apple_mpp' | 'link_scanner' | 'too_fast';

export const fastSeconds = 2;

const imageProxyAgents = [/GoogleImageProxy/i, /ggpht\.com/i, /YahooMailProxy/i];
const appleCidrs = ['17.0.0.0/8'];
const googleProxyCidrs = ['66.102.0.0/20', '66.249.80.0/20'];
const scannerAgents = [
  /barracuda/i,
  /mimecast/i,
  /proofpoint/i,
  /safelinks|microsoft defender|ms-office|microsoft office existence/i,
  /symantec|messagelabs/i,
  /trend ?micro/i,
  /sophos/i,
  /zscaler/i,
  /ironport|cisco/i,
  /fireeye|trellix/i,
  /forcepoint/i,
  /bitdefender/i,
  /\beset\b/i,
  /^curl\//i,
  /^wget\//i,
  /python-requests|python-urllib|aiohttp/i,
  /go-http-client/i,
  /^java\//i,
  /okhttp/i,
  /headlesschrome/i,
  /phantomjs/i,
  /slackbot|facebookexternalhit|linkedinbot|twitterbot|whatsapp|telegrambot|discordbot/i,
  /\b(bot|crawler|spider|scanner|scan)\b/i,
];

export function classifyEngagement(f: EngagementFacts): MachineVerdict {
  const ua = (f.userAgent ?? '').trim();
  const ip = f.ip ?? '';
  if (ua === '') return { machine: true, reason: 'no_user_agent' };
  if (f.head) return { machine: true, reason: 'head_request' };
  if (imageProxyAgents.some((r) => r.test(ua))) return { machine: true, reason: 'image_proxy' };
  if (f.kind === 'open' && (ua === 'Mozilla/5.0' || (ip !== '' && findContainingCidr(appleCidrs, ip) !== undefined)))
    return { machine: true, reason: 'apple_mpp' };
  if (ip !== '' && findContainingCidr(googleProxyCidrs, ip) !== undefined)
    return { machine: true, reason: 'image_proxy' };
  if (scannerAgents.some((r) => r.test(ua))) return { machine: true, reason: 'link_scanner' };
  if (f.deliveredAt && f.now.getTime() - f.deliveredAt.getTime() < fastSeconds * 1000)
    return { machine: true, reason: 'too_fast' };
  return { machine: false };
}
