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

const withOwner = (pod: Record<string, unknown>, kind: string, owner: string): Record<string, unknown> => ({
  ...pod,
  metadata: { ...(pod.metadata as Record<string, unknown>), ownerReferences: [{ apiVersion: 'v1', kind, name: owner, uid: `uid-${owner}`, controller: true, blockOwnerDeletion: true }] },
});
/** An object created at `secondsAfterStart` by `user`, owned by a controller `ownerKind/owner`. */
const ownedCreate = (user: string, resource: string, apiGroup: string | undefined, object: Record<string, unknown>, ownerKind: string, owner: string, secondsAfterStart: number): Record<string, unknown> => {
  const metadata = object.metadata as { namespace: string; name: string };
  return auditEvent({
    verb: 'create',
    user,
    resource,
    ...(apiGroup ? { apiGroup } : {}),
    namespace: metadata.namespace,
    name: metadata.name,
    requestObject: withOwner(object, ownerKind, owner),
    at: new Date(START + secondsAfterStart * 1000).toISOString(),
  });
};
const workflow = (namespace: string, name: string): Record<string, unknown> => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace }, spec: { entrypoint: 'main' } });
const job = (namespace: string, name: string): Record<string, unknown> => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace }, spec: { template: { spec: { containers: [] } } } });
/** An object created at `secondsAfterStart` by `user`. */
const objectCreate = (user: string, resource: string, apiGroup: string, object: Record<string, unknown>, secondsAfterStart: number): Record<string, unknown> => {
  const metadata = object.metadata as { namespace: string; name: string };
  return auditEvent({ verb: 'create', user, resource, apiGroup, namespace: metadata.namespace, name: metadata.name, requestObject: object, at: new Date(START + secondsAfterStart * 1000).toISOString() });
};
/** A KFP recurring run (kubeflow.org/v1beta1 ScheduledWorkflow, backend/src/crd/pkg/apis/scheduledworkflow/v1beta1/types.go). */
const scheduledWorkflow = (namespace: string, name: string): Record<string, unknown> => ({
  apiVersion: 'kubeflow.org/v1beta1',
  kind: 'ScheduledWorkflow',
  metadata: { name, namespace },
  spec: { enabled: true, maxConcurrency: 10, trigger: { cronSchedule: { cron: '0 * * * * *' } }, workflow: { spec: { entrypoint: 'main' } } },
});
/** The same event `seconds` later. */
const shifted = (event: Record<string, unknown>, seconds: number): Record<string, unknown> => {
  const time = new Date(Date.parse(event.requestReceivedTimestamp as string) + seconds * 1000).toISOString();
  return { ...event, requestReceivedTimestamp: time, stageTimestamp: time };
};
const ARGO = 'system:serviceaccount:kubeflow:argo';
const SCHEDULER = 'system:serviceaccount:kubeflow:ml-pipeline-scheduledworkflow';
const NAMESPACES = ['a', 'b', 'c', 'd', 'e'].map((ns) => `kubeflow-user-${ns}`);

/** Five profiles' runs at the same minute: each a Workflow created by `workflowCreator` for `ownerKind`, and its pod. */
function recurringRuns(workflowCreator: string, ownerKind = 'ScheduledWorkflow'): Record<string, unknown>[] {
  return NAMESPACES.flatMap((ns, i) => [
    ownedCreate(workflowCreator, 'workflows', 'argoproj.io', workflow(ns, `nightly-${i}`), ownerKind, 'nightly', i * 5),
    ownedCreate(ARGO, 'pods', undefined, pipelinePod(ns, `nightly-${i}-step`), 'Workflow', `nightly-${i}`, i * 5 + 2),
  ]);
}

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

  test('a storm of bursts is one finding, counted; a burst after a quiet window is another', async () => {
    // 40 namespaces creating pods every 100 ms for a minute: a burst every half second.
    const storm = Array.from({ length: 600 }, (_, i) => podCreate(`kubeflow-user-${i % 40}`, `storm-${i}`, i / 10));
    const later = ['a', 'b', 'c', 'd', 'e'].map((ns, i) => podCreate(`team-${ns}`, `late-${ns}`, 600 + i));
    const found = await bursts([...storm, ...later]);
    assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
    assert.match(found[0]?.evidence.join('\n') ?? '', /seen \d{2,} times; last at/);
    assert.doesNotMatch(found[1]?.evidence.join('\n') ?? '', /seen \d+ times/);
  });

  test('the thresholds are flags: --burst-namespaces 3 --burst-window 30s', async () => {
    const tight = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 10));
    const spread = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 40));
    assert.equal((await bursts(tight, ['--burst-namespaces', '3', '--burst-window', '30s'])).length, 1);
    assert.deepEqual(await bursts(spread, ['--burst-namespaces', '3', '--burst-window', '30s']), []);
    assert.deepEqual(await bursts(tight), [], 'three namespaces are under the default of five');
  });
});

describe('audit-pipeline-pod-burst: thresholds in .kfguard.yaml', () => {
  const tight = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 10));
  const configFile = (text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'kfguard-burst-config-')), '.kfguard.yaml');
    writeFileSync(file, text);
    return file;
  };

  test('rules.audit-pipeline-pod-burst.options sets namespaces and window; a flag wins over the file', async () => {
    const config = configFile('rules:\n  audit-pipeline-pod-burst:\n    options: { namespaces: 3, window: 30s }\n');
    assert.equal((await bursts(tight, ['--config', config])).length, 1);
    assert.deepEqual(await bursts(tight, ['--config', config, '--burst-namespaces', '4']), [], 'the flag overrides the file');
    const spread = ['a', 'b', 'c'].map((ns, i) => podCreate(`team-${ns}`, `p-${ns}`, i * 40));
    assert.deepEqual(await bursts(spread, ['--config', config]), [], '80 s is over the 30 s window');
  });

  test('a bad value is a config error naming the file and key, exit 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kfguard-burst-')), 'audit.log');
    writeFileSync(file, jsonLines(tight));
    for (const [options, key] of [
      ['{ window: soon }', 'rules.audit-pipeline-pod-burst.options.window'],
      ['{ namespaces: 1 }', 'rules.audit-pipeline-pod-burst.options.namespaces'],
      ['{ namespace: 3 }', 'rules.audit-pipeline-pod-burst.options'],
    ] as const) {
      const config = configFile(`rules:\n  audit-pipeline-pod-burst:\n    options: ${options}\n`);
      const run = await runCli(['audit', file, '--config', config, '--format', 'json']);
      assert.equal(run.code, 2, options);
      assert.match(run.stderr, /\.kfguard\.yaml/);
      assert.ok(run.stderr.includes(key), `${options}: ${run.stderr}`);
    }
  });
});

describe('audit-pipeline-pod-burst: scheduled runs do not count', () => {
  test('KFP recurring runs of five profiles at the same minute are not a burst', async () => {
    assert.deepEqual(await bursts(recurringRuns(SCHEDULER)), []);
  });

  test('Argo CronWorkflows and CronJobs, as their controllers create them, are not a burst', async () => {
    assert.deepEqual(await bursts(recurringRuns(ARGO, 'CronWorkflow')), []);
    const cronJobs = NAMESPACES.flatMap((ns, i) => [
      ownedCreate('system:kube-controller-manager', 'jobs', 'batch', job(ns, `train-${i}`), 'CronJob', 'nightly-train', i * 5),
      ownedCreate('system:serviceaccount:kube-system:job-controller', 'pods', undefined, { ...pipelinePod(ns, `train-${i}-x`), metadata: { name: `train-${i}-x`, namespace: ns, labels: { 'training.kubeflow.org/job-name': `train-${i}` } } }, 'Job', `train-${i}`, i * 5 + 1),
    ]);
    assert.deepEqual(await bursts(cronJobs), []);
  });

  test('pods the KFP recurring-run controller creates itself do not count', async () => {
    const events = NAMESPACES.map((ns, i) => auditEvent({ verb: 'create', user: SCHEDULER, resource: 'pods', namespace: ns, name: `p-${i}`, requestObject: pipelinePod(ns, `p-${i}`), at: new Date(START + i * 5000).toISOString() }));
    assert.deepEqual(await bursts(events), []);
  });

  test('an ownerReference written by the author exempts nothing: the same runs by a user are a burst', async () => {
    // Workflows a person created with a ScheduledWorkflow owner written in: not the controller's.
    assert.equal((await bursts(recurringRuns('mallory@example.com'))).length, 1);
    // Pods a person created naming a recurring run's Workflow, or a CronJob, as their owner.
    const borrowed = [...recurringRuns(SCHEDULER).filter((e) => (e.objectRef as { resource: string }).resource === 'workflows'), ...NAMESPACES.map((ns, i) => ownedCreate('mallory@example.com', 'pods', undefined, pipelinePod(ns, `m-${i}`), 'Workflow', `nightly-${i}`, 30 + i))];
    assert.equal((await bursts(borrowed)).length, 1);
    const fakeCron = NAMESPACES.map((ns, i) => ownedCreate(ARGO, 'pods', undefined, pipelinePod(ns, `c-${i}`), 'CronJob', 'nightly', i));
    assert.equal((await bursts(fakeCron)).length, 1, 'a pod is never a CronJob\'s direct child');
  });

  test('recurring runs created through the dashboard in five namespaces within a minute are a burst, with their first runs', async () => {
    // The KFP API server creates each ScheduledWorkflow for the dashboard's "create recurring run"
    // (kubeflow/pipelines backend/src/apiserver/resource/resource_manager.go CreateJob), as the
    // campaign did in many namespaces at once; the controller then starts the runs unattended.
    const API_SERVER = 'system:serviceaccount:kubeflow:ml-pipeline';
    const created = NAMESPACES.map((ns, i) => objectCreate(API_SERVER, 'scheduledworkflows', 'kubeflow.org', scheduledWorkflow(ns, 'nightly'), i * 10));
    const found = await bursts([...created, ...recurringRuns(SCHEDULER).map((e) => shifted(e, 60))]);
    assert.equal(found.length, 1, 'the creation is the burst; the runs it scheduled do not add another');
    assert.match(found[0]?.message ?? '', /^5 recurring runs created in 5 namespaces within 40 s$/);
    assert.match(found[0]?.evidence.join('\n') ?? '', /kubeflow-user-a \(1 recurring run\)/);
    // Pods started by hand and recurring runs created count together, one launch per namespace.
    const mixed = [...created.slice(0, 3), ...NAMESPACES.slice(3).map((ns, i) => podCreate(ns, `by-hand-${i}`, 35 + i))];
    assert.match((await bursts(mixed))[0]?.message ?? '', /^2 pipeline\/job pods and 3 recurring runs created in 5 namespaces/);
  });

  test('recurring runs set up minutes apart, then firing in the same minute, are not a burst', async () => {
    const API_SERVER = 'system:serviceaccount:kubeflow:ml-pipeline';
    const created = NAMESPACES.map((ns, i) => objectCreate(API_SERVER, 'scheduledworkflows', 'kubeflow.org', scheduledWorkflow(ns, 'nightly'), -3600 + i * 600));
    assert.deepEqual(await bursts([...created, ...recurringRuns(SCHEDULER)]), []);
    // A CronJob that backs up a database is not a pipeline's recurring run.
    const backups = NAMESPACES.map((ns, i) => objectCreate('admin@example.com', 'cronjobs', 'batch', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: ns }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } } } } }, i));
    assert.deepEqual(await bursts(backups), []);
  });

  test('a recurring run whose Workflow create is not in the log still counts', async () => {
    const podsOnly = recurringRuns(SCHEDULER).filter((e) => (e.objectRef as { resource: string }).resource === 'pods');
    assert.equal((await bursts(podsOnly)).length, 1);
  });
});
