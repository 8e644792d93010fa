import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { podSpecsOf } from './workloads.js';

/** A record that carries pod-level settings (hostPID, volumes …) and where it sits. */
export interface PodLevelSpec {
  readonly spec: JsonRecord;
  readonly path: string;
}

/** Argo keeps `volumes`, `hostNetwork` and friends on the workflow spec, shared by every template. */
const ARGO_WORKFLOW_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Workflow: ['spec'],
  WorkflowTemplate: ['spec'],
  ClusterWorkflowTemplate: ['spec'],
  CronWorkflow: ['spec', 'workflowSpec'],
};

/** Every pod spec of the object, plus the Argo workflow spec when the object is an Argo workflow. */
export function podLevelSpecsOf(object: K8sObject): PodLevelSpec[] {
  const found = new Map<string, PodLevelSpec>();
  for (const pod of podSpecsOf(object)) found.set(pod.path, { spec: pod.spec, path: pod.path });
  const argoPath = object.apiVersion.startsWith('argoproj.io/') ? ARGO_WORKFLOW_SPEC_PATHS[object.kind] : undefined;
  if (argoPath) {
    let spec: JsonRecord | undefined = object;
    for (const segment of argoPath) spec = asRecord(spec?.[segment]);
    const path = argoPath.join('.');
    if (spec && !found.has(path)) found.set(path, { spec, path });
  }
  return [...found.values()];
}

export interface HostPathVolume {
  readonly name: string;
  readonly hostPath: string;
  /** Path of the `hostPath` field of the volume. */
  readonly path: string;
}

export function hostPathVolumesOf(object: K8sObject): HostPathVolume[] {
  return podLevelSpecsOf(object).flatMap((pod) =>
    asArray(pod.spec.volumes).flatMap((raw, i): HostPathVolume[] => {
      const volume = asRecord(raw);
      const hostPath = asString(asRecord(volume?.hostPath)?.path);
      if (!volume || hostPath === undefined) return [];
      return [{ name: asString(volume.name) ?? '', hostPath, path: joinPath(pod.path, 'volumes', i, 'hostPath') }];
    }),
  );
}
