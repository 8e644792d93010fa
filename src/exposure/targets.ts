import { asArray, asRecord, asString, asStringArray, labelsOf, nameOf, namespaceOf } from '../core/object.js';
import type { ScannedObject } from '../core/types.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { containersOf, imageOf, podSpecsOf } from '../k8s/workloads.js';
import { parseImageRef } from '../k8s/image-ref.js';
import { containerConfigReferences, volumeConfigReferences } from '../k8s/env-resolution.js';
import { loadTargetCatalogue, type TargetEntry } from './target-catalogue.js';
import type { ServiceRef, TargetFamily, TargetKind } from './types.js';

/**
 * Weights of the marks (see data/lists/exposure-targets.yaml). An image or a command names the
 * software; labels, ConfigMaps, a route prefix and names are what manifests call it; a port only
 * supports a match. The best-scoring entry wins, so the Hub model catalog (which runs the model
 * registry's server image) is told apart by its own labels and names.
 */
const WEIGHT = { image: 4, command: 4, labelKey: 3, label: 2, configMap: 2, route: 1, name: 1, port: 1 } as const;
type Mark = keyof typeof WEIGHT;
const MARK_ORDER = Object.keys(WEIGHT) as Mark[];

/** Label keys whose values name an application; their values count as names. */
const IDENTIFYING_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'k8s-app', 'name'];

/**
 * Every pod label key whose presence or value can change what a backend is taken for: the
 * identifying labels and the keys the target catalogue names. A workload's other labels are
 * collected as signals but match no entry, so changing them changes no verdict (the watch relies
 * on this to skip re-judging readers on label churn: `reader-visible-change.ts`).
 */
export function targetLabelKeys(): ReadonlySet<string> {
  const keys = new Set(IDENTIFYING_LABELS);
  for (const entry of loadTargetCatalogue()) {
    for (const label of entry.labels) keys.add(label.slice(0, label.indexOf('=')));
    for (const key of entry.labelKeys) keys.add(key);
  }
  return keys;
}

interface Signals {
  readonly names: readonly string[];
  readonly qualifiedNames: readonly string[];
  readonly labels: ReadonlySet<string>;
  readonly labelKeys: ReadonlySet<string>;
  readonly repositories: readonly string[];
  readonly commands: readonly string[];
  readonly configMaps: readonly string[];
  readonly ports: ReadonlySet<number>;
  readonly routePrefix: string | undefined;
}

function addPort(ports: Set<number>, value: unknown): void {
  if (typeof value === 'number' && Number.isInteger(value)) ports.add(value);
}

/** A mutable Signals under construction. */
function emptySignals(routePrefix: string | undefined) {
  return {
    names: [] as string[],
    qualifiedNames: [] as string[],
    labels: new Set<string>(),
    labelKeys: new Set<string>(),
    repositories: [] as string[],
    commands: [] as string[],
    configMaps: [] as string[],
    ports: new Set<number>(),
    routePrefix,
  };
}

function addLabels(signals: ReturnType<typeof emptySignals>, map: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') continue;
    signals.labelKeys.add(key);
    signals.labels.add(`${key}=${value}`);
    if (IDENTIFYING_LABELS.includes(key)) signals.names.push(value);
  }
}

/** What the Service itself (its name, labels, selector and ports) and the route to it show. */
function serviceSignalsOf(backend: ServiceRef, routePrefix: string | undefined): Signals {
  const signals = emptySignals(routePrefix);
  signals.names.push(backend.name);
  signals.qualifiedNames.push(`${backend.namespace ?? ''}/${backend.name}`);
  if (backend.service) {
    addLabels(signals, labelsOf(backend.service));
    const spec = asRecord(backend.service.spec);
    addLabels(signals, asRecord(spec?.selector) ?? {});
    for (const port of asArray(spec?.ports)) {
      addPort(signals.ports, asRecord(port)?.port);
      addPort(signals.ports, asRecord(port)?.targetPort);
    }
  }
  return signals;
}

/** What the workloads behind a Service show: images, commands, pod labels, ConfigMaps, ports, names. */
function workloadSignalsOf(workloads: readonly ScannedObject[]): Signals {
  const signals = emptySignals(undefined);
  for (const { object } of workloads) {
    signals.names.push(nameOf(object));
    signals.qualifiedNames.push(`${namespaceOf(object) ?? ''}/${nameOf(object)}`);
    for (const podLabels of podLabelsOf(object)) addLabels(signals, podLabels);
    for (const pod of podSpecsOf(object)) {
      for (const ref of volumeConfigReferences(pod.spec.volumes, 'volumes')) if (ref.kind === 'ConfigMap') signals.configMaps.push(ref.name);
    }
    for (const { container, path } of containersOf(object)) {
      const repository = parseImageRef(imageOf(container) ?? '');
      if (repository) signals.repositories.push(`${repository.registry}/${repository.repository}`);
      signals.commands.push([...asStringArray(container.command), ...asStringArray(container.args)].join(' '));
      for (const port of asArray(container.ports)) addPort(signals.ports, asRecord(port)?.containerPort);
      for (const ref of containerConfigReferences(container, path)) if (ref.kind === 'ConfigMap') signals.configMaps.push(ref.name);
      // Container names are chosen freely (`php-redis` in a web frontend): a name, never more.
      const name = asString(container.name);
      if (name) signals.names.push(name);
    }
  }
  return signals;
}

/**
 * Each mark is "some signal matches", so the marks of Service and workloads are the union of the
 * marks of each part. The workloads' part is kept per workloads list, which Services with one
 * selector share: N Services over N workloads read the workloads once, not N times (issue 17).
 */
interface WorkloadMarks {
  readonly byEntry: ReadonlyMap<TargetEntry, ReadonlySet<Mark>>;
  readonly hasPorts: boolean;
}
const workloadMarksCache = new WeakMap<readonly ScannedObject[], WorkloadMarks>();

function workloadMarksOf(workloads: readonly ScannedObject[]): WorkloadMarks {
  let known = workloadMarksCache.get(workloads);
  if (!known) {
    const signals = workloadSignalsOf(workloads);
    known = { byEntry: new Map(loadTargetCatalogue().map((entry) => [entry, marksOf(entry, signals)])), hasPorts: signals.ports.size > 0 };
    workloadMarksCache.set(workloads, known);
  }
  return known;
}

/** The marks of one entry that the backend shows. */
function marksOf(entry: TargetEntry, signals: Signals): Set<Mark> {
  const marks = new Set<Mark>();
  if (entry.images.some((re) => signals.repositories.some((r) => re.test(r)))) marks.add('image');
  if (entry.commands && signals.commands.some((c) => entry.commands?.test(c))) marks.add('command');
  if (entry.labelKeys.some((key) => signals.labelKeys.has(key))) marks.add('labelKey');
  if (entry.labels.some((label) => signals.labels.has(label))) marks.add('label');
  if (entry.configMaps && signals.configMaps.some((c) => entry.configMaps?.test(c))) marks.add('configMap');
  if (entry.routes && signals.routePrefix !== undefined && entry.routes.test(signals.routePrefix)) marks.add('route');
  if ((entry.names && signals.names.some((n) => entry.names?.test(n))) || entry.qualifiedNames.some((q) => signals.qualifiedNames.includes(q))) marks.add('name');
  if (entry.ports.some((p) => signals.ports.has(p))) marks.add('port');
  return marks;
}

/**
 * A match resting only on names (and perhaps a route) is dropped when the backend's ports are
 * known and none is the software's: the php-redis frontend on port 80 is not a Redis database.
 */
function contradictedByPorts(entry: TargetEntry, marks: ReadonlySet<Mark>, portsKnown: boolean): boolean {
  if (!entry.namesNeedPort || !portsKnown || marks.has('port')) return false;
  return !['image', 'command', 'labelKey', 'label', 'configMap'].some((strong) => marks.has(strong as Mark));
}

export interface Recognition {
  readonly target: TargetKind;
  /** The marks that matched, for evidence: `image, labels, route prefix`. */
  readonly marks: readonly string[];
}

const MARK_WORDS: Readonly<Record<Mark, string>> = {
  image: 'image',
  command: 'command',
  labelKey: 'label key',
  label: 'labels',
  configMap: 'ConfigMap',
  route: 'route prefix',
  name: 'name',
  port: 'port',
};

/**
 * What a backend Service is, judged by its workloads' images and commands first, then labels,
 * ConfigMaps and the gateway route prefix, and names last, so a renamed component is still
 * recognised. `routePrefix` is the path a gateway route sends to it, when there is one.
 */
export function recognizeBackend(backend: ServiceRef, routePrefix?: string): Recognition | undefined {
  let byService = recognitions.get(backend.workloads);
  if (!byService) {
    byService = new WeakMap();
    recognitions.set(backend.workloads, byService);
  }
  const service = backend.service ?? NO_SERVICE;
  let byRoute = byService.get(service);
  if (!byRoute) {
    byRoute = new Map();
    byService.set(service, byRoute);
  }
  const key = `${backend.namespace ?? '\u0000'}\u0001${backend.name}\u0001${routePrefix ?? '\u0000'}`;
  const known = byRoute.get(key);
  if (known !== undefined) return known ?? undefined;
  const recognition = recognizeAfresh(backend, routePrefix);
  // Names and route prefixes come from objects, so a hostile stream could vary them without end.
  if (byRoute.size >= MAX_ROUTES_PER_BACKEND) byRoute.clear();
  byRoute.set(key, recognition ?? null);
  return recognition;
}

/**
 * Recognitions already made, by workloads list (interned by the analysis, so a rebuild finds it),
 * Service object, and the Service's namespace, name and route prefix: every part recognition reads.
 * The webhook rebuilds the exposure analysis over each gateway change and met every backend anew.
 */
const recognitions = new WeakMap<readonly ScannedObject[], WeakMap<object, Map<string, Recognition | null>>>();
const NO_SERVICE = {};
const MAX_ROUTES_PER_BACKEND = 64;

function recognizeAfresh(backend: ServiceRef, routePrefix: string | undefined): Recognition | undefined {
  const signals = serviceSignalsOf(backend, routePrefix);
  const behind = workloadMarksOf(backend.workloads);
  const portsKnown = signals.ports.size > 0 || behind.hasPorts;
  let best: { entry: TargetEntry; marks: Set<Mark>; score: number } | undefined;
  for (const entry of loadTargetCatalogue()) {
    const marks = marksOf(entry, signals);
    for (const mark of behind.byEntry.get(entry) ?? []) marks.add(mark);
    // A port or a route prefix only supports a match: alone they identify nothing.
    if (![...marks].some((mark) => mark !== 'port' && mark !== 'route')) continue;
    if (contradictedByPorts(entry, marks, portsKnown)) continue;
    const score = [...marks].reduce((sum, mark) => sum + WEIGHT[mark], 0);
    if (!best || score > best.score) best = { entry, marks, score };
  }
  if (!best) return portAloneRecognition(backend, signals);
  const { entry, marks } = best;
  // What lowers a verdict (a ceiling, the login-page allowance) needs the software itself, seen by
  // its image: labels, names and arguments are the object author's to choose, and a database
  // dressed as the model catalog must not become medium.
  const proven = marks.has('image');
  const target: TargetKind = {
    family: entry.family,
    label: entry.label,
    ...(entry.ceiling && proven ? { ceiling: entry.ceiling, ceilingReason: entry.why ?? '' } : {}),
    ...(entry.loginSurface && proven ? { loginSurface: true } : {}),
  };
  // In the catalogue's order of weight (image first), however the two parts added them.
  return { target, marks: MARK_ORDER.filter((m) => best.marks.has(m)).map((m) => MARK_WORDS[m]) };
}

/**
 * A Service on a port that identifies its software by itself (Ray's 8265 and 10001) when nothing
 * else recognises it and none of its workloads is in the scanned set: the Ray head of a RayCluster
 * kept elsewhere. A workload that is scanned and shows no mark of the software wins over the port.
 */
function portAloneRecognition(backend: ServiceRef, signals: Signals): Recognition | undefined {
  if (!backend.service || backend.workloads.length > 0) return undefined;
  for (const entry of loadTargetCatalogue()) {
    const ports = entry.portAlone ? entry.ports.filter((p) => signals.ports.has(p)) : [];
    if (ports.length > 0) return { target: { family: entry.family, label: entry.label, byPortsAlone: ports }, marks: [MARK_WORDS.port] };
  }
  return undefined;
}

export function recognizeTarget(backend: ServiceRef, routePrefix?: string): TargetKind | undefined {
  return recognizeBackend(backend, routePrefix)?.target;
}

/**
 * Name patterns (JavaScript regex sources, also valid RE2) of one target family, for exports that
 * can only see a Service's own name (`kfguard export vap`).
 */
export function targetNamePatterns(family: TargetFamily): { readonly label: string; readonly pattern: string }[] {
  // Only plain names: a namespace-qualified one (`kubeflow/dashboard`) is too generic without its namespace.
  return loadTargetCatalogue()
    .filter((entry) => entry.family === family && entry.names)
    .map((entry) => ({ label: entry.label, pattern: entry.names?.source ?? '' }));
}
