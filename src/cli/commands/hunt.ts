import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { Rule } from '../../core/rule.js';
import { selectRules } from '../../core/select-rules.js';
import { huntJobApis, type JobApiTarget } from '../../hunt/hunt-apis.js';
import { isResponderRule } from '../../hunt/hunt-rules.js';
import { RECON_CALLBACK_META } from '../../hunt/recon-callback.js';
import { formatterFor } from '../../report/formats.js';
import { buildReport } from '../../report/report.js';
import { escapeForTerminal } from '../../report/terminal-safe.js';
import { ALL_RULES } from '../../rules/index.js';
import { parseCommandArgs, listOption, stringOption } from '../args.js';
import { loadCliConfig } from '../config.js';
import { suppressIncidentFindings } from '../incident-suppressions.js';
import { createBaseline, serializeBaseline } from '../../suppress/baseline.js';
import { readBaselineFile } from '../../suppress/baseline-file.js';
import { HUNT_HELP } from '../help.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';
import { parseDurationFlag, parseTimeFlag } from '../time-flags.js';
import { exitCodeFor, outputTargets, parseFailOn, useColor } from './scan.js';

const HUNT_OPTIONS = {
  kfp: { type: 'string', multiple: true },
  argo: { type: 'string', multiple: true },
  ray: { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n' },
  token: { type: 'string' },
  cookie: { type: 'string' },
  since: { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  'all-rules': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The responder rules unless the user chose (`--all-rules`, `--rule`, `--category`); `--skip-rule` narrows either. */
function huntRules(values: Record<string, unknown>): Rule[] {
  const apiRules = ALL_RULES.filter((rule) => rule.meta.sources.includes('api'));
  const only = listOption(values.rule);
  const categories = listOption(values.category);
  const chosen = values['all-rules'] === true || only.length > 0 || categories.length > 0;
  // Ids are checked against every rule, so a rule that cannot judge a job API is named as such rather than unknown.
  selectRules(ALL_RULES, { only, skip: listOption(values['skip-rule']), categories });
  for (const id of only) {
    if (!apiRules.some((rule) => rule.meta.id === id)) throw new UsageError(`rule ${id} cannot judge what a job API returns`, '`kfguard rules` lists each rule\'s sources');
  }
  const selected = selectRules(apiRules, { only, skip: listOption(values['skip-rule']), categories });
  return chosen ? selected : selected.filter(isResponderRule);
}

function targetsOf(values: Record<string, unknown>): JobApiTarget[] {
  const targets: JobApiTarget[] = [];
  for (const api of ['kfp', 'argo', 'ray'] as const) {
    for (const raw of listOption(values[api])) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new UsageError(`--${api} "${raw}" is not a URL`, 'e.g. --kfp https://kubeflow.example.com/pipeline or --ray http://ray-head:8265');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--${api} needs an http or https URL`);
      if (url.username || url.password) throw new UsageError(`--${api}: put credentials in --token or --cookie, not in the URL`);
      targets.push({ api, url });
    }
  }
  return targets;
}

export async function huntCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('hunt', argv, HUNT_OPTIONS);
  if (values.help) {
    io.stdout(HUNT_HELP);
    return EXIT_CLEAN;
  }
  if (positionals.length > 0) throw new UsageError(`hunt takes no positional arguments (got ${positionals.join(' ')})`, 'give the APIs with --kfp, --argo or --ray');
  const targets = targetsOf(values);
  if (targets.length === 0) throw new UsageError('hunt needs at least one of --kfp URL, --argo URL, --ray URL');
  const token = stringOption(values.token) ?? io.env.KFGUARD_HUNT_TOKEN;
  const cookie = stringOption(values.cookie) ?? io.env.KFGUARD_HUNT_COOKIE;
  if (token !== undefined && cookie !== undefined) throw new UsageError('give --token or --cookie, not both');
  // A header value with a line break is refused by fetch, whose message quotes the value: refuse it
  // here, naming the flag and never the value.
  for (const [flag, value] of [['--token', token], ['--cookie', cookie]] as const) {
    if (value !== undefined && hasControlCharacter(value.trim())) throw new UsageError(`${flag} holds a line break or control character; it is not sent (the value is not shown)`);
  }
  const failOn = parseFailOn(stringOption(values['fail-on']));
  const outputs = outputTargets(listOption(values.format), stringOption(values.output));
  const formatters = outputs.map((t) => ({ target: t, formatter: formatterFor(t.format) }));
  const config = await loadCliConfig(stringOption(values.config), io);
  const baselinePath = stringOption(values.baseline);
  const baseline = baselinePath === undefined ? undefined : await readBaselineFile(baselinePath, io.cwd);
  const since = parseTimeFlag('--since', stringOption(values.since), Date.now());
  const rules = huntRules(values);
  const namespace = stringOption(values.namespace);
  const result = await huntJobApis({
    targets,
    auth: { ...(token ? { token } : {}), ...(cookie ? { cookie } : {}) },
    rules,
    config,
    timeoutMs: parseDurationFlag('--timeout', stringOption(values.timeout), 30_000),
    ...(namespace ? { namespace } : {}),
    ...(since !== undefined ? { since } : {}),
  });
  const suppressed = suppressIncidentFindings(result.findings, { config, baseline });
  const judged = Object.entries(result.stats).filter(([k]) => k.endsWith(' judged')).reduce((n, [, v]) => n + v, 0);
  const report = buildReport({
    findings: suppressed.findings,
    inputs: { files: targets.length, documents: judged, skipped: 0, skippedFiles: 0, skippedDocuments: 0, readAs: `${targets.length} job API(s), ${judged} run(s), job(s) or pipeline(s) judged` },
    errors: result.errors,
    ruleErrors: result.ruleErrors,
    coverage: result.coverage,
    warnings: suppressed.warnings,
    extensions: { sourceStats: result.stats },
  });
  const color = useColor(values, io);
  const ruleMetas = [...rules.map((r) => r.meta), { ...RECON_CALLBACK_META, match: [], sources: ['api' as const], needs: { reads: [], snapshot: 'none' as const, request: false, cost: 'cheap' as const } }];
  for (const { target, formatter } of formatters) {
    const rendered = formatter.render(report, { color: target.file === undefined ? color : false, quiet: values.quiet === true, failOn, rules: ruleMetas, cwd: io.cwd, sarifBase: io.cwd });
    if (target.file === undefined) io.stdout(rendered);
    else await io.writeFile(resolve(io.cwd, target.file), rendered);
  }
  for (const error of report.errors) io.stderr(`kfguard: input error: ${escapeForTerminal(`${error.file}: ${error.message}`)}\n`);
  // A list not read does not change the exit code (as in `scan --cluster`), so it is said here too,
  // whatever the format: a hunt that missed the cron workflows must not read as a clean one.
  for (const gap of report.coverage) if (gap.ruleId === '*' && gap.source === 'api') io.stderr(`kfguard: not read: ${escapeForTerminal(gap.reason)}\n`);
  const writeBaseline = stringOption(values['write-baseline']);
  if (writeBaseline !== undefined) {
    const written = createBaseline(report.findings, new Date().toISOString());
    await io.writeFile(resolve(io.cwd, writeBaseline), serializeBaseline(written));
    if (values.quiet !== true) io.stderr(`kfguard: baseline of ${written.findings.length} finding(s) written to ${writeBaseline}\n`);
  }
  return exitCodeFor(report, failOn);
}

/** C0 controls other than tab, and DEL: what an HTTP header value may not hold. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
