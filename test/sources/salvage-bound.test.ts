import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { MAX_SALVAGED_BYTES, salvageReading } from '../../src/sources/salvage-reading.js';

/**
 * The salvage of a refused document (the `yaml` parser's error recovery, 3-5 s of CPU per MB on
 * hostile text) reads at most MAX_SALVAGED_BYTES; the cut is said in the threat finding, and the
 * raw-text search still reads the whole document.
 */

/**
 * A Pod whose miner only the salvage can assemble from env A and B; PADDING after it (a null key
 * in every item) makes kubectl refuse it, and the `y: n` label sends it to the exact reader.
 */
const ASSEMBLED = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: refused-env-assembly',
  '  labels: {y: n}',
  'spec:',
  '  containers:',
  '  - name: m',
  '    image: alpine',
  '    env:',
  '    - name: A',
  '      value: xmr',
  '    - name: B',
  '      value: ig',
  '    command: ["$(A)$(B)", "--donate-level", "1"]',
].join('\n');
const PADDING = `x: [${Array.from({ length: 150_000 }, () => '{~: 1}').join(', ')}]`;

async function scanText(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kfguard-salvage-'));
  try {
    writeFileSync(join(dir, 'big.yaml'), text);
    return await scanManifests({ paths: ['big.yaml'], cwd: dir, readStdin: async () => Buffer.alloc(0), rules: ALL_RULES });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a refused document past the salvage limit is salvaged from its start only, and says so', () => {
  const small = salvageReading(`${ASSEMBLED}\nx: [{~: 1}]\n`);
  assert.equal(small.cut, undefined);
  assert.equal(small.objects.length, 1);
  const big = salvageReading(`${ASSEMBLED}\n${PADDING}\n`);
  assert.ok(PADDING.length > MAX_SALVAGED_BYTES);
  assert.match(big.cut ?? '', /^only the first \d+ of \d+ characters/);
  assert.equal(big.objects.length, 1);
  assert.equal((big.objects[0] as { kind?: unknown }).kind, 'Pod');
});

test('a 1 MB refused document keeps its error and its threat search, with the cut in the evidence', async () => {
  const report = await scanText(`${ASSEMBLED}\n${PADDING}\n`);
  assert.ok(report.errors.length > 0, 'the refusal is an input error');
  const finding = report.findings.find((f) => f.ruleId === 'manifest-parse-ambiguity');
  assert.ok(finding, 'the threat search still runs on the refused document');
  assert.ok(finding.evidence.some((e) => /"xmrig".*after resolving \$\(A\) from env A/.test(e)), finding.evidence.join('\n'));
  assert.ok(finding.evidence.some((e) => e.startsWith('search cut short: only the first')), finding.evidence.join('\n'));
});
