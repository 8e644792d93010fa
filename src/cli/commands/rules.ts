import { UsageError } from '../../core/errors.js';
import { unknownRule } from '../../core/select-rules.js';
import type { RuleMeta } from '../../core/rule.js';
import { renderRuleCatalogue } from '../../docs/rule-docs.js';
import { ALL_RULES, ruleById } from '../../rules/index.js';
import { parseCommandArgs, stringOption } from '../args.js';
import { EXPLAIN_HELP, RULES_HELP } from '../help.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';

export function rulesCommand(argv: readonly string[], io: CliIo): number {
  const { values } = parseCommandArgs('rules', argv, {
    format: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(RULES_HELP);
    return EXIT_CLEAN;
  }
  const metas = ALL_RULES.map((r) => r.meta);
  const format = stringOption(values.format) ?? 'text';
  if (format === 'json') io.stdout(`${JSON.stringify(metas, null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderRuleCatalogue(metas));
  else if (format === 'text') io.stdout(renderRuleTable(metas));
  else throw new UsageError(`unknown format "${format}" for rules`, 'valid formats: text, json, markdown');
  return EXIT_CLEAN;
}

function renderRuleTable(metas: readonly RuleMeta[]): string {
  const rows = metas.map((m) => [m.id, m.severity, m.category, m.sources.join(','), m.title]);
  const header = ['ID', 'SEVERITY', 'CATEGORY', 'SOURCES', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function explainCommand(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs('explain', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(EXPLAIN_HELP);
    return EXIT_CLEAN;
  }
  const id = positionals[0];
  if (id === undefined) throw new UsageError('explain needs a rule id', 'run `kfguard rules` to list rule ids');
  const rule = ruleById(id);
  if (!rule) throw unknownRule(id, ALL_RULES.map((r) => r.meta.id));
  io.stdout(renderExplanation(rule.meta));
  return EXIT_CLEAN;
}

export function renderExplanation(meta: RuleMeta): string {
  const sections = [
    `${meta.id} — ${meta.title}`,
    `Severity: ${meta.severity}    Category: ${meta.category}    Sources: ${meta.sources.join(', ')}${meta.fixable ? '    Fixable: kfguard fix' : ''}`,
    `What it finds\n${indent(meta.description)}`,
    `Why it matters\n${indent(meta.rationale)}`,
    `Remediation\n${indent(meta.remediation)}`,
    `MITRE: ${meta.mitre.join(', ')}`,
    `References\n${meta.references.map((r) => `  - ${r}`).join('\n')}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
