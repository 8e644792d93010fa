import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { auditEvent, jsonLines, pipelinePod } from './events.js';

// Pod creates as the Argo workflow controller makes them for pipeline steps (audit.k8s.io/v1
// Events built by ./events.ts, shaped like the samples in ../shared/schemas/audit).
const START = Date.parse('2026-01-05T09:00:00Z');
const podCreate = (namespace: string, name: string, secondsAfterStart: number): Record<string, unknown> =>
  auditEvent({
    verb: 'create',
    user: 'system:serviceaccount:kubeflow:argo',
    resource: 'pods',
    namespace,
    name,
    requestObject: pipelinePod(namespace, name),
    at: new Date(START + secondsAfterStart * 1000).toISOString(),
  });

type Report = { findings: { ruleId: string; message: string; evidence: string[] }[] };
async function bursts(events: readonly unknown[], flags: readonly string[] = []): Promise<Report['findings']> {
  const file = join(mkdtempSync(join(tmpdir(), 'kfguard-burst-')), 'audit.log');
  writeFileSync(file, jsonLines(events));
  const run = await runCli(['audit', file, '--rule', 'audit-pipeline-pod-burst', '--format', 'json', ...flags]);
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as Report).findings.filter((f) => f.ruleId === 'audit-pipeline-pod-burst');
}

describe('audit-pipeline-pod-burst: the campaign fires, ordinary use does not', () => {
  test('one pipeline fanning out to 400 pods in one namespace within a minute is not a burst', async () => {
    const events = Array.from({ length: 400 }, (_, i) => podCreate('kubeflow-user-a', `sweep-x7k2p-${i}`, i * 0.15));
    assert.deepEqual(await bursts(events), []);
  });

  test('a working day of a shared Kubeflow: twelve users, each run in their own profile, minutes apart', async () => {
    // Each user starts a 6-step pipeline; runs start 2.5 minutes apart, steps 20 s apart.
    const events = Array.from({ length: 12 }, (_, user) => Array.from({ length: 6 }, (_, step) => podCreate(`kubeflow-user-${user}`, `run-${user}-step-${step}`, user * 150 + step * 20))).flat();
    assert.deepEqual(await bursts(events), [], 'the defaults stay quiet');
    // The same day is a burst under the old 10-minute default: the noise the defaults avoid.
    assert.ok((await bursts(events, ['--burst-window', '10m'])).length >= 1);
  });

  test('pods in five profile namespaces within a minute, as the campaign started them: one finding', async () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((ns, i) => podCreate(`kubeflow-user-${ns}`, `sequential-pipeline-${ns}`, i * 12));
    const found = await bursts(events);
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /5 pipeline\/job pods created in 5 namespaces within 48 s/);
    assert.match(found[0]?.evidence.join('\n') ?? '', /kubeflow-user-a \(1\), kubeflow-user-b \(1\)/);
  });

  test('a flood of pods in one namespace does not push the other namespaces out of the window', async () => {
    const events = [
      podCreate('kubeflow-user-b', 'm-b', 0),
      podCreate('kubeflow-user-c', 'm-c', 1),
      podCreate('kubeflow-user-d', 'm-d', 2),
      ...Array.from({ length: 12_000 }, (_, i) => podCreate('kubeflow-user-a', `noise-${i}`, 3 + i / 1000)),
      podCreate('kubeflow-user-e', 'm-e', 20),
    ];
    const found = await bursts(events);
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /12004 pipeline\/job pods created in 5 namespaces/);
  });

  test('the thresholds are flags: --burst-namespaces 3 --burst-window 30s', async () => {
    const tight = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 10));
    const spread = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 40));
    assert.equal((await bursts(tight, ['--burst-namespaces', '3', '--burst-window', '30s'])).length, 1);
    assert.deepEqual(await bursts(spread, ['--burst-namespaces', '3', '--burst-window', '30s']), []);
    assert.deepEqual(await bursts(tight), [], 'three namespaces are under the default of five');
  });
});
