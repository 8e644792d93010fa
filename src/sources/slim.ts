import { asArray, asRecord, isK8sObject } from '../core/object.js';

/**
 * CRD schemas are over 90% of a Kubeflow install's bytes and no rule reads them; keeping only
 * what identifies the CRD bounds memory on large scans and what a parse worker must send back.
 */
export function slimDocument<T>(value: T): T {
  if (!isK8sObject(value) || value.kind !== 'CustomResourceDefinition') return value;
  const spec = asRecord(value.spec) ?? {};
  const versions = asArray(spec.versions).map((v) => {
    const version = asRecord(v) ?? {};
    return { name: version.name, served: version.served, storage: version.storage };
  });
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    ...(value.metadata ? { metadata: value.metadata } : {}),
    spec: { group: spec.group, names: spec.names, scope: spec.scope, versions },
  } as T;
}
