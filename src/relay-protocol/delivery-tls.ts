import { z } from 'zod';
import type { DeliveryTls } from '../domain/relay/mta-sts.js';

// The TLS facts of a recipient's delivery attempt on the wire (feed, push, per-message lookup): the protocol version
// and cipher of the session, whether the destination's certificate verified for the MX name, the domain's MTA-STS
// mode, and what failed that policy (see src/domain/relay/mta-sts.ts). Null when no host was tried (no route);
// absent from relays that predate it.
export const deliveryTls = z.object({
  version: z.string().max(32).nullable(),
  cipher: z.string().max(128).nullable(),
  verified: z.boolean(),
  mtaSts: z.enum(['enforce', 'testing', 'none']),
  failure: z
    .enum([
      'starttls-not-supported',
      'certificate-host-mismatch',
      'certificate-expired',
      'certificate-not-trusted',
      'validation-failure',
      'mx-not-in-policy',
    ])
    .nullable(),
}) satisfies z.ZodType<DeliveryTls>;
