import type { AttackPathHop, K8sObject, ScannedObject } from '../core/types.js';
import type { Severity } from '../core/severity.js';

/**
 * Who can open a connection to an entry point, from widest to narrowest.
 * `nodes`: a NodePort, reachable by whoever can reach a node's address.
 * `unseen`: the part that faces outside (a route's parent Gateway) is not in the scanned files.
 */
export type ReachLevel = 'anywhere' | 'broad' | 'nodes' | 'unseen' | 'internal' | 'narrow';

export interface Reach {
  readonly level: ReachLevel;
  /** Human words for the evidence, e.g. `LoadBalancer`, `NodePort`, `internal AWS load balancer`. */
  readonly how: string;
  /** Things the scanned text could not settle, e.g. an unresolved kustomize variable. */
  readonly caveats: readonly string[];
}

/**
 * `kubeflow`: a Kubeflow UI or API that trusts the gateway's identity header; `sensitive`: another
 * service an attacker wants (database, object store, Argo, model servers …); `ray`: a Ray head,
 * judged with its token auth by ray-dashboard-no-auth.
 */
export type TargetFamily = 'kubeflow' | 'sensitive' | 'ray';

export interface TargetKind {
  readonly family: TargetFamily;
  /** Display name, e.g. `Kubeflow Central Dashboard`. */
  readonly label: string;
  /** The highest severity an exposure of this target deserves, and why. */
  readonly ceiling?: Severity;
  readonly ceilingReason?: string;
  /** Set when recognised by the Service's ports alone (no workload behind it is in the scanned set): those ports. */
  readonly byPortsAlone?: readonly number[];
  /** A login page meant to face users (Dex): routed through a gateway that authenticates the rest, it is expected. */
  readonly loginSurface?: boolean;
}

/** A Service (possibly only named, possibly a kustomize patch) and what runs behind it. */
export interface ServiceRef {
  readonly namespace: string | undefined;
  readonly name: string;
  /** The Service object when the scanned set has it. */
  readonly service?: K8sObject;
  readonly workloads: readonly ScannedObject[];
  /** Who creates the Service at runtime, when manifests never hold it (e.g. `the notebook controller`). */
  readonly createdBy?: string;
}

export type AuthState = 'present' | 'absent' | 'unknown';

export interface AuthVerdict {
  readonly state: AuthState;
  /** What was seen or missed, written for the evidence list. */
  readonly notes: readonly string[];
}

/** One way in from outside the cluster to one target. */
export interface Exposure {
  readonly entry: ScannedObject;
  /** The offending field of the entry object. */
  readonly path: string;
  readonly reach: Reach;
  /** Undefined when the backend is nothing kfguard recognises (still reported by `externalReachability`). */
  readonly target: TargetKind | undefined;
  readonly backend: ServiceRef;
  /** True when the request passes an Istio (or legacy Ambassador) gateway that may authenticate it. */
  readonly viaGateway: boolean;
  readonly auth: AuthVerdict;
  readonly hops: readonly AttackPathHop[];
  /** The hops written as one `A → B → C` line. */
  readonly route: string;
  /** What the route analysis could not see, e.g. no VirtualService bound to the gateway. */
  readonly routeNotes: readonly string[];
}
