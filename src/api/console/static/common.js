// Shared by every page: calls to the REST API with the session cookie (and the CSRF token on writes), and a small DOM
// builder. Text is always set as text (never as HTML), so nothing from a message can run in the page.

/** The current session: {admin, accountId, csrfToken, expiresAt, temporalUi}; set by app.js after login. */
export const session = { current: null };

export class ApiCallError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Listeners told when a call answers 401 (the session ended): app.js shows the login form. */
export const onLoggedOut = new Set();

/** Calls the API; resolves to the JSON body (undefined for 204), rejects with ApiCallError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.current) headers['X-CSRF-Token'] = session.current.csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined;
  const json = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (res.status === 401) for (const f of onLoggedOut) f();
    throw new ApiCallError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? `HTTP ${res.status}`);
  }
  return json;
}

/** A query string from the set fields of an object. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** h('a', {href: '#/x', class: 'y'}, 'text', child…): an element; children are nodes or text. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export const fmtDate = (iso) => (iso ? new Date(iso).toLocaleString() : '');

export const statusBadge = (status) => h('span', { class: `status status-${status}` }, status ?? '');

/** A cell's text: strings and numbers as they are, anything else as compact JSON. */
export const cellText = (v) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/**
 * A table: columns are [header, (row) => node or text]; rows an array. An empty list says so instead of an empty table.
 */
export function table(columns, rows, empty = 'Nothing to show.') {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map(([title]) => h('th', {}, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map(([, cell]) => {
            const v = cell(row);
            return h('td', {}, v instanceof Node ? v : cellText(v));
          }),
        ),
      ),
    ),
  );
}

/** A definition list of [label, value] pairs. */
export function keyValues(pairs) {
  return h(
    'dl',
    { class: 'kv' },
    pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : cellText(v))]),
  );
}

/** The error of a failed call, shown in place of a page's content. */
export const errorBox = (err) =>
  h('p', { class: 'error', role: 'alert' }, err instanceof ApiCallError ? `${err.status} ${err.message}` : String(err));

/** Reads the current route's query parameters (#/page?x=1). */
export function routeParams() {
  const hash = location.hash.replace(/^#/, '');
  const i = hash.indexOf('?');
  return new URLSearchParams(i >= 0 ? hash.slice(i + 1) : '');
}

/** The admin names the account to act on; an account key always acts on its own. */
export function accountField(value) {
  if (!session.current?.admin) return null;
  return h('label', {}, 'Account id', h('input', { name: 'accountId', value: value ?? '', placeholder: 'acc_…' }));
}
