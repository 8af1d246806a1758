// Stats: per hour or per day counts of the public events (GET /v1/stats) drawn as an SVG line chart (drawn here, no
// chart library), with the totals and the rates (delivered per sent; bounce per sent; open, click, complaint per
// delivered).
import { api, h, query, routeParams, session, table } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';
const series = [
  ['accepted', '#0b5cad'],
  ['delivered', '#067647'],
  ['deferred', '#b54708'],
  ['bounced', '#b42318'],
  ['complained', '#7a2e9a'],
  ['opened', '#0e9384'],
  ['clicked', '#c11574'],
];
const rateNames = ['delivered', 'bounce', 'open', 'click', 'complaint'];

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** A line per series over the buckets; the y axis from 0 to the largest count. */
function chart(items, interval) {
  const width = 900,
    height = 260,
    left = 40,
    bottom = 24,
    top = 10;
  const max = Math.max(1, ...items.flatMap((b) => series.map(([name]) => b.counts[name] ?? 0)));
  const x = (i) => left + (items.length <= 1 ? 0 : (i * (width - left - 10)) / (items.length - 1));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img' });
  root.append(svg('title', {}, `events per ${interval}`));
  for (const v of [0, max / 2, max]) {
    root.append(svg('line', { x1: left, x2: width - 10, y1: y(v), y2: y(v), stroke: '#d8dee4' }));
    root.append(svg('text', { x: 4, y: y(v) + 4, 'font-size': 11, fill: '#5b6672' }, String(Math.round(v))));
  }
  const every = Math.max(1, Math.ceil(items.length / 8));
  items.forEach((b, i) => {
    if (i % every !== 0) return;
    const d = new Date(b.start);
    const label = interval === 'hour' ? `${d.getHours()}:00` : d.toLocaleDateString();
    root.append(
      svg('text', { x: x(i), y: height - 6, 'font-size': 11, fill: '#5b6672', 'text-anchor': 'middle' }, label),
    );
  });
  for (const [name, color] of series) {
    const points = items.map((b, i) => `${x(i)},${y(b.counts[name] ?? 0)}`).join(' ');
    root.append(svg('polyline', { points, fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': name }));
  }
  return root;
}

const pct = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)} %`);

export async function render(root) {
  const params = routeParams();
  const interval = params.get('interval') === 'hour' ? 'hour' : 'day';
  const accountId = session.current?.admin ? (params.get('accountId') ?? '') : '';
  const stats = await api('GET', `/v1/stats${query({ interval, accountId })}`);
  const legend = h(
    'div',
    { class: 'legend' },
    series.map(([name, color]) => {
      const el = h('span', {}, name);
      el.style.setProperty('--swatch', color);
      return el;
    }),
  );
  const form = h(
    'form',
    { class: 'filters' },
    h(
      'label',
      {},
      'Per',
      h(
        'select',
        { name: 'interval' },
        h('option', { value: 'hour', selected: interval === 'hour' }, 'hour (last 24 h)'),
        h('option', { value: 'day', selected: interval === 'day' }, 'day (last 7 days)'),
      ),
    ),
    session.current?.admin
      ? h('label', {}, 'Account id (empty = all)', h('input', { name: 'accountId', value: accountId }))
      : null,
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = `#/stats${query({ interval: data.get('interval'), accountId: data.get('accountId') })}`;
  });
  root.replaceChildren(
    h('h1', {}, 'Stats'),
    form,
    legend,
    chart(stats.items, interval),
    h('h2', {}, 'Totals'),
    table(
      [
        ['Event', ([name]) => name],
        ['Count', ([, n]) => n],
      ],
      Object.entries(stats.totals.counts),
    ),
    h('h2', {}, 'Rates'),
    table(
      [
        ['Rate', (name) => name],
        ['Value', (name) => pct(stats.totals.rates[name])],
      ],
      rateNames,
    ),
    h('h2', {}, `Per ${interval}`),
    table(
      [
        ['Start', (b) => new Date(b.start).toLocaleString()],
        ...series.map(([name]) => [name, (b) => b.counts[name] ?? 0]),
        ['Delivered', (b) => pct(b.rates.delivered)],
        ['Bounce', (b) => pct(b.rates.bounce)],
        ['Open', (b) => pct(b.rates.open)],
      ],
      [...stats.items].reverse(),
    ),
  );
  return undefined;
}
