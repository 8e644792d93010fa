import { asArray, asRecord, asString, asStringArray, labelsOf, nameOf, namespaceOf } from '../core/object.js';
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

/** Label keys whose values name an application; their values count as names. */
const IDENTIFYING_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'k8s-app', 'name'];

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

function signalsOf(backend: ServiceRef, routePrefix: string | undefined): Signals {
  const names = [backend.name];
  const qualifiedNames = [`${backend.namespace ?? ''}/${backend.name}`];
  const labels = new Set<string>();
  const labelKeys = new Set<string>();
  const addLabels = (map: Readonly<Record<string, unknown>>): void => {
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') continue;
      labelKeys.add(key);
      labels.add(`${key}=${value}`);
      if (IDENTIFYING_LABELS.includes(key)) names.push(value);
    }
  };
  const ports = new Set<number>();
  if (backend.service) {
    addLabels(labelsOf(backend.service));
    const spec = asRecord(backend.service.spec);
    addLabels(asRecord(spec?.selector) ?? {});
    for (const port of asArray(spec?.ports)) {
      addPort(ports, asRecord(port)?.port);
      addPort(ports, asRecord(port)?.targetPort);
    }
  }
  const repositories: string[] = [];
  const commands: string[] = [];
  const configMaps: string[] = [];
  for (const { object } of backend.workloads) {
    names.push(nameOf(object));
    qualifiedNames.push(`${namespaceOf(object) ?? ''}/${nameOf(object)}`);
    for (const podLabels of podLabelsOf(object)) addLabels(podLabels);
    for (const pod of podSpecsOf(object)) {
      for (const ref of volumeConfigReferences(pod.spec.volumes, 'volumes')) if (ref.kind === 'ConfigMap') configMaps.push(ref.name);
    }
    for (const { container, path } of containersOf(object)) {
      const repository = parseImageRef(imageOf(container) ?? '');
      if (repository) repositories.push(`${repository.registry}/${repository.repository}`);
      commands.push([...asStringArray(container.command), ...asStringArray(container.args)].join(' '));
      for (const port of asArray(container.ports)) addPort(ports, asRecord(port)?.containerPort);
      for (const ref of containerConfigReferences(container, path)) if (ref.kind === 'ConfigMap') configMaps.push(ref.name);
      // Container names are chosen freely (`php-redis` in a web frontend): a name, never more.
      const name = asString(container.name);
      if (name) names.push(name);
    }
  }
  return { names, qualifiedNames, labels, labelKeys, repositories, commands, configMaps, ports, routePrefix };
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
function contradictedByPorts(entry: TargetEntry, marks: ReadonlySet<Mark>, signals: Signals): boolean {
  if (!entry.namesNeedPort || signals.ports.size === 0 || marks.has('port')) return false;
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
  const signals = signalsOf(backend, routePrefix);
  let best: { entry: TargetEntry; marks: Set<Mark>; score: number } | undefined;
  for (const entry of loadTargetCatalogue()) {
    const marks = marksOf(entry, signals);
    // A port or a route prefix only supports a match: alone they identify nothing.
    if (![...marks].some((mark) => mark !== 'port' && mark !== 'route')) continue;
    if (contradictedByPorts(entry, marks, signals)) continue;
    const score = [...marks].reduce((sum, mark) => sum + WEIGHT[mark], 0);
    if (!best || score > best.score) best = { entry, marks, score };
  }
  if (!best) return undefined;
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
  return { target, marks: [...best.marks].map((m) => MARK_WORDS[m]) };
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
