// Webhooks: the account's endpoints (GET /v1/webhooks) and, for one, its delivery attempts (GET
// /v1/webhooks/:id/deliveries) with the generic error class of each failure.
import { api, errorBox, fmtDate, h, statusBadge, table } from './common.js';

async function showDeliveries(target, hook) {
  try {
    const page = await api('GET', `/v1/webhooks/${encodeURIComponent(hook.id)}/deliveries`);
    target.replaceChildren(
      h('h2', {}, `Deliveries to ${hook.url}`),
      table(
        [
          ['At', (d) => fmtDate(d.at)],
          ['Result', (d) => statusBadge(d.ok ? 'ok' : 'failed')],
          ['HTTP', (d) => d.statusCode ?? ''],
          ['Error', (d) => d.error ?? ''],
          ['Attempt', (d) => d.attempt],
          [
            'Message',
            (d) => (d.messageId ? h('a', { href: `#/message/${encodeURIComponent(d.messageId)}` }, d.messageId) : ''),
          ],
          ['Next retry', (d) => fmtDate(d.nextRetryAt)],
        ],
        page.items,
        'No delivery yet.',
      ),
    );
  } catch (err) {
    target.replaceChildren(errorBox(err));
  }
}

export async function render(root) {
  const hooks = await api('GET', '/v1/webhooks');
  const deliveries = h('div', { id: 'deliveries' });
  root.replaceChildren(
    h('h1', {}, 'Webhooks'),
    table(
      [
        ['URL', (w) => w.url],
        ['Account', (w) => w.accountId ?? ''],
        ['Events', (w) => (Array.isArray(w.events) ? w.events.join(', ') : (w.events ?? 'all'))],
        ['Created', (w) => fmtDate(w.createdAt)],
        ['', (w) => h('button', { type: 'button', onclick: () => showDeliveries(deliveries, w) }, 'Deliveries')],
      ],
      hooks.items,
      'No webhook registered.',
    ),
    deliveries,
  );
  return undefined;
}
