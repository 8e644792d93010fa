import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeObjects as runRules } from '../../src/scan.js';
import cryptoMinerWorkload from '../../src/rules/threat/crypto-miner-workload.rule.js';
import { collectManifests } from '../../src/sources/manifest.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

async function threatFindingsIn(path: string): Promise<{ objects: number; findings: string[] }> {
  const collected = await collectManifests({ paths: [path], cwd: sharedPath(), readStdin: () => Promise.resolve(Buffer.alloc(0)) });
  const result = runRules(collected.objects, { rules: [cryptoMinerWorkload] });
  assert.deepEqual(result.ruleErrors, []);
  return {
    objects: collected.objects.length,
    findings: result.findings.map((f) => `${f.severity} ${f.location?.file ?? ''}:${f.location?.line ?? ''} ${f.message}\n    ${f.evidence.join('\n    ')}`),
  };
}

describe('crypto-miner-workload raises no false alarms on real manifests', requiresShared(), () => {
  it('finds nothing in the shared corpus (3,700+ documents)', async () => {
    const { objects, findings } = await threatFindingsIn(sharedPath('corpus'));
    assert.ok(objects > 3000, `expected the whole corpus, read ${objects} objects`);
    assert.deepEqual(findings, []);
  });

  it('finds nothing in the real KFP pipeline samples', async () => {
    const { objects, findings } = await threatFindingsIn(sharedPath('schemas', 'kfp-api'));
    assert.ok(objects >= 10, `expected the KFP samples to be read, got ${objects} objects`);
    assert.deepEqual(findings, []);
  });
});
