import yaml from 'js-yaml';
import { asArray, asRecord, asString, isRecord, type JsonRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';

/** A Service as a Kustomization's inline patch leaves it: only the fields the patch sets. */
export interface PatchedService {
  readonly service: K8sObject;
  /** Path of the patch text inside the Kustomization, e.g. `patches[3].patch`. */
  readonly path: string;
}

const SERVICE_FIELDS = new Set(['type', 'externalIPs', 'loadBalancerSourceRanges']);

/**
 * Services that a Kustomization's inline patches (`patches`, `patchesJson6902`,
 * `patchesStrategicMerge`) change, read as partial Services so exposure checks can judge them
 * without rendering. Patches given as file paths are outside the scanned text and are skipped.
 */
export function servicePatchesOf(kustomization: K8sObject): PatchedService[] {
  const namespace = asString(kustomization.namespace);
  const found: PatchedService[] = [];
  const add = (service: K8sObject | undefined, path: string): void => {
    if (service) found.push({ service: withNamespace(service, namespace), path });
  };
  asArray(kustomization.patches).forEach((entry, i) => {
    const record = asRecord(entry);
    const text = asString(record?.patch);
    if (text) for (const service of servicesInPatch(text, asRecord(record?.target))) add(service, `patches[${i}].patch`);
  });
  asArray(kustomization.patchesJson6902).forEach((entry, i) => {
    const record = asRecord(entry);
    const text = asString(record?.patch);
    if (text) for (const service of servicesInPatch(text, asRecord(record?.target))) add(service, `patchesJson6902[${i}].patch`);
  });
  asArray(kustomization.patchesStrategicMerge).forEach((entry, i) => {
    // A bare file name has no newline; an inline patch always has one.
    if (typeof entry === 'string' && entry.includes('\n')) {
      for (const service of servicesInPatch(entry, undefined)) add(service, `patchesStrategicMerge[${i}]`);
    }
  });
  return found;
}

function servicesInPatch(text: string, target: JsonRecord | undefined): K8sObject[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch {
    return [];
  }
  const services: K8sObject[] = [];
  for (const document of documents) {
    if (Array.isArray(document)) {
      const service = fromJsonPatch(document, target);
      if (service) services.push(service);
    } else if (isRecord(document) && document.kind === 'Service') {
      services.push(document as K8sObject);
    }
  }
  return services;
}

function fromJsonPatch(operations: readonly unknown[], target: JsonRecord | undefined): K8sObject | undefined {
  const name = asString(target?.name);
  if (!name || (target?.kind !== undefined && target.kind !== 'Service')) return undefined;
  const spec: Record<string, unknown> = {};
  for (const raw of operations) {
    const operation = asRecord(raw);
    const path = asString(operation?.path) ?? '';
    const match = /^\/spec\/([A-Za-z]+)$/.exec(path);
    const field = match?.[1];
    if (field && SERVICE_FIELDS.has(field) && (operation?.op === 'replace' || operation?.op === 'add')) spec[field] = operation.value;
  }
  if (Object.keys(spec).length === 0) return undefined;
  const namespace = asString(target?.namespace);
  return { apiVersion: 'v1', kind: 'Service', metadata: namespace ? { name, namespace } : { name }, spec };
}

function withNamespace(service: K8sObject, namespace: string | undefined): K8sObject {
  if (!namespace) return service;
  return { ...service, metadata: { ...service.metadata, namespace } };
}
