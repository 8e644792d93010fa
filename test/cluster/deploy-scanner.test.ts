// deploy/scanner/ must grant exactly what the cluster source lists: a kind missing from the
// ClusterRole becomes a 403 gap in every in-cluster scan; an extra one is privilege for nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ALL_RULES } from '../../src/rules/index.js';
import { KFP_RUN_API_GROUP } from '../../src/platforms/kfp-api-runs.js';
import { FILE_ONLY_KINDS, kindsToList, LISTABLE_KINDS } from '../../src/sources/cluster/catalog.js';
import { readOnlyRules, SCAN_VERBS, WATCH_VERBS } from '../../src/sources/cluster/rbac.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { WATCH_WRITE_RULES } from '../../src/watch/cluster-writes.js';
import { oldSpaceFor } from '../../src/watch/memory-limit.js';
import { objectsOfYaml } from './helpers.js';

const DIR = join(REPO_ROOT, 'deploy', 'scanner');

describe('deploy/scanner', () => {
  test("the scan's ClusterRole grants get and list, not watch, on exactly the kinds the rules make kfguard list", () => {
    const role = parse(readFileSync(join(DIR, 'clusterrole.yaml'), 'utf8')) as { rules: { verbs: string[] }[] };
    assert.deepEqual(role.rules, readOnlyRules(kindsToList(ALL_RULES), SCAN_VERBS));
    assert.ok(role.rules.every((rule) => rule.verbs.join() === 'get,list'));
  });

  test("the watch's reader ClusterRole grants get, list and watch on exactly the same kinds", () => {
    const role = objectsOfYaml(readFileSync(join(DIR, 'watch-reader-rbac.yaml'), 'utf8')).find((o) => o.kind === 'ClusterRole') as unknown as { rules: { verbs: string[]; resources: string[] }[] };
    assert.deepEqual(role.rules, readOnlyRules(kindsToList(ALL_RULES), WATCH_VERBS));
    assert.ok(role.rules.every((rule) => rule.verbs.join() === 'get,list,watch'));
    const scan = parse(readFileSync(join(DIR, 'clusterrole.yaml'), 'utf8')) as { rules: { resources: string[] }[] };
    assert.deepEqual(role.rules.map((r) => r.resources), scan.rules.map((r) => r.resources));
  });

  test('the watch writer ClusterRole grants exactly the verbs the Event and PolicyReport sinks use', () => {
    const writer = objectsOfYaml(readFileSync(join(DIR, 'watch-writer-rbac.yaml'), 'utf8')).find((o) => o.kind === 'ClusterRole') as unknown as { rules: unknown };
    assert.deepEqual(writer.rules, WATCH_WRITE_RULES);
  });

  test('every kind a rule names is one kfguard can list', () => {
    const listable = new Set(LISTABLE_KINDS.map((k) => k.kind));
    const named = new Set<string>();
    for (const rule of ALL_RULES) {
      if (!rule.meta.sources.includes('cluster')) continue;
      for (const match of rule.meta.match) {
        // Records of the KFP API (`hunt --kfp`) are not Kubernetes kinds: no cluster serves them.
        if (match.apiGroups !== '*' && match.apiGroups.every((group) => group === KFP_RUN_API_GROUP)) continue;
        if (match.kinds !== '*') for (const kind of match.kinds) named.add(kind);
      }
      if (rule.meta.needs.reads !== '*') for (const kind of rule.meta.needs.reads) named.add(kind);
    }
    const missing = [...named].filter((kind) => !listable.has(kind) && !FILE_ONLY_KINDS.includes(kind));
    assert.deepEqual(missing, []);
  });

  test("the watch's V8 heap limit fits its container's memory limit", () => {
    interface Container { env?: { name: string; value: string }[]; resources: { limits: { memory: string } } }
    const deployment = objectsOfYaml(readFileSync(join(DIR, 'watch-deployment.yaml'), 'utf8'))[0] as unknown as { spec: { template: { spec: { containers: Container[] } } } };
    const container = deployment.spec.template.spec.containers[0]!;
    const limit = /^(\d+)(Mi|Gi)$/.exec(container.resources.limits.memory);
    assert.ok(limit, container.resources.limits.memory);
    const bytes = Number(limit[1]) * 2 ** (limit[2] === 'Gi' ? 30 : 20);
    const options = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
    assert.equal(/--max-old-space-size=(\d+)/.exec(options)?.[1], String(oldSpaceFor(bytes)));
  });

  test('kubectl kustomize renders it: the CronJob runs scan --cluster, the Deployment watch, as the bound account', (t) => {
    const run = spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
    if (run.error) return t.skip('kubectl not installed');
    assert.equal(run.status, 0, run.stderr);
    const objects = objectsOfYaml(run.stdout);
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'ClusterRoleBinding', 'CronJob', 'Deployment', 'Namespace', 'ServiceAccount', 'ServiceAccount']);
    const cron = objects.find((o) => o.kind === 'CronJob') as unknown as { spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } } } } };
    const pod = cron.spec.jobTemplate.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'kfguard-scanner');
    assert.deepEqual(pod.containers[0]!.args.slice(0, 2), ['scan', '--cluster']);
    const watcher = objects.find((o) => o.kind === 'Deployment') as unknown as { spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: { args: string[] }[] } } } };
    assert.equal(watcher.spec.replicas, 1);
    assert.equal(watcher.spec.template.spec.serviceAccountName, 'kfguard-watch');
    assert.deepEqual(watcher.spec.template.spec.containers[0]!.args, ['watch', '--metrics-port', '9090', '--write-events', '--write-policyreports']);
    // The watch's account reads (and watches) what the scan reads and writes only Events and
    // PolicyReports; the scan's account cannot watch.
    const bindings = objects.filter((o) => o.kind === 'ClusterRoleBinding') as unknown as { roleRef: { name: string }; subjects: { name: string }[] }[];
    assert.deepEqual(bindings.filter((b) => b.subjects.some((s) => s.name === 'kfguard-watch')).map((b) => b.roleRef.name).sort(), ['kfguard-watch-reader', 'kfguard-watch-writer']);
    assert.deepEqual(bindings.filter((b) => b.subjects.some((s) => s.name === 'kfguard-scanner')).map((b) => b.roleRef.name), ['kfguard-scanner']);
  });
});
