// Activity: the message search (GET /v1/messages with recipient, sender, subject, status, tag and date filters),
// newest first, paged by cursor. The first page refreshes itself every 10 seconds while it is shown.
import { api, fmtDate, h, query, routeParams, statusBadge, table } from './common.js';

const REFRESH_MS = 10_000;
const statuses = [
  '',
  'pending',
  'relayed',
  'deferred',
  'delivered',
  'bounced',
  'failed',
  'suppressed',
  'sandboxed',
  'partial',
];
const fields = ['recipient', 'sender', 'subject', 'status', 'tag', 'since', 'until'];

/** datetime-local value (local time) → ISO instant, and back. */
const toIso = (local) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export async function render(root) {
  const params = routeParams();
  const filters = Object.fromEntries(fields.map((f) => [f, params.get(f) ?? '']));
  const cursor = params.get('cursor') ?? '';
  const input = (name, label, attrs = {}) =>
    h('label', {}, label, h('input', { name, value: filters[name], ...attrs }));
  const form = h(
    'form',
    { class: 'filters', id: 'activity-filters' },
    input('recipient', 'Recipient', { type: 'email', placeholder: 'bob@example.com' }),
    input('sender', 'Sender', { placeholder: 'part of address' }),
    input('subject', 'Subject', { placeholder: 'part of subject' }),
    h(
      'label',
      {},
      'Status',
      h(
        'select',
        { name: 'status' },
        statuses.map((s) => h('option', { value: s, selected: s === filters.status }, s || 'any')),
      ),
    ),
    input('tag', 'Tag'),
    h('label', {}, 'Since', h('input', { name: 'since', type: 'datetime-local', value: toLocal(filters.since) })),
    h('label', {}, 'Until', h('input', { name: 'until', type: 'datetime-local', value: toLocal(filters.until) })),
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const next = {};
    for (const f of fields) next[f] = String(data.get(f) ?? '').trim();
    next.since = toIso(next.since);
    next.until = toIso(next.until);
    location.hash = `#/activity${query(next)}`;
  });
  const results = h('div', { id: 'activity-results' });
  const updated = h('span', { class: 'muted' });
  root.replaceChildren(h('h1', {}, 'Activity'), form, results, h('p', {}, updated));

  const load = async () => {
    const page = await api('GET', `/v1/messages${query({ ...filters, cursor, limit: 50 })}`);
    results.replaceChildren(
      table(
        [
          ['Submitted', (m) => fmtDate(m.submittedAt)],
          ['Status', (m) => statusBadge(m.status)],
          ['From', (m) => m.headerFrom ?? m.mailFrom],
          ['Subject', (m) => h('a', { href: `#/message/${encodeURIComponent(m.id)}` }, m.subject || '(no subject)')],
          ['Tags', (m) => m.tags.join(', ')],
          ['Id', (m) => h('a', { href: `#/message/${encodeURIComponent(m.id)}`, class: 'message-link' }, m.id)],
        ],
        page.items,
        'No message matches.',
      ),
      h(
        'div',
        { class: 'pager' },
        cursor ? h('a', { href: `#/activity${query(filters)}` }, '« Newest') : null,
        page.nextCursor
          ? h('a', { href: `#/activity${query({ ...filters, cursor: page.nextCursor })}` }, 'Older »')
          : null,
      ),
    );
    updated.textContent = `Updated ${new Date().toLocaleTimeString()}${cursor ? '' : ', refreshes every 10 s'}`;
  };
  await load();
  if (cursor) return undefined; // an older page stays as it was; the newest one follows new mail
  const timer = setInterval(() => load().catch(() => undefined), REFRESH_MS);
  return () => clearInterval(timer);
}
