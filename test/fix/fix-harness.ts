import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Rule } from '../../src/core/rule.js';
import { atLeast } from '../../src/core/severity.js';
import type { Finding, K8sObject } from '../../src/core/types.js';
import { runFix, type FixRunResult } from '../../src/fix/run-fix.js';
import type { FixOptions } from '../../src/fix/types.js';
import { scanManifests } from '../../src/scan.js';

export function tempDir(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'kfguard-fix-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export function toYamlStream(objects: readonly K8sObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}

const noStdin = async (): Promise<Buffer> => Buffer.alloc(0);

export async function fixFiles(
  dir: string,
  paths: readonly string[],
  rules: readonly Rule[],
  extra: { outDir?: string; fixOptions?: FixOptions } = {},
): Promise<FixRunResult> {
  const result = await runFix({ paths, cwd: dir, readStdin: noStdin, rules, ...extra });
  for (const output of result.outputs) {
    await mkdir(dirname(output.path), { recursive: true });
    await writeFile(output.path, output.content);
  }
  return result;
}

export async function scanFindings(dir: string, paths: readonly string[], rules: readonly Rule[]): Promise<readonly Finding[]> {
  const report = await scanManifests({ paths, cwd: dir, readStdin: noStdin, rules, env: { PATH: process.env.PATH ?? '' } });
  if (report.errors.length > 0) throw new Error(`scan errors: ${JSON.stringify(report.errors)}`);
  if (report.ruleErrors.length > 0) throw new Error(`rule errors: ${JSON.stringify(report.ruleErrors)}`);
  return report.findings;
}

export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind}/${f.resource.name} ${f.path ?? ''}: ${f.message}`).join('\n');
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function sameResource(a: Finding, b: Finding): boolean {
  return a.resource.kind === b.resource.kind && a.resource.name === b.resource.name && a.resource.namespace === b.resource.namespace;
}

/**
 * What may remain after a fix: findings kfguard said it cannot fix (unchanged, same fingerprint),
 * and findings a mitigating fix lowered to at most its declared residual severity. Anything else
 * is a fix that did not fix.
 */
export function unexplainedFindings(afterFix: readonly Finding[], result: FixRunResult): Finding[] {
  const declined = new Set(result.unfixable.map((u) => u.finding.fingerprint));
  return afterFix.filter((finding) => {
    if (declined.has(finding.fingerprint)) return false;
    const residual = result.fixes.find((fix) => fix.plan.residualSeverity !== undefined && sameResource(fix.finding, finding))?.plan.residualSeverity;
    return residual === undefined || !atLeast(residual, finding.severity);
  });
}
