import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../../core/errors.js';
import { describeRef } from '../../core/object.js';
import { atLeast, isSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import { selectRules } from '../../core/select-rules.js';
import { formatterFor } from '../../report/formats.js';
import { activeFindings, type Report } from '../../report/report.js';
import { escapeForTerminal } from '../../report/terminal-safe.js';
import { ALL_RULES } from '../../rules/index.js';
import { scanManifests } from '../../scan.js';
import { createBaseline, serializeBaseline } from '../../suppress/baseline.js';
import { readBaselineFile } from '../../suppress/baseline-file.js';
import { listOption, parseCommandArgs, stringOption, type ParsedArgs } from '../args.js';
import type { Rule } from '../../core/rule.js';
import { EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, type CliIo } from '../io.js';
import { loadCliConfigWithNote } from '../config.js';
import { SCAN_HELP } from '../help.js';
import { CLUSTER_OPTIONS, clusterFlagsGiven, clusterSourceFor, scanProgressFor } from '../cluster-flags.js';
import { sizeInBytes } from '../size-flag.js';
import { limitInlining } from '../inlining-budget.js';

export const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'max-doc-size': { type: 'string' },
  'parse-crd-schemas': { type: 'boolean' },
  offline: { type: 'boolean' },
  'sarif-base': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...CLUSTER_OPTIONS,
} as const;

export interface OutputTarget {
  readonly format: string;
  readonly file?: string;
}

/** `--format sarif=out.sarif --format text` and `--output FILE` into a list of targets. */
export function outputTargets(formats: readonly string[], output: string | undefined): OutputTarget[] {
  const targets: OutputTarget[] = (formats.length > 0 ? formats : ['text']).map((spec) => {
    const eq = spec.indexOf('=');
    return eq === -1 ? { format: spec } : { format: spec.slice(0, eq), file: spec.slice(eq + 1) };
  });
  if (output !== undefined) {
    const withoutFile = targets.filter((t) => t.file === undefined);
    if (withoutFile.length > 1) throw new UsageError('--output takes one format; use --format NAME=FILE for several');
    // Every format already has its file: -o would be dropped without a word, and the user expects that file.
    if (withoutFile.length === 0) throw new UsageError('--output names no report: every --format already has its own FILE', 'drop --output, or give one --format without =FILE');
    return targets.map((t) => (t.file === undefined ? { ...t, file: output } : t));
  }
  return targets;
}

export function parseFailOn(value: string | undefined): Severity | 'none' {
  const failOn = value ?? 'high';
  if (failOn !== 'none' && !isSeverity(failOn)) {
    throw new UsageError(`invalid --fail-on "${failOn}"`, `use one of: ${[...SEVERITIES, 'none'].join(', ')}`);
  }
  return failOn;
}

/**
 * Files that held no Kubernetes document (an empty directory, empty stdin, a typo'd glob's
 * leftovers) are an input error: a report must never say "passes" about input it did not read.
 */
function withNothingReadError(report: Report, paths: readonly string[]): Report {
  if (report.inputs.documents > 0 || report.errors.length > 0) return report;
  const where = paths.length === 0 ? '.' : paths.join(' ');
  return { ...report, errors: [...report.errors, { file: where, message: `nothing was read: ${report.inputs.files} file(s) and no Kubernetes document` }] };
}

export function exitCodeFor(report: Report, failOn: Severity | 'none'): number {
  if (report.errors.length > 0 || report.ruleErrors.length > 0) return EXIT_ERROR;
  if (failOn === 'none') return EXIT_CLEAN;
  return activeFindings(report).some((f) => atLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * Colour for the text report on stdout. The flags win over the environment; then, as Node itself
 * decides (https://nodejs.org/api/tty.html#writestreamgetcolordepthenv), FORCE_COLOR over NO_COLOR
 * (https://no-color.org: set and non-empty) over TERM=dumb over whether stdout is a terminal.
 */
export function useColor(values: Record<string, unknown>, io: CliIo): boolean {
  if (values['no-color'] === true) return false;
  if (values.color === true) return true;
  const { FORCE_COLOR, NO_COLOR, TERM } = io.env;
  if (FORCE_COLOR !== undefined && FORCE_COLOR !== '') return FORCE_COLOR !== '0' && FORCE_COLOR !== 'false';
  if (NO_COLOR !== undefined && NO_COLOR !== '') return false;
  if (TERM === 'dumb') return false;
  return io.stdoutIsTty;
}

/**
 * Input and rule errors as one line each on stderr, for runs whose stdout holds no text report
 * (`--format json`, `-o FILE`, `-q`): exit code 2 must never arrive with nothing said.
 */
export function errorLines(report: Report): string[] {
  return [
    // Escaped whole (line breaks too): a file name or message from input must not start a line of its own.
    ...report.errors.map((error) => `kfguard: input error: ${escapeForTerminal(`${[error.file, error.line, error.column].filter((x) => x !== undefined).join(':')}: ${error.message}`)}\n`),
    ...report.ruleErrors.map((error) => `kfguard: rule error: ${escapeForTerminal(`${error.ruleId}${error.resource ? ` on ${describeRef(error.resource)}` : ''}: ${error.message}`)}\n`),
  ];
}

/** Writes one output file; a failure becomes a one-line error in `unwritten`, never a stack trace. */
async function writeOutput(io: CliIo, file: string, content: string, unwritten: string[]): Promise<boolean> {
  try {
    await io.writeFile(resolve(io.cwd, file), content);
    return true;
  } catch (error) {
    unwritten.push(`kfguard: output error: cannot write ${file}: ${writeFailure(error)}\n`);
    return false;
  }
}

/** The cause of a failed write in words, from Node's error code. */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'a directory on the path does not exist';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? errorMessage(error);
  }
}

function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = sizeInBytes(value);
  if (bytes === undefined) throw new UsageError(`invalid size "${value}"`, 'use a number of bytes, or e.g. 16MB');
  return bytes;
}

export async function scanCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('scan', argv, SCAN_OPTIONS);
  if (values.help) {
    io.stdout(SCAN_HELP);
    return EXIT_CLEAN;
  }
  const failOn = parseFailOn(stringOption(values['fail-on']));
  const targets = outputTargets(listOption(values.format), stringOption(values.output));
  const formatters = targets.map((t) => ({ target: t, formatter: formatterFor(t.format) }));
  const rules = selectRules(ALL_RULES, {
    only: listOption(values.rule),
    skip: listOption(values['skip-rule']),
    categories: listOption(values.category),
  });
  const { config, note: configNote } = await loadCliConfigWithNote(stringOption(values.config), io);
  const baselinePath = stringOption(values.baseline);
  const baseline = baselinePath === undefined ? undefined : await readBaselineFile(baselinePath, io.cwd);
  const maxDocumentBytes = parseSize(stringOption(values['max-doc-size']));
  if (values.cluster === true && positionals.length > 0) throw new UsageError('--cluster scans the live cluster and takes no PATH', `drop ${positionals.join(' ')}, or scan the files without --cluster`);
  if (values.cluster !== true && clusterFlagsGiven(values)) throw new UsageError('--kubeconfig, --context, --namespace and --all-namespaces need --cluster');
  // Before the listing: the scan's hot code is compiled while the lists arrive (inlining-budget.ts).
  if (values.cluster === true) limitInlining(io.setV8Flags, io.env);
  const source = values.cluster === true ? await clusterSourceFor(values, rules, config, io) : undefined;
  const scanned = await scanManifests({
    paths: positionals,
    cwd: io.cwd,
    readStdin: io.readStdin,
    env: io.env,
    rules,
    config,
    recordEvaluations: targets.some((t) => t.format === 'junit'),
    ...(values.offline === true ? { offline: true } : {}),
    limits: {
      ...(maxDocumentBytes === undefined ? {} : { maxDocumentBytes }),
      ...(values['parse-crd-schemas'] === true ? { parseCrdSchemas: true } : {}),
    },
    ...(baseline === undefined ? {} : { baseline }),
    knownRuleIds: ALL_RULES.map((r) => r.meta.id),
    ...(source === undefined ? {} : { source, ...scanProgressFor(io) }),
  });
  // Every format shows warnings, so every report names the config that shaped it.
  const configured = configNote === undefined ? scanned : { ...scanned, warnings: [configNote, ...scanned.warnings] };
  const report = source === undefined ? withNothingReadError(configured, positionals) : configured;
  const unwritten = await deliverReport(report, formatters, rules, failOn, values, io);
  return unwritten > 0 ? EXIT_ERROR : exitCodeFor(report, failOn);
}

/**
 * Renders every requested format to stdout or its file, writes the baseline, and says on stderr
 * what stdout cannot: input errors when no text report is there, and each output that could not be
 * written. Every output is attempted: one unwritable path must not cost the reports that can be
 * written. Returns the number of outputs not written.
 */
async function deliverReport(
  report: Report,
  formatters: readonly { target: OutputTarget; formatter: ReturnType<typeof formatterFor> }[],
  rules: readonly Rule[],
  failOn: Severity | 'none',
  values: ParsedArgs['values'],
  io: CliIo,
): Promise<number> {
  const targets = formatters.map((f) => f.target);
  const color = useColor(values, io);
  const sarifBase = stringOption(values['sarif-base']);
  const unwritten: string[] = [];
  const written: string[] = [];
  for (const { target, formatter } of formatters) {
    const rendered = formatter.render(report, {
      color: target.file === undefined ? color : false,
      quiet: values.quiet === true,
      failOn,
      rules: rules.map((r) => r.meta),
      cwd: io.cwd,
      sarifBase: resolve(io.cwd, sarifBase ?? '.'),
    });
    if (target.file === undefined) io.stdout(rendered);
    else if (await writeOutput(io, target.file, rendered, unwritten)) written.push(target.file);
  }
  const textOnStdout = values.quiet !== true && targets.some((t) => t.file === undefined && t.format === 'text');
  if (!textOnStdout) for (const line of errorLines(report)) io.stderr(line);
  if (values.quiet !== true && targets.every((t) => t.file !== undefined) && written.length > 0) {
    io.stderr(`kfguard: ${report.summary.total} finding(s) written to ${written.join(', ')}\n`);
  }
  const writeBaseline = stringOption(values['write-baseline']);
  if (writeBaseline !== undefined) {
    const baseline = createBaseline(report.findings, new Date().toISOString());
    if ((await writeOutput(io, writeBaseline, serializeBaseline(baseline), unwritten)) && values.quiet !== true) {
      io.stderr(`kfguard: baseline of ${baseline.findings.length} finding(s) written to ${writeBaseline}\n`);
    }
  }
  for (const line of unwritten) io.stderr(line);
  return unwritten.length;
}
