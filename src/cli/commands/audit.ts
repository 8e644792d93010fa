import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { selectRules } from '../../core/select-rules.js';
import { asRuleMeta, DEFAULT_HUNT_SETTINGS } from '../../audit/detection.js';
import { AUDIT_DETECTIONS } from '../../audit/detections/index.js';
import { burstThresholdsOf } from '../../audit/detections/pod-burst.js';
import { huntAuditLogs, type AuditInput } from '../../audit/hunt-logs.js';
import { formatterFor } from '../../report/formats.js';
import { buildReport } from '../../report/report.js';
import { ALL_RULES } from '../../rules/index.js';
import { listOption, parseCommandArgs, stringOption } from '../args.js';
import { loadCliConfig } from '../config.js';
import { suppressIncidentFindings } from '../incident-suppressions.js';
import { createBaseline, serializeBaseline } from '../../suppress/baseline.js';
import { readBaselineFile } from '../../suppress/baseline-file.js';
import { AUDIT_HELP } from '../help.js';
import { AUDIT_LIMIT_OPTIONS, auditLimitsOf } from '../audit-limit-flags.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';
import { parseCountFlag, parseDurationFlag, parseTimeFlag } from '../time-flags.js';
import { exitCodeFor, outputTargets, parseFailOn, useColor } from './scan.js';
import { stderrLine } from '../stderr-line.js';

const AUDIT_OPTIONS = {
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'runner-service-account': { type: 'string', multiple: true },
  'burst-namespaces': { type: 'string' },
  'burst-window': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  ...AUDIT_LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

const STDIN_LIMIT = 256 * 1024 * 1024;

export async function auditCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('audit', argv, AUDIT_OPTIONS);
  if (values.help) {
    io.stdout(AUDIT_HELP);
    return EXIT_CLEAN;
  }
  if (positionals.length === 0) throw new UsageError('audit needs at least one log file, or - for stdin', 'e.g. kfguard audit /var/log/kubernetes/audit.log audit-*.log.gz');
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be read once');
  const failOn = parseFailOn(stringOption(values['fail-on']));
  const targets = outputTargets(listOption(values.format), stringOption(values.output));
  const formatters = targets.map((t) => ({ target: t, formatter: formatterFor(t.format) }));
  const only = listOption(values.rule);
  const skip = listOption(values['skip-rule']);
  const detectionIds = new Set(AUDIT_DETECTIONS.map((d) => d.meta.id));
  const ruleIds = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const id of [...only, ...skip]) if (!detectionIds.has(id) && !ruleIds.has(id)) throw new UsageError(`unknown rule "${id}"`, 'see `kfguard rules` and `kfguard audit --help` for the audit detections');
  const detections = AUDIT_DETECTIONS.filter((d) => (only.length === 0 || only.includes(d.meta.id)) && !skip.includes(d.meta.id));
  // Only rules that judge audit events run; the others would each add a "not evaluated" entry and nothing else.
  const auditRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('audit'));
  const objectOnly = only.filter((id) => ruleIds.has(id));
  // Hunting is about the incident: the threat rules by default; posture rules only when asked for.
  const categories = listOption(values.category);
  const rules = only.length > 0 && objectOnly.length === 0 ? [] : selectRules(auditRules, { only: objectOnly, skip: skip.filter((id) => ruleIds.has(id)), categories: objectOnly.length > 0 ? categories : categories.length > 0 ? categories : ['threat'] });
  const config = await loadCliConfig(stringOption(values.config), io);
  const baselinePath = stringOption(values.baseline);
  const baseline = baselinePath === undefined ? undefined : await readBaselineFile(baselinePath, io.cwd);
  const now = Date.now();
  const since = parseTimeFlag('--since', stringOption(values.since), now);
  const until = parseTimeFlag('--until', stringOption(values.until), now);
  checkWindow(since, until);
  const { maxEventBytes, ...limits } = auditLimitsOf(values);
  const runners = listOption(values['runner-service-account']);
  // A flag wins over the config file, which wins over the defaults.
  const burst = burstThresholdsOf(config);
  const settings = {
    runnerServiceAccounts: runners.length > 0 ? runners : DEFAULT_HUNT_SETTINGS.runnerServiceAccounts,
    burstNamespaces: parseCountFlag('--burst-namespaces', stringOption(values['burst-namespaces']), burst.namespaces ?? DEFAULT_HUNT_SETTINGS.burstNamespaces),
    burstWindowMs: parseDurationFlag('--burst-window', stringOption(values['burst-window']), burst.windowMs ?? DEFAULT_HUNT_SETTINGS.burstWindowMs),
  };
  const inputs: AuditInput[] = positionals.map((p) =>
    p === '-' ? { display: '<stdin>', chunks: io.stdinChunks ? io.stdinChunks() : stdinOnce(io) } : { path: resolve(io.cwd, p), display: p },
  );
  const result = await huntAuditLogs(inputs, { rules, detections, config, settings, limits, ...(maxEventBytes !== undefined ? { maxEventBytes } : {}), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
  const { stats } = result;
  const suppressed = suppressIncidentFindings(result.findings, { config, baseline });
  const report = buildReport({
    findings: suppressed.findings,
    inputs: {
      files: inputs.length,
      documents: stats.events,
      skipped: stats.events - stats.judged,
      skippedFiles: 0,
      skippedDocuments: stats.malformed,
      readAs: `${inputs.length} log(s), ${stats.events} event(s), ${stats.judged} judged`,
    },
    errors: result.errors,
    ruleErrors: result.ruleErrors,
    coverage: result.coverage,
    warnings: [...result.warnings, ...suppressed.warnings],
    extensions: { auditTimeline: result.timeline, sourceStats: { ...stats } },
  });
  const color = useColor(values, io);
  const ruleMetas = [...rules.map((r) => r.meta), ...detections.map((d) => asRuleMeta(d.meta))];
  for (const { target, formatter } of formatters) {
    const rendered = formatter.render(report, { color: target.file === undefined ? color : false, quiet: values.quiet === true, failOn, rules: ruleMetas, cwd: io.cwd, sarifBase: io.cwd });
    if (target.file === undefined) io.stdout(rendered);
    else await io.writeFile(resolve(io.cwd, target.file), rendered);
  }
  for (const error of report.errors) io.stderr(stderrLine(`kfguard: input error: ${[error.file, error.line].filter((x) => x !== undefined).join(':')}: ${error.message}`));
  const writeBaseline = stringOption(values['write-baseline']);
  if (writeBaseline !== undefined) {
    const written = createBaseline(report.findings, new Date().toISOString());
    await io.writeFile(resolve(io.cwd, writeBaseline), serializeBaseline(written));
    if (values.quiet !== true) io.stderr(`kfguard: baseline of ${written.findings.length} finding(s) written to ${writeBaseline}\n`);
  }
  return exitCodeFor(report, failOn);
}

/** An empty window would judge nothing and report a clean log. */
function checkWindow(since: number | undefined, until: number | undefined): void {
  if (since !== undefined && until !== undefined && since >= until) throw new UsageError('--since must be earlier than --until', 'the window is [--since, --until)');
}

async function* stdinOnce(io: CliIo): AsyncGenerator<Buffer> {
  yield await io.readStdin(STDIN_LIMIT);
}
