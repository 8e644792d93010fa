import { apiGroupOf, asArray, asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { RuleContext } from '../core/rule.js';
import type { K8sObject } from '../core/types.js';
import { containerConfigReferences, referencedObject, storedValuesOf, volumeConfigReferences, type ConfigReference } from '../k8s/env-resolution.js';
import { WORKLOAD_SHAPES } from '../k8s/workload-shapes.js';
import { containersOf, podSpecsOf, runsCodeOutsideContainers, type ContainerRef } from '../k8s/workloads.js';
import { configVolumeNames } from './config-references.js';
import { scanCustomResourceText } from './custom-resource-text.js';
import { scanHostConfig } from './host-config.js';
import { capDataPoolSignals, foundMinerConfig, isDetectionRuleText, notebookCode, pythonWithoutCommentsAndDocstrings } from './precision.js';
import { readableText } from './decode.js';
import { CRON_TEXT, isScheduledKind } from './droppers.js';
import { scanExternalNameService } from './external-name.js';
import { judgeImage } from './images.js';
import { imageRepository, indicatorsFor } from './indicators.js';
import { minerOptionsOf } from './miner-options.js';
import { isPython } from './shell.js';
import type { Signal, Site } from './signals.js';
import { createScanState, signal, type ArgvElement, type ScanState } from './scan-queue.js';
import { scanArgumentText, scanArgv, scanRaw, scanScript } from './text-scan.js';
import { matchWallet, shortWallet, type WalletMatch } from './wallets.js';
import { containerVariables, resolveVariables } from './variables.js';
import { scanWorkflowInputs } from './workflow-inputs.js';

const PIPELINE_KINDS = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'ScheduledWorkflow', 'PipelineSpec']);
const PIPELINE_KEY = /^(?:pipelines\.kubeflow\.org\/|workflows\.argoproj\.io\/|pipeline\/runid$)/;
const SCRIPT_KEY = /\.(?:sh|bash|py)$/;
const CONFIGURATION_ONLY_GROUPS: ReadonlySet<string> = new Set(WORKLOAD_SHAPES.configurationOnlyGroups);

/** What a workload scan reads from the rule context; callers outside the engine pass `unlimitedBudget()`. */
export type ScanContext = Pick<RuleContext, 'budget' | 'config' | 'inventory'>;

export interface WorkloadScan {
  readonly signals: readonly Signal[];
  /** Why the scan stopped before reading everything (depth, bytes, time); empty when it did not. */
  readonly cutShort: readonly string[];
}

/**
 * Every miner signal of one object, over all its containers and the ConfigMaps and Secrets they
 * use. Work is drawn from `ctx.budget`; signals found before it ran out are kept.
 */
export function scanWorkload(object: K8sObject, ctx: ScanContext): WorkloadScan {
  // A core Service runs nothing; a Knative Service (same kind, another group) is a workload.
  if (object.kind === 'Service' && apiGroupOf(object.apiVersion) === '') {
    const state = createScanState(indicatorsFor(minerOptionsOf(ctx.config)), ctx.budget);
    scanExternalNameService(object, state);
    return { signals: state.signals, cutShort: state.cutShort };
  }
  const containers = containersOf(object);
  const pipeline = isPipelineObject(object);
  const customText = !pipeline && isCustomResource(object);
  if (containers.length === 0 && !pipeline && !customText && !runsCodeOutsideContainers(object)) return { signals: [], cutShort: [] };
  const state = createScanState(indicatorsFor(minerOptionsOf(ctx.config)), ctx.budget);
  scanHostConfig(object, state);
  scanWorkflowInputs(object, pipeline, state, ctx.inventory);
  const scannedRefs = new Set<string>();
  for (const ref of containers) {
    const before = state.signals.length;
    scanContainer(ref, object, ctx, state, scannedRefs);
    checkCampaignPattern(ref, pipeline || hasPipelineMetadata(ref.holder.metadata) || hasPipelineMetadata(asRecord(ref.holder.spec.metadata)), state, before);
  }
  // A custom resource may run a miner through its operator with no pod template at all.
  if (customText) scanCustomResourceText(object, state);
  const holders = podSpecsOf(object);
  for (const holder of holders) {
    const runAsConfig = once(() => configVolumeNames(containers.filter((ref) => ref.holder.path === holder.path)));
    scanVolumes(asArray(holder.spec.volumes), joinPath(holder.path, 'volumes'), object, ctx, state, scannedRefs, runAsConfig);
  }
  // Argo declares volumes once for the whole workflow, beside its templates.
  const spec = asRecord(object.spec);
  if (spec && !holders.some((h) => h.spec === spec)) scanVolumes(asArray(spec.volumes), 'spec.volumes', object, ctx, state, scannedRefs, once(() => configVolumeNames(containers)));
  checkScheduledDownload(object, containers, state);
  checkRivalKill(object, containers, state);
  return { signals: state.signals, cutShort: state.cutShort };
}

function scanContainer(ref: ContainerRef, object: K8sObject, ctx: ScanContext, state: ScanState, scannedRefs: Set<string>): void {
  const { container, path } = ref;
  const label = `container "${ref.name || path}"`;
  const site = (field: string, ...segments: (string | number)[]): Site => ({ where: `${label} ${field}`, path: joinPath(path, ...segments) });
  // Every argv element needs a site, most never hold a signal: built without joinPath's rest array and key checks
  // (`command` and `args` are plain keys, so the path is exactly what joinPath would give).
  const argSite = (key: 'command' | 'args', i: number): Site => ({ where: `${label} ${key}[${i}]`, path: path === '' ? `${key}[${i}]` : `${path}.${key}[${i}]` });
  const image = asString(container.image);
  const imageVerdict = image === undefined ? undefined : judgeImage(image, state.indicators);
  if (image !== undefined && imageVerdict) {
    signal(state, imageVerdict.kind, imageVerdict.word ? `${image} (says "${imageVerdict.word}")` : image, site('image', 'image'), '');
  }
  // Built in loops: this runs for every container of every object, and most have neither list.
  const argv: ArgvElement[] = [];
  const commandList = asArray(container.command);
  for (let i = 0; i < commandList.length; i++) argv.push({ text: scalarText(commandList[i]), site: argSite('command', i) });
  const args = asArray(container.args);
  for (let i = 0; i < args.length; i++) argv.push({ text: scalarText(args[i]), site: argSite('args', i) });
  scanArgv(argv, '', state);
  // Only text with a `$` can name a variable, and most command lines have none.
  // With no variables defined nothing can be replaced.
  const variables = namesVariable(argv) ? containerVariables(container, object, ctx.inventory) : undefined;
  if (variables !== undefined && variables.size > 0) {
    const resolved = argv.map((a) => ({ ...a, resolved: resolveVariables(a.text, variables) }));
    const replaced = resolved.flatMap((r) => r.resolved.replaced);
    if (replaced.length > 0) {
      scanArgv(resolved.map((r) => ({ text: r.resolved.text, site: r.site })), `after resolving ${[...new Set(replaced)].join(', ')}`, state);
    }
  }
  const source = asString(container.source);
  if (source !== undefined) {
    const sourceSite = site('script source', 'source');
    const command = asArray(container.command).map(scalarText);
    if (command[0] !== undefined && isPython(command[0])) scanRaw(pythonWithoutCommentsAndDocstrings(source), sourceSite, '', state);
    else scanScript(source, sourceSite, '', state);
  }
  // A Tekton step's inline script runs as the step's program.
  const tektonScript = asString(container.script);
  if (tektonScript !== undefined) {
    const scriptSite = site('script', 'script');
    if (/^#!.*python/.test(tektonScript)) scanRaw(pythonWithoutCommentsAndDocstrings(tektonScript), scriptSite, '', state);
    else scanScript(tektonScript, scriptSite, '', state);
  }
  scanEnv(container, site, state);
  scanExecCommands(container, site, state);
  scanEnvReferences(container, path, object, ctx, state, scannedRefs);
}

/** Lifecycle hooks and exec probes; an empty command list is not read (`scanArgv` skips it), so none is made. */
function scanExecCommands(container: JsonRecord, site: (field: string, ...segments: (string | number)[]) => Site, state: ScanState): void {
  const lifecycle = asRecord(container.lifecycle);
  if (lifecycle) {
    for (const hook of LIFECYCLE_HOOKS) {
      const hookCommand = asArray(asRecord(asRecord(lifecycle[hook])?.exec)?.command);
      if (hookCommand.length > 0) scanArgv(hookCommand.map((v, i) => ({ text: scalarText(v), site: site(`${hook} command[${i}]`, 'lifecycle', hook, 'exec', 'command', i) })), '', state);
    }
  }
  // An exec probe runs its command inside the container on a timer: a quiet way to start a miner.
  for (const probe of EXEC_PROBES) {
    const probeCommand = asArray(asRecord(asRecord(container[probe])?.exec)?.command);
    if (probeCommand.length > 0) scanArgv(probeCommand.map((v, i) => ({ text: scalarText(v), site: site(`${probe} command[${i}]`, probe, 'exec', 'command', i) })), '', state);
  }
}

const LIFECYCLE_HOOKS = ['postStart', 'preStop'] as const;
const EXEC_PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;

function namesVariable(argv: readonly ArgvElement[]): boolean {
  for (const element of argv) if (element.text.includes('$')) return true;
  return false;
}

/** Signals that, found in a container's env, show the env configures a miner: then a wallet beside them counts. */
const MINER_ENV_KINDS: ReadonlySet<Signal['kind']> = new Set(['pool-host', 'stratum-url', 'pool-port', 'miner-flag', 'mining-algorithm', 'miner-command-line']);

function scanEnv(container: JsonRecord, site: (field: string, ...segments: (string | number)[]) => Site, state: ScanState): void {
  const from = state.signals.length;
  const wallets: { readonly wallet: WalletMatch; readonly site: Site }[] = [];
  asArray(container.env).forEach((entry, i) => {
    const env = asRecord(entry);
    const name = asString(env?.name) ?? `#${i}`;
    const value = asString(env?.value);
    if (value === undefined || value === '') return;
    const valueSite = site(`env ${name}`, 'env', i, 'value');
    scanRaw(value, valueSite, '', state);
    scanArgumentText(value, valueSite, '', state);
    const wallet = matchWallet(value);
    if (wallet?.distinctive) wallets.push({ wallet, site: valueSite });
  });
  // A wallet alone in env is not evidence (wallet and payment apps keep one there); beside a pool or
  // miner flags in the same env it is the miner's login, passed the way miner images read it (POOL_USER).
  // Plain-hex wallets (EVM, Iron Fish) never count here: they look like any contract address or key.
  if (wallets.length === 0 || !state.signals.slice(from).some((s) => MINER_ENV_KINDS.has(s.kind))) return;
  for (const { wallet, site: walletSite } of wallets) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, walletSite, '');
}

/** ConfigMaps and Secrets a container pulls in through `envFrom` and `valueFrom`. */
function scanEnvReferences(container: JsonRecord, path: string, object: K8sObject, ctx: ScanContext, state: ScanState, scanned: Set<string>): void {
  for (const ref of containerConfigReferences(container, path)) scanConfigObject(ref, object, ctx, state, scanned, never);
}

const never = (): boolean => false;

/** Calls `make` the first time the value is asked for: most pods mount no ConfigMap the scan can read. */
function once<T>(make: () => T): () => T {
  let value: { readonly made: T } | undefined;
  return () => (value ??= { made: make() }).made;
}

/** `runAsConfig`: volumes a container passes to a program as its config file (`--config /etc/x/config.json`). */
function scanVolumes(volumes: readonly unknown[], path: string, object: K8sObject, ctx: ScanContext, state: ScanState, scanned: Set<string>, runAsConfig: () => ReadonlySet<string>): void {
  if (volumes.length === 0) return;
  for (const ref of volumeConfigReferences(volumes, path)) {
    const volume = ref.volume;
    scanConfigObject(ref, object, ctx, state, scanned, () => volume !== undefined && runAsConfig().has(volume.name));
  }
}

/**
 * Scans each key of a referenced ConfigMap or Secret. Secret `data` is decoded in memory only, and
 * its sites are marked secret so evidence names the Secret and key but never the value.
 */
function scanConfigObject(ref: ConfigReference, object: K8sObject, ctx: ScanContext, state: ScanState, scanned: Set<string>, runAsConfig: () => boolean): void {
  const { kind, name } = ref;
  const namespace = object.metadata?.namespace;
  const key = `${kind}/${name}`;
  if (scanned.has(key)) return;
  scanned.add(key);
  const target = referencedObject(ctx.inventory, kind, namespace, name);
  if (!target) return;
  const display = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const passedAsConfig = runAsConfig();
  // Binary Secret data (keystores, images) is not text a miner could hide in.
  for (const { key: dataKey, value: text } of storedValuesOf(target, readableText)) {
    const site: Site = { where: `${display} key "${dataKey}"`, path: ref.path, ...(kind === 'Secret' ? { secret: true } : {}) };
    scanStoredText(dataKey, text, site, state, passedAsConfig, commandsName(object, dataKey));
  }
}

/**
 * Whether a container's command, args or script names this key (`sh /rules/falco_rules.yaml`):
 * text that parses as detection rules can still run as a shell script, so it is then read.
 */
function commandsName(object: K8sObject, dataKey: string): boolean {
  return containersOf(object).some(({ container }) => [container.command, container.args, container.script].some((part) => part !== undefined && JSON.stringify(part).includes(dataKey)));
}

/**
 * One key of a ConfigMap or Secret. Its pool hosts are decisive only when it is a miner config (its
 * shape says so, or a container passes it as a program's `--config`); detection rules (a Falco
 * rules file listing pool domains) and notebook markdown run nothing and are not read.
 */
function scanStoredText(dataKey: string, text: string, site: Site, state: ScanState, runAsConfig: boolean, namedByCommand: boolean): void {
  if (!namedByCommand && isDetectionRuleText(text)) return;
  const from = state.signals.length;
  const notebook = /\.ipynb$/.test(dataKey) || text.trimStart().startsWith('{') ? notebookCode(text) : undefined;
  if (notebook !== undefined) scanRaw(pythonWithoutCommentsAndDocstrings(notebook), { ...site, where: `${site.where} code cells` }, '', state);
  else if (/\.py$/.test(dataKey) || /^#!.*python/.test(text)) scanRaw(pythonWithoutCommentsAndDocstrings(text), site, '', state);
  else if (SCRIPT_KEY.test(dataKey) || text.startsWith('#!')) scanScript(text, site, '', state);
  else scanRaw(text, site, '', state);
  if (!runAsConfig && !foundMinerConfig(state, from)) capDataPoolSignals(state, from);
}

/**
 * An argv element as the kubelet would pass it. Nested arrays or objects are not valid argv (the
 * API server refuses them), and stringifying a hostile, deeply nested one would overflow the stack.
 */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** The 2021 campaign: a clean ML image whose step downloads and runs a binary, inside a pipeline. */
function checkCampaignPattern(ref: ContainerRef, inPipeline: boolean, state: ScanState, firstSignal: number): void {
  const image = asString(ref.container.image);
  if (!inPipeline || image === undefined) return;
  // The step's own signals first: almost every step has none, and then its image does not matter.
  if (!ownSignalsFetchABinary(state.signals, firstSignal)) return;
  const repo = imageRepository(image);
  if (state.indicators.trustedImages.has(repo)) return;
  if (!state.indicators.mlFrameworkImagePrefixes.some((p) => (p.endsWith('/') ? repo.startsWith(p) : repo === p))) return;
  const site: Site = { where: `container "${ref.name || ref.path}" image`, path: joinPath(ref.path, 'image') };
  signal(state, 'campaign-pattern', `${image} in a pipeline step that downloads and runs a binary`, site, '');
  const gpu = gpuResource(ref.container);
  if (gpu) signal(state, 'gpu-request', gpu, { where: `container "${ref.name || ref.path}" resources`, path: joinPath(ref.path, 'resources') }, '');
}

function ownSignalsFetchABinary(signals: readonly Signal[], from: number): boolean {
  for (let i = from; i < signals.length; i++) if (fetchesABinary(signals[i] as Signal)) return true;
  return false;
}

/** The campaign ran downloaded binaries; `curl … | python3` installers are common and do not qualify. */
function fetchesABinary(s: Signal): boolean {
  return s.kind === 'miner-download' || s.kind === 'raw-ip-download' || (s.kind === 'download-exec' && /^download, (?:chmod \+x|unpack), run /.test(s.token));
}

/** The GPU resource a container asks for (`nvidia.com/gpu`, a KFP `accelerator`), if any. */
function gpuResource(container: JsonRecord): string | undefined {
  const resources = container.resources;
  if (!isRecord(resources)) return undefined;
  return /"([^"]*(?:gpu|accelerator)[^"]*)"/i.exec(JSON.stringify(resources))?.[1];
}

/** KFP and Argo objects, or anything they created (their labels and annotations mark the pods). */
function isPipelineObject(object: K8sObject): boolean {
  return PIPELINE_KINDS.has(object.kind) || hasPipelineMetadata(object.metadata as JsonRecord | undefined);
}

/**
 * Custom resources (any API group outside Kubernetes' own) whose text is judged as data: an
 * operator may turn a spec field into a miner's command line. Kinds whose text kfguard already
 * reads as what runs (pipelines, Ray jobs, Spark, templates, node configs) are not read twice.
 */
function isCustomResource(object: K8sObject): boolean {
  const group = apiGroupOf(object.apiVersion);
  if (!group.includes('.') || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'))) return false;
  // kfguard's own stand-ins (a refused document's text, a probe result) have rules of their own.
  if (CONFIGURATION_ONLY_GROUPS.has(group) || /(?:^|\.)kfguard\.(?:dev|io)$/.test(group)) return false;
  return !runsCodeOutsideContainers(object) && object.kind !== 'CustomResourceDefinition';
}

function hasPipelineMetadata(metadata: JsonRecord | undefined): boolean {
  if (!metadata) return false;
  return hasPipelineKey(asRecord(metadata.labels)) || hasPipelineKey(asRecord(metadata.annotations));
}

/** Without a list of both maps' keys: this runs per object and per container. */
function hasPipelineKey(map: JsonRecord | undefined): boolean {
  if (!map) return false;
  for (const key of Object.keys(map)) if (PIPELINE_KEY.test(key)) return true;
  return false;
}

/** A download-and-run that a CronJob, CronWorkflow or crontab line repeats: it survives every cleanup. */
function checkScheduledDownload(object: K8sObject, containers: readonly ContainerRef[], state: ScanState): void {
  const run = state.signals.find((s) => s.kind === 'download-exec');
  if (!run) return;
  if (isScheduledKind(object.kind)) {
    signal(state, 'scheduled-download', `${object.kind} repeats it`, run.site, run.layer);
    return;
  }
  if (commandTexts(object, containers).some((text) => CRON_TEXT.test(text))) signal(state, 'scheduled-download', 'a crontab entry repeats it', run.site, run.layer);
}

/** A kill command: `pkill`/`killall`, or `kill` fed by `pgrep`, `pidof` or `ps … | grep`. */
const KILL_VERB = /(?:^|[\s;&|(`'"$])(?:pkill|killall|kill|xargs\s+(?:-\S+\s+)*kill)\b/;

/**
 * Miner kits kill the miners already there before starting their own (ShadowRay 2.0, MITRE C0045;
 * Kinsing's `kdevtmpfsi` is a usual target): a kill command that names a known miner binary, in
 * the same command (pipes included), is a signal of its own.
 */
function checkRivalKill(object: K8sObject, containers: readonly ContainerRef[], state: ScanState): void {
  const named = rivalKilled(object, containers, state.indicators.minerBinaries);
  if (named === undefined) return;
  const site: Site = object.kind === 'RayJob' ? { where: 'Ray job entrypoint', path: 'spec.entrypoint' } : { where: 'container command', path: containers[0]?.path ?? '' };
  signal(state, 'rival-kill', named, site, '');
}

/**
 * The first miner a kill command names, over `commandTexts` in its order, read in place: every
 * workload is checked and almost none kills anything, so no list of its texts is made.
 */
function rivalKilled(object: K8sObject, containers: readonly ContainerRef[], miners: ReadonlySet<string>): string | undefined {
  for (const { container } of containers) {
    const named = rivalInList(container.command, miners) ?? rivalInList(container.args, miners) ?? rivalIn(scalarText(container.source), miners) ?? rivalIn(scalarText(container.script), miners);
    if (named !== undefined) return named;
  }
  const entrypoint = object.kind === 'RayJob' ? asString(asRecord(object.spec)?.entrypoint) : undefined;
  return entrypoint === undefined ? undefined : rivalIn(entrypoint, miners);
}

function rivalInList(list: unknown, miners: ReadonlySet<string>): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const item of list) {
    const named = rivalIn(scalarText(item), miners);
    if (named !== undefined) return named;
  }
  return undefined;
}

/** The first miner named by a kill command within one text (pipes included), if any. */
function rivalIn(text: string, miners: ReadonlySet<string>): string | undefined {
  if (!KILL_VERB.test(text)) return undefined;
  for (const command of text.split(/;|&&|\|\||\n/)) {
    if (!KILL_VERB.test(command)) continue;
    const named = command.toLowerCase().match(/[a-z0-9_.-]+/g)?.find((word) => miners.has(word));
    if (named !== undefined) return named;
  }
  return undefined;
}

/**
 * Every place that holds what the object runs: container argv, Argo script `source`, Tekton
 * `script`, and a Ray job's entrypoint (ShadowRay 2.0 wrote its crontab line there). KFP
 * executors reach here as containers.
 */
function commandTexts(object: K8sObject, containers: readonly ContainerRef[]): string[] {
  const texts = containers.flatMap(({ container }) => [...asArray(container.command), ...asArray(container.args), container.source, container.script].map(scalarText));
  const entrypoint = object.kind === 'RayJob' ? asString(asRecord(object.spec)?.entrypoint) : undefined;
  return entrypoint === undefined ? texts : [...texts, entrypoint];
}
