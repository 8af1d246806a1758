// Relays and IPs (admin): each relay's health, heartbeat and queue depth; the IP pools; every IP with its state, its
// last-hour outcomes and reputation (its change history on demand); the reputation incidents, open first.
import { api, errorBox, fmtDate, h, statusBadge, table } from './common.js';

const counts = (c) =>
  c
    ? Object.entries(c)
        .filter(([, n]) => n)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')
    : '';

async function showHistory(target, ip) {
  try {
    const view = await api('GET', `/v1/ips/${encodeURIComponent(ip)}`);
    target.replaceChildren(
      h('h3', {}, `History of ${ip}`),
      table(
        [
          ['At', (c) => fmtDate(c.at)],
          ['Who', (c) => c.actor],
          ['State', (c) => `${c.fromState ?? '–'} → ${c.toState ?? '–'}`],
          ['Pool', (c) => `${c.fromPool ?? '–'} → ${c.toPool ?? '–'}`],
          ['Why', (c) => c.reason ?? ''],
        ],
        view.history,
        'No change recorded.',
      ),
    );
  } catch (err) {
    target.replaceChildren(errorBox(err));
  }
}

export async function render(root) {
  const [relays, pools, ips, incidents] = await Promise.all([
    api('GET', '/v1/relays'),
    api('GET', '/v1/ip-pools'),
    api('GET', '/v1/ips'),
    api('GET', '/v1/incidents'),
  ]);
  const history = h('div', { id: 'ip-history' });
  const open = incidents.items.filter((i) => !i.resolvedAt);
  const resolved = incidents.items.filter((i) => i.resolvedAt);
  root.replaceChildren(
    h('h1', {}, 'Relays & IPs'),
    h('h2', {}, 'Relays'),
    table(
      [
        ['Relay', (r) => r.id],
        ['Health', (r) => statusBadge(r.healthy ? 'ok' : 'failed')],
        ['Last error', (r) => r.lastPollError ?? ''],
        ['Heartbeat', (r) => fmtDate(r.lastHeartbeatAt)],
        ['Queue depth', (r) => r.queueDepth ?? '–'],
        ['IPs', (r) => (r.ips ?? []).map((i) => `${i.ip} (${i.pool}, ${i.state})`).join(', ')],
        ['Last hour', (r) => counts(r.lastHour)],
      ],
      relays.items,
      'No relay registered.',
    ),
    h('h2', {}, 'IP pools'),
    table(
      [
        ['Pool', (p) => p.name],
        ['Description', (p) => p.description ?? ''],
        ['IPs', (p) => counts(p.ips)],
        ['Listed without standby', (p) => p.onListedWithoutStandby ?? ''],
        ['Reserved for', (p) => (Array.isArray(p.accounts) && p.accounts.length ? p.accounts.join(', ') : 'all')],
      ],
      pools.items,
    ),
    h('h2', {}, 'IPs'),
    table(
      [
        [
          'IP',
          (i) => h('a', { href: '#/relays', onclick: (e) => (e.preventDefault(), showHistory(history, i.ip)) }, i.ip),
        ],
        ['Pool', (i) => i.pool],
        ['Relay', (i) => `${i.relayId}${i.relayHealthy === false ? ' (unhealthy)' : ''}`],
        ['State', (i) => statusBadge(i.state)],
        ['Weight', (i) => i.weight],
        ['Last hour', (i) => counts(i.lastHour)],
        [
          'Reputation',
          (i) =>
            i.reputation
              ? `${i.reputation.state}${(i.reputation.listings ?? []).length ? `: ${i.reputation.listings.map((l) => l.zone ?? JSON.stringify(l)).join(', ')}` : ''}`
              : '',
        ],
      ],
      ips.items,
      'No IP registered.',
    ),
    history,
    h('h2', {}, 'Reputation incidents'),
    table(
      [
        ['Opened', (i) => fmtDate(i.openedAt)],
        ['Resolved', (i) => (i.resolvedAt ? fmtDate(i.resolvedAt) : statusBadge('open'))],
        ['Kind', (i) => i.kind],
        ['Subject', (i) => i.subject],
        ['Zone', (i) => i.zone ?? ''],
        ['Reason', (i) => i.reason ?? ''],
        ['Action', (i) => i.action ?? ''],
      ],
      [...open, ...resolved],
      'No incident.',
    ),
  );
  return undefined;
}
