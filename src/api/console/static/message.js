// Message: one message (GET /v1/messages/:id): its recipients with status and the destination's exact reply, the
// routing decision, the event timeline, and (for the admin) a link to its workflow in the Temporal UI.
import { api, fmtDate, h, keyValues, session, statusBadge, table } from './common.js';

const eventKeys = [
  'smtpCode',
  'code',
  'enhancedCode',
  'smtpResponse',
  'response',
  'reply',
  'reason',
  'hard',
  'command',
  'remoteHost',
  'url',
  'machine',
  'pool',
  'ip',
  'relayId',
  'why',
];

/** Short text for an event's data in the timeline: the fields a reader looks for first. */
function eventSummary(e) {
  const d = e.data ?? {};
  const parts = [];
  for (const k of eventKeys) {
    if (d[k] !== undefined && d[k] !== null)
      parts.push(`${k}: ${typeof d[k] === 'object' ? JSON.stringify(d[k]) : d[k]}`);
  }
  return parts.join(' · ');
}

export async function render(root, [id]) {
  const m = await api('GET', `/v1/messages/${encodeURIComponent(id ?? '')}`);
  const ui = session.current?.temporalUi;
  const workflowLink = ui
    ? h(
        'a',
        {
          href: `${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(`msg-${m.id}`)}`,
          target: '_blank',
          rel: 'noopener noreferrer',
          id: 'workflow-link',
        },
        `msg-${m.id} in the Temporal UI`,
      )
    : null;
  const routed = m.events.filter((e) => e.type === 'routed');
  root.replaceChildren(
    h('p', {}, h('a', { href: '#/activity' }, '« Activity')),
    h('h1', {}, m.subject || '(no subject)'),
    keyValues([
      ['Id', m.id],
      ['Status', statusBadge(m.status)],
      ['Envelope sender', m.mailFrom],
      ['From', m.headerFrom ?? ''],
      ['Message-ID', m.messageId ?? ''],
      ['Submitted', fmtDate(m.submittedAt)],
      ['Size', `${m.size} bytes`],
      ['Tags', m.tags.join(', ')],
      ['Metadata', m.metadata],
      ['Workflow', workflowLink ?? h('span', { class: 'muted' }, 'Temporal UI link for the admin only')],
    ]),
    h('h2', {}, 'Recipients'),
    h(
      'div',
      { id: 'recipients' },
      table(
        [
          ['Address', (r) => r.address],
          ['Kind', (r) => r.kind],
          ['Status', (r) => statusBadge(r.status)],
          ['Reply', (r) => h('span', { class: 'reply' }, r.smtpResponse ?? '')],
          ['Code', (r) => [r.smtpCode, r.enhancedCode].filter(Boolean).join(' ')],
          // which step and which MX refused: the first things an operator asks of a bounce
          ['Answered', (r) => [r.smtpCommand, r.remoteHost && `at ${r.remoteHost}`].filter(Boolean).join(' ')],
          ['Bounce', (r) => (r.bounce ? `${r.bounce.reason} (${r.bounce.hard ? 'hard' : 'soft'})` : '')],
          ['Relay / IP', (r) => [r.relayId, r.sourceIp].filter(Boolean).join(' / ')],
          [
            'Route',
            (r) =>
              r.route ? `pool ${r.route.pool}, rule ${r.route.ruleId ?? '-'} v${r.route.ruleVersion ?? '-'}` : '',
          ],
          ['Updated', (r) => fmtDate(r.updatedAt)],
        ],
        m.recipients,
        'No recipient recorded yet.',
      ),
    ),
    h('h2', {}, 'Routing decision'),
    routed.length
      ? h(
          'div',
          {},
          routed.map((e) =>
            h('div', {}, h('p', { class: 'muted' }, fmtDate(e.at)), h('pre', {}, JSON.stringify(e.data, null, 2))),
          ),
        )
      : h('p', { class: 'muted' }, 'Not routed yet (or every recipient was suppressed).'),
    h('h2', {}, 'Timeline'),
    table(
      [
        ['At', (e) => fmtDate(e.at)],
        ['Event', (e) => statusBadge(e.type)],
        ['Recipient', (e) => e.recipient ?? ''],
        ['Details', (e) => eventSummary(e)],
      ],
      m.events,
      'No event yet.',
    ),
  );
  return undefined;
}
