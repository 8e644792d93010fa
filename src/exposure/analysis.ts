import { asRecord, describeObject, nameOf, namespaceOf } from '../core/object.js';
import type { UserLists } from '../core/config-types.js';
import type { AttackPathHop, K8sObject, ScannedObject } from '../core/types.js';
import type { DerivedAnalysis, Inventory } from '../core/inventory.js';
import { podLabelsOf } from '../k8s/inventory.js';
import { hasContainers } from '../k8s/workloads.js';
import { readersCanSeeUpdate } from './reader-visible-change.js';
import { gatewayAuthJudge, ingressAuth, meshOnlyPolicyNote } from './auth-chain.js';
import { entryRoutesOf, type EntryRoute } from './entry-points.js';
import { buildRoutingIndex, gatewayFlavourOf, podLabelSets, routesThrough, type RoutingIndex } from './istio-routing.js';
import { recognizeTarget } from './targets.js';
import { SHOWN_WORKLOADS } from './shown.js';
import type { AuthVerdict, Exposure, ServiceRef } from './types.js';

export interface ExposureAnalysis {
  readonly all: readonly Exposure[];
  /** Exposures keyed by the entry object that faces outside. */
  byEntry(object: K8sObject): readonly Exposure[];
  /**
   * Exposures whose backend is `object` (a Service) or runs it (a workload), in the order of `all`.
   * Workloads behind the same Services get the same array, so callers may memoize on it.
   */
  reaching(object: K8sObject): readonly Exposure[];
}

/**
 * One exposure analysis per config lists object (the same for a whole scan or webhook), each built
 * once per snapshot version. `lists` are the config's additions to shared lists (internal
 * load-balancer annotations).
 */
const analyses = new WeakMap<UserLists, DerivedAnalysis<ExposureAnalysis>>();

/** The analysis as built here: it can take a new copy of a workload it holds in the old one's place. */
interface CarriableAnalysis extends ExposureAnalysis {
  /** Puts `after` where `before` is held; false when it cannot (the object is an entry). */
  replaceCopy(before: ScannedObject, after: ScannedObject): boolean;
}

/**
 * An update of a Pod or controller that no reader of it can see (`readersCanSeeUpdate`: nothing
 * but bookkeeping and labels no selector names and no rule reads by value changed) cannot change
 * the exposures: the analysis keeps its value with the new copy in the old one's place. A watch's
 * Pod churn rebuilt it after nearly every update, and with it re-judged every Service read
 * through it: most of the old-generation garbage each change left (docs/benchmarks.md,
 * h-watchflat12).
 */
function carryCopy(value: ExposureAnalysis, before: ScannedObject, after: ScannedObject, inventory: Inventory): boolean {
  if (podLabelsOf(before.object).length === 0 || readersCanSeeUpdate(before.object, after.object, inventory)) return false;
  return (value as CarriableAnalysis).replaceCopy(before, after);
}
const ROUTING: DerivedAnalysis<RoutingIndex> = { name: 'istio routing', build: (inventory) => buildRoutingIndex(inventory) };

/** Every exposure in the scanned set, computed once per snapshot version and shared by all rules. */
export function analyzeExposure(inventory: Inventory, lists: UserLists): ExposureAnalysis {
  let analysis = analyses.get(lists);
  if (!analysis) {
    analysis = { name: 'exposure', build: (snapshot) => buildExposureAnalysis(snapshot, lists), carry: carryCopy };
    analyses.set(lists, analysis);
  }
  return inventory.derived(analysis);
}

function buildExposureAnalysis(inventory: Inventory, lists: UserLists): CarriableAnalysis {
  // The routing index reads only routing kinds, so a Service or workload change reuses it.
  const index = inventory.derived(ROUTING);
  const selections: Selections = new Map();
  const all = entryRoutesOf(inventory, lists).flatMap((entry) => exposuresOf(inventory, index, entry, selections));
  const byEntry = new Map<K8sObject, Exposure[]>();
  for (const exposure of all) {
    const list = byEntry.get(exposure.entry.object) ?? [];
    list.push(exposure);
    byEntry.set(exposure.entry.object, list);
  }
  const reaching = reachingIndex(all);
  return {
    all,
    byEntry: (object) => byEntry.get(object) ?? [],
    reaching: reaching.of,
    replaceCopy: (before, after) => !byEntry.has(before.object) && reaching.replaceCopy(before, after),
  };
}

/**
 * Exposures by the object they reach. Exposures are grouped by their backend's workloads list
 * (shared by every Service with the same selector), so N Services over N workloads index N
 * groups' members once, not N² (object, exposure) pairs.
 */
function reachingIndex(all: readonly Exposure[]): { of: (object: K8sObject) => readonly Exposure[]; replaceCopy: (before: ScannedObject, after: ScannedObject) => boolean } {
  const order = new Map<Exposure, number>();
  const byService = new Map<K8sObject, Exposure[]>();
  const byWorkloads = new Map<readonly ScannedObject[], Exposure[]>();
  all.forEach((exposure, i) => {
    order.set(exposure, i);
    const { service, workloads } = exposure.backend;
    if (service) push(byService, service, exposure);
    if (workloads.length > 0) push(byWorkloads, workloads, exposure);
  });
  const groupsOf = new Map<K8sObject, (readonly ScannedObject[])[]>();
  for (const workloads of byWorkloads.keys()) {
    for (const { object } of new Set(workloads)) push(groupsOf, object, workloads);
  }
  const groupIds = new Map([...byWorkloads.keys()].map((workloads, i) => [workloads, i]));
  const byGroupSet = new Map<string, readonly Exposure[]>();
  /**
   * Every list holding `before` (the backends' workloads, shared by the exposures and by whatever
   * keeps memos per list) gets `after` in its place, in place: the lists are the analysis' own.
   */
  const replaceCopy = (before: ScannedObject, after: ScannedObject): boolean => {
    const groups = groupsOf.get(before.object);
    if (!groups) return true;
    for (const group of groups) {
      const members = group as ScannedObject[];
      for (let i = 0; i < members.length; i++) if (members[i] === before) members[i] = after;
    }
    groupsOf.delete(before.object);
    groupsOf.set(after.object, groups);
    return true;
  };
  const of = (object: K8sObject): readonly Exposure[] => {
    const groups = groupsOf.get(object) ?? [];
    const own = byService.get(object) ?? [];
    const key = `${groups.map((g) => groupIds.get(g)).join(',')}`;
    const shared = own.length === 0 ? byGroupSet.get(key) : undefined;
    if (shared) return shared;
    const found = new Set<Exposure>(own);
    for (const group of groups) for (const exposure of byWorkloads.get(group) ?? []) found.add(exposure);
    const sorted = [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    if (own.length === 0) byGroupSet.set(key, sorted);
    return sorted;
  };
  return { of, replaceCopy };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Workload lists already selected in one analysis, by namespace and selector: Services with one selector share one list. */
type Selections = Map<string, readonly ScannedObject[]>;

export function resolveService(inventory: Inventory, namespace: string | undefined, name: string, given?: K8sObject, selections?: Selections): ServiceRef {
  const found =
    inventory.get('Service', namespace, name, '')?.object ??
    (namespace === undefined ? inventory.ofKind('Service', '').find((s) => nameOf(s.object) === name)?.object : undefined);
  const service = found ?? given;
  const workloads = service ? selectedWorkloads(inventory, service, selections) : [];
  return { namespace, name, ...(service ? { service } : {}), workloads };
}

function selectedWorkloads(inventory: Inventory, service: K8sObject, selections: Selections | undefined): readonly ScannedObject[] {
  const selector = asRecord(asRecord(service.spec)?.selector);
  // A Service never selects itself, and Services carry no containers, so the list depends on the selector alone.
  const key = selector ? JSON.stringify([namespaceOf(service) ?? '', Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]) : undefined;
  const known = key === undefined ? undefined : selections?.get(key);
  if (known) return known;
  const workloads = interned(inventory.selectedByService(service).filter((s) => hasContainers(s.object)));
  if (key !== undefined) selections?.set(key, workloads);
  return workloads;
}

const NO_WORKLOADS: readonly ScannedObject[] = Object.freeze([]);
/** Lists of the same members handed out before, by their first member; a few per member. */
const internedLists = new WeakMap<ScannedObject, (readonly ScannedObject[])[]>();
const LISTS_PER_MEMBER = 8;

/**
 * The list handed out before with the same members in the same order, if any. What is kept per
 * workload list (recognition marks, hops) is then found again when the analysis is rebuilt over an
 * overlay or a new snapshot version: the webhook re-judging a gateway Service change rebuilt both
 * for every backend on every request.
 */
function interned(workloads: readonly ScannedObject[]): readonly ScannedObject[] {
  const first = workloads[0];
  if (!first) return NO_WORKLOADS;
  let known = internedLists.get(first);
  if (!known) {
    known = [];
    internedLists.set(first, known);
  }
  const same = known.find((list) => list.length === workloads.length && list.every((s, i) => s === workloads[i]));
  if (same) return same;
  // Bounded: a stream of changing selections over one workload must not grow it without end.
  if (known.length >= LISTS_PER_MEMBER) known.shift();
  known.push(workloads);
  return workloads;
}

/** Hops are kept per backend list: every route through the same Services shares them. */
const workloadHopsCache = new WeakMap<readonly ScannedObject[], readonly AttackPathHop[]>();

/**
 * The workloads behind a Service as hops: objects of one name once (a scan of several overlays
 * holds many), the first SHOWN_WORKLOADS names, and a count of the rest.
 */
function workloadHops(workloads: readonly ScannedObject[]): readonly AttackPathHop[] {
  let hops = workloadHopsCache.get(workloads);
  if (!hops) {
    const counts = new Map<string, number>();
    for (const w of workloads) {
      const label = describeObject(w.object);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const named = [...counts].map(([label, count]) => (count > 1 ? `${label} (${count} objects of this name)` : label));
    const shown: AttackPathHop[] = named.slice(0, SHOWN_WORKLOADS).map((label) => ({ kind: 'workload', label }));
    const rest = named.length - shown.length;
    if (rest > 0) shown.push({ kind: 'workload', label: `… and ${rest} more workload${rest === 1 ? '' : 's'} selected by the same Service` });
    hops = shown;
    workloadHopsCache.set(workloads, hops);
  }
  return hops;
}

function backendHops(backend: ServiceRef): AttackPathHop[] {
  const serviceLabel = `Service ${backend.namespace ? `${backend.namespace}/` : ''}${backend.name}`;
  const whereabouts = backend.service ? '' : backend.createdBy ? ` (created at runtime by ${backend.createdBy})` : ' (not in the scanned files)';
  return [{ kind: 'service', label: `${serviceLabel}${whereabouts}` }, ...workloadHops(backend.workloads)];
}

function authHop(auth: AuthVerdict): AttackPathHop {
  const label = auth.notes[auth.notes.length - 1] ?? auth.state;
  return { kind: auth.state === 'present' ? 'auth-present' : auth.state === 'absent' ? 'auth-missing' : 'note', label };
}

function directAuth(inventory: Inventory, backend: ServiceRef, target: Exposure['target']): AuthVerdict {
  const bypass = target?.family === 'kubeflow' ? ', bypassing the Kubeflow gateway and the identity header it adds' : '';
  if (backend.workloads.length > 0) {
    const meshOnly = meshOnlyPolicyNote(inventory, backend, podLabelSets(backend));
    return {
      state: 'absent',
      // The verdict goes last: the attack path's auth hop shows the last note.
      notes: [...(meshOnly ? [meshOnly] : []), `the path reaches Service ${backend.name} directly${bypass}; no authenticating proxy is on the way`],
    };
  }
  return {
    state: 'unknown',
    notes: [`the scanned files do not show the workload behind Service ${backend.name}, nor any authenticating proxy in front of it`],
  };
}

function exposure(entry: EntryRoute, backend: ServiceRef, target: Exposure['target'], viaGateway: boolean, auth: AuthVerdict, middle: readonly AttackPathHop[]): Exposure {
  const hops: AttackPathHop[] = [{ kind: 'internet', label: 'outside the cluster' }, ...entry.hops, ...middle, authHop(auth)];
  const route = hops
    .filter((h) => h.kind === 'entry' || h.kind === 'route' || h.kind === 'service' || h.kind === 'workload')
    .map((h) => h.label)
    .join(' → ');
  const routeNotes = middle.filter((h) => h.kind === 'note').map((h) => h.label);
  return { entry: entry.entry, path: entry.path, reach: entry.reach, target, backend, viaGateway, auth, hops, route, routeNotes };
}

function exposuresOf(inventory: Inventory, index: RoutingIndex, entry: EntryRoute, selections: Selections): Exposure[] {
  const backend = resolveService(inventory, entry.backendNamespace, entry.backendName, entry.backendService, selections);
  const ingressNote = entry.ingress ? ingressAuth(inventory, entry.ingress, backend) : undefined;
  const viaIngress: AuthVerdict | undefined = ingressNote ? { state: 'present', notes: [ingressNote] } : undefined;
  // For Service entries the backend is the entry itself, so only its workloads need hops.
  const entryBackendHops = entry.backendService ? workloadHops(backend.workloads) : backendHops(backend);
  const flavour = gatewayFlavourOf(index, backend);

  if (flavour?.kind === 'istio') {
    // Routes of one gateway often share a path (`/`), and the policies that apply are the same for all.
    const judge = viaIngress ? undefined : gatewayAuthJudge(inventory, backend, flavour.podLabels);
    const verdicts = new Map<string, AuthVerdict>();
    const authFor = (path: string): AuthVerdict => {
      if (viaIngress || !judge) return viaIngress as AuthVerdict;
      let verdict = verdicts.get(path);
      if (!verdict) {
        verdict = judge(path);
        verdicts.set(path, verdict);
      }
      return verdict;
    };
    const routes = routesThrough(index, flavour.gateways);
    if (routes.length === 0) {
      const auth = authFor('/');
      const target = { family: 'kubeflow' as const, label: 'everything routed by the Istio ingress gateway (the Kubeflow gateway)' };
      const missing = flavour.gateways.length === 0 ? 'no Istio Gateway selecting it' : 'no VirtualService bound to its Gateways';
      const note: AttackPathHop = { kind: 'note', label: `${missing} is in the scanned files` };
      return [exposure(entry, backend, target, true, auth, [...entryBackendHops, note])];
    }
    return routes.map((route) => {
      const auth = authFor(route.requestPath);
      const made = route.fromController;
      if (made) {
        const destination: ServiceRef = { namespace: made.namespace, name: made.name, workloads: made.workloads, createdBy: made.createdBy };
        const notes = made.caveats.map((caveat): AttackPathHop => ({ kind: 'note', label: caveat }));
        return exposure(entry, destination, made.target, true, auth, [...entryBackendHops, ...route.hops, ...backendHops(destination), ...notes]);
      }
      const destination = resolveService(inventory, route.namespace, route.name, undefined, selections);
      return exposure(entry, destination, recognizeTarget(destination, route.requestPath), true, auth, [...entryBackendHops, ...route.hops, ...backendHops(destination)]);
    });
  }
  if (flavour?.kind === 'ambassador') {
    const auth = viaIngress ?? {
      state: 'unknown' as const,
      notes: ['the Kubeflow 0.x Ambassador gateway authenticates only when IAP or basic-auth is set up outside these files'],
    };
    const target = { family: 'kubeflow' as const, label: 'everything routed by the Kubeflow Ambassador gateway' };
    return [exposure(entry, backend, target, true, auth, entryBackendHops)];
  }
  const target = recognizeTarget(backend, entry.requestPath);
  return [exposure(entry, backend, target, false, viaIngress ?? directAuth(inventory, backend, target), entryBackendHops)];
}

/** Exposures whose backend is `object` (a Service) or runs it (a workload). */
export function exposuresReaching(inventory: Inventory, object: K8sObject, lists: UserLists): readonly Exposure[] {
  return analyzeExposure(inventory, lists).reaching(object);
}
