import { isAbsolute, relative, resolve, sep } from 'node:path';
import ipaddr from 'ipaddr.js';
import { errorMessage, UsageError } from '../../core/errors.js';
import { selectRules } from '../../core/select-rules.js';
import { unifiedDiff } from '../../fix/diff.js';
import { diffPath } from '../../fix/diff-path.js';
import { escapeForTerminal } from '../../report/terminal-safe.js';
import { runFix, type FixRunResult, type OutputFile } from '../../fix/run-fix.js';
import { DEFAULT_FIX_OPTIONS } from '../../fix/types.js';
import { ALL_RULES } from '../../rules/index.js';
import { listOption, parseCommandArgs, stringOption } from '../args.js';
import { loadCliConfig } from '../config.js';
import { FIX_HELP } from '../help.js';
import { EXIT_CLEAN, EXIT_ERROR, type CliIo } from '../io.js';
import { stderrLine } from '../stderr-line.js';
import { linkBelow } from '../write-inside.js';

export const FIX_OPTIONS = {
  out: { type: 'string' },
  'in-place': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  'keep-load-balancer': { type: 'boolean' },
  'placeholder-cidr': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** An address and a prefix length valid for it (`999.1.1.1/99` is not): written into NetworkPolicies as is. */
function isCidr(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(text)) return false;
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/** A path as the summary lines show it: relative inside the working directory, and one line on a terminal whatever it holds. */
function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return escapeForTerminal(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? path : rel);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function summary(result: FixRunResult, outputs: readonly OutputFile[], cwd: string, preview: boolean, unwritten = 0): string {
  const lines: string[] = [];
  const verb = preview ? 'would fix' : unwritten > 0 ? 'fixed at most' : 'fixed';
  lines.push(`kfguard fix: ${verb} ${result.fixes.length} finding(s) in ${outputs.length} file(s)${unwritten > 0 ? `; ${unwritten} file(s) not written (see above)` : ''}`);
  const mitigated = result.fixes.filter((fix) => fix.plan.residualSeverity !== undefined);
  if (mitigated.length > 0) {
    lines.push(`  ${mitigated.length} of them are mitigated, not cleared: they stay reported at ${[...new Set(mitigated.map((f) => f.plan.residualSeverity))].join(' or ')} severity`);
  }
  if (!preview) for (const output of outputs) lines.push(`  wrote ${display(cwd, output.path)}`);
  if (result.unfixable.length > 0) {
    lines.push(`${result.unfixable.length} finding(s) have no automatic fix:`);
    for (const [key, count] of countBy(result.unfixable, (u) => `${u.finding.ruleId}\u0000${u.reason}`)) {
      const [ruleId, reason] = key.split('\u0000');
      lines.push(`  - ${ruleId} (${count}): ${escapeForTerminal(reason ?? '')}; see \`kfguard explain ${ruleId}\``);
    }
  }
  if (result.notes.length > 0) {
    lines.push('Before applying:');
    // Notes name objects from the input (a Secret to create for Deployment NAME): one line each.
    for (const note of result.notes) lines.push(`  - ${escapeForTerminal(note)}`);
  }
  if (preview && outputs.length > 0) lines.push('Nothing was changed. Rerun with --in-place (plain files) or --out DIR to write the fix.');
  return `${lines.join('\n')}\n`;
}

/** `kfguard fix PATH...`: scan, patch every fixable finding, and preview or write the result. */
export async function fixCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('fix', argv, FIX_OPTIONS);
  if (values.help) {
    io.stdout(FIX_HELP);
    return EXIT_CLEAN;
  }
  const outOption = stringOption(values.out);
  const inPlace = values['in-place'] === true;
  if (outOption !== undefined && inPlace) throw new UsageError('--out and --in-place exclude each other', 'pick one place to write the fix');
  if (positionals.includes('-')) throw new UsageError('fix cannot edit stdin', 'save the manifests to a file and pass its path');
  const preview = values['dry-run'] === true || (outOption === undefined && !inPlace);
  const placeholderCidr = stringOption(values['placeholder-cidr']) ?? DEFAULT_FIX_OPTIONS.placeholderCidr;
  if (!isCidr(placeholderCidr)) throw new UsageError(`invalid --placeholder-cidr "${placeholderCidr}"`, 'use a CIDR such as 10.0.0.0/8');

  const outDir = outOption === undefined ? undefined : resolve(io.cwd, outOption);
  const link = outDir === undefined ? undefined : await linkBelow(io.cwd, outDir);
  if (link !== undefined) {
    throw new UsageError(`refusing --out ${outOption}: ${link} is a symbolic link`, 'a folder of the scanned tree may be a committed link; name a real directory, or one outside the working directory');
  }
  const only = listOption(values.rule);
  const rules = selectRules(ALL_RULES, { only, skip: [], categories: [] });
  const config = await loadCliConfig(stringOption(values.config), io);
  const result = await runFix({
    paths: positionals,
    cwd: io.cwd,
    readStdin: io.readStdin,
    env: io.env,
    rules,
    config,
    fixOptions: { keepLoadBalancer: values['keep-load-balancer'] === true, placeholderCidr },
    ...(outDir === undefined ? {} : { outDir }),
  });

  for (const error of result.errors) io.stderr(stderrLine(`kfguard: input error: ${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}`));
  for (const error of result.ruleErrors) io.stderr(stderrLine(`kfguard: rule ${error.ruleId} failed: ${error.message}`));
  const written: (typeof result.outputs)[number][] = [];
  let writeFailed = false;
  if (preview) {
    for (const output of result.outputs) io.stdout(unifiedDiff(diffPath(io.cwd, output.path), output.before, output.content));
  } else {
    // One unwritable file must not stop the others, and the summary names only what was written.
    for (const output of result.outputs) {
      try {
        await io.writeFile(output.path, output.content, output.root);
        written.push(output);
      } catch (error) {
        writeFailed = true;
        io.stderr(stderrLine(`kfguard: cannot write ${display(io.cwd, output.path)}: ${errorMessage(error)}`));
      }
    }
  }
  io.stderr(summary(result, preview ? result.outputs : written, io.cwd, preview, preview ? 0 : result.outputs.length - written.length));
  return result.errors.length > 0 || result.ruleErrors.length > 0 || writeFailed ? EXIT_ERROR : EXIT_CLEAN;
}
