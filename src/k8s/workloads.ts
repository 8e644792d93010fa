import { isBuiltInWorkloadKind } from '../core/bookkeeping.js';
import { MAX_SEARCH_DEPTH } from '../core/budget.js';
import yaml from 'js-yaml';
import { asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { formatPath, joinPath, parsePath, type PathSegment } from '../core/path.js';
import { RecentCache } from '../core/recent-cache.js';
import { sharedCopy, sharedPath } from './shared-paths.js';
import type { K8sObject } from '../core/types.js';
import { hostFilesOf, isMachineConfig, isStaticPodManifest } from './machine-config.js';
import { substitutedTemplate } from './openshift-template.js';
import { WORKLOAD_SHAPES, matchesKind, type ContainerRole } from './workload-shapes.js';

export type { ContainerRole } from './workload-shapes.js';

export interface ContainerRef {
  readonly container: JsonRecord;
  /** Path of the container object, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly name: string;
  readonly role: ContainerRole;
  /** The pod spec (or Argo template) that holds this container, with its path. */
  readonly holder: PodSpecRef;
}

export interface PodSpecRef {
  /** A PodSpec, or the object that plays its part (an Argo template, a KFP executor). */
  readonly spec: JsonRecord;
  readonly path: string;
  /** Pod template metadata when the shape has one (`spec.template.metadata`). */
  readonly metadata?: JsonRecord;
}

const CONTAINER_LISTS: Readonly<Record<string, ContainerRole>> = WORKLOAD_SHAPES.containerLists;
const SINGLE_CONTAINER_KEYS: ReadonlySet<string> = new Set(WORKLOAD_SHAPES.singleContainerKeys);
const KINDS_WITHOUT_CONTAINERS: ReadonlySet<string> = new Set(WORKLOAD_SHAPES.kindsWithoutContainers);
const STANDARD_POD_SPEC_PATHS: ReadonlySet<string> = new Set(WORKLOAD_SHAPES.standardPodSpecPaths);
const PATCHABLE_LISTS: ReadonlySet<string> = new Set(WORKLOAD_SHAPES.patchableLists);
const TEXT_TEMPLATES: ReadonlyMap<string, string | undefined> = new Map(WORKLOAD_SHAPES.textTemplates.map((t) => [t.key, t.requiresSibling]));

const INHERITED_DEFAULTS = WORKLOAD_SHAPES.inheritedDefaults;
/** Lists whose items inherit a container from their parent's defaults (Argo `templates`). */
const TEMPLATE_LIST_KEYS: readonly string[] = INHERITED_DEFAULTS.filter((rule) => rule.containerKeys).map((rule) => rule.listKey);

/** What a string field can be, by key, in one lookup: a pod-spec patch first, else maybe a text template. */
const PATCH = 1;
const TEXT_TEMPLATE = 2;
const STRING_KEY_ROLES: ReadonlyMap<string, number> = new Map([...WORKLOAD_SHAPES.textTemplates.map((t): [string, number] => [t.key, TEXT_TEMPLATE]), ...WORKLOAD_SHAPES.podSpecPatchKeys.map((key): [string, number] => [key, PATCH])]);

function hasTemplateList(keys: readonly string[]): boolean {
  for (const listKey of TEMPLATE_LIST_KEYS) if (keys.includes(listKey)) return true;
  return false;
}

function holdsImagelessRecord(items: readonly unknown[]): boolean {
  for (const item of items) if (isRecord(item) && !isContainerLike(item)) return true;
  return false;
}


/** Per template record (an Argo template), the default container each of its container keys inherits. */
type Inherited = Map<JsonRecord, Readonly<Record<string, JsonRecord>>>;

const cache = new WeakMap<K8sObject, readonly ContainerRef[]>();

/**
 * Every container an object would run, wherever its kind hides it: Pods, controllers, CronJobs,
 * Argo and KFP workflows (with the objects their resource templates create), Notebooks, training
 * jobs, Ray, KServe, Knative and unknown CRDs alike, and the image-less containers of kustomize
 * patches in standard pod-spec positions. The shapes live in `workload-shapes.ts`.
 */
export function containersOf(object: K8sObject): readonly ContainerRef[] {
  // Every rule that reads containers asks for the object being judged, one after another: the
  // last answer is checked before the WeakMap (about 15 lookups per Pod at a cluster's scale).
  if (object === lastObject) return lastFound;
  const cached = cache.get(object);
  if (cached) return remember(object, cached);
  const found: ContainerRef[] = [];
  if (!KINDS_WITHOUT_CONTAINERS.has(object.kind)) {
    // An OpenShift Template's objects run with its parameters substituted; the paths stay the same.
    try {
      walk(withoutBookkeeping(substitutedTemplate(object)), [], 0, found, undefined, scratchInherited);
    } finally {
      // Only Argo templates with `templateDefaults` note anything; `clear` on an empty Map still allocates.
      if (scratchInherited.size > 0) scratchInherited.clear();
    }
    if (isMachineConfig(object)) staticPodContainers(object, found);
    roleContainers(object, found);
    for (const shape of WORKLOAD_SHAPES.frameworkContainers) {
      if (object.apiVersion.startsWith(shape.apiVersionPrefix)) frameworkContainers(object, shape.components, found);
    }
  }
  cache.set(object, found);
  return remember(object, found);
}

let lastObject: K8sObject | undefined;
let lastFound: readonly ContainerRef[] = [];

function remember(object: K8sObject, found: readonly ContainerRef[]): readonly ContainerRef[] {
  lastObject = object;
  lastFound = found;
  return found;
}

/**
 * The defaults noted during one `containersOf` walk, emptied after it (the walk is never
 * re-entered for another object): one Map for the scan instead of one per object.
 */
const scratchInherited: Inherited = new Map();

/**
 * Pod specs of the objects judged last: the threat scan and several rules ask for the same
 * object's in turn, and the engine finishes one object before the next. A ring, not a WeakMap:
 * what is kept for every object of a scan is copied by the collector (see recent-cache.ts).
 */
const recentPodSpecs = new RecentCache<K8sObject, readonly PodSpecRef[]>(2);

/** The distinct pod specs (or pod-like holders) of an object. */
export function podSpecsOf(object: K8sObject): readonly PodSpecRef[] {
  const known = recentPodSpecs.get(object);
  if (known) return known;
  const seen = new Map<string, PodSpecRef>();
  for (const ref of containersOf(object)) if (!seen.has(ref.holder.path)) seen.set(ref.holder.path, ref.holder);
  const specs = Object.freeze([...seen.values()]);
  recentPodSpecs.set(object, specs);
  return specs;
}

export function hasContainers(object: K8sObject): boolean {
  return containersOf(object).length > 0;
}

/** Kinds that run code given outside any container spec (a Ray job entrypoint, a Spark main file). */
export function runsCodeOutsideContainers(object: K8sObject): boolean {
  return WORKLOAD_SHAPES.containerlessWorkloads.some((match) => matchesKind(match, object));
}

/** Workflow specs that hold pod-level settings for every template, with their paths. */
export function workflowPodSettingsOf(object: K8sObject): PodSpecRef | undefined {
  const shape = WORKLOAD_SHAPES.workflowPodSettings.find((match) => matchesKind(match, object));
  if (!shape) return undefined;
  let spec: JsonRecord | undefined = object;
  for (const segment of shape.path) spec = asRecord(spec?.[segment]);
  return spec ? { spec, path: shape.path.join('.') } : undefined;
}

export function imageOf(container: JsonRecord): string | undefined {
  return asString(container.image);
}

function isContainerLike(value: unknown): value is JsonRecord {
  return isRecord(value) && typeof value.image === 'string';
}

/**
 * Paths are kept as a segment stack and formatted only where a container is found: most nodes of
 * most objects hold none, and formatting a path per visited node dominated the walk.
 */
/** Pods and the built-in controllers: kinds whose every field the API server's schema defines. */
export function isBuiltInWorkload(object: K8sObject): boolean {
  return isBuiltInWorkloadKind(object.apiVersion, object.kind);
}

/**
 * The object without the parts the API server keeps for its own bookkeeping: `managedFields`
 * (field ownership, no values) and the status of built-in workloads. They run nothing, and on live
 * objects they are most of the nodes, so walkers skip them. A CRD's status is kept: Argo keeps the
 * workflow it actually runs there.
 */
export function withoutBookkeeping(object: K8sObject): K8sObject {
  const metadata = object.metadata;
  const dropStatus = 'status' in object && isBuiltInWorkload(object);
  // A file is not validated by an API server: `metadata: null` or `metadata: 5` parses too.
  const dropManaged = isRecord(metadata) && 'managedFields' in metadata;
  if (!dropStatus && !dropManaged) return object;
  const { status: _status, ...rest } = object;
  const view: Record<string, unknown> = dropStatus ? rest : { ...object };
  if (dropManaged) {
    const { managedFields: _managed, ...kept } = metadata;
    view.metadata = kept;
  }
  return view as K8sObject;
}

function walk(node: JsonRecord, segments: PathSegment[], depth: number, found: ContainerRef[], parent: JsonRecord | undefined, inherited: Inherited): void {
  if (depth > MAX_SEARCH_DEPTH) return;
  const keys = Object.keys(node);
  // Defaults are noted only where a list that inherits them is an own key (`templates`): a
  // missing key read through the prototype costs a full lookup, on every record of every object.
  if (hasTemplateList(keys)) noteTemplateDefaults(node, inherited);
  const ownDefaults = inherited.size === 0 ? undefined : inherited.get(node);
  // No closures here: this runs for every record of every object, and most hold no container.
  let holder: PodSpecRef | undefined;
  for (const key of keys) {
    const value = node[key];
    if (typeof value === 'string') {
      const textRole = STRING_KEY_ROLES.get(key);
      if (textRole === undefined) continue;
      if (textRole === PATCH) {
        const nodePath = formatPath(segments);
        patchContainers(value, joinPath(nodePath, key), found, () => (holder ??= podSpecRef(node, nodePath, parent)));
      } else if (isTextTemplate(node, key)) {
        const embedded = embeddedManifest(value);
        if (embedded) {
          segments.push(key);
          walk(embedded, segments, depth + 1, found, node, inherited);
          segments.pop();
        }
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const role = CONTAINER_LISTS[key];
    if (role && Array.isArray(value)) {
      holder = listContainers(node, key, value, role, segments, depth, found, parent, inherited, holder);
      continue;
    }
    const single = SINGLE_CONTAINER_KEYS.has(key) && isRecord(value) ? inheritedContainer(ownDefaults?.[key], value) : undefined;
    if (single && isContainerLike(single)) {
      const nodePath = formatPath(segments);
      holder ??= podSpecRef(node, nodePath, parent);
      found.push({ container: single, path: sharedPath(nodePath, key), name: asString(node.name) ?? asString(single.name) ?? key, role: 'template', holder });
      continue;
    }
    segments.push(key);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walkItem(value[i], i, segments, depth, found, node, inherited);
    } else {
      walk(value as JsonRecord, segments, depth + 1, found, node, inherited);
    }
    segments.pop();
  }
}

/**
 * A list under a container-list key (`containers`, `initContainers`, …): its containers, and its
 * other records walked as usual. Returns the node's holder, made at its first container.
 */
function listContainers(node: JsonRecord, key: string, value: readonly unknown[], role: ContainerRole, segments: PathSegment[], depth: number, found: ContainerRef[], parent: JsonRecord | undefined, inherited: Inherited, known: PodSpecRef | undefined): PodSpecRef | undefined {
  let holder = known;
  const defaults = listDefaults(node, key);
  const items: readonly unknown[] = defaults ? value.map((item) => (isRecord(item) ? withDefaults(defaults, item) : item)) : value;
  // Image-less records are patch containers only where a built-in controller keeps its pod spec.
  const patchable = PATCHABLE_LISTS.has(key) && holdsImagelessRecord(items) && STANDARD_POD_SPEC_PATHS.has(formatPath(segments));
  let others: number[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isContainerLike(item) || (patchable && isRecord(item))) {
      const nodePath = formatPath(segments);
      holder ??= podSpecRef(node, nodePath, parent);
      found.push({ container: item, path: sharedPath(nodePath, key, i), name: asString(item.name) ?? '', role, holder });
    } else if (item !== null && typeof item === 'object') {
      (others ??= []).push(i);
    }
  }
  // The same key means something else elsewhere: Argo `steps` is a list of lists of steps,
  // each of which may carry an `inline` template. What is not a container is walked as usual.
  if (others !== undefined) {
    segments.push(key);
    for (const i of others) walkItem(value[i], i, segments, depth, found, node, inherited);
    segments.pop();
  }
  return holder;
}

/** One list item: a record is walked, and a nested list (Argo's parallel `steps` groups) is walked item by item. */
function walkItem(item: unknown, index: number, segments: PathSegment[], depth: number, found: ContainerRef[], parent: JsonRecord, inherited: Inherited): void {
  if (depth > MAX_SEARCH_DEPTH || item === null || typeof item !== 'object') return;
  segments.push(index);
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length; i++) walkItem(item[i], i, segments, depth + 1, found, parent, inherited);
  } else {
    walk(item as JsonRecord, segments, depth + 1, found, parent, inherited);
  }
  segments.pop();
}

/** Records the defaults a templates list inherits (Argo `templateDefaults`), keyed by each template record. */
function noteTemplateDefaults(node: JsonRecord, inherited: Inherited): void {
  for (const rule of INHERITED_DEFAULTS) {
    if (!rule.containerKeys) continue;
    const defaults = asRecord(node[rule.defaultsKey]);
    const list = node[rule.listKey];
    if (!defaults || !Array.isArray(list)) continue;
    const byKey: Record<string, JsonRecord> = {};
    for (const key of rule.containerKeys) {
      const container = asRecord(defaults[key]);
      if (container) byKey[key] = container;
    }
    for (const item of list) if (isRecord(item)) inherited.set(item, byKey);
  }
}

/** The step defaults (Tekton `stepTemplate`) a container list of this record inherits. */
function listDefaults(node: JsonRecord, key: string): JsonRecord | undefined {
  for (const rule of INHERITED_DEFAULTS) {
    if (rule.containerKeys || rule.listKey !== key) continue;
    const defaults = asRecord(node[rule.defaultsKey]);
    if (defaults) return defaults;
  }
  return undefined;
}

function inheritedContainer(defaults: JsonRecord | undefined, own: JsonRecord): JsonRecord {
  return defaults ? withDefaults(defaults, own) : own;
}

/**
 * The container as it runs: its own fields over the defaults, records merged field by field (an
 * inherited `securityContext.privileged` stays beside an own `runAsUser`), lists and scalars replaced.
 */
function withDefaults(defaults: JsonRecord, own: JsonRecord): JsonRecord {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(own)) {
    const inherited = merged[key];
    merged[key] = isRecord(inherited) && isRecord(value) ? withDefaults(inherited, value) : value;
  }
  return merged;
}

/**
 * Spark driver and executor (`roleImageDefaults`): each runs the application image with its own
 * settings, and its pod template's containers inherit that image.
 */
function roleContainers(object: K8sObject, found: ContainerRef[]): void {
  for (const shape of WORKLOAD_SHAPES.roleImageDefaults) {
    if (!matchesKind(shape, object)) continue;
    const image = asString(recordAt(object, shape.imagePath.slice(0, -1))?.[shape.imagePath[shape.imagePath.length - 1] ?? '']);
    for (const rolePath of shape.roles) {
      const role = recordAt(object, rolePath);
      if (!role) continue;
      const defaults: JsonRecord = image === undefined ? {} : { image };
      const path = rolePath.join('.');
      const holder: PodSpecRef = { spec: role, path };
      const { template, ...settings } = role;
      found.push({ container: withDefaults(defaults, withMapEnv(settings)), path, name: rolePath[rolePath.length - 1] ?? '', role: 'container', holder });
      const podSpec = asRecord(asRecord(template)?.spec);
      const roleImage = asString(role.image) ?? image;
      if (!podSpec || roleImage === undefined) continue;
      for (const [key, kind] of Object.entries(CONTAINER_LISTS)) {
        const list = podSpec[key];
        if (!Array.isArray(list)) continue;
        list.forEach((item, i) => {
          // Containers with an image of their own were found by the walk.
          if (!isRecord(item) || typeof item.image === 'string') return;
          const podPath = joinPath(path, 'template', 'spec');
          found.push({ container: withDefaults({ image: roleImage }, item), path: sharedPath(podPath, key, i), name: asString(item.name) ?? '', role: kind, holder: { spec: podSpec, path: podPath } });
        });
      }
    }
  }
}

/** Static Pods a MachineConfig writes to `/etc/kubernetes/manifests`: the kubelet runs them on every node of the pool. */
function staticPodContainers(object: K8sObject, found: ContainerRef[]): void {
  for (const file of hostFilesOf(object)) {
    if (file.text === undefined || !isStaticPodManifest(file) || file.text.length > MAX_PATCH_CHARS) continue;
    let documents: unknown[];
    try {
      documents = yaml.loadAll(file.text);
    } catch {
      continue; // a manifest the kubelet cannot read runs nothing
    }
    documents.forEach((document) => {
      if (isRecord(document)) walk(document, parsePath(file.path), 1, found, undefined, new Map());
    });
  }
}

/**
 * Spark's deprecated `envVars` map sets the same variables as `env`, after it; as container `env`
 * entries they are read and resolved like any other.
 * https://github.com/kubeflow/spark-operator/blob/master/docs/api-docs.md (SparkPodSpec)
 */
function withMapEnv(settings: JsonRecord): JsonRecord {
  const map = asRecord(settings.envVars);
  if (!map) return settings;
  const extra = Object.entries(map).flatMap(([name, value]) => (typeof value === 'string' ? [{ name, value }] : []));
  return { ...settings, env: [...(Array.isArray(settings.env) ? settings.env : []), ...extra] };
}

function recordAt(root: JsonRecord, path: readonly string[]): JsonRecord | undefined {
  let node: JsonRecord | undefined = root;
  for (const segment of path) node = asRecord(node?.[segment]);
  return node;
}

function isTextTemplate(node: JsonRecord, key: string): boolean {
  if (!TEXT_TEMPLATES.has(key)) return false;
  const sibling = TEXT_TEMPLATES.get(key);
  return sibling === undefined || typeof node[sibling] === 'string';
}

/**
 * Framework entries of a component (KServe `predictor.model`, `explainer.art`): each is a
 * container whose image may come from elsewhere, so a `command` or `args` alone is enough to run
 * anything in that image.
 */
function frameworkContainers(object: K8sObject, components: readonly string[], found: ContainerRef[]): void {
  const spec = asRecord(object.spec);
  if (!spec) return;
  const known = new Set(found.map((ref) => ref.container));
  for (const component of components) {
    const holderSpec = asRecord(spec[component]);
    if (!holderSpec) continue;
    const holderPath = joinPath('spec', component);
    for (const [key, value] of Object.entries(holderSpec)) {
      if (CONTAINER_LISTS[key] || !isRecord(value) || known.has(value)) continue;
      if (typeof value.image !== 'string' && !Array.isArray(value.command) && !Array.isArray(value.args)) continue;
      found.push({ container: value, path: sharedPath(holderPath, key), name: asString(value.name) ?? key, role: 'template', holder: { spec: holderSpec, path: holderPath } });
    }
  }
}

const MAX_PATCH_CHARS = 64 * 1024;

/**
 * A text template (Argo `resource.manifest`, Katib `rawTemplate`) creates whatever object it holds,
 * so that object's containers run as the workflow's.
 */
function embeddedManifest(text: string): JsonRecord | undefined {
  if (text.length > MAX_PATCH_CHARS) return undefined;
  try {
    // Go-template placeholders (`{{.Trial}}`) are not YAML; a plain word keeps the structure.
    const parsed: unknown = yaml.load(text.replace(/\{\{[^{}\n]*\}\}/g, 'kfguard-placeholder'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined; // templated ({{…}}) or broken manifests cannot be judged statically
  }
}

/**
 * Argo `podSpecPatch` is a YAML/JSON string merged into the pod; its containers may carry their own
 * command and args (and need no image, since they patch a container by name). Their paths run
 * through the string field, so locations resolve to the `podSpecPatch` line.
 */
function patchContainers(text: string, path: string, found: ContainerRef[], holderOf: () => PodSpecRef): void {
  if (text.length > MAX_PATCH_CHARS) return;
  let patch: unknown;
  try {
    patch = yaml.load(text);
  } catch {
    return; // templated ({{…}}) or broken patches cannot be judged statically
  }
  if (!isRecord(patch)) return;
  for (const [key, role] of Object.entries(CONTAINER_LISTS)) {
    const list = patch[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (isRecord(item) && (typeof item.image === 'string' || Array.isArray(item.command) || Array.isArray(item.args))) {
        found.push({ container: item, path: sharedPath(path, key, i), name: asString(item.name) ?? '', role, holder: holderOf() });
      }
    });
  }
}

function podSpecRef(spec: JsonRecord, path: string, parent: JsonRecord | undefined): PodSpecRef {
  const metadata = parent && parent.spec === spec ? asRecord(parent.metadata) : undefined;
  const sharedSpecPath = sharedCopy(path);
  return metadata ? { spec, path: sharedSpecPath, metadata } : { spec, path: sharedSpecPath };
}
