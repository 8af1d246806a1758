// Prints the credential a relay must be started with (RELAY_SECRET), derived from RELAY_MASTER_SECRET and its id:
//   RELAY_MASTER_SECRET=... tsx scripts/relay-secret.ts relay-1
import { deriveRelaySecret } from '../src/secrets.js';

const master = process.env.RELAY_MASTER_SECRET;
const id = process.argv[2];
if (!master || !id) {
  console.error('usage: RELAY_MASTER_SECRET=... tsx scripts/relay-secret.ts <relay-id>');
  process.exit(2);
}
console.log(deriveRelaySecret(master, id));
