import yaml from 'js-yaml';
import type { RuleMeta } from '../core/rule.js';
import { CATEGORIES, type K8sObject } from '../core/types.js';

/** One fixture case, as the docs need it; structurally a `FixtureCase` from the rule tester. */
export interface RuleExample {
  readonly name: string;
  readonly objects: readonly K8sObject[];
  readonly expect?: readonly { readonly path?: string; readonly severity?: string }[];
}

export interface RuleExamples {
  readonly pass: readonly RuleExample[];
  readonly fail: readonly RuleExample[];
}

export const GENERATED_NOTICE = '<!-- Generated from rule metadata by `npm run docs:rules`. Do not edit by hand. -->';
export const CATALOGUE_FILE = 'README.md';
const MAX_EXAMPLE_LINES = 60;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/(?<!\s)\s*\n\s*/g, ' ');
}

/** ATT&CK techniques link to attack.mitre.org; Threat Matrix for Kubernetes ids stay plain text. */
function mitreLink(id: string): string {
  const technique = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (!technique) return `\`${id}\``;
  const path = technique[2] ? `T${technique[1]}/${technique[2]}` : `T${technique[1]}`;
  return `[${id}](https://attack.mitre.org/techniques/${path}/)`;
}

function matchLine(meta: RuleMeta): string {
  const parts = meta.match.map((m) => {
    const kinds = m.kinds === '*' ? 'any kind' : m.kinds.map((k) => `\`${k}\``).join(', ');
    const groups = m.apiGroups === '*' ? 'any API group' : m.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', ');
    return `${kinds} (${groups})`;
  });
  return parts.join('; ');
}

/** Secret values never reach the docs, even the fixtures' fake ones. */
function redactSecrets(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret') return object;
  const redacted: Record<string, unknown> = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = object[field];
    if (values !== null && typeof values === 'object') {
      redacted[field] = Object.fromEntries(Object.keys(values).map((key) => [key, '<redacted>']));
    }
  }
  return redacted as K8sObject;
}

function hasSecretValues(example: RuleExample): boolean {
  return example.objects.some((o) => o.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined));
}

function exampleYaml(example: RuleExample, ruleId: string): string {
  const redactedNote = hasSecretValues(example) ? [`# Secret values are redacted here; src/rules/fixtures/${ruleId}.yaml has them.`] : [];
  const text = example.objects
    .map((object) => yaml.dump(redactSecrets(object), { lineWidth: 120, noRefs: true, sortKeys: false }).trimEnd())
    .join('\n---\n');
  const lines = [...redactedNote, ...text.split('\n')];
  if (lines.length <= MAX_EXAMPLE_LINES) return lines.join('\n');
  const more = lines.length - MAX_EXAMPLE_LINES;
  return [...lines.slice(0, MAX_EXAMPLE_LINES), `# … ${more} more line(s) in src/rules/fixtures/${ruleId}.yaml`].join('\n');
}

function expectedLine(example: RuleExample): string {
  const expected = (example.expect ?? []).map((e) => [e.path ? `\`${e.path}\`` : 'the object', e.severity].filter(Boolean).join(' '));
  return expected.length > 0 ? `Expected finding(s): ${expected.join(', ')}.` : '';
}

function examplesSection(meta: RuleMeta, examples: RuleExamples): string[] {
  const failing = examples.fail[0];
  const passing = examples.pass[0];
  const out: string[] = [];
  if (failing) {
    out.push(`### Fails: ${failing.name}`, '', '```yaml', exampleYaml(failing, meta.id), '```', '');
    const expected = expectedLine(failing);
    if (expected) out.push(expected, '');
  }
  if (passing) out.push(`### Passes: ${passing.name}`, '', '```yaml', exampleYaml(passing, meta.id), '```', '');
  if (out.length === 0) return [];
  const total = examples.fail.length + examples.pass.length;
  return ['## Examples', '', ...out, `All ${total} cases: [src/rules/fixtures/${meta.id}.yaml](../../src/rules/fixtures/${meta.id}.yaml).`, ''];
}

/** One rule's page: what, why, how to fix, MITRE, references, and fixture examples when given. */
export function renderRulePage(meta: RuleMeta, examples?: RuleExamples): string {
  const lines = [
    GENERATED_NOTICE,
    '',
    `# \`${meta.id}\`: ${meta.title}`,
    '',
    '| Severity | Category | Sources | Fixable |',
    '|---|---|---|---|',
    `| ${meta.severity} | ${meta.category} | ${meta.sources.join(', ')} | ${meta.fixable ? 'yes (`kfguard fix`)' : 'no'} |`,
    '',
    `Looks at: ${matchLine(meta)}.`,
    '',
    '## What it finds',
    '',
    meta.description.trim(),
    '',
    '## Why it matters',
    '',
    meta.rationale.trim(),
    '',
    '## Remediation',
    '',
    meta.remediation.trim(),
    '',
    '## MITRE',
    '',
    meta.mitre.map((id) => `- ${mitreLink(id)}`).join('\n') || '- none',
    '',
    '## References',
    '',
    meta.references.map((url) => `- <${url}>`).join('\n') || '- none',
    '',
    ...(examples ? examplesSection(meta, examples) : []),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The rule index, grouped by category; `kfguard rules --format markdown` prints exactly this. */
export function renderRuleCatalogue(metas: readonly RuleMeta[]): string {
  const lines = [
    GENERATED_NOTICE,
    '',
    '# kfguard rules',
    '',
    `${metas.length} rule(s). \`kfguard explain <rule-id>\` prints one rule; \`kfguard rules --format markdown\` prints this catalogue.`,
    '',
  ];
  for (const category of CATEGORIES) {
    const inCategory = metas.filter((m) => m.category === category);
    if (inCategory.length === 0) continue;
    lines.push(`## ${category}`, '', '| Rule | Severity | Sources | Title |', '|---|---|---|---|');
    for (const m of inCategory) {
      lines.push(`| [\`${m.id}\`](${m.id}.md) | ${m.severity} | ${m.sources.join(', ')} | ${cell(m.title)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Every file of docs/rules, by file name, in a stable order. */
export function ruleDocFiles(
  metas: readonly RuleMeta[],
  examplesFor: (ruleId: string) => RuleExamples | undefined = () => undefined,
): ReadonlyMap<string, string> {
  const files = new Map<string, string>([[CATALOGUE_FILE, renderRuleCatalogue(metas)]]);
  for (const meta of [...metas].sort((a, b) => a.id.localeCompare(b.id))) {
    files.set(`${meta.id}.md`, renderRulePage(meta, examplesFor(meta.id)));
  }
  return files;
}
