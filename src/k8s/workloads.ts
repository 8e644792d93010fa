import yaml from 'js-yaml';
import { asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { formatPath, joinPath, type PathSegment } from '../core/path.js';
import type { K8sObject } from '../core/types.js';

export type ContainerRole = 'container' | 'initContainer' | 'ephemeralContainer' | 'sidecar' | 'template';

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

const CONTAINER_LISTS: Readonly<Record<string, ContainerRole>> = {
  containers: 'container',
  // Tekton Task steps are containers (with an optional inline `script`).
  steps: 'container',
  initContainers: 'initContainer',
  ephemeralContainers: 'ephemeralContainer',
  sidecars: 'sidecar',
};

/**
 * Keys whose value is one container-like object: Argo `container`/`script`, KFP executors'
 * `container`, Trainer v2 `trainer`/`initializer` steps.
 */
const SINGLE_CONTAINER_KEYS = new Set(['container', 'script', 'trainer']);

/** Kinds whose bodies describe schemas or data, never running containers. */
const NEVER_CARRY_CONTAINERS = new Set(['CustomResourceDefinition', 'ConfigMap', 'Secret', 'Event']);

const MAX_DEPTH = 24;

const cache = new WeakMap<K8sObject, readonly ContainerRef[]>();

/**
 * Every container an object would run, wherever its kind hides it: Pods, controllers, CronJobs,
 * Argo and KFP workflows (with the objects their resource templates create), Notebooks, training
 * jobs, Ray, KServe, Knative and unknown CRDs alike.
 * Shapes are found structurally, so rules never special-case kinds.
 */
export function containersOf(object: K8sObject): readonly ContainerRef[] {
  const cached = cache.get(object);
  if (cached) return cached;
  const found: ContainerRef[] = [];
  if (!NEVER_CARRY_CONTAINERS.has(object.kind)) {
    walk(object, [], 0, found, undefined);
    if (object.apiVersion.startsWith('serving.kserve.io/')) kserveContainers(object, found);
  }
  cache.set(object, found);
  return found;
}

/** The distinct pod specs (or pod-like holders) of an object. */
export function podSpecsOf(object: K8sObject): readonly PodSpecRef[] {
  const seen = new Map<string, PodSpecRef>();
  for (const ref of containersOf(object)) if (!seen.has(ref.holder.path)) seen.set(ref.holder.path, ref.holder);
  return [...seen.values()];
}

export function hasContainers(object: K8sObject): boolean {
  return containersOf(object).length > 0;
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
function walk(node: JsonRecord, segments: PathSegment[], depth: number, found: ContainerRef[], parent: JsonRecord | undefined): void {
  if (depth > MAX_DEPTH) return;
  const path = (): string => formatPath(segments);
  let holder: PodSpecRef | undefined;
  const holderOf = (nodePath: string): PodSpecRef => {
    holder ??= podSpecRef(node, nodePath, parent);
    return holder;
  };
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (key === 'podSpecPatch' && typeof value === 'string') {
      const nodePath = path();
      patchContainers(value, joinPath(nodePath, key), found, () => holderOf(nodePath));
      continue;
    }
    // Argo `resource.manifest` (with an action) and Katib v1alpha3 `goTemplate.rawTemplate` hold
    // whole objects as text; their containers run all the same.
    if ((key === 'manifest' && typeof value === 'string' && typeof node.action === 'string') || (key === 'rawTemplate' && typeof value === 'string')) {
      const embedded = embeddedManifest(value);
      if (embedded) {
        segments.push(key);
        walk(embedded, segments, depth + 1, found, node);
        segments.pop();
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const role = CONTAINER_LISTS[key];
    if (role && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isContainerLike(item)) {
          const nodePath = path();
          found.push({ container: item, path: joinPath(nodePath, key, i), name: asString(item.name) ?? '', role, holder: holderOf(nodePath) });
        }
      });
      continue;
    }
    if (SINGLE_CONTAINER_KEYS.has(key) && isContainerLike(value)) {
      const nodePath = path();
      found.push({ container: value, path: joinPath(nodePath, key), name: asString(node.name) ?? asString(value.name) ?? key, role: 'template', holder: holderOf(nodePath) });
      continue;
    }
    segments.push(key);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (!isRecord(item)) continue;
        segments.push(i);
        walk(item, segments, depth + 1, found, node);
        segments.pop();
      }
    } else {
      walk(value as JsonRecord, segments, depth + 1, found, node);
    }
    segments.pop();
  }
}

/** InferenceService components; each inlines a PodSpec and may hold framework containers. */
const KSERVE_COMPONENTS = ['predictor', 'explainer', 'transformer'] as const;

/**
 * KServe embeds a container in each framework entry of a component (`predictor.model`,
 * `predictor.sklearn`, `explainer.art`). Its image usually comes from a ServingRuntime, so a
 * `command` or `args` alone is enough to run anything in the runtime's image.
 */
function kserveContainers(object: K8sObject, found: ContainerRef[]): void {
  const spec = asRecord(object.spec);
  if (!spec) return;
  const known = new Set(found.map((ref) => ref.container));
  for (const component of KSERVE_COMPONENTS) {
    const holderSpec = asRecord(spec[component]);
    if (!holderSpec) continue;
    const holderPath = joinPath('spec', component);
    for (const [key, value] of Object.entries(holderSpec)) {
      if (CONTAINER_LISTS[key] || !isRecord(value) || known.has(value)) continue;
      if (typeof value.image !== 'string' && !Array.isArray(value.command) && !Array.isArray(value.args)) continue;
      found.push({ container: value, path: joinPath(holderPath, key), name: asString(value.name) ?? key, role: 'template', holder: { spec: holderSpec, path: holderPath } });
    }
  }
}

const MAX_PATCH_CHARS = 64 * 1024;

/**
 * An Argo `resource` template (`action: create`, `manifest: |`) creates whatever object its
 * manifest string holds, so that object's containers run as the workflow's. Paths into it run
 * through the string field and resolve to the `manifest` line.
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
        found.push({ container: item, path: joinPath(path, key, i), name: asString(item.name) ?? '', role, holder: holderOf() });
      }
    });
  }
}

function podSpecRef(spec: JsonRecord, path: string, parent: JsonRecord | undefined): PodSpecRef {
  const metadata = parent && parent.spec === spec ? asRecord(parent.metadata) : undefined;
  return metadata ? { spec, path, metadata } : { spec, path };
}
