import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SEVERITIES } from '../../src/core/severity.js';
import { CATEGORIES, SOURCE_KINDS } from '../../src/core/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { fixturePath, loadFixtures, sourcesOf, TESTED_SOURCES, type TestedSource } from '../../src/testing/rule-tester.js';
import { SOURCE_CAPABILITIES } from '../../src/core/coverage.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

const MITRE_ID = /^(T\d{4}(\.\d{3})?|MS-TA\d{4})$/;

test('rule catalogue is not empty and has the two contract ids', () => {
  const ids = ALL_RULES.map((r) => r.meta.id);
  assert.ok(ids.includes('kubeflow-dashboard-exposed'), 'contract rule kubeflow-dashboard-exposed missing');
  assert.ok(ids.includes('crypto-miner-workload'), 'contract rule crypto-miner-workload missing');
});

test('rule ids are unique kebab-case', () => {
  const seen = new Set<string>();
  for (const { meta } of ALL_RULES) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${meta.id} is not kebab-case`);
    assert.ok(!seen.has(meta.id), `duplicate rule id ${meta.id}`);
    seen.add(meta.id);
  }
});

test('every rule has complete metadata', () => {
  for (const { meta } of ALL_RULES) {
    for (const field of ['title', 'description', 'rationale', 'remediation'] as const) {
      assert.ok(meta[field].trim().length > 10, `${meta.id}: ${field} is empty or too short`);
    }
    assert.ok(SEVERITIES.includes(meta.severity), `${meta.id}: bad severity`);
    assert.ok(CATEGORIES.includes(meta.category), `${meta.id}: bad category`);
    assert.ok(meta.mitre.length > 0, `${meta.id}: no MITRE ids`);
    for (const id of meta.mitre) assert.match(id, MITRE_ID, `${meta.id}: bad MITRE id ${id}`);
    assert.ok(meta.references.length > 0, `${meta.id}: no references`);
    for (const ref of meta.references) assert.match(ref, /^https:\/\//, `${meta.id}: reference is not a URL: ${ref}`);
    assert.ok(meta.match.length > 0, `${meta.id}: matches no kinds`);
    assert.ok(meta.sources.length > 0, `${meta.id}: judges no source`);
    for (const s of meta.sources) assert.ok(SOURCE_KINDS.includes(s), `${meta.id}: unknown source ${s}`);
  }
});

test('every rule has passing and failing fixtures', () => {
  for (const { meta } of ALL_RULES) {
    assert.ok(existsSync(fixturePath(meta.id)), `${meta.id}: missing ${fixturePath(meta.id)}`);
    const fixtures = loadFixtures(meta.id);
    assert.ok(fixtures.pass.length > 0, `${meta.id}: no pass fixtures`);
    assert.ok(fixtures.fail.length > 0, `${meta.id}: no fail fixtures`);
  }
});

test('no fixture file belongs to an unknown rule', () => {
  const ids = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const file of readdirSync(join(REPO_ROOT, 'src', 'rules', 'fixtures'))) {
    // `<id>.yaml`, or `<id>.<part>.yaml` beside it.
    const id = file.replace(/\.yaml$/, '');
    assert.ok(ids.has(id) || ids.has(id.replace(/\.[^.]+$/, '')), `fixture ${file} has no rule`);
  }
});

test('every rule module is registered in index.ts', () => {
  const ids = new Set(ALL_RULES.map((r) => r.meta.id));
  const dir = join(REPO_ROOT, 'src', 'rules');
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.rule.ts')) continue;
    const id = file.split('/').pop()!.replace(/\.rule\.ts$/, '');
    assert.ok(ids.has(id), `${file} is not listed in src/rules/index.ts`);
  }
});

test('every source a rule declares is exercised by its fixtures, and the rule judges every source its fixtures play', () => {
  for (const rule of ALL_RULES) {
    const fixtures = loadFixtures(rule.meta.id);
    const played = new Set([...fixtures.fail, ...fixtures.pass].flatMap((fixture) => sourcesOf(fixture)));
    const failPlayed = new Set(fixtures.fail.flatMap((fixture) => sourcesOf(fixture)));
    for (const source of rule.meta.sources) {
      assert.ok((TESTED_SOURCES as readonly string[]).includes(source), `${rule.meta.id}: declares source ${source}, which the rule tester cannot play`);
      assert.ok(failPlayed.has(source as TestedSource), `${rule.meta.id}: declares source ${source}, but no failing fixture runs under it`);
    }
    assert.ok(played.size > 0, `${rule.meta.id}: no fixture runs under any source`);
  }
});

test('rule needs agree with the sources declared', () => {
  for (const { meta } of ALL_RULES) {
    for (const source of meta.sources) {
      const capabilities = SOURCE_CAPABILITIES[source];
      assert.ok(capabilities.specs, `${meta.id}: declares ${source}, which carries no object specs`);
      if (meta.needs.snapshot === 'required') assert.ok(capabilities.snapshot, `${meta.id}: needs the cluster state but declares ${source}, which has none`);
      if (meta.needs.request) assert.ok(capabilities.request, `${meta.id}: judges the request but declares ${source}, which carries none`);
    }
    if (meta.needs.snapshot === 'none') assert.deepEqual(meta.needs.reads, [], `${meta.id}: reads other objects but says it needs no snapshot`);
  }
});
