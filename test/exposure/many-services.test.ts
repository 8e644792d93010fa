/**
 * Issue 17: N LoadBalancer Services and N Pipelines UI Deployments over one selector made every
 * route list every Deployment and every KFP finding join every route: N³ output, out of memory at
 * N = 2000. What a finding shows is capped; what is judged is not, so N = 200 must report every
 * Service and every Deployment with the severities N = 3 gets, in output that does not grow with N.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manyServicesOverOneSelector } from '../../bench/hostile-inputs.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import type { Finding } from '../../src/core/types.js';

async function scanPairs(n: number): Promise<readonly Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-many-services-'));
  try {
    writeFileSync(join(dir, 'pairs.json'), manyServicesOverOneSelector(n));
    const report = await scanManifests({ paths: [join(dir, 'pairs.json')], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES, today: '2026-01-01' });
    assert.deepEqual([report.errors, report.ruleErrors], [[], []]);
    return report.findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EXPOSURE_RULES = new Set(['kubeflow-dashboard-exposed', 'kfp-single-user-exposed']);

/** `rule severity kind` of each exposure finding, one entry per distinct triple. */
function verdicts(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => EXPOSURE_RULES.has(f.ruleId)).map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind}`))].sort();
}

/** Names of the objects one rule reported. */
function reported(findings: readonly Finding[], ruleId: string): Set<string> {
  return new Set(findings.filter((f) => f.ruleId === ruleId).map((f) => f.resource.name));
}

/** The characters of what a finding shows a reader. */
function shownSize(finding: Finding): number {
  return JSON.stringify([finding.message, finding.evidence, finding.attackPath]).length;
}

test('200 Services over one selector: every Service and Deployment judged as with 3, in bounded output', async () => {
  const small = await scanPairs(3);
  const large = await scanPairs(200);
  assert.deepEqual(verdicts(large), verdicts(small));
  assert.deepEqual(verdicts(small), ['kfp-single-user-exposed high Deployment', 'kubeflow-dashboard-exposed critical Service']);
  const names = Array.from({ length: 200 }, (_, i) => `ml-pipeline-ui-${i}`);
  // The caps are on text only: the 200th Deployment, named in no route, is still reported.
  assert.deepEqual([...reported(large, 'kubeflow-dashboard-exposed')].sort(), [...names].sort());
  assert.deepEqual([...reported(large, 'kfp-single-user-exposed')].sort(), [...names].sort());
  const largest = Math.max(...large.map(shownSize));
  const largestSmall = Math.max(...small.map(shownSize));
  assert.ok(largest < 2 * largestSmall + 2000, `a finding shows ${largest} characters at N = 200, ${largestSmall} at N = 3`);
  const kfp = large.find((f) => f.ruleId === 'kfp-single-user-exposed');
  assert.match(kfp?.message ?? '', /… and 195 more routes/);
  assert.match(kfp?.evidence[0] ?? '', /… and 195 more workloads selected by the same Service/);
});
