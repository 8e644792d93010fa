// Writes docs/rules/<rule-id>.md and docs/rules/README.md from rule metadata and fixtures.
// Runs under tsx (it reads fixtures through src/testing, which the build leaves out).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocFiles, type RuleExamples } from '../src/docs/rule-docs.js';
import { ALL_RULES } from '../src/rules/index.js';
import { fixturePath, loadFixtures } from '../src/testing/rule-tester.js';
import { REPO_ROOT } from '../src/testing/shared.js';

export const RULE_DOCS_DIR = join(REPO_ROOT, 'docs', 'rules');

function examplesFor(ruleId: string): RuleExamples | undefined {
  return existsSync(fixturePath(ruleId)) ? loadFixtures(ruleId) : undefined;
}

/** The docs as they should be, in memory; the staleness test compares this with the disk. */
export function expectedRuleDocs(): ReadonlyMap<string, string> {
  return ruleDocFiles(
    ALL_RULES.map((r) => r.meta),
    examplesFor,
  );
}

export interface RuleDocsDrift {
  readonly missing: readonly string[];
  readonly changed: readonly string[];
  readonly extra: readonly string[];
}

export function ruleDocsDrift(expected: ReadonlyMap<string, string>, dir = RULE_DOCS_DIR): RuleDocsDrift {
  const onDisk = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
  const missing = [...expected.keys()].filter((f) => !onDisk.includes(f));
  const changed = [...expected.entries()].filter(([f, text]) => onDisk.includes(f) && readFileSync(join(dir, f), 'utf8') !== text).map(([f]) => f);
  const extra = onDisk.filter((f) => !expected.has(f)).sort();
  return { missing, changed, extra };
}

function writeRuleDocs(): void {
  const expected = expectedRuleDocs();
  const drift = ruleDocsDrift(expected);
  mkdirSync(RULE_DOCS_DIR, { recursive: true });
  for (const file of drift.extra) rmSync(join(RULE_DOCS_DIR, file));
  for (const file of [...drift.missing, ...drift.changed]) writeFileSync(join(RULE_DOCS_DIR, file), expected.get(file) ?? '');
  const touched = drift.missing.length + drift.changed.length + drift.extra.length;
  process.stdout.write(
    `docs/rules: ${expected.size} file(s); ${drift.missing.length} added, ${drift.changed.length} updated, ${drift.extra.length} removed${touched === 0 ? ' (already up to date)' : ''}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) writeRuleDocs();
