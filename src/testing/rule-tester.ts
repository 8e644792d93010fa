import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { runRules } from '../core/engine.js';
import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { isK8sObject, isRecord } from '../core/object.js';
import type { Rule } from '../core/rule.js';
import type { Finding, K8sObject, ScannedObject, SourceKind } from '../core/types.js';
import { REPO_ROOT } from './shared.js';

/** One expected finding. Only the fields given are compared. */
export interface ExpectedFinding {
  readonly path?: string;
  readonly severity?: string;
  /** `Kind/namespace/name` or `Kind/name`. */
  readonly resource?: string;
  /** Substrings the message must contain. */
  readonly message?: string;
  /** Substrings that must appear somewhere in the evidence. */
  readonly evidence?: readonly string[];
}

export interface FixtureCase {
  readonly name: string;
  readonly objects: readonly K8sObject[];
  readonly expect?: readonly ExpectedFinding[];
  readonly source?: SourceKind;
  readonly config?: Partial<KfguardConfig>;
}

export interface RuleFixtures {
  readonly pass: readonly FixtureCase[];
  readonly fail: readonly FixtureCase[];
}

export function fixturePath(ruleId: string): string {
  return join(REPO_ROOT, 'src', 'rules', 'fixtures', `${ruleId}.yaml`);
}

export function loadFixtures(ruleId: string): RuleFixtures {
  const path = fixturePath(ruleId);
  if (!existsSync(path)) throw new Error(`no fixtures for ${ruleId} at ${path}`);
  const raw = yaml.load(readFileSync(path, 'utf8'));
  if (!isRecord(raw)) throw new Error(`${path}: expected a mapping with pass and fail`);
  const read = (key: 'pass' | 'fail'): FixtureCase[] => {
    const list = raw[key];
    if (!Array.isArray(list)) throw new Error(`${path}: "${key}" must be a list`);
    return list.map((entry, i) => toCase(entry, `${path} ${key}[${i}]`));
  };
  return { pass: read('pass'), fail: read('fail') };
}

function toCase(entry: unknown, where: string): FixtureCase {
  if (!isRecord(entry) || typeof entry.name !== 'string') throw new Error(`${where}: needs a name`);
  const objects = entry.objects ?? (entry.object ? [entry.object] : undefined);
  if (!Array.isArray(objects) || objects.length === 0 || !objects.every(isK8sObject)) {
    throw new Error(`${where}: needs "object" or "objects" holding Kubernetes objects`);
  }
  return {
    name: entry.name,
    objects: objects as K8sObject[],
    ...(Array.isArray(entry.expect) ? { expect: entry.expect as ExpectedFinding[] } : {}),
    ...(typeof entry.source === 'string' ? { source: entry.source as SourceKind } : {}),
    ...(isRecord(entry.config) ? { config: entry.config as Partial<KfguardConfig> } : {}),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/** Runs one fixture case through the real engine with only `rule` enabled. */
export function runCase(rule: Rule, fixture: FixtureCase): Finding[] {
  const objects: ScannedObject[] = fixture.objects.map((object, i) => ({
    object: deepFreeze(structuredClone(object)),
    origin: { source: fixture.source ?? 'manifest', documentIndex: i },
  }));
  const config: KfguardConfig = { ...DEFAULT_CONFIG, ...fixture.config };
  const result = runRules(objects, { rules: [rule], source: fixture.source ?? 'manifest', config });
  if (result.ruleErrors.length > 0) {
    throw new Error(`rule ${rule.meta.id} threw: ${result.ruleErrors.map((e) => e.message).join('; ')}`);
  }
  return result.findings;
}

function resourceKey(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

function matches(finding: Finding, expected: ExpectedFinding): boolean {
  if (expected.path !== undefined && finding.path !== expected.path) return false;
  if (expected.severity !== undefined && finding.severity !== expected.severity) return false;
  if (expected.resource !== undefined && resourceKey(finding) !== expected.resource) return false;
  if (expected.message !== undefined && !finding.message.includes(expected.message)) return false;
  const evidence = finding.evidence.join('\n');
  return (expected.evidence ?? []).every((e) => evidence.includes(e));
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `  - ${f.severity} ${resourceKey(f)} ${f.path ?? ''}: ${f.message}`).join('\n') || '  (none)';
}

/** Checks one case; a fail case must produce exactly its expected findings, a pass case none. */
export function assertCase(rule: Rule, fixture: FixtureCase, kind: 'pass' | 'fail'): void {
  const findings = runCase(rule, fixture);
  if (kind === 'pass') {
    assert.equal(findings.length, 0, `expected no findings, got:\n${describeFindings(findings)}`);
    return;
  }
  assert.ok(findings.length > 0, 'expected findings, got none');
  const expected = fixture.expect ?? [];
  assert.ok(expected.length > 0, `fail case "${fixture.name}" must list what it expects`);
  const unmatched = [...findings];
  for (const want of expected) {
    const index = unmatched.findIndex((f) => matches(f, want));
    assert.ok(index !== -1, `no finding matches ${JSON.stringify(want)}; got:\n${describeFindings(findings)}`);
    unmatched.splice(index, 1);
  }
  assert.equal(unmatched.length, 0, `unexpected extra findings:\n${describeFindings(unmatched)}`);
}

/** Registers one node:test case per fixture of the rule. */
export function testRule(rule: Rule): void {
  const fixtures = loadFixtures(rule.meta.id);
  describe(`rule ${rule.meta.id}`, () => {
    const names = new Set<string>();
    for (const kind of ['pass', 'fail'] as const) {
      for (const fixture of fixtures[kind]) {
        it(`${kind}: ${fixture.name}`, () => {
          assert.ok(!names.has(`${kind}:${fixture.name}`), `duplicate fixture name "${fixture.name}"`);
          names.add(`${kind}:${fixture.name}`);
          assertCase(rule, fixture, kind);
        });
      }
    }
  });
}
