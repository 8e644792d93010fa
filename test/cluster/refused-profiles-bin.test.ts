// Profiles the cluster refuses to list (or that `--namespace` leaves unlisted) must not make a
// KFP run in a profile namespace look like a standalone one: `scan --cluster` reports the run as
// the rule would in a profile namespace and says what could not be checked; a snapshot of that
// cluster, scanned offline, gives the same. The built binary against the fake API server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { describe, test } from 'node:test';
import { objectsOfYaml, runBuiltCli as runBin, serve, waitFor, type JsonReport } from './helpers.js';

const OBJECTS = objectsOfYaml(`apiVersion: kubeflow.org/v1
kind: Profile
metadata: {name: team-a}
spec: {owner: {kind: User, name: a@example.com}}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: marked, namespace: team-a, labels: {pipeline/runid: r1}}
spec: {serviceAccountName: pipeline-runner, templates: [{name: main, container: {image: busybox}}]}`);

const override = (report: JsonReport) => report.findings.find((f) => f.ruleId === 'pipeline-run-service-account-override' && f.resource.name === 'marked');

describe('refused Profiles (built binary, fake API server)', () => {
  test('Profiles read: the run as pipeline-runner in profile namespace team-a is reported without any doubt', async () => {
    const cluster = await serve({ objects: OBJECTS });
    try {
      const report = JSON.parse((await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      assert.match(override(report)?.message ?? '', /not the pipeline runner \(default-editor\)/);
      assert.doesNotMatch(override(report)?.message ?? '', /could not be checked/);
    } finally {
      await cluster.close();
    }
  });

  test('Profiles refused: still reported, saying Profiles could not be read; the snapshot scan agrees', async () => {
    const cluster = await serve({ objects: OBJECTS, forbidden: ['kubeflow.org/profiles'] });
    try {
      const live = JSON.parse((await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      assert.ok(live.coverage.some((c) => c.reason.startsWith('could not list profiles.kubeflow.org')), JSON.stringify(live.coverage));
      const finding = override(live);
      assert.equal(finding?.severity, 'medium', JSON.stringify(live.findings.map((f) => [f.ruleId, f.resource.name])));
      assert.match(finding?.message ?? '', /Profiles could not be read, so whether namespace team-a is a Kubeflow profile namespace/);
      const file = join(cluster.dir, 'snapshot.yaml');
      const written = await runBin(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfig]);
      assert.equal(written.code, 0, written.stderr);
      const offline = JSON.parse((await runBin(['scan', file, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      assert.equal(override(offline)?.message, finding?.message);
    } finally {
      await cluster.close();
    }
  });

  test('-n team-a leaves Profiles unlisted: reported, saying so', async () => {
    const cluster = await serve({ objects: OBJECTS });
    try {
      const live = JSON.parse((await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-n', 'team-a', '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      assert.match(override(live)?.message ?? '', /Profiles could not be read/, JSON.stringify(live.coverage));
    } finally {
      await cluster.close();
    }
  });

  test('watch -n team-a (Profiles and Namespaces not watched): reported at sync, saying so', async () => {
    const cluster = await serve({ objects: OBJECTS });
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig, '-n', 'team-a', '--resync', '600'], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
      const records = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { finding?: { ruleId: string; message: string; resource: { name: string } } });
      const finding = records.find((r) => r.finding?.ruleId === 'pipeline-run-service-account-override' && r.finding.resource.name === 'marked')?.finding;
      assert.match(finding?.message ?? '', /Profiles could not be read/, stdout);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
    }
  });
});
