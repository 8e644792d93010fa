import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KfguardConfig } from '../../src/core/config-types.js';
import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import { defineRule, type Rule } from '../../src/core/rule.js';
import type { Finding } from '../../src/core/types.js';
import type { Report } from '../../src/report/report.js';
import { scanManifests } from '../../src/scan.js';
import type { BaselineFilter } from '../../src/suppress/baseline.js';

const testMeta = {
  category: 'exposure',
  description: 'test only',
  rationale: 'test only',
  remediation: 'test only',
  references: [],
  mitre: [],
  sources: ['manifest'],
  needs: { reads: [], snapshot: 'none', request: false, cost: 'cheap' },
} as const;

/** Test-only: flags every LoadBalancer Service, so suppression tests need no real rule. */
export const loadBalancerRule: Rule = defineRule({
  meta: { ...testMeta, id: 'test-load-balancer', title: 'LoadBalancer', severity: 'high', match: [{ apiGroups: [''], kinds: ['Service'] }] },
  *check(object) {
    const spec = object.spec as { type?: unknown } | undefined;
    if (spec?.type === 'LoadBalancer') yield { message: 'LoadBalancer Service', path: 'spec.type' };
  },
});

/** Test-only: flags every container with `privileged: true`, wherever the workload keeps it. */
export const privilegedRule: Rule = defineRule({
  meta: { ...testMeta, id: 'test-privileged', title: 'privileged', severity: 'critical', match: [{ apiGroups: '*', kinds: ['Pod', 'Deployment'] }] },
  *check(object) {
    const spec = object.kind === 'Pod' ? object.spec : (object.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec;
    const base = object.kind === 'Pod' ? 'spec' : 'spec.template.spec';
    const containers = (spec as { containers?: { securityContext?: { privileged?: unknown } }[] } | undefined)?.containers ?? [];
    for (const [index, container] of containers.entries()) {
      if (container.securityContext?.privileged === true) {
        yield { message: 'privileged container', path: `${base}.containers[${index}].securityContext.privileged` };
      }
    }
  },
});

export const TEST_RULES: readonly Rule[] = [loadBalancerRule, privilegedRule];

export function tempDir(): { path: string; write: (name: string, text: string) => void; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'kfguard-suppress-'));
  return {
    path,
    write: (name, text) => writeFileSync(join(path, name), text),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

export async function scanDir(
  cwd: string,
  options: { config?: Partial<KfguardConfig>; today?: string; baseline?: BaselineFilter } = {},
): Promise<Report> {
  return scanManifests({
    paths: ['.'],
    cwd,
    readStdin: async () => Buffer.alloc(0),
    rules: TEST_RULES,
    config: { ...DEFAULT_CONFIG, ...options.config },
    today: options.today ?? '2026-06-15',
    ...(options.baseline ? { baseline: options.baseline } : {}),
  });
}

export function byRule(report: Report, ruleId: string): Finding[] {
  return report.findings.filter((f) => f.ruleId === ruleId);
}

export function service(name: string, annotations: Record<string, string> = {}, namespace = 'kubeflow'): string {
  const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`];
  const entries = Object.entries(annotations);
  if (entries.length > 0) lines.push('  annotations:', ...entries.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`));
  lines.push('spec:', '  type: LoadBalancer', '  ports: [{port: 80}]');
  return `${lines.join('\n')}\n`;
}
