import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { auditEvent, jsonLines } from './events.js';

// kubeflow/pipelines#14357: KFP checked only the workflow-level account, while Argo lets each
// template, its executor or a podSpecPatch choose another. The audit hunt reads all of them.
const workflow = (templates: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'train-x7k2p', namespace: 'team-a' },
  spec: { entrypoint: 'main', serviceAccountName: 'pipeline-runner', templates, ...extra },
});

test('a Workflow from ml-pipeline whose template or pod spec patch picks another account is reported', async () => {
  const events = [
    auditEvent({
      verb: 'create',
      user: 'system:serviceaccount:kubeflow:ml-pipeline',
      resource: 'workflows',
      apiGroup: 'argoproj.io',
      apiVersion: 'v1alpha1',
      namespace: 'team-a',
      requestObject: workflow([
        { name: 'main', serviceAccountName: 'notebook-admin', container: { image: 'python:3.11', command: ['python', '-c', 'print(1)'] } },
        { name: 'patched', podSpecPatch: '{"serviceAccountName": "cloud-writer"}', container: { image: 'python:3.11' } },
      ]),
    }),
    auditEvent({
      verb: 'create',
      user: 'system:serviceaccount:kubeflow:ml-pipeline',
      resource: 'workflows',
      apiGroup: 'argoproj.io',
      apiVersion: 'v1alpha1',
      namespace: 'team-a',
      requestObject: workflow([{ name: 'main', container: { image: 'python:3.11' } }]),
    }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-wf-accounts-'));
  writeFileSync(join(dir, 'audit.log'), jsonLines(events));
  const run = await runCli(['audit', join(dir, 'audit.log'), '--format', 'json']);
  const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; message: string; path?: string }[] }).findings.filter((f) => f.ruleId === 'audit-pipeline-service-account');
  assert.deepEqual(findings.map((f) => f.message.match(/"([^"]+)"/)?.[1]).sort(), ['cloud-writer', 'notebook-admin']);
  assert.ok(findings.every((f) => /pods of its/.test(f.message)), findings.map((f) => f.message).join('\n'));
});
