import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../config/load.js';
import { CONFIG_VOCABULARY } from '../config.js';
import { webhookSettingsSchema, type WebhookExemption } from '../../config/webhook-schema.js';
import { UsageError, errorMessage } from '../../core/errors.js';
import type { KfguardConfig } from '../../core/config-types.js';
import type { Rule } from '../../core/rule.js';
import { isSeverity, SEVERITIES } from '../../core/severity.js';
import { ALL_RULES } from '../../rules/index.js';
import { generateCertificates } from '../../webhook/certs.js';
import { readKeyPair } from '../../webhook/cert-reload.js';
import { createLogger } from '../../webhook/logging.js';
import { renderManifests } from '../../webhook/manifests.js';
import { WebhookMetrics } from '../../webhook/metrics.js';
import { WebhookServer } from '../../webhook/server.js';
import { DEFAULT_DECISION_SETTINGS, DEFAULT_SHUTDOWN_DELAY_SECONDS, FAILURE_POLICIES, WEBHOOK_MODES, type FailurePolicy, type WebhookMode } from '../../webhook/settings.js';
import type { LiveSnapshot } from '../../sources/cluster/live-snapshot.js';
import { startLiveSnapshot } from '../../webhook/live-snapshot-loader.js';
import { loadSnapshotFromFiles } from '../../webhook/snapshot-loader.js';
import { nearestWords } from '../../core/nearest.js';
import { parseCommandArgs, stringOption } from '../args.js';
import { WEBHOOK_CERTS_HELP, WEBHOOK_HELP, WEBHOOK_MANIFESTS_HELP, WEBHOOK_SERVE_HELP } from '../help.js';
import { EXIT_CLEAN, EXIT_ERROR, type CliIo } from '../io.js';
import { makeDirectories } from '../make-directories.js';

export async function webhookCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    io.stderr(WEBHOOK_HELP);
    return EXIT_ERROR;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(WEBHOOK_HELP);
    return EXIT_CLEAN;
  }
  if (sub === 'serve') return serve(rest, io);
  if (sub === 'certs') return certs(rest, io);
  if (sub === 'manifests') return manifests(rest, io);
  const near = nearestWords(sub, ['serve', 'certs', 'manifests']);
  throw new UsageError(`unknown webhook command "${sub}"`, `${near.length > 0 ? `did you mean \`kfguard webhook ${near[0]}\`? ` : ''}webhook commands: serve, certs, manifests`);
}

async function serve(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('webhook serve', argv, {
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    port: { type: 'string' },
    address: { type: 'string' },
    'snapshot-from': { type: 'string', multiple: true },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    config: { type: 'string' },
    'deny-severity': { type: 'string' },
    mode: { type: 'string' },
    'failure-policy': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'shutdown-delay': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(WEBHOOK_SERVE_HELP);
    return EXIT_CLEAN;
  }
  const certFile = required(values['tls-cert'], '--tls-cert');
  const keyFile = required(values['tls-key'], '--tls-key');
  const snapshotPaths = (values['snapshot-from'] as string[] | undefined) ?? [];
  const kubeconfig = stringOption(values.kubeconfig);
  const clusterContext = stringOption(values.context);
  if (snapshotPaths.length > 0 && (kubeconfig !== undefined || clusterContext !== undefined)) throw new UsageError('--snapshot-from and --kubeconfig/--context exclude each other', 'the snapshot comes either from files or from the live cluster');
  // A mistyped path would leave a server ready over an empty cluster, where every cross-object rule
  // (the gateway and its auth chain) judges against nothing.
  for (const path of snapshotPaths) {
    if (!existsSync(resolve(io.cwd, path))) throw new UsageError(`--snapshot-from ${path}: no such file or directory`, 'give the manifests of the cluster the webhook judges against');
  }
  const connection = { ...(kubeconfig === undefined ? {} : { kubeconfig }), ...(clusterContext === undefined ? {} : { context: clusterContext }), env: io.env };
  // No cluster configured at all is a usage problem to say now, not a readiness probe failing forever.
  if (snapshotPaths.length === 0) await (await import('../../sources/cluster/connection.js')).connect(connection);
  const port = integer(stringOption(values.port) ?? '8443', '--port', 0, 65_535);
  const deadlineMs = integer(stringOption(values['timeout-ms']) ?? String(DEFAULT_DECISION_SETTINGS.deadlineMs), '--timeout-ms', 1, 29_000);
  const shutdownDelay = integer(stringOption(values['shutdown-delay']) ?? String(DEFAULT_SHUTDOWN_DELAY_SECONDS), '--shutdown-delay', 0, 300);
  const denySeverity = stringOption(values['deny-severity']) ?? 'critical';
  if (!isSeverity(denySeverity)) throw new UsageError(`invalid --deny-severity "${denySeverity}"`, `use one of: ${SEVERITIES.join(', ')}`);
  const mode = oneOf<WebhookMode>(stringOption(values.mode) ?? 'enforce', WEBHOOK_MODES, '--mode');
  const failurePolicy = oneOf<FailurePolicy>(stringOption(values['failure-policy']) ?? 'fail', FAILURE_POLICIES, '--failure-policy');

  const { config, exemptions } = await loadServerConfig(stringOption(values.config), io);
  let tls;
  try {
    tls = await readKeyPair(resolve(io.cwd, certFile), resolve(io.cwd, keyFile));
  } catch (error) {
    throw new UsageError(`cannot read the TLS certificate or key: ${errorMessage(error)}`);
  }
  const logger = createLogger();
  const metrics = new WebhookMetrics({ processMetrics: true });
  const rules = enabledRules(config);
  const server = new WebhookServer({
    tls,
    certFiles: { cert: resolve(io.cwd, certFile), key: resolve(io.cwd, keyFile) },
    snapshotSource: snapshotPaths.length > 0 ? `files: ${snapshotPaths.join(', ')}` : 'live cluster (list and watch)',
    context: { rules, config, settings: { denySeverity, mode, failurePolicy, deadlineMs, exemptions }, metrics, logger },
  });
  try {
    const address = await server.listen(port, stringOption(values.address));
    logger.info({ address: address.address, port: address.port, mode, failurePolicy, denySeverity, deadlineMs, exemptions: exemptions.length }, 'kfguard webhook listening');
  } catch (error) {
    throw new UsageError(`cannot listen on port ${port}: ${errorMessage(error)}`);
  }
  // The server answers /healthz while the snapshot loads; /readyz says ready once it has.
  const stopLive = new AbortController();
  let live: Promise<LiveSnapshot | undefined> | undefined;
  let ageTimer: NodeJS.Timeout | undefined;
  if (snapshotPaths.length === 0) {
    live = startLiveSnapshot({
      ...connection,
      rules,
      logger,
      signal: stopLive.signal,
      onSynced: (loaded, snapshot) => {
        server.setSnapshot(loaded);
        // Snapshot age: time since the API server last showed it current (an event or a bookmark).
        ageTimer = setInterval(() => metrics.snapshotLoaded(snapshot.lastHeardAt), 1_000);
        ageTimer.unref();
        logger.info({ objects: loaded.objects, gaps: loaded.coverageGaps?.().length ?? 0 }, 'snapshot synced; ready');
      },
      onUnreachable: (message) => {
        server.snapshotFailed(message);
        logger.error({ err: message }, 'cannot reach the cluster for the snapshot; not ready, retrying');
      },
    });
  } else {
    loadSnapshotFromFiles(snapshotPaths, io.cwd).then(
      (loaded) => {
        server.setSnapshot(loaded);
        for (const problem of loaded.problems) logger.warn({ file: problem.file, line: problem.line }, 'snapshot input not readable');
        logger.info({ objects: loaded.objects, problems: loaded.problems.length }, 'snapshot loaded; ready');
      },
      (error: unknown) => {
        server.snapshotFailed(errorMessage(error));
        logger.error({ err: errorMessage(error) }, 'snapshot could not be loaded; not ready');
      },
    );
  }
  // Never crash on a stray error: log it and keep answering (the API server would otherwise fail every request).
  const onStray = (error: unknown): void => logger.error({ err: errorMessage(error) }, 'unexpected error');
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  logger.info({ signal, shutdownDelaySeconds: shutdownDelay }, 'not ready; serving until the shutdown delay ends, then draining in-flight reviews');
  await server.shutdown(shutdownDelay * 1000);
  stopLive.abort();
  clearInterval(ageTimer);
  await (await live)?.stop();
  logger.info('stopped');
  // The destination writes asynchronously: flush before the process exits.
  await new Promise<void>((done) => logger.flush(() => done()));
  return EXIT_CLEAN;
}

async function loadServerConfig(explicit: string | undefined, io: CliIo): Promise<{ config: Awaited<ReturnType<typeof loadConfig>>['config']; exemptions: WebhookExemption[] }> {
  // Only an explicit file: a server must not pick up whatever .kfguard.yaml sits above its working directory.
  if (explicit === undefined) return { config: (await import('../../core/config-types.js')).DEFAULT_CONFIG, exemptions: [] };
  const loaded = await loadConfig({ explicit, cwd: io.cwd, ...CONFIG_VOCABULARY });
  for (const warning of loaded.warnings) io.stderr(`kfguard: warning: ${warning}\n`);
  // Already validated by loadConfig (the schema includes `webhook:`); read again for the section it does not keep.
  const raw = parseYaml(await readFile(resolve(io.cwd, explicit), 'utf8')) as { webhook?: unknown } | null;
  const settings = webhookSettingsSchema.parse(raw?.webhook ?? {});
  return { config: loaded.config, exemptions: settings.exemptions ?? [] };
}

async function certs(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('webhook certs', argv, {
    out: { type: 'string' },
    service: { type: 'string' },
    namespace: { type: 'string' },
    days: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(WEBHOOK_CERTS_HELP);
    return EXIT_CLEAN;
  }
  const out = resolve(io.cwd, required(values.out, '--out'));
  const service = stringOption(values.service) ?? 'kfguard-webhook';
  const namespace = stringOption(values.namespace) ?? 'kfguard';
  const days = integer(stringOption(values.days) ?? '365', '--days', 1, 3_650);
  const generated = await generateCertificates({ service, namespace, days });
  await makeDirectories(out);
  const files: [string, string, number][] = [
    ['ca.crt', generated.caCert, 0o644],
    ['ca.key', generated.caKey, 0o600],
    ['tls.crt', generated.cert, 0o644],
    ['tls.key', generated.key, 0o600],
  ];
  for (const [name, content, mode] of files) await writeFile(join(out, name), content, { mode });
  io.stdout(`wrote ca.crt, ca.key, tls.crt, tls.key to ${out} for ${service}.${namespace}.svc (valid ${days} days)\n`);
  io.stdout(`caBundle: kfguard webhook manifests --self-signed --ca-file ${join(out, 'ca.crt')}\n`);
  return EXIT_CLEAN;
}

async function manifests(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('webhook manifests', argv, {
    namespace: { type: 'string' },
    'cert-manager': { type: 'boolean' },
    'self-signed': { type: 'boolean' },
    'ca-file': { type: 'string' },
    'failure-policy': { type: 'string' },
    image: { type: 'string' },
    config: { type: 'string' },
    'snapshot-configmap': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(WEBHOOK_MANIFESTS_HELP);
    return EXIT_CLEAN;
  }
  if (values['cert-manager'] && values['self-signed']) throw new UsageError('--cert-manager and --self-signed exclude each other');
  const caFile = stringOption(values['ca-file']);
  if (caFile !== undefined && !values['self-signed']) throw new UsageError('--ca-file goes with --self-signed');
  let caBundle: string | undefined;
  if (caFile !== undefined) {
    try {
      caBundle = Buffer.from(await readFile(resolve(io.cwd, caFile))).toString('base64');
    } catch (error) {
      throw new UsageError(`cannot read --ca-file: ${errorMessage(error)}`);
    }
  }
  const failurePolicy = oneOf<FailurePolicy>(stringOption(values['failure-policy']) ?? 'fail', FAILURE_POLICIES, '--failure-policy');
  // The server's config: its disabled rules narrow what the API server sends and what RBAC grants.
  const configFile = stringOption(values.config);
  const rules = configFile === undefined ? ALL_RULES : enabledRules((await loadServerConfig(configFile, io)).config);
  io.stdout(
    renderManifests({
      rules,
      namespace: stringOption(values.namespace) ?? 'kfguard',
      tls: values['self-signed'] ? 'self-signed' : 'cert-manager',
      failurePolicy,
      snapshot: values['snapshot-configmap'] ? 'configmap' : 'live',
      ...(caBundle !== undefined ? { caBundle } : {}),
      ...(stringOption(values.image) !== undefined ? { image: stringOption(values.image) as string } : {}),
    }),
  );
  return EXIT_CLEAN;
}

function enabledRules(config: KfguardConfig): Rule[] {
  return ALL_RULES.filter((rule) => config.rules[rule.meta.id]?.enabled !== false);
}

function required(value: unknown, flag: string): string {
  const text = stringOption(value);
  if (text === undefined || text === '') throw new UsageError(`${flag} is required`, 'run `kfguard webhook serve --help` for usage');
  return text;
}

function integer(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`invalid ${flag} "${text}"`, `use a whole number from ${min} to ${max}`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`invalid ${flag} "${value}"`, `use one of: ${allowed.join(', ')}`);
  return value as T;
}
