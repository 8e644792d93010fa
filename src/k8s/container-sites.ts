import { asArray, asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { containersOf } from './workloads.js';

/** A container as far as flag and env rules care: the record, where it sits, and its name. */
export interface ContainerSite {
  readonly container: JsonRecord;
  readonly path: string;
  readonly name: string;
  /** Path of the pod spec (or pod-like holder) that carries the container. */
  readonly holderPath: string;
  readonly holder: JsonRecord;
}

/** Pod-spec locations of the built-in controllers, where kustomize patches put image-less containers. */
const PATCH_POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ['spec'],
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

/**
 * Every container `containersOf` finds, plus image-less containers in standard pod specs. Kustomize
 * patches (the Argo quick-start `--auth-mode` overlay, for one) name the container and its args but
 * leave the image to the base, and a flag set there is still the flag that runs.
 */
export function containerSitesOf(object: K8sObject): readonly ContainerSite[] {
  // About ten rules ask this of every object; like `containersOf`, the answer is kept per object
  // (objects are not changed once parsed).
  const cached = sitesCache.get(object);
  if (cached) return cached;
  const sites: ContainerSite[] = containersOf(object).map((ref) => ({
    container: ref.container,
    path: ref.path,
    name: ref.name,
    holderPath: ref.holder.path,
    holder: ref.holder.spec,
  }));
  const seen = new Set(sites.map((site) => site.path));
  for (const segments of PATCH_POD_SPEC_PATHS) {
    const spec = reach(object, segments);
    if (!spec) continue;
    const specPath = segments.join('.');
    asArray(spec.containers).forEach((item, i) => {
      const path = joinPath(specPath, 'containers', i);
      if (!isRecord(item) || seen.has(path)) return;
      seen.add(path);
      sites.push({ container: item, path, name: asString(item.name) ?? '', holderPath: specPath, holder: spec });
    });
  }
  sitesCache.set(object, sites);
  return sites;
}

const sitesCache = new WeakMap<K8sObject, readonly ContainerSite[]>();

function reach(root: JsonRecord, segments: readonly string[]): JsonRecord | undefined {
  let node: JsonRecord | undefined = root;
  for (const segment of segments) node = asRecord(node?.[segment]);
  return node;
}

/** The literal value of an env var on a container, when it is given inline. */
export function envValue(container: JsonRecord, name: string): { value: string; index: number } | undefined {
  const env = asArray(container.env);
  for (let i = 0; i < env.length; i++) {
    const entry = asRecord(env[i]);
    if (entry && entry.name === name) {
      const value = asString(entry.value);
      return value === undefined ? undefined : { value, index: i };
    }
  }
  return undefined;
}
