// An intruder's own backdoor must not exempt itself: a ClusterRoleBinding giving cluster-admin to
// system:unauthenticated, annotated to ignore the rules that report it, is still reported by
// `scan --cluster`; the same file in a repository (reviewed with the annotation) is silenced.
// The built binary against the fake API server.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { objectsOfYaml, runBuiltCli, serve, type JsonReport } from './helpers.js';

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
