// `kfguard watch --metrics-port` says where its gauges are. With no --metrics-address, node listens
// on `::` where IPv6 is available, and `http://:::9090/metrics` was printed: no URL at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsUrlOf } from '../../src/watch/metrics.js';

test('the metrics URL puts an IPv6 address in brackets, and parses as a URL', () => {
  for (const [address, family, expected] of [
    ['::', 'IPv6', 'http://[::]:9090/metrics'],
    ['::1', 'IPv6', 'http://[::1]:9090/metrics'],
    ['0.0.0.0', 'IPv4', 'http://0.0.0.0:9090/metrics'],
  ] as const) {
    const url = metricsUrlOf({ address, family, port: 9090 });
    assert.equal(url, expected);
    assert.equal(new URL(url).port, '9090');
  }
});
