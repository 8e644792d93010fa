import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../../core/errors.js';
import { selectRules } from '../../core/select-rules.js';
import type { InputError } from '../../core/types.js';
import { displayUrl } from '../../probe/excerpt.js';
import { shippedFingerprints } from '../../probe/fingerprints.js';
import { MAX_BODY_BYTES, MAX_REDIRECTS } from '../../probe/http-client.js';
import { runProbe } from '../../probe/run-probe.js';
import { parseHeaders, targetsFromArgs, targetsFromText } from '../../probe/targets.js';
import type { ProbeTarget } from '../../probe/types.js';
import { formatterFor } from '../../report/formats.js';
import { buildReport } from '../../report/report.js';
import { ALL_RULES } from '../../rules/index.js';
import { VERSION } from '../../version.js';
import { listOption, parseCommandArgs, stringOption } from '../args.js';
import { CLUSTER_OPTIONS, clusterSourceFor } from '../cluster-flags.js';
import { PROBE_HELP } from '../help.js';
import { loadCliConfig } from '../config.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';
import { exitCodeFor, outputTargets, parseFailOn, useColor } from './scan.js';
import { stderrLine } from '../stderr-line.js';

const PROBE_OPTIONS = {
  targets: { type: 'string', multiple: true },
  'from-scan': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'target-budget': { type: 'string' },
  'total-budget': { type: 'string' },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  header: { type: 'string', multiple: true },
  proxy: { type: 'string' },
  'follow-cross-host': { type: 'boolean' },
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
  help: { type: 'boolean', short: 'h' },
  ...CLUSTER_OPTIONS,
} as const;

/** Upper bound of `--concurrency`: a probe is a check, never a load test. */
export const MAX_CONCURRENCY = 64;
const MAX_TARGETS_FILE_BYTES = 4 * 1024 * 1024;
const MAX_CA_FILE_BYTES = 1024 * 1024;

export async function probeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('probe', argv, PROBE_OPTIONS);
  if (values.help) {
    io.stdout(PROBE_HELP);
    return EXIT_CLEAN;
  }
  const failOn = parseFailOn(stringOption(values['fail-on']));
  const outputs = outputTargets(listOption(values.format), stringOption(values.output));
  const formatters = outputs.map((t) => ({ target: t, formatter: formatterFor(t.format) }));
  const rules = selectRules(ALL_RULES, { only: listOption(values.rule), skip: listOption(values['skip-rule']), categories: listOption(values.category) });
  const config = await loadCliConfig(stringOption(values.config), io);
  const concurrency = numberOption(values.concurrency, 'concurrency', 8, 1, MAX_CONCURRENCY, true);
  const timeoutMs = numberOption(values.timeout, 'timeout', 10, 0.05, 300) * 1000;
  const targetBudgetMs = numberOption(values['target-budget'], 'target-budget', 60, 0.1, 3600) * 1000;
  const totalBudgetMs = numberOption(values['total-budget'], 'total-budget', 600, 0.1, 86400) * 1000;
  const headers = parseHeaders(Array.isArray(values.header) ? values.header.map(String) : []);
  const proxy = proxyOption(stringOption(values.proxy));
  const ca = await caOption(stringOption(values.ca), io.cwd);
  const fromScan = stringOption(values['from-scan']);
  if (values.cluster !== true && ['kubeconfig', 'context', 'all-namespaces'].some((flag) => values[flag] !== undefined)) throw new UsageError('--kubeconfig, --context and --all-namespaces need --cluster');
  const namespaces = listOption(values.namespace);
  const badNamespace = namespaces.find((ns) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns));
  if (badNamespace !== undefined) throw new UsageError(`--namespace "${displayUrl(badNamespace.slice(0, 80))}" is not a namespace name`, 'lower-case letters, digits and "-", at most 63');
  if (fromScan !== undefined && values.cluster === true) throw new UsageError('--from-scan and --cluster exclude each other');

  const targets: ProbeTarget[] = targetsFromArgs(positionals).map((url) => ({ url }));
  const errors: InputError[] = [];
  const warnings: string[] = [];
  for (const file of listOption(values.targets)) {
    const read = targetsFromText(await readBounded(resolve(io.cwd, file), MAX_TARGETS_FILE_BYTES, '--targets'), file);
    targets.push(...read.urls.map((url) => ({ url })));
    errors.push(...read.errors);
  }
  if (fromScan !== undefined || values.cluster === true) {
    const { targetsFromScanReport, targetsFromCluster } = await import('../../probe/exposure-targets.js');
    const traced =
      fromScan !== undefined
        ? await targetsFromScanReport(resolve(io.cwd, fromScan), fromScan, io.cwd)
        : await targetsFromCluster(await clusterSourceFor(values, rules, config, io), rules, config);
    targets.push(...traced.targets);
    errors.push(...traced.errors);
    warnings.push(...traced.warnings);
  }
  const unique = dedupe(targets);
  if (unique.length === 0 && errors.length === 0) {
    if (fromScan === undefined && values.cluster !== true) throw new UsageError('probe needs at least one URL', 'kfguard probe https://kubeflow.example.com/ (or --targets FILE, --from-scan REPORT.json, --cluster)');
    warnings.push('the scan found no exposure path with an address to probe');
  }
  for (const error of errors) io.stderr(stderrLine(`kfguard: input error: ${[error.file, error.line].filter((x) => x !== undefined).join(':')}: ${error.message}`));

  const run = await runProbe({
    targets: unique,
    fingerprints: shippedFingerprints(),
    http: { timeoutMs, insecure: values.insecure === true, ...(ca === undefined ? {} : { ca }), headers, ...(proxy === undefined ? {} : { proxy }), followCrossHost: values['follow-cross-host'] === true, maxBodyBytes: MAX_BODY_BYTES, maxRedirects: MAX_REDIRECTS, userAgent: `kfguard-probe/${VERSION}` },
    concurrency,
    namespaces,
    targetBudgetMs,
    totalBudgetMs,
    rules: rules.filter((rule) => config.rules[rule.meta.id]?.enabled !== false).map((rule) => rule.meta),
    warnings,
    config,
  });
  for (const error of run.report.errors) io.stderr(stderrLine(`kfguard: input error: ${error.file}: ${error.message}`));
  const report = errors.length === 0 ? run.report : buildReport({ ...run.report, errors: [...errors, ...run.report.errors] });
  const color = useColor(values, io);
  for (const { target, formatter } of formatters) {
    const rendered = formatter.render(report, { color: target.file === undefined ? color : false, quiet: values.quiet === true, failOn, rules: rules.map((r) => r.meta), cwd: io.cwd, sarifBase: io.cwd });
    if (target.file === undefined) io.stdout(rendered);
    else await io.writeFile(resolve(io.cwd, target.file), rendered);
  }
  return exitCodeFor(report, failOn);
}

function numberOption(value: unknown, flag: string, fallback: number, min: number, max: number, integer = false): number {
  const raw = stringOption(value);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
    throw new UsageError(`invalid --${flag} "${raw.slice(0, 40)}"`, `use ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return parsed;
}

function proxyOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid --proxy "${displayUrl(raw)}"`, 'use http://HOST:PORT or https://HOST:PORT');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--proxy must be an http: or https: URL, not ${displayUrl(url.protocol)}`);
  return url.href;
}

async function caOption(file: string | undefined, cwd: string): Promise<string | undefined> {
  if (file === undefined) return undefined;
  const pem = await readBounded(resolve(cwd, file), MAX_CA_FILE_BYTES, '--ca');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file`);
  return pem;
}

async function readBounded(path: string, maxBytes: number, flag: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${flag} ${path}: not a regular file`);
    if (info.size > maxBytes) throw new UsageError(`${flag} ${path}: larger than ${maxBytes} bytes`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${flag} ${path}: ${errorMessage(error)}`);
  }
}

/** One probe per URL; a URL several scanned objects lead to keeps the first. */
function dedupe(targets: readonly ProbeTarget[]): ProbeTarget[] {
  const seen = new Map<string, ProbeTarget>();
  for (const target of targets) if (!seen.has(target.url)) seen.set(target.url, target);
  return [...seen.values()];
}
