// An intruder's own backdoor must not exempt itself: a ClusterRoleBinding giving cluster-admin to
// system:unauthenticated, annotated to ignore the rules that report it, is still reported by
// `scan --cluster`; the same file in a repository (reviewed with the annotation) is silenced.
// Nor does any other live object: a hostPath Pod's own ignore is refused in `scan --cluster`,
// `watch` and a scan of its snapshot unless the operator's config opts in (`liveInlineIgnores`).
// The built binary against the fake API server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfYaml, runBuiltCli, serve, waitFor, type JsonReport } from './helpers.js';

// A dated ignore within the horizon: undated ones no longer silence, far-off dates are refused.
const BACKDOOR = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system-healthcheck
  annotations:
    kfguard.io/ignore: rbac-anonymous-write,rbac-cluster-admin-binding
    kfguard.io/ignore-reason: health probes
    kfguard.io/ignore-until: "${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}"
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:unauthenticated"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
`;

const RULES = ['rbac-anonymous-write', 'rbac-cluster-admin-binding'];
const onBackdoor = (report: JsonReport) => report.findings.filter((f) => f.resource.name === 'system-healthcheck' && RULES.includes(f.ruleId));

describe('self-exempting RBAC backdoor (built binary, fake API server)', () => {
  test('live: the annotation does not silence the backdoor, and the report says why', async () => {
    const cluster = await serve({ objects: objectsOfYaml(BACKDOOR) });
    try {
      const run = await runBuiltCli(['scan', '--cluster', '--kubeconfig', cluster.kubeconfig, '-f', 'json', '--fail-on', 'none']);
      const report = JSON.parse(run.stdout) as JsonReport;
      const found = onBackdoor(report);
      assert.deepEqual(found.map((f) => f.ruleId).sort(), RULES, run.stderr);
      for (const finding of found) assert.equal(finding.suppression, undefined, `${finding.ruleId} silenced by its own annotation`);
      assert.ok(report.warnings.some((w) => w.includes('not honoured for rbac-cluster-admin-binding')), report.warnings.join('\n'));
    } finally {
      await cluster.close();
    }
  });

  test('in a repository file the reviewed annotation is honoured', async () => {
    const cluster = await serve({ objects: [] });
    try {
      const file = join(cluster.dir, 'rbac.yaml');
      writeFileSync(file, BACKDOOR);
      const report = JSON.parse((await runBuiltCli(['scan', file, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
      const found = onBackdoor(report);
      assert.equal(found.length, RULES.length);
      for (const finding of found) assert.equal(finding.suppression?.kind, 'inline');
    } finally {
      await cluster.close();
    }
  });
});

const HOST_PATH_POD = `apiVersion: v1
kind: Pod
metadata:
  name: node-agent
  namespace: team-a
  annotations:
    kfguard.io/ignore: pod-host-path
    kfguard.io/ignore-reason: node agent
spec:
  containers: [{name: agent, image: "registry.example/agent@sha256:${'a'.repeat(64)}", volumeMounts: [{name: host, mountPath: /host}]}]
  volumes: [{name: host, hostPath: {path: /data}}]
`;
const OPT_IN = 'liveInlineIgnores: {categories: [workload-security], reason: "Argo CD applies the reviewed platform repo"}\n';
const hostPath = (report: JsonReport) => report.findings.find((f) => f.ruleId === 'pod-host-path' && f.resource.name === 'node-agent');

describe('a live Pod cannot exempt its own workload-security findings (built binary, fake API server)', () => {
  test('scan --cluster and a scan of its snapshot: refused by default and named; honoured once the config opts in', async () => {
    const cluster = await serve({ objects: objectsOfYaml(HOST_PATH_POD) });
    try {
      const config = join(cluster.dir, 'kfguard.yaml');
      writeFileSync(config, OPT_IN);
      const snapshot = join(cluster.dir, 'snapshot.yaml');
      assert.equal((await runBuiltCli(['snapshot', '-o', snapshot, '--kubeconfig', cluster.kubeconfig])).code, 0);
      for (const target of [['--cluster', '--kubeconfig', cluster.kubeconfig], [snapshot]]) {
        const plain = JSON.parse((await runBuiltCli(['scan', ...target, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
        assert.ok(hostPath(plain), JSON.stringify(plain.findings.map((f) => f.ruleId)));
        assert.equal(hostPath(plain)?.suppression, undefined, `${target.join(' ')}: silenced by its own annotation`);
        assert.ok(plain.warnings.some((w) => w.includes('not honoured for pod-host-path') && w.includes('liveInlineIgnores')), plain.warnings.join('\n'));
        const opted = JSON.parse((await runBuiltCli(['scan', ...target, '--config', config, '-f', 'json', '--fail-on', 'none'])).stdout) as JsonReport;
        assert.equal(hostPath(opted)?.suppression?.kind, 'inline', `${target.join(' ')} with the opt-in`);
      }
    } finally {
      await cluster.close();
    }
  });

  test('watch: the Pod created after the sync is reported despite its annotation', async () => {
    const cluster = await serve({ objects: [] });
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), 'watch', '--kubeconfig', cluster.kubeconfig], { env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      await waitFor(() => stderr.includes('synced:'), 30_000, `sync (stderr: ${stderr})`);
      cluster.server.create(objectsOfYaml(HOST_PATH_POD)[0]!);
      const record = (): { state: string; finding?: { ruleId: string; suppression?: unknown } } | undefined =>
        stdout
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { kind: string; state: string; finding?: { ruleId: string; resource: { name: string }; suppression?: unknown } })
          .find((r) => r.finding?.ruleId === 'pod-host-path' && r.finding.resource.name === 'node-agent');
      await waitFor(() => record() !== undefined, 10_000, `pod-host-path on node-agent (stdout: ${stdout})`);
      assert.equal(record()?.state, 'open');
      assert.equal(record()?.finding?.suppression, undefined);
    } finally {
      child.kill('SIGKILL');
      await cluster.close();
    }
  });
});
