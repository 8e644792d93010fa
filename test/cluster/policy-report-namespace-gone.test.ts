// --write-policyreports keeps a report whose findings all resolved, emptied. When they resolved
// because the namespace was deleted, the emptied report cannot be written (the namespace answers
// 404) and was retried every 30 s for as long as the watch ran, one more for each namespace gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { ApiError } from '../../src/sources/cluster/api-client.js';
import { PolicyReportSink } from '../../src/watch/policy-report-sink.js';
import type { WatchRecord } from '../../src/watch/sinks.js';

const finding: Finding = {
  ruleId: 'crypto-miner-workload',
  severity: 'critical',
  category: 'threat',
  title: 'Workload runs or fetches a crypto miner',
  message: 'Pod gone/miner runs a crypto miner',
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'gone', name: 'miner' },
  evidence: [],
  mitre: [],
  remediation: '',
  source: 'cluster',
  fingerprint: 'f1',
};
const record = (state: 'open' | 'resolved'): WatchRecord => ({ kind: 'finding', state, observedAt: new Date().toISOString(), finding });

test('an emptied report whose namespace is gone is forgotten, not retried', async () => {
  let namespaceGone = false;
  const writes: string[] = [];
  const said: string[] = [];
  const notFound = (): ApiError => new ApiError(404, 'NotFound', 'namespaces "gone" not found');
  const sink = new PolicyReportSink({
    flushMs: 60_000,
    onTrouble: (message) => said.push(message),
    writer: () => ({
      get: async () => {
        throw notFound();
      },
      write: async (method, path) => {
        writes.push(`${method} ${path}`);
        if (namespaceGone) throw notFound();
        return {};
      },
    }),
  });
  sink.send(record('open'));
  await sink.flush();
  assert.deepEqual(writes, ['POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/gone/policyreports']);

  namespaceGone = true;
  sink.send(record('resolved'));
  await sink.flush();
  assert.equal(writes.length, 2, 'the emptied report is tried once');
  await sink.flush(); // what the 30 s retry timer runs
  assert.equal(writes.length, 2, 'and not again');
  assert.deepEqual(said, []);
  await sink.close(100);
});
