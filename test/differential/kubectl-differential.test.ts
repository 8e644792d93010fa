import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { compareWithKubectl, kubectlDecodeAll, requiresKubectl, type OracleOptions } from '../../src/testing/kubectl-oracle.js';
import { REPO_ROOT, requiresShared, sharedPath } from '../../src/testing/shared.js';
import { sampleTrickyManifests } from '../../src/testing/tricky-yaml.js';

/**
 * kfguard reads manifests as `kubectl apply` does. kubectl itself is the oracle: every corpus
 * file, every fixture and a bounded run of generated tricky YAML must decode to the same objects.
 * `npm run fuzz` runs the generator longer (KFGUARD_FUZZ_RUNS, KFGUARD_FUZZ_SEED).
 */
const MANIFEST = /\.(ya?ml|json)$/i;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return MANIFEST.test(name) ? [path] : [];
  });
}

function assertAgree(label: string, texts: readonly { name: string; text: string }[], options: OracleOptions = {}): void {
  const oracle = kubectlDecodeAll(texts.map((t) => t.text), options);
  const problems = texts.flatMap((t, i) => compareWithKubectl(t.text, oracle[i]!, options).map((p) => `${t.name}: ${p}`));
  assert.deepEqual(problems, [], `${label}: kfguard and kubectl read differently:\n${problems.join('\n')}`);
}

const kubectl = requiresKubectl();

describe('kfguard reads manifests as kubectl does', kubectl, () => {
  // As `kfguard scan` reads: CRD schema blocks cut, and emptied on kubectl's side too.
  test('the shared corpus', requiresShared(), () => {
    const files = filesUnder(sharedPath('corpus'));
    assert.ok(files.length > 50, `expected the corpus, found ${files.length} files`);
    assertAgree('corpus', files.map((file) => ({ name: relative(sharedPath('corpus'), file), text: readFileSync(file, 'utf8') })));
  });

  test('examples and source fixtures, trick files included', () => {
    const files = [...filesUnder(join(REPO_ROOT, 'examples')), ...filesUnder(join(REPO_ROOT, 'test', 'sources', 'fixtures'))];
    assert.ok(files.some((f) => f.includes('tricks')), 'the trick fixtures are part of the comparison');
    // Schemas read whole here (--parse-crd-schemas), which the corpus is too large to do in every run.
    assertAgree('fixtures', files.map((file) => ({ name: relative(REPO_ROOT, file), text: readFileSync(file, 'utf8') })), { fullSchemas: true });
  });

  test('every rule fixture, as text and as objects written out', () => {
    const dir = join(REPO_ROOT, 'src', 'rules', 'fixtures');
    const texts: { name: string; text: string }[] = [];
    for (const file of readdirSync(dir)) {
      const fixtures = yaml.load(readFileSync(join(dir, file), 'utf8')) as Record<'pass' | 'fail', Record<string, unknown>[]>;
      for (const kind of ['pass', 'fail'] as const) {
        for (const entry of fixtures[kind] ?? []) {
          const objects = [...((entry.objects as unknown[]) ?? (entry.object ? [entry.object] : [])), ...((entry.snapshot as unknown[]) ?? [])];
          const text = typeof entry.text === 'string' ? entry.text : objects.map((o) => yaml.dump(o)).join('---\n');
          if (text.trim() !== '') texts.push({ name: `${file} ${kind}: ${String(entry.name)}`, text });
        }
      }
    }
    assert.ok(texts.length > 100, `expected every rule's fixtures, found ${texts.length}`);
    assertAgree('rule fixtures', texts, { fullSchemas: true });
  });

  test('generated tricky YAML (bounded run)', () => {
    const runs = Number(process.env.KFGUARD_FUZZ_RUNS ?? 60);
    const seed = Number(process.env.KFGUARD_FUZZ_SEED ?? Date.now() % 1_000_000);
    const texts = sampleTrickyManifests(runs, seed).map((text, i) => ({ name: `seed ${seed + i} ${JSON.stringify(text)}`, text }));
    assertAgree(`generator (KFGUARD_FUZZ_SEED=${seed})`, texts, { fullSchemas: true });
  });
});

test('the oracle answers a call where kfguard refuses every text (each goes to kubectl alone)', requiresKubectl(), () => {
  const refused = ['a: [unclosed\n', 'no: kind\n'];
  const results = kubectlDecodeAll(refused);
  assert.equal(results.length, refused.length);
  assert.ok(results.every((r) => r !== undefined && Array.isArray(r.objects)));
});
