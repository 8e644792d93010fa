import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { SourceError, UsageError } from '../../core/errors.js';
import { selectRules } from '../../core/select-rules.js';
import { escapeForTerminal } from '../../report/terminal-safe.js';
import { ALL_RULES } from '../../rules/index.js';
import { metricsUrlOf, WatchMetrics } from '../../watch/metrics.js';
import type { ClusterWriter } from '../../watch/cluster-writes.js';
import { EventSink } from '../../watch/event-sink.js';
import { PolicyReportSink } from '../../watch/policy-report-sink.js';
import { AlertWebhookSink, JsonLinesSink, redactUrl, type WatchSink } from '../../watch/sinks.js';
import { WatchSession } from '../../watch/watch-session.js';
import { boundHeapGrowth } from '../../watch/heap-growth.js';
import { stopPretenuring } from '../../watch/pretenuring.js';
import { startHeapCompaction } from '../../watch/heap-compaction.js';
import { containerMemoryLimit, heapLimitAdvice } from '../../watch/memory-limit.js';
import { listOption, parseCommandArgs, stringOption } from '../args.js';
import { CLUSTER_OPTIONS } from '../cluster-flags.js';
import { loadCliConfig } from '../config.js';
import { WATCH_HELP } from '../help.js';
import { EXIT_CLEAN, EXIT_ERROR, type CliIo } from '../io.js';

const WATCH_OPTIONS = {
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  config: { type: 'string' },
  'alert-webhook': { type: 'string' },
  'write-events': { type: 'boolean' },
  'write-policyreports': { type: 'boolean' },
  'metrics-port': { type: 'string' },
  'metrics-address': { type: 'string' },
  resync: { type: 'string' },
  rediscover: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  kubeconfig: CLUSTER_OPTIONS.kubeconfig,
  context: CLUSTER_OPTIONS.context,
  namespace: CLUSTER_OPTIONS.namespace,
  'all-namespaces': CLUSTER_OPTIONS['all-namespaces'],
} as const;

/** `--rediscover SECONDS`; absent, the live snapshot's default. */
function rediscoverOption(seconds: string | undefined): { rediscoverMs?: number } {
  return seconds === undefined ? {} : { rediscoverMs: wholeNumber(seconds, '--rediscover', 0, 86_400) * 1000 };
}

/** How long shutdown waits for the alert webhook to take what is queued. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * `kfguard watch`: keeps a live snapshot of the cluster and streams finding changes as JSON lines
 * (stdout), to an alert webhook, as Kubernetes Events and PolicyReports, and as Prometheus gauges,
 * until SIGTERM or SIGINT.
 */
export async function watchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('watch', argv, WATCH_OPTIONS);
  if (values.help) {
    io.stdout(WATCH_HELP);
    return EXIT_CLEAN;
  }
  if (positionals.length > 0) throw new UsageError(`watch reads the live cluster and takes no PATH (got ${positionals.join(' ')})`);
  const namespaces = listOption(values.namespace);
  if (namespaces.length > 0 && values['all-namespaces'] === true) throw new UsageError('--namespace and --all-namespaces exclude each other');
  const rules = selectRules(ALL_RULES, { only: listOption(values.rule), skip: listOption(values['skip-rule']), categories: listOption(values.category) });
  const config = await loadCliConfig(stringOption(values.config), io);
  const resyncMs = wholeNumber(stringOption(values.resync) ?? '10', '--resync', 1, 86_400) * 1000;
  const metricsPort = stringOption(values['metrics-port']);
  const alertUrl = stringOption(values['alert-webhook']);
  checkAlertUrl(alertUrl);
  const log = (message: string): void => io.stderr(`kfguard: ${escapeForTerminal(message)}\n`);

  const sinks: WatchSink[] = [new JsonLinesSink(io.stdout)];
  if (alertUrl !== undefined) sinks.push(new AlertWebhookSink({ url: alertUrl, onTrouble: log, onDrop: (count) => metrics?.alertsDropped.inc(count) }));
  // Written with the watch's own credentials, once it has connected.
  const writer = (): ClusterWriter | undefined => session.snapshot?.client;
  if (values['write-events'] === true) sinks.push(new EventSink({ writer, onTrouble: log }));
  if (values['write-policyreports'] === true) sinks.push(new PolicyReportSink({ writer, onTrouble: log }));
  let metrics: WatchMetrics | undefined;
  const kubeconfig = stringOption(values.kubeconfig);
  const context = stringOption(values.context);
  const session: WatchSession = new WatchSession({
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    env: io.env,
    ...(io.serviceAccountRoot === undefined ? {} : { serviceAccountRoot: io.serviceAccountRoot }),
    namespaces,
    rules: rules.filter((rule) => config.rules[rule.meta.id]?.enabled !== false),
    config,
    knownRuleIds: ALL_RULES.map((r) => r.meta.id),
    sinks,
    resyncMs,
    ...rediscoverOption(stringOption(values.rediscover)),
    log,
    onFindings: (evaluator) => metrics?.setFindings(evaluator.tracker.findings),
    onEvent: (type) => metrics?.events.inc({ type }),
  });
  let metricsServer: Server | undefined;
  if (metricsPort !== undefined) {
    const port = wholeNumber(metricsPort, '--metrics-port', 0, 65_535);
    metrics = new WatchMetrics({
      objects: () => session.snapshot?.snapshot.size ?? 0,
      synced: () => session.snapshot?.synced ?? false,
      lastHeardAt: () => session.snapshot?.lastHeardAt ?? 0,
      gaps: () => session.snapshot?.coverage.length ?? 0,
    });
    try {
      const { server, address } = await metrics.listen(port, stringOption(values['metrics-address']), () => session.snapshot?.synced ?? false);
      metricsServer = server;
      log(`metrics on ${metricsUrlOf(address)}`);
    } catch (error) {
      throw new UsageError(`cannot listen on --metrics-port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // The process watches until stopped: its memory should follow the cluster's size, not the rate of change.
  boundHeapGrowth(io.env);
  // Objects start young: pretenured sites left short-lived copies in old space pages (fragmentation).
  stopPretenuring(io.env);
  // With KFGUARD_WATCH_COMPACTION=on, old space fragmented by replaced objects is compacted when it drifts.
  const compaction = startHeapCompaction(io.env);
  // V8's heap limit is fixed at start; a container limit it does not fit is said once, with the fix.
  const advice = heapLimitAdvice(containerMemoryLimit(), getHeapStatistics().heap_size_limit);
  if (advice !== undefined) log(advice);
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  try {
    const started = await Promise.race([session.start().then(() => 'synced' as const), stopped]);
    if (started === 'synced' && session.nothingReadable) {
      throw new SourceError('nothing could be listed or watched: every kind was refused', 'check the RBAC of the account kfguard runs as; deploy/scanner/ holds a ClusterRole that suffices');
    }
    if (started === 'synced') await stopped;
    log('stopping');
    return EXIT_CLEAN;
  } catch (error) {
    if (error instanceof SourceError || error instanceof UsageError) throw error;
    io.stderr(`kfguard: error: ${escapeForTerminal(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_ERROR;
  } finally {
    await session.stop(SHUTDOWN_GRACE_MS);
    compaction?.stop();
    metricsServer?.closeAllConnections();
    await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
  }
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`invalid ${flag} "${text}"`, `use a whole number from ${min} to ${max}`);
  return value;
}

/** An http(s) URL that parses; shown redacted when not (it may carry a password or a token). */
function checkAlertUrl(url: string | undefined): void {
  if (url !== undefined && (!/^https?:\/\//.test(url) || !URL.canParse(url))) throw new UsageError(`invalid --alert-webhook "${redactUrl(url)}"`, 'give an http:// or https:// URL');
}
