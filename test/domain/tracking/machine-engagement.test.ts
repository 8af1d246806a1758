import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEngagement, type EngagementFacts } from '../../../src/domain/tracking/machine-engagement.js';

const now = new Date('2026-01-01T12:00:00Z');
const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const base: EngagementFacts = {
  kind: 'open',
  userAgent: chrome,
  ip: '198.51.100.7',
  deliveredAt: new Date(now.getTime() - 60_000),
  now,
};

test('a browser a minute after delivery is a person', () => {
  assert.deepEqual(classifyEngagement(base), { machine: false });
  assert.deepEqual(classifyEngagement({ ...base, kind: 'click' }), { machine: false });
  assert.deepEqual(classifyEngagement({ ...base, deliveredAt: undefined }), { machine: false });
});

test('machine engagements, each with its reason', () => {
  const cases: Array<[Partial<EngagementFacts>, string]> = [
    [{ userAgent: undefined }, 'no_user_agent'],
    [{ userAgent: '   ' }, 'no_user_agent'],
    [{ kind: 'click', head: true }, 'head_request'],
    [
      { userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' },
      'image_proxy',
    ],
    [{ userAgent: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html' }, 'image_proxy'],
    [{ userAgent: 'Mozilla/5.0' }, 'apple_mpp'],
    [{ ip: '17.58.101.9' }, 'apple_mpp'],
    [{ ip: '66.249.84.10' }, 'image_proxy'],
    [{ kind: 'click', userAgent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' }, 'link_scanner'],
    [{ kind: 'click', userAgent: 'python-requests/2.31.0' }, 'link_scanner'],
    [
      {
        kind: 'click',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0',
      },
      'link_scanner',
    ],
    [{ deliveredAt: new Date(now.getTime() - 1500) }, 'too_fast'],
    [{ kind: 'click', deliveredAt: new Date(now.getTime() - 200) }, 'too_fast'],
  ];
  for (const [facts, reason] of cases) {
    assert.deepEqual(classifyEngagement({ ...base, ...facts }), { machine: true, reason }, JSON.stringify(facts));
  }
});

test("Apple's bare user agent only marks opens; a click from it is judged by the other rules", () => {
  assert.deepEqual(classifyEngagement({ ...base, kind: 'click', userAgent: 'Mozilla/5.0' }), { machine: false });
});
