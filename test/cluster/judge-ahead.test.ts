// `scan --cluster` judges objects while the lists are still on the wire (src/core/judge-ahead.ts).
// Differential, over the bench's generated cluster at a small scale with findings mixed in: the
// report with judging ahead must be the report without it (findings with their messages, evidence
// and order, coverage, errors), plainly, and with a 410, a refused list and a list that fails after
// its first page (whose objects, judged ahead, are taken back). Listing with a refused list makes
// `unreadKinds` non-empty: the RBAC rules that read it must still be judged at the end.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateCluster } from '../../bench/cluster-objects.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { runRules } from '../../src/core/engine.js';
import { JudgeAhead } from '../../src/core/judge-ahead.js';
import { collect } from '../../src/core/source.js';
import type { K8sObject } from '../../src/core/types.js';
import { newSnapshot, podLabelsOf } from '../../src/k8s/inventory.js';
import type { Report } from '../../src/report/report.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { ClusterSource } from '../../src/sources/cluster/cluster-source.js';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { objectsOfFiles, serve, type ServedCluster } from './helpers.js';

const EXAMPLES = ['exposed-kubeflow/istio-gateway.yaml', 'exposed-kubeflow/central-dashboard.yaml', 'exposed-kubeflow/pipelines.yaml', 'compromised-pipeline/miner-pods.yaml'].map((f) => join(REPO_ROOT, 'examples', f));
const PAGE = 40;

/** A miner Deployment first in sort order, so it is on the first page of the Deployments list. */
const firstDeployment: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'aaa-miner', namespace: 'a-first' },
  spec: { selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: { containers: [{ name: 'm', image: 'xmrig/xmrig:6.21.0', args: ['-o', 'stratum+tcp://pool.supportxmr.com:3333'] }] } } },
};
/** A miner only through a ConfigMap: the miner rule reads it, so it waits for every object. */
const viaConfigMap: K8sObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-1' }, data: { pool: 'stratum+tcp://pool.supportxmr.com:3333' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'trainer', namespace: 'team-1' },
    spec: { containers: [{ name: 'main', image: 'python:3.11', args: ['--endpoint=$(POOL)'], env: [{ name: 'POOL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'pool' } } }] }] },
  },
];

function cluster(): K8sObject[] {
  return [...generateCluster(0.02), ...objectsOfFiles(...EXAMPLES), firstDeployment, ...viaConfigMap];
}

function sourceFor(served: ServedCluster): ClusterSource {
  return new ClusterSource({ kubeconfig: served.kubeconfig, env: {}, rules: ALL_RULES, namespaces: [], pageSize: PAGE, client: { retryDelayMs: 1 } });
}

/** Everything of a report but its counts of what was read, which do not depend on the judging. */
const reportText = (report: Report): string => JSON.stringify({ findings: report.findings, coverage: report.coverage, ruleErrors: report.ruleErrors, errors: report.errors, warnings: report.warnings, summary: report.summary });

const SCENARIOS = [
  ['plain', {}, false],
  ['a 410 on the pods list, a refused list, a list failing after its first page', { expireContinueOnce: ['pods'], forbidden: ['secrets'] }, true],
] as const;

for (const [label, options, failDeployments] of SCENARIOS) {
  test(`the report is the same with judging ahead as without it (${label})`, async () => {
    const reports: Report[] = [];
    let ahead: JudgeAhead | undefined;
    for (const judgeAhead of [false, true]) {
      // Slow answers leave the idle time judging ahead fills.
      const served = await serve({ objects: cluster(), delayMs: 2, ...options });
      if (failDeployments) served.server.afterNextGet('/apis/apps/v1/deployments', () => served.server.setForbidden(['secrets', 'apps/deployments']));
      try {
        reports.push(await scanManifests({ paths: [], cwd: REPO_ROOT, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, config: DEFAULT_CONFIG, source: sourceFor(served), judgeAhead, onJudgeAhead: (judge) => (ahead = judge), today: '2026-12-04', knownRuleIds: ALL_RULES.map((r) => r.meta.id) }));
      } finally {
        await served.close();
      }
    }
    const [off, on] = reports as [Report, Report];
    assert.ok(off.findings.some((f) => f.ruleId === 'crypto-miner-workload' && f.resource.name === 'trainer'), 'the miner behind a ConfigMap is found');
    assert.ok(off.findings.some((f) => f.ruleId === 'kubeflow-dashboard-exposed'), 'a finding over the whole snapshot');
    assert.equal(off.findings.some((f) => f.resource.name === 'aaa-miner'), !failDeployments, failDeployments ? 'the failed list is taken back' : 'the first Deployment is judged');
    if (failDeployments) assert.ok(off.coverage.some((c) => c.reason.includes('could not list deployments')), 'the failed list is a coverage gap');
    if (failDeployments) assert.ok(off.coverage.some((c) => c.reason.includes('secrets')), 'a refused list is a coverage gap the RBAC rules read (unreadKinds)');
    assert.ok(ahead && ahead.tally.kept > 100, `objects were judged while listing (${ahead?.tally.kept})`);
    assert.equal(reportText(on), reportText(off));
  });
}

test('over the wire, objects are judged ahead and the result is the full evaluation', async () => {
  const served = await serve({ objects: cluster(), delayMs: 2, expireContinueOnce: ['pods'] });
  served.server.afterNextGet('/apis/apps/v1/deployments', () => served.server.setForbidden(['apps/deployments']));
  try {
    const snapshot = newSnapshot();
    const rules = ALL_RULES.filter((r) => r.meta.needs.cost !== 'expensive');
    const ahead = new JudgeAhead({ rules, config: DEFAULT_CONFIG });
    const { objects } = await collect([sourceFor(served)], snapshot, ahead);
    assert.ok(ahead.tally.kept > 100, `objects were judged while listing (${ahead.tally.kept})`);
    const replayed = objects.filter((s) => ahead.outcomesOf(s) !== undefined).length;
    assert.ok(replayed > 100, `verdicts of stored copies are kept (${replayed})`);
    // Copies taken back (the pods before the 410, the failed Deployments) keep no verdict.
    assert.ok(replayed <= objects.length);
    const options = { rules, config: DEFAULT_CONFIG, inventory: snapshot, podLabelsOf, recordEvaluations: true };
    const withAhead = runRules(objects, { ...options, prejudged: ahead });
    const without = runRules(objects, options);
    assert.ok(without.findings.length > 0);
    assert.equal(JSON.stringify(withAhead), JSON.stringify(without));
  } finally {
    await served.close();
  }
});
