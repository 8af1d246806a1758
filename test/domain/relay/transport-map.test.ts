import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupTransport, parseTransportMap } from '../../../src/domain/relay/transport-map.js';

test('parses targets: host:port, bare host (port 25), [ipv6]:port, mx', () => {
  assert.deepEqual(
    parseTransportMap(' Example.com=10.0.0.5:2525, *.example.org=mx,b.example=mail.b.example,c.example=[::1]:26 , '),
    [
      { pattern: 'example.com', target: { kind: 'host', host: '10.0.0.5', port: 2525 } },
      { pattern: '*.example.org', target: { kind: 'mx' } },
      { pattern: 'b.example', target: { kind: 'host', host: 'mail.b.example', port: 25 } },
      { pattern: 'c.example', target: { kind: 'host', host: '::1', port: 26 } },
    ],
  );
  assert.deepEqual(parseTransportMap(undefined), []);
  assert.deepEqual(parseTransportMap(''), []);
});

test('rejects malformed entries with the entry in the message', () => {
  assert.throws(() => parseTransportMap('example.com'), /"example.com"/);
  assert.throws(() => parseTransportMap('ex ample.com=mx'), /pattern=target/);
  assert.throws(() => parseTransportMap('a.example=host:99999'), /host:port/);
  assert.throws(() => parseTransportMap('a.example='), /host:port/);
});

test('precedence: exact, then most specific wildcard, then *; wildcards match subdomains only', () => {
  const rules = parseTransportMap(
    '*=127.0.0.1:9,*.example.com=127.0.0.1:1,*.eu.example.com=127.0.0.1:2,example.com=127.0.0.1:3',
  );
  const pick = (d: string): string | undefined => lookupTransport(rules, d)?.pattern;
  assert.equal(pick('example.com'), 'example.com');
  assert.equal(pick('EXAMPLE.com.'), 'example.com');
  assert.equal(pick('mail.example.com'), '*.example.com');
  assert.equal(pick('x.eu.example.com'), '*.eu.example.com');
  assert.equal(pick('notexample.com'), '*');
  assert.equal(lookupTransport(parseTransportMap('a.example=mx'), 'b.example'), undefined);
});
