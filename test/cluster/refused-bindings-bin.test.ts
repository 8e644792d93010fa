// Bindings the cluster refuses to list must not make a wildcard role look unbound: live, the role's
// severity stays (with the message saying why), and a snapshot of that cluster, scanned offline,
// names the same gaps and gives the same verdict. The built binary against the fake API server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { spawn } from 'node:child_process';
import { objectsOfYaml, runBuiltCli as runBin, serve, waitFor, type JsonReport } from './helpers.js';

const OBJECTS = objectsOfYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}, {nonResourceURLs: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:authenticated"}]`);

const wildcard = (report: JsonReport) => report.findings.find((f) => f.ruleId === 'rbac-wildcard-permissions' && f.resource.name === 'cluster-admin');

describe('refused bindings (built binary, fake API server)', () => {
  test('live: the wildcard role keeps its severity and fails --fail-on high; the snapshot scan agrees and names the gap', async () => {
    const cluster = await serve({ objects: OBJECTS, forbidden: ['rbac.authorization.k8s.io/clusterrolebindings'] });
    try {
      const live = await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'high']);
      assert.equal(live.code, 1, `--fail-on high passed: ${live.stderr}`);
      const liveReport = JSON.parse(live.stdout) as JsonReport;
      const finding = wildcard(liveReport);
      assert.ok(finding, JSON.stringify(liveReport.findings.map((f) => f.ruleId)));
      // The rule's own severity for these wildcards, not lowered to 'low' for want of bindings.
      assert.equal(finding.severity, 'high');
      assert.match(finding.message, /bindings could not be read/);
      assert.doesNotMatch(finding.message, /not bound by any scanned binding/);

      const file = join(cluster.dir, 'snapshot.yaml');
      const written = await runBin(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfig]);
      assert.equal(written.code, 0, written.stderr);
      assert.match(readFileSync(file, 'utf8'), /^# not included: could not list clusterrolebindings\.rbac\.authorization\.k8s\.io/m);
      const offline = await runBin(['scan', file, '-f', 'json', '--fail-on', 'high']);
      assert.equal(offline.code, 1, offline.stderr);
      const offlineReport = JSON.parse(offline.stdout) as JsonReport;
      assert.ok(
        offlineReport.coverage.some((c) => c.reason.startsWith('could not list clusterrolebindings.rbac.authorization.k8s.io') && c.reason.includes('snapshot.yaml')),
        JSON.stringify(offlineReport.coverage),
      );
      assert.equal(wildcard(offlineReport)?.severity, 'high');
      assert.equal(wildcard(offlineReport)?.message, finding.message);
    } finally {
      await cluster.close();
    }
  });

  test('live: a role creating Argo runs directly is reported when RoleBindings are refused, not passed as unbound', async () => {
    const role = objectsOfYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: run-submitter, namespace: team-a}
rules: [{apiGroups: [argoproj.io], resources: [workflows], verbs: [create]}]`);
    const override = (report: JsonReport) => report.findings.find((f) => f.ruleId === 'pipeline-run-service-account-override' && f.resource.name === 'run-submitter');
    for (const forbidden of [['rbac.authorization.k8s.io/rolebindings'], []]) {
      const cluster = await serve({ objects: role, forbidden });
      try {
        const report = JSON.parse((await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
        if (forbidden.length === 0) {
          assert.equal(override(report), undefined, 'unbound and every binding read: nothing to say');
          continue;
        }
        assert.equal(override(report)?.severity, 'medium', JSON.stringify(report.findings.map((f) => f.ruleId)));
        assert.match(override(report)?.message ?? '', /bindings could not be read/);
      } finally {
        await cluster.close();
      }
    }
  });

  test('bindings readable: the same role unbound is low (the cap is only for refused lists)', async () => {
    const cluster = await serve({ objects: OBJECTS.filter((o) => o.kind === 'ClusterRole') });
    try {
      const live = await runBin(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      const finding = wildcard(JSON.parse(live.stdout) as JsonReport);
      assert.equal(finding?.severity, 'low');
      assert.match(finding?.message ?? '', /not bound by any scanned binding/);
    } finally {
      await cluster.close();
    }
  });

  test('a file that only looks like a snapshot header later on gives no coverage entries', async () => {
    const cluster = await serve({ objects: [] });
    try {
      const file = join(cluster.dir, 'plain.yaml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, `# not included: could not list clusterrolebindings.rbac.authorization.k8s.io (all namespaces): forbidden\n---\n${readFileSync(join(REPO_ROOT, 'examples', 'exposed-kubeflow', 'istio-gateway.yaml'), 'utf8')}`);
      const run = await runBin(['scan', file, '-f', 'json', '--fail-on', 'none']);
      assert.deepEqual((JSON.parse(run.stdout) as JsonReport).coverage, []);
    } finally {
      await cluster.close();
    }
  });

  test('watch: the wildcard role keeps its severity while bindings are refused', async () => {
    const cluster = await serve({ objects: OBJECTS, forbidden: ['rbac.authorization.k8s.io/clusterrolebindings'] });
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
      const records = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { kind: string; finding?: { ruleId: string; severity: string; message: string; resource: { name: string } } });
      const finding = records.find((r) => r.finding?.ruleId === 'rbac-wildcard-permissions' && r.finding.resource.name === 'cluster-admin')?.finding;
      assert.equal(finding?.severity, 'high', stdout);
      assert.match(finding?.message ?? '', /bindings could not be read/);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
    }
  });
});
