import { asArray, asRecord, asString, nameOf, namespaceOf, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import type { UserLists } from '../core/config-types.js';
import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import { analyzeExposure } from '../exposure/analysis.js';
import { mayFaceOutside } from '../exposure/entry-points.js';
import { commandWords, mentions } from '../k8s/command-line.js';
import { containersOf, imageOf, podSpecsOf, type ContainerRef } from '../k8s/workloads.js';
import { parseImageRef } from '../k8s/image-ref.js';
import { olderThan, rayAdvisories, rayVersionOf } from './ray-versions.js';
import { describeRoute, reachesOutside } from '../exposure/workload-reachability.js';
import type { Exposure } from '../exposure/types.js';

/** Where a KubeRay resource keeps its cluster spec (RayCluster itself, RayJob, RayService). */
const CLUSTER_SPEC_PATHS: readonly (readonly string[])[] = [['spec'], ['spec', 'rayClusterSpec'], ['spec', 'rayClusterConfig']];

export interface RayHead {
  readonly clusterName: string;
  /** Path of the head group (`spec.headGroupSpec`) or of the container running `ray start --head`. */
  readonly path: string;
  readonly clusterSpec?: JsonRecord;
  readonly clusterSpecPath?: string;
  readonly headGroup?: JsonRecord;
  readonly containers: readonly ContainerRef[];
}

/** The Ray head a KubeRay resource declares, or plain workloads that run `ray start --head`. */
export function rayHeadsOf(object: K8sObject): RayHead[] {
  if (object.apiVersion.startsWith('ray.io/')) {
    for (const segments of CLUSTER_SPEC_PATHS) {
      let spec: JsonRecord | undefined = object;
      for (const s of segments) spec = asRecord(spec?.[s]);
      const headGroup = asRecord(spec?.headGroupSpec);
      if (!spec || !headGroup) continue;
      const clusterSpecPath = segments.join('.');
      const path = joinPath(clusterSpecPath, 'headGroupSpec');
      const containers = containersOf(object).filter((site) => site.path.startsWith(`${path}.`));
      return [{ clusterName: nameOf(object), path, clusterSpec: spec, clusterSpecPath, headGroup, containers }];
    }
    return [];
  }
  return containersOf(object)
    .filter((site) => startsRayHead(site))
    .map((site) => ({ clusterName: nameOf(object), path: site.path, containers: [site] }));
}

function startsRayHead(site: ContainerRef): boolean {
  // Splitting is the cost; a command without `--head` in it cannot start a head.
  if (!mentions(site.container, ['--head'])) return false;
  const words = commandWords(site.container, site.path).map((w) => w.word);
  const start = words.findIndex((w, i) => w.endsWith('ray') && words[i + 1] === 'start');
  return start !== -1 && words.includes('--head');
}

/**
 * The value Ray reads for an env var: with a name listed twice in `env`, the later entry wins, so
 * `RAY_AUTH_MODE=token` followed by `RAY_AUTH_MODE=disabled` leaves auth off.
 */
function lastEnvValue(container: JsonRecord, name: string): string | undefined {
  let value: string | undefined;
  for (const raw of Array.isArray(container.env) ? container.env : []) {
    const entry = asRecord(raw);
    if (entry?.name === name) value = asString(entry.value);
  }
  return value;
}

/** A container that runs Ray: a Ray image, a `ray start`, or Ray's dashboard or client port. */
function runsRay(site: ContainerRef): boolean {
  const image = parseImageRef(imageOf(site.container) ?? '');
  if (image && rayAdvisories().some((a) => a.images.some((re) => re.test(`${image.registry}/${image.repository}`)))) return true;
  if (mentions(site.container, ['ray']) && commandWords(site.container, site.path).some((w, i, all) => w.word.endsWith('ray') && all[i + 1]?.word === 'start')) return true;
  return (Array.isArray(site.container.ports) ? site.container.ports : []).some((p) => [8265, 10001].includes(asRecord(p)?.containerPort as number));
}

/** Ray added token auth in 2.52.0; older releases ignore `RAY_AUTH_MODE` and KubeRay's `authOptions`. https://docs.ray.io/en/latest/ray-security/token-auth.html */
const TOKEN_AUTH_SINCE = [2, 52, 0] as const;

/** The Ray release a container's Ray image tag names, when it is a Ray image with a versioned tag. */
function rayImageVersion(site: ContainerRef): readonly [number, number, number] | undefined {
  const image = parseImageRef(imageOf(site.container) ?? '');
  if (!image?.tag || !rayAdvisories().some((a) => a.images.some((re) => re.test(`${image.registry}/${image.repository}`)))) return undefined;
  return rayVersionOf(image.tag);
}

function tooOldForToken(version: readonly [number, number, number] | undefined): boolean {
  return version !== undefined && olderThan(version, TOKEN_AUTH_SINCE);
}

/**
 * Whether every container that runs Ray among `containers` sets `RAY_AUTH_MODE=token` (all of
 * them when none is recognisable): a sidecar with the variable does not protect the head beside it,
 * and a Ray image older than 2.52 ignores it.
 */
export function rayContainersUseToken(containers: readonly ContainerRef[]): boolean {
  const ray = containers.filter(runsRay);
  const judged = ray.length > 0 ? ray : containers;
  return judged.length > 0 && judged.every((site) => lastEnvValue(site.container, 'RAY_AUTH_MODE') === 'token' && !tooOldForToken(rayImageVersion(site)));
}

/**
 * Token auth is on when KubeRay's `authOptions.mode` is `token` or the head's Ray containers set
 * `RAY_AUTH_MODE=token`, on a Ray that has it: the image tag says which Ray runs, `rayVersion`
 * speaks only when no head image names a version.
 */
export function rayTokenAuthEnabled(head: RayHead): boolean {
  const imageVersions = head.containers.map(rayImageVersion).filter((v) => v !== undefined);
  const declared = rayVersionOf(asString(head.clusterSpec?.rayVersion) ?? '');
  if (imageVersions.length === 0 && tooOldForToken(declared)) return false;
  const mode = asString(asRecord(head.clusterSpec?.authOptions)?.mode);
  if (mode === 'token' && !imageVersions.some(tooOldForToken)) return true;
  return rayContainersUseToken(head.containers);
}

export interface RayExposure {
  readonly path: string;
  readonly how: string;
  readonly fromAnywhere: boolean;
  /** The object that faces outside (a Service, Ingress, route), when the scanned set holds it. */
  readonly entry?: K8sObject;
}

/**
 * Ways the head's dashboard and Jobs API (:8265) reach outside: KubeRay's own `serviceType` and
 * `enableIngress`, and routes the exposure analysis finds to the `<cluster>-head-svc` Service or to
 * Services selecting the cluster's pods.
 */
export function rayHeadExposures(object: K8sObject, head: RayHead, inventory: Inventory, lists: UserLists): RayExposure[] {
  const found: RayExposure[] = [];
  const serviceType = asString(head.headGroup?.serviceType);
  if (serviceType === 'LoadBalancer' || serviceType === 'NodePort') {
    found.push({ path: joinPath(head.path, 'serviceType'), how: `head Service of type ${serviceType}`, fromAnywhere: serviceType === 'LoadBalancer' });
  }
  if (head.headGroup?.enableIngress === true) {
    found.push({ path: joinPath(head.path, 'enableIngress'), how: 'KubeRay-managed Ingress to the head', fromAnywhere: true });
  }
  // The node's own address is a door too: a head on the host network, or publishing Ray's ports
  // as host ports, answers on every node address whatever Services exist (like a NodePort).
  const template = asRecord(asRecord(head.headGroup?.template)?.spec);
  const hostPod = head.headGroup ? undefined : podSpecsOf(object).find((pod) => pod.spec.hostNetwork === true);
  const hostNetwork = head.headGroup ? template?.hostNetwork === true : hostPod !== undefined;
  if (hostNetwork) {
    const path = hostPod ? joinPath(hostPod.path, 'hostNetwork') : joinPath(head.path, 'template', 'spec', 'hostNetwork');
    found.push({ path, how: "hostNetwork: the dashboard and Jobs API listen on the node's addresses", fromAnywhere: false });
  }
  for (const site of head.containers) {
    asArray(site.container.ports).forEach((raw, i) => {
      const port = asRecord(raw);
      if (typeof port?.hostPort !== 'number' || hostNetwork) return;
      found.push({ path: joinPath(site.path, 'ports', i, 'hostPort'), how: `hostPort ${port.hostPort} on container ${site.name}`, fromAnywhere: false });
    });
  }
  const headService = `${head.clusterName}-head-svc`;
  for (const exposure of analyzeExposure(inventory, lists).all) {
    if (exposure.auth.state === 'present' || !reachesOutside(exposure.reach.level)) continue;
    const backend = exposure.backend;
    if (backend.namespace !== undefined && namespaceOf(object) !== undefined && backend.namespace !== namespaceOf(object)) continue;
    const selector = asRecord(asRecord(backend.service?.spec)?.selector);
    const selectsCluster = selector?.['ray.io/cluster'] === head.clusterName;
    const runsHead = backend.workloads.some((w) => w.object === object);
    if (backend.name !== headService && !selectsCluster && !runsHead) continue;
    found.push({ path: head.path, how: describeRoute(exposure), fromAnywhere: exposure.reach.level === 'anywhere', entry: exposure.entry.object });
  }
  return found;
}

export interface RayHeadDoor {
  readonly subject: string;
  readonly path: string;
  readonly how: string;
  readonly fromAnywhere: boolean;
  /** Recognised only by its port (8265 or 10001), no workload behind it scanned: never critical. */
  readonly byPortAlone: boolean;
  readonly evidence: readonly string[];
  readonly discriminator: string;
}

/** Whether a Ray head object in the scanned set answers for this exposure (then it is reported there). */
function claimedByHeadObject(exposure: Exposure, inventory: Inventory): boolean {
  const backend = exposure.backend;
  const selector = asRecord(asRecord(backend.service?.spec)?.selector);
  return inventory.derived(RAY_HEAD_OBJECTS).some(({ object, heads }) => {
    if (backend.namespace !== undefined && namespaceOf(object) !== undefined && namespaceOf(object) !== backend.namespace) return false;
    // A name match counts only when the selector does not point at another cluster's pods.
    const selectedCluster = selector?.['ray.io/cluster'];
    return heads.some(
      (head) =>
        (backend.name === `${head.clusterName}-head-svc` && (selectedCluster === undefined || selectedCluster === head.clusterName)) ||
        selectedCluster === head.clusterName ||
        backend.workloads.some((w) => w.object === object),
    );
  });
}

const hasRayHead = (object: K8sObject): boolean => rayHeadsOf(object).length > 0;

/**
 * The objects that declare or start a Ray head, with their heads, in inventory order: built once per
 * snapshot version, and kept over a change to any other object (a gateway Service switched to
 * LoadBalancer asked every object of the snapshot for its heads on each admission request).
 */
const RAY_HEAD_OBJECTS: DerivedAnalysis<readonly { readonly object: K8sObject; readonly heads: readonly RayHead[] }[]> = {
  name: 'ray head objects',
  relevant: hasRayHead,
  build: (inventory) =>
    inventory.all.flatMap(({ object }) => {
      const heads = rayHeadsOf(object);
      return heads.length > 0 ? [{ object, heads }] : [];
    }),
};

/**
 * Doors from outside to a Service that is a Ray head by its own marks (exposure targets of family
 * `ray`) when no Ray head object in the scanned set answers for it: the RayCluster lives in
 * another repository, or the head runs from a chart the scan does not include. Visible head
 * containers with `RAY_AUTH_MODE=token` close the door; anything unseen is judged at Ray's
 * default, token auth off.
 */
export function unclaimedRayHeadDoors(object: K8sObject, inventory: Inventory, lists: UserLists): RayHeadDoor[] {
  const doors: RayHeadDoor[] = [];
  if (!mayFaceOutside(object)) return doors;
  for (const exposure of analyzeExposure(inventory, lists).byEntry(object)) {
    if (exposure.target?.family !== 'ray' || exposure.auth.state === 'present' || !reachesOutside(exposure.reach.level)) continue;
    if (claimedByHeadObject(exposure, inventory)) continue;
    const containers = exposure.backend.workloads.flatMap(({ object: w }) => containersOf(w));
    // Every workload behind the Service must turn token auth on: one open head is enough.
    const tokenEverywhere =
      exposure.backend.workloads.length > 0 &&
      exposure.backend.workloads.every(({ object: w }) => rayContainersUseToken(containersOf(w)));
    if (tokenEverywhere) continue;
    const backend = `${exposure.backend.namespace ?? ''}/${exposure.backend.name}`;
    const ports = exposure.target.byPortsAlone;
    const byPortAlone = ports !== undefined;
    const portNote = byPortAlone ? [`recognised as a Ray head only by its port (${ports.join(', ')}); no workload behind it is in the scanned files`] : [];
    const unseen = containers.length === 0 ? ['the Ray head pods and their RayCluster are not in the scanned files; Ray token auth is off unless configured (RAY_AUTH_MODE=token, Ray >= 2.52)'] : ['no RAY_AUTH_MODE=token on the head containers'];
    doors.push({
      subject: byPortAlone ? `Service ${backend}, a Ray head by its port alone,` : `Ray head behind Service ${backend}`,
      path: exposure.path,
      how: describeRoute(exposure),
      fromAnywhere: exposure.reach.level === 'anywhere',
      byPortAlone,
      evidence: [exposure.route, ...exposure.reach.caveats, ...portNote, ...unseen],
      discriminator: `ray-service|${backend}`,
    });
  }
  return doors;
}
