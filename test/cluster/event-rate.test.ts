// `--write-events` writes at most `perMinute` Events a minute and counts the rest. The count used
// to be said only when a finding arrived in a later minute: a burst followed by quiet (or by
// shutdown) lost Events without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/types.js';
import { EventSink } from '../../src/watch/event-sink.js';

const finding = (i: number): Finding => ({
  ruleId: 'crypto-miner-workload',
  severity: 'critical',
  category: 'threat',
  title: 'Workload runs or fetches a crypto miner',
  message: `Pod team-a/miner-${i} runs a crypto miner`,
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: `miner-${i}` },
  evidence: [],
  mitre: [],
  remediation: '',
  source: 'cluster',
  fingerprint: `f${i}`,
});

test('Events over the per-minute limit are counted and said, even when no later finding comes', async () => {
  const written: string[] = [];
  const said: string[] = [];
  const sink = new EventSink({
    perMinute: 2,
    onTrouble: (message) => said.push(message),
    writer: () => ({ write: async (_method, _path, body) => void written.push((body as { note: string }).note), get: async () => ({}) }),
  });
  for (let i = 0; i < 5; i++) sink.send({ kind: 'finding', state: 'open', observedAt: new Date().toISOString(), finding: finding(i) });
  await sink.settled();
  assert.equal(written.length, 2);
  await sink.close(100);
  assert.deepEqual(said, ['events: 3 Event(s) dropped over the limit of 2 a minute']);
});
