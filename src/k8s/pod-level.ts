import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import { RecentCache } from '../core/recent-cache.js';
import type { K8sObject } from '../core/types.js';
import { podSpecsOf, workflowPodSettingsOf } from './workloads.js';

/** A record that carries pod-level settings (hostPID, volumes …) and where it sits. */
export interface PodLevelSpec {
  readonly spec: JsonRecord;
  readonly path: string;
}

/**
 * Kept for the objects judged last, as `podSpecsOf` is: four workload-security rules ask for the
 * same object's pod-level specs and host paths one after another.
 */
const recentPodLevel = new RecentCache<K8sObject, readonly PodLevelSpec[]>(2);
const recentHostPaths = new RecentCache<K8sObject, readonly HostPathVolume[]>(2);

/** Every pod spec of the object, plus the workflow spec whose pod settings every template shares. */
export function podLevelSpecsOf(object: K8sObject): readonly PodLevelSpec[] {
  const known = recentPodLevel.get(object);
  if (known) return known;
  const found = new Map<string, PodLevelSpec>();
  for (const pod of podSpecsOf(object)) found.set(pod.path, { spec: pod.spec, path: pod.path });
  const workflow = workflowPodSettingsOf(object);
  if (workflow && !found.has(workflow.path)) found.set(workflow.path, { spec: workflow.spec, path: workflow.path });
  const specs = Object.freeze([...found.values()]);
  recentPodLevel.set(object, specs);
  return specs;
}

export interface HostPathVolume {
  readonly name: string;
  readonly hostPath: string;
  /** Path of the `hostPath` field of the volume. */
  readonly path: string;
}

export function hostPathVolumesOf(object: K8sObject): readonly HostPathVolume[] {
  const known = recentHostPaths.get(object);
  if (known) return known;
  const volumes = Object.freeze(
    podLevelSpecsOf(object).flatMap((pod) =>
      asArray(pod.spec.volumes).flatMap((raw, i): HostPathVolume[] => {
        const volume = asRecord(raw);
        const hostPath = asString(asRecord(volume?.hostPath)?.path);
        if (!volume || hostPath === undefined) return [];
        return [{ name: asString(volume.name) ?? '', hostPath, path: joinPath(pod.path, 'volumes', i, 'hostPath') }];
      }),
    ),
  );
  recentHostPaths.set(object, volumes);
  return volumes;
}
