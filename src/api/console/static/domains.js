// Sender domains (admin): an account's domains with their verification state and, per DNS record to publish, what the
// last check found (GET /v1/accounts/:id/sender-domains).
import { accountField, api, ApiCallError, h, query, routeParams, statusBadge, table } from './common.js';

const recordsTable = (records) =>
  table(
    [
      ['Purpose', (r) => r.purpose ?? ''],
      ['Type', (r) => r.type ?? ''],
      ['Host', (r) => r.host ?? ''],
      ['Status', (r) => statusBadge(r.status ?? '')],
      ['Expected', (r) => h('span', { class: 'reply' }, r.value ?? '')],
      ['Found', (r) => h('span', { class: 'reply' }, r.found === undefined ? '' : JSON.stringify(r.found))],
    ],
    records,
    'No DNS record listed.',
  );

/** The domains with their DNS status; only the names from the account where the api has no per-domain view. */
async function loadDomains(accountId) {
  const path = `/v1/accounts/${encodeURIComponent(accountId)}`;
  try {
    return (await api('GET', `${path}/sender-domains`)).items;
  } catch (err) {
    if (!(err instanceof ApiCallError) || err.status !== 404 || err.message.includes('account')) throw err;
    return ((await api('GET', path)).senderDomains ?? []).map((domain) => ({ domain }));
  }
}

export async function render(root) {
  const accountId = routeParams().get('accountId') ?? '';
  const form = h('form', { class: 'filters' }, accountField(accountId), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/domains${query({ accountId: new FormData(form).get('accountId') })}`;
  });
  const out = h('div', { id: 'domains' });
  root.replaceChildren(h('h1', {}, 'Sender domains'), form, out);
  if (!accountId) {
    out.replaceChildren(h('p', { class: 'muted' }, 'Name the account whose domains to show.'));
    return undefined;
  }
  const domains = await loadDomains(accountId);
  out.replaceChildren(
    ...(domains.length === 0 ? [h('p', { class: 'muted' }, 'No sender domain.')] : []),
    ...domains.flatMap((d) => [
      h('h2', {}, d.domain, ' ', d.state ? statusBadge(d.state) : ''),
      d.verification
        ? h(
            'p',
            { class: 'muted' },
            `Verified by ${d.verification.by}${d.verification.note ? ` (${d.verification.note})` : ''}`,
          )
        : null,
      d.records ? recordsTable(d.records) : h('p', { class: 'muted' }, 'No DNS status recorded.'),
    ]),
  );
  return undefined;
}
