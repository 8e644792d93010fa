import { parsePath, type PathSegment } from '../../core/path.js';
import type { Finding, K8sObject } from '../../core/types.js';
import { containersOf, type ContainerRef } from '../../k8s/workloads.js';

/**
 * The containers a finding is about: the one its path points into, or every container when the
 * path is absent or points elsewhere (a rule may report on the pod spec as a whole).
 */
export function targetContainers(object: K8sObject, finding: Finding): readonly ContainerRef[] {
  const all = containersOf(object);
  const path = finding.path;
  if (path === undefined) return all;
  const pointed = pointedContainer(all, path);
  return pointed ? [pointed] : all;
}

/** The container whose subtree `path` points into. */
export function pointedContainer(sites: readonly ContainerRef[], path: string): ContainerRef | undefined {
  return sites.find((site) => path === site.path || path.startsWith(`${site.path}.`) || path.startsWith(`${site.path}[`));
}

export function segmentsOf(path: string): PathSegment[] {
  return path === '' ? [] : parsePath(path);
}

/** Namespace a guardrail belongs in: a Namespace's or Profile's own name, otherwise the object's namespace. */
export function namespaceFor(finding: Finding): string | undefined {
  const { kind, name, namespace } = finding.resource;
  if (kind === 'Namespace' || kind === 'Profile') return name;
  return namespace;
}

/** List items as strings with their original indices kept (YAML may hand numbers to `args`). */
export function stringItems(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : String(v))) : [];
}
