// Suppressions: the account's list (GET /v1/suppressions, searched by part of the address, paged), each removable
// (DELETE /v1/suppressions/:address, a write: the CSRF token goes with it).
import { accountField, api, errorBox, fmtDate, h, query, routeParams, session, table } from './common.js';

export async function render(root) {
  const params = routeParams();
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? '';
  const accountId = session.current?.admin ? (params.get('accountId') ?? '') : '';
  const form = h(
    'form',
    { class: 'filters' },
    accountField(accountId),
    h('label', {}, 'Address contains', h('input', { name: 'q', value: q })),
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = `#/suppressions${query({ q: data.get('q'), accountId: data.get('accountId') })}`;
  });
  const list = h('div', { id: 'suppressions' });
  const message = h('p', { role: 'status' });
  root.replaceChildren(h('h1', {}, 'Suppressions'), form, message, list);
  if (session.current?.admin && !accountId) {
    list.replaceChildren(h('p', { class: 'muted' }, 'Name the account whose list to show.'));
    return undefined;
  }
  const load = async () => {
    const page = await api('GET', `/v1/suppressions${query({ q, cursor, accountId, limit: 50 })}`);
    list.replaceChildren(
      table(
        [
          ['Address', (s) => s.address],
          ['Reason', (s) => s.reason],
          ['Bounce', (s) => s.bounceReason ?? ''],
          ['Detail', (s) => s.detail ?? ''],
          ['Since', (s) => fmtDate(s.createdAt)],
          [
            '',
            (s) =>
              h(
                'button',
                {
                  type: 'button',
                  onclick: async () => {
                    try {
                      await api('DELETE', `/v1/suppressions/${encodeURIComponent(s.address)}${query({ accountId })}`);
                      message.textContent = `${s.address} removed.`;
                      await load();
                    } catch (err) {
                      message.replaceChildren(errorBox(err));
                    }
                  },
                },
                'Remove',
              ),
          ],
        ],
        page.items,
        'No suppressed address.',
      ),
      page.nextCursor
        ? h('p', {}, h('a', { href: `#/suppressions${query({ q, accountId, cursor: page.nextCursor })}` }, 'More »'))
        : null,
    );
  };
  await load();
  return undefined;
}
