import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import yaml from 'js-yaml';
import { evaluateObject, ruleMatches, runRules } from '../core/engine.js';
import { newSnapshot, podLabelsOf } from '../k8s/inventory.js';
import { objectFromAuditEvent } from '../sources/audit-event.js';
import { parseYamlStream } from '../sources/yaml-documents.js';
import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { isK8sObject, isRecord, nameOf } from '../core/object.js';
import type { Rule } from '../core/rule.js';
import type { CoverageEntry, FileOrigin, Finding, K8sObject, Origin, ReadingStakes, ScannedObject } from '../core/types.js';
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
  /** The objects judged; findings are expected on these. */
  readonly objects: readonly K8sObject[];
  /** Objects already in the cluster (or scanned set) that the judged ones are laid over; never judged themselves. */
  readonly snapshot?: readonly K8sObject[];
  readonly expect?: readonly ExpectedFinding[];
  /** The sources to run the case under; default: every source the tester knows that the rule declares, and audit. */
  readonly sources?: readonly TestedSource[];
  readonly config?: Partial<KfguardConfig>;
  /** Per judged object, what the manifest reader noted about its document (cases written as `text`). */
  readonly readingNotes?: readonly (readonly string[] | undefined)[];
  readonly readingStakes?: readonly (ReadingStakes | undefined)[];
}

/**
 * The sources the tester plays: files; a cluster listing; admission over a snapshot; audit events
 * and job-API records, each one object alone. Probes carry no objects, so no rule fixture plays them.
 */
export const TESTED_SOURCES = ['manifest', 'cluster', 'admission', 'audit', 'api'] as const;
export type TestedSource = (typeof TESTED_SOURCES)[number];

export interface RuleFixtures {
  readonly pass: readonly FixtureCase[];
  readonly fail: readonly FixtureCase[];
}

export function fixturePath(ruleId: string): string {
  return join(REPO_ROOT, 'src', 'rules', 'fixtures', `${ruleId}.yaml`);
}

/**
 * A rule's fixtures: `<id>.yaml`, plus any `<id>.<part>.yaml` beside it (one file per theme, so
 * engineers working on different classes of a rule do not edit the same file).
 */
export function loadFixtures(ruleId: string): RuleFixtures {
  const path = fixturePath(ruleId);
  if (!existsSync(path)) throw new Error(`no fixtures for ${ruleId} at ${path}`);
  const dir = dirname(path);
  const parts = readdirSync(dir)
    .filter((file) => file.startsWith(`${ruleId}.`) && file.endsWith('.yaml') && file !== `${ruleId}.yaml` && !file.slice(ruleId.length + 1, -5).includes('.'))
    .sort()
    .map((file) => join(dir, file));
  const pass: FixtureCase[] = [];
  const fail: FixtureCase[] = [];
  for (const file of [path, ...parts]) {
    const raw = yaml.load(readFileSync(file, 'utf8'));
    if (!isRecord(raw)) throw new Error(`${file}: expected a mapping with pass and fail`);
    const read = (key: 'pass' | 'fail'): FixtureCase[] => {
      const list = raw[key] ?? (file === path ? undefined : []);
      if (!Array.isArray(list)) throw new Error(`${file}: "${key}" must be a list`);
      return list.map((entry, i) => toCase(entry, `${file} ${key}[${i}]`));
    };
    pass.push(...read('pass'));
    fail.push(...read('fail'));
  }
  return { pass, fail };
}

function toCase(entry: unknown, where: string): FixtureCase {
  if (!isRecord(entry) || typeof entry.name !== 'string') throw new Error(`${where}: needs a name`);
  // `text`: a manifest read by the real manifest reader, for rules about how text is read.
  const read = typeof entry.text === 'string' ? parseYamlStream(entry.text) : undefined;
  if (read && read.errors.length > 0) throw new Error(`${where}: "text" does not read: ${read.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  const objects = read ? read.documents.map((d) => d.value) : (entry.objects ?? (entry.object ? [entry.object] : undefined));
  if (!Array.isArray(objects) || objects.length === 0 || !objects.every(isK8sObject)) {
    throw new Error(`${where}: needs "object" or "objects" holding Kubernetes objects`);
  }
  const snapshot = entry.snapshot;
  if (snapshot !== undefined && (!Array.isArray(snapshot) || !snapshot.every(isK8sObject))) throw new Error(`${where}: "snapshot" must list Kubernetes objects`);
  const sources = entry.sources;
  if (sources !== undefined && (!Array.isArray(sources) || !sources.every((s) => (TESTED_SOURCES as readonly unknown[]).includes(s)))) {
    throw new Error(`${where}: "sources" must list some of ${TESTED_SOURCES.join(', ')}`);
  }
  return {
    name: entry.name,
    objects: objects as K8sObject[],
    ...(snapshot ? { snapshot: snapshot as K8sObject[] } : {}),
    ...(Array.isArray(entry.expect) ? { expect: entry.expect as ExpectedFinding[] } : {}),
    ...(sources ? { sources: sources as TestedSource[] } : {}),
    ...(isRecord(entry.config) ? { config: entry.config as Partial<KfguardConfig> } : {}),
    ...(read ? { readingNotes: read.documents.map((d) => d.readingNotes), readingStakes: read.documents.map((d) => d.readingStakes) } : {}),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

function fileOrigin(index: number, readingNotes?: readonly string[], readingStakes?: ReadingStakes): FileOrigin {
  return { kind: 'file', reader: 'file', file: `fixture-${index}.yaml`, documentIndex: 0, ...(readingNotes ? { readingNotes, readingStakes: readingStakes ?? 'high' } : {}) };
}

function frozen(objects: readonly K8sObject[], origin: (i: number) => Origin): ScannedObject[] {
  return objects.map((object, i) => ({ object: deepFreeze(structuredClone(object)), origin: origin(i) }));
}

/** What one run of a case produced: findings on the judged objects, and the coverage entries. */
export interface CaseResult {
  readonly findings: Finding[];
  readonly coverage: CoverageEntry[];
}

function failOnRuleErrors(rule: Rule, errors: readonly { message: string }[]): void {
  if (errors.length > 0) throw new Error(`rule ${rule.meta.id} threw: ${errors.map((e) => e.message).join('; ')}`);
}

/** The case as files: judged and snapshot objects scanned together; findings on the snapshot objects are not the case's. */
function runAsManifest(rule: Rule, fixture: FixtureCase, config: KfguardConfig): CaseResult {
  const judged = frozen(fixture.objects, (i) => fileOrigin(i, fixture.readingNotes?.[i], fixture.readingStakes?.[i]));
  const context = frozen(fixture.snapshot ?? [], (i) => fileOrigin(fixture.objects.length + i));
  const result = runRules([...context, ...judged], { rules: [rule], config, podLabelsOf });
  failOnRuleErrors(rule, result.ruleErrors);
  const judgedRefs = new Set(judged.map((s) => refKey(s.object)));
  return { findings: result.findings.filter((f) => judgedRefs.has(findingKey(f))), coverage: result.coverage };
}

/** The case as a cluster listing: everything judged together, with cluster origins. */
function runAsCluster(rule: Rule, fixture: FixtureCase, config: KfguardConfig): CaseResult {
  const all = [...(fixture.snapshot ?? []), ...fixture.objects];
  const listed = frozen(all, (i) => ({ kind: 'cluster', context: 'fixture', resourceVersion: String(i + 1) }));
  const result = runRules(listed, { rules: [rule], config, podLabelsOf });
  failOnRuleErrors(rule, result.ruleErrors);
  const judgedRefs = new Set(fixture.objects.map(refKey));
  return { findings: result.findings.filter((f) => judgedRefs.has(findingKey(f))), coverage: result.coverage };
}

/** Each judged object alone, as a job API returns the workflow a run executes. */
function runAsApi(rule: Rule, fixture: FixtureCase, config: KfguardConfig): CaseResult {
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  fixture.objects.forEach((object, index) => {
    const [alone] = frozen([object], () => ({ kind: 'api', api: 'argo', endpoint: `/api/v1/workflows/${object.metadata?.namespace ?? 'default'}`, id: `fixture-${index}` }));
    const result = runRules([alone as ScannedObject], { rules: [rule], config, podLabelsOf });
    failOnRuleErrors(rule, result.ruleErrors);
    findings.push(...result.findings);
    coverage.push(...result.coverage);
  });
  return { findings, coverage };
}

/** Each judged object admitted in turn, laid over the snapshot and the other judged objects. */
function runAsAdmission(rule: Rule, fixture: FixtureCase, config: KfguardConfig): CaseResult {
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  fixture.objects.forEach((_, index) => {
    const others = [...(fixture.snapshot ?? []), ...fixture.objects.filter((__, i) => i !== index)];
    const snapshot = newSnapshot();
    for (const scanned of frozen(others, (i) => ({ kind: 'cluster', context: 'fixture', resourceVersion: String(i + 1) }))) snapshot.upsert(scanned);
    const admitted = frozen([fixture.objects[index] as K8sObject], () => ({
      kind: 'admission',
      uid: `fixture-${index}`,
      operation: 'CREATE',
      user: 'fixture-user',
      groups: ['system:authenticated'],
      dryRun: false,
    }))[0] as ScannedObject;
    const result = evaluateObject(snapshot, admitted, { rules: [rule], config, podLabelsOf });
    failOnRuleErrors(rule, result.ruleErrors);
    findings.push(...result.findings);
    coverage.push(...result.coverage);
  });
  return { findings, coverage };
}

/** Each judged object alone, as the `requestObject` of an audit event: no snapshot. */
function runAsAudit(rule: Rule, fixture: FixtureCase, config: KfguardConfig): CaseResult {
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  fixture.objects.forEach((object, index) => {
    const event = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Event',
      level: 'RequestResponse',
      auditID: `fixture-${index}`,
      stage: 'ResponseComplete',
      verb: 'create',
      user: { username: 'fixture-user', groups: ['system:authenticated'] },
      sourceIPs: ['203.0.113.7'],
      requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
      requestObject: structuredClone(object),
    };
    const scanned = objectFromAuditEvent(event);
    if (!scanned) throw new Error(`fixture object ${index} did not survive an audit event round trip`);
    const [alone] = frozen([scanned.object], () => scanned.origin);
    const result = runRules([alone as ScannedObject], { rules: [rule], config, podLabelsOf });
    failOnRuleErrors(rule, result.ruleErrors);
    findings.push(...result.findings);
    coverage.push(...result.coverage);
  });
  return { findings, coverage };
}

/** The tested sources a case runs under: its own list, or every one the tester knows. */
export function sourcesOf(fixture: FixtureCase): readonly TestedSource[] {
  return fixture.sources ?? TESTED_SOURCES;
}

/** Runs one fixture case through the real engine with only `rule` enabled, as the given source sees it. */
export function runCaseAs(rule: Rule, fixture: FixtureCase, source: TestedSource): CaseResult {
  const config: KfguardConfig = { ...DEFAULT_CONFIG, ...fixture.config };
  switch (source) {
    case 'manifest':
      return runAsManifest(rule, fixture, config);
    case 'cluster':
      return runAsCluster(rule, fixture, config);
    case 'admission':
      return runAsAdmission(rule, fixture, config);
    case 'api':
      return runAsApi(rule, fixture, config);
    case 'audit':
      return runAsAudit(rule, fixture, config);
  }
}

/** Runs one fixture case as files; the findings on the judged objects. */
export function runCase(rule: Rule, fixture: FixtureCase): Finding[] {
  return runCaseAs(rule, fixture, 'manifest').findings;
}

const refKey = (object: K8sObject): string => `${object.kind}/${object.metadata?.namespace ?? ''}/${nameOf(object)}`;
const findingKey = (finding: Finding): string => `${finding.resource.kind}/${finding.resource.namespace ?? ''}/${finding.resource.name}`;

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

/**
 * Checks one case under one source. Where the rule judges the source, a fail case must produce
 * exactly its expected findings and a pass case none. Where it does not, there must be no finding
 * and a coverage entry saying why, never a silent different verdict.
 */
export function assertCase(rule: Rule, fixture: FixtureCase, kind: 'pass' | 'fail', source: TestedSource = 'manifest'): void {
  const { findings, coverage } = runCaseAs(rule, fixture, source);
  if (!rule.meta.sources.includes(source)) {
    assert.equal(findings.length, 0, `${source}: the rule does not judge this source, yet found:\n${describeFindings(findings)}`);
    const matched = fixture.objects.some((object) => ruleMatches(rule, object)) || Boolean(rule.checkInventory);
    if (matched) assert.ok(coverage.some((entry) => entry.ruleId === rule.meta.id && entry.source === source), `${source}: no coverage entry says why the rule was not evaluated`);
    return;
  }
  if (kind === 'pass') {
    assert.equal(findings.length, 0, `${source}: expected no findings, got:\n${describeFindings(findings)}`);
    return;
  }
  assert.ok(findings.length > 0, `${source}: expected findings, got none`);
  const expected = fixture.expect ?? [];
  assert.ok(expected.length > 0, `fail case "${fixture.name}" must list what it expects`);
  const unmatched = [...findings];
  for (const want of expected) {
    const index = unmatched.findIndex((f) => matches(f, want));
    assert.ok(index !== -1, `${source}: no finding matches ${JSON.stringify(want)}; got:\n${describeFindings(findings)}`);
    unmatched.splice(index, 1);
  }
  assert.equal(unmatched.length, 0, `${source}: unexpected extra findings:\n${describeFindings(unmatched)}`);
}

/** Registers one node:test case per fixture of the rule. */
export function testRule(rule: Rule): void {
  const fixtures = loadFixtures(rule.meta.id);
  describe(`rule ${rule.meta.id}`, () => {
    const names = new Set<string>();
    for (const kind of ['pass', 'fail'] as const) {
      for (const fixture of fixtures[kind]) {
        assert.ok(!names.has(`${kind}:${fixture.name}`), `duplicate fixture name "${fixture.name}"`);
        names.add(`${kind}:${fixture.name}`);
        for (const source of sourcesOf(fixture)) {
          it(`${kind} [${source}]: ${fixture.name}`, () => assertCase(rule, fixture, kind, source));
        }
      }
    }
  });
}
