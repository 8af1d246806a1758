import type { LookupFunction } from 'node:net';
import type { AddressClassification } from '../domain/network/address-class.js';

/**
 * A `lookup` for http(s).request that answers only with addresses already checked, so no second DNS answer can slip
 * in between the check and the connect (DNS rebinding).
 */
export function pinnedLookup(addresses: readonly AddressClassification[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' && options ? options.family : undefined;
    const usable = addresses.filter((a) => family === undefined || family === 0 || a.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of the asked family'), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (typeof options === 'object' && options?.all) {
      (callback as unknown as (e: null, all: Array<{ address: string; family: number }>) => void)(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
      return;
    }
    callback(null, first.address, first.family);
  };
}
