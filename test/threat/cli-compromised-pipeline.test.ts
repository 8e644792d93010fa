import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../src/testing/shared.js';
import { runBin } from '../helpers/cli.js';

interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly category: string;
  readonly resource: { readonly name: string };
  readonly evidence: readonly string[];
}

test('the built CLI reports both campaign miners in examples/compromised-pipeline and exits 1', () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist', 'kfguard.js')), 'run `npm run build` first (npm test does)');
  const { code, stdout, stderr } = runBin(['scan', 'examples/compromised-pipeline', '--format', 'json']);
  assert.equal(code, 1, `exit code (stderr: ${stderr})`);
  const report = JSON.parse(stdout) as { findings: JsonFinding[] };
  const miners = report.findings.filter((f) => f.ruleId === 'crypto-miner-workload');
  assert.deepEqual(
    miners.map((f) => [f.resource.name, f.severity, f.category]).sort(),
    [
      ['sequential-pipeline-x7k2p-0987654321', 'critical', 'threat'],
      ['sequential-pipeline-x7k2p-1234567890', 'critical', 'threat'],
    ],
  );
  const evidence = miners.flatMap((f) => f.evidence).join('\n');
  for (const expected of ['miner binary "xmrig"', 'miner binary "ethminer"', 'Stratum URL "stratum+tcp://pool.example.com:3333"', 'Kubeflow campaign pattern']) {
    assert.ok(evidence.includes(expected), `evidence should name ${expected}`);
  }
});
