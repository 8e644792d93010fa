import { judgeObjects as runRules } from '../../../src/scan.js';
import { asArray, asRecord, asString } from '../../../src/core/object.js';
import { defineRule, type Rule, type RuleMeta } from '../../../src/core/rule.js';
import type { Category, Finding, ResourceRef } from '../../../src/core/types.js';
import type { Severity } from '../../../src/core/severity.js';
import type { RenderOptions } from '../../../src/report/formatter.js';
import { buildReport, type Report } from '../../../src/report/report.js';
import { collectManifests } from '../../../src/sources/manifest.js';

function testMeta(id: string, category: Category, severity: Severity, kinds: readonly string[]): RuleMeta {
  return {
    id,
    title: `Test rule ${id}`,
    severity,
    category,
    description: `Flags what \`${id}\` looks for.`,
    rationale: 'Only used by the report format tests.',
    remediation: 'Change the field.\n\nThen scan again.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/service/'],
    mitre: ['T1133'],
    match: [{ apiGroups: '*', kinds }],
    sources: ['manifest'],
    needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' },
  };
}

/** Test-only rules, so these tests do not wait on the real exposure rules. */
export const SERVICE_TYPE_RULE: Rule = defineRule({
  meta: testMeta('test-public-service', 'exposure', 'high', ['Service']),
  *check(object) {
    const type = asString(asRecord(object.spec)?.type);
    if (type === 'LoadBalancer' || type === 'NodePort') {
      yield { message: `Service is published as ${type}`, path: 'spec.type', evidence: [`spec.type: ${type}`] };
    }
  },
});

export const INGRESS_HOST_RULE: Rule = defineRule({
  meta: testMeta('test-ingress-host', 'exposure', 'medium', ['Ingress']),
  *check(object) {
    const rules = asArray(asRecord(object.spec)?.rules);
    for (const [index, rule] of rules.entries()) {
      if (asString(asRecord(rule)?.host) === undefined) yield { message: 'Ingress rule matches every host', path: `spec.rules[${index}]`, discriminator: String(index) };
    }
  },
});

/** One finding per container image, so one resource can fail one rule several times. */
export const IMAGE_RULE: Rule = defineRule({
  meta: testMeta('test-every-image', 'supply-chain', 'low', ['Deployment']),
  *check(object) {
    const spec = asRecord(asRecord(asRecord(object.spec)?.template)?.spec);
    for (const [index, container] of asArray(spec?.containers).entries()) {
      const image = asString(asRecord(container)?.image);
      if (image) yield { message: `image ${image}`, path: `spec.template.spec.containers[${index}].image`, discriminator: String(index) };
    }
  },
});

export const TEST_RULES: readonly Rule[] = [SERVICE_TYPE_RULE, INGRESS_HOST_RULE, IMAGE_RULE];

/** Scans real files with the test rules through the real collector, engine and report builder. */
export async function scanFiles(cwd: string, paths: readonly string[], rules: readonly Rule[] = TEST_RULES): Promise<Report> {
  const collected = await collectManifests({ paths, cwd, readStdin: async () => Buffer.alloc(0) });
  const result = runRules(collected.objects, { rules, recordEvaluations: true });
  return buildReport({
    findings: result.findings,
    inputs: collected.stats,
    errors: collected.errors,
    ruleErrors: result.ruleErrors,
    extensions: { evaluations: result.evaluations },
  });
}

export function renderOptions(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return { color: false, quiet: false, failOn: 'high', rules: TEST_RULES.map((r) => r.meta), cwd: process.cwd(), ...overrides };
}

const CATEGORIES_CYCLE: readonly Category[] = ['threat', 'exposure', 'rbac', 'guardrails', 'supply-chain'];
const SEVERITIES_CYCLE: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function syntheticFinding(index: number, overrides: Partial<Finding> = {}): Finding {
  const resource: ResourceRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `team-${index % 7}`, name: `workload-${index}` };
  return {
    ruleId: `synthetic-rule-${index % 23}`,
    severity: SEVERITIES_CYCLE[index % SEVERITIES_CYCLE.length] ?? 'high',
    category: CATEGORIES_CYCLE[index % CATEGORIES_CYCLE.length] ?? 'exposure',
    title: `Synthetic rule ${index % 23}`,
    message: `Workload ${index} does something risky with a fairly long explanation attached to it`,
    resource,
    location: { file: `manifests/team-${index % 7}/workload-${index}.yaml`, line: 10 + (index % 50), column: 7 },
    path: 'spec.template.spec.containers[0].args[2]',
    evidence: [`args[2]: --flag-${index}`, 'second line of evidence'],
    mitre: ['T1496'],
    remediation: 'Remove the flag and redeploy the workload.\n\nSecond paragraph.',
    source: 'manifest',
    fingerprint: `fingerprint-${index}`,
    ...overrides,
  };
}

export function syntheticReport(count: number): Report {
  return buildReport({
    findings: Array.from({ length: count }, (_, i) => syntheticFinding(i)),
    inputs: { files: count, documents: count, skipped: 0, skippedFiles: 0, skippedDocuments: 0 },
  });
}
