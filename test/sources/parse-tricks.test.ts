import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULES } from '../../src/rules/index.js';
import { scanManifests } from '../../src/scan.js';
import { kubectlDecodeAll, requiresKubectl } from '../../src/testing/kubectl-oracle.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

/**
 * Each one-line trick of issue 14, from a minimal file: kfguard reads it as kubectl does (or says
 * it cannot), the threat finding appears, and where kfguard and YAML 1.2 tools disagree a
 * manifest-parse-ambiguity finding says so. kubectl confirms what actually runs.
 */
const DIR = join(REPO_ROOT, 'test', 'sources', 'fixtures', 'tricks');
const noStdin = async (): Promise<Buffer> => Buffer.alloc(0);

interface Expectation {
  /** The threat (or hardening) rule that must report the hidden workload. */
  readonly rule: string;
  /** What kubectl must see in the object it would apply. */
  readonly kubectlSees: RegExp;
  /** Whether a manifest-parse-ambiguity finding must be there too. */
  readonly ambiguity: boolean;
  /** kubectl refuses the file too; kfguard must still show the miner beside the refusal. */
  readonly refused?: { readonly evidence: RegExp };
}

const MINER = /stratum\+tcp:\/\/pool\.example\.com:3333/;
const TRICKS: Record<string, Expectation> = {
  'merge-order.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'separator-comment.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'separator-nbsp.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'separator-formfeed.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'unicode-break-ls.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'unicode-break-ps.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'unicode-break-nel.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'yaml11-bools.yaml': { rule: 'pod-privileged', kubectlSees: /"privileged":true/, ambiguity: true },
  'duplicate-keys.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'binary-tag.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'local-tag.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  'deep-nesting.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  // `*main` names the inner `&main` for go-yaml (the last to start); js-yaml binds the outer one again when it closes.
  'anchor-redefined.yaml': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: true },
  // Concatenated JSON: both kfguard and YAML-stream readers that know JSON streams read it; no ambiguity.
  'json-stream.json': { rule: 'crypto-miner-workload', kubectlSees: MINER, ambiguity: false },
  // Refused by kfguard and kubectl alike; the raw text still shows the miner, beside the refusal.
  'refused-syntax.yaml': { rule: 'manifest-parse-ambiguity', kubectlSees: /^$/, ambiguity: true, refused: { evidence: MINER } },
  // go-yaml reads a lone `-` before `,`, `]` or `}` as the string "-"; the YAML 1.2 grammar refuses it.
  'flow-dash.yaml': { rule: 'crypto-miner-workload', kubectlSees: /"note":"-".*"\$\(A\)\$\(B\)"/, ambiguity: true },
  // Refused by both (`- ` is a sequence entry); only the salvaged reading can put `$(A)$(B)` together.
  'refused-env-assembly.yaml': { rule: 'manifest-parse-ambiguity', kubectlSees: /^$/, ambiguity: true, refused: { evidence: /"xmrig".*after resolving \$\(A\) from env A/ } },
};

test('every trick file has an expectation', () => {
  assert.deepEqual(readdirSync(DIR).sort(), Object.keys(TRICKS).sort());
});

for (const [file, expected] of Object.entries(TRICKS)) {
  test(`trick ${file}: the finding appears`, async () => {
    const report = await scanManifests({ paths: [file], cwd: DIR, readStdin: noStdin, rules: ALL_RULES });
    const rules = new Set(report.findings.map((f) => f.ruleId));
    assert.ok(rules.has(expected.rule), `${expected.rule} expected; got ${[...rules].join(', ') || 'nothing'}`);
    assert.equal(rules.has('manifest-parse-ambiguity'), expected.ambiguity, `manifest-parse-ambiguity ${expected.ambiguity ? 'expected' : 'not expected'}`);
    if (expected.refused) {
      const finding = report.findings.find((f) => f.ruleId === 'manifest-parse-ambiguity')!;
      assert.equal(finding.severity, 'critical');
      assert.ok(finding.evidence.some((e) => e.startsWith('refused: ')), 'the refusal reason beside the miner');
      assert.ok(finding.evidence.some((e) => expected.refused!.evidence.test(e)), finding.evidence.join('\n'));
      assert.ok(report.errors.length > 0, 'the refusal is an input error');
    }
  });
}

test('kubectl agrees on what runs in each trick', requiresKubectl(), () => {
  const files = Object.keys(TRICKS);
  const results = kubectlDecodeAll(files.map((f) => readFileSync(join(DIR, f), 'utf8')));
  files.forEach((file, i) => {
    const printed = JSON.stringify(results[i]!.objects);
    if (TRICKS[file]!.refused) assert.ok(results[i]!.error, 'kubectl refuses it too');
    else assert.match(printed, TRICKS[file]!.kubectlSees, `${file}: kubectl decodes ${printed.slice(0, 300)}`);
  });
});
