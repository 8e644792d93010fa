/**
 * Public entry point of the exposure analysis for other rules.
 *
 *   externalReachability(inventory: Inventory, object: K8sObject): ExternalReachability
 *
 * `object` is a Service or a workload (Deployment, StatefulSet, Pod, …). The answer lists every
 * path from outside the cluster that ends at it: LoadBalancer/NodePort/externalIPs Services,
 * Ingresses, Gateway API and OpenShift Routes, kustomize patches, and Istio gateway routes.
 * `onlyThroughAuthenticatingGateway` is true when it is reachable and every path is authenticated
 * (the Kubeflow oauth2-proxy chain, oidc-authservice, or an authenticating Ingress), so e.g. a
 * Jupyter server with an empty token matters less. The analysis is built once per inventory.
 */
import type { K8sObject } from '../core/types.js';
import type { UserLists } from '../core/config-types.js';
import type { Inventory } from '../core/inventory.js';
import { exposuresReaching } from './analysis.js';
import type { Exposure } from './types.js';

export interface ExternalReachability {
  readonly reachable: boolean;
  readonly onlyThroughAuthenticatingGateway: boolean;
  readonly paths: readonly Exposure[];
  /** Paths on which nothing authenticates, or on which that cannot be seen. */
  readonly unauthenticatedPaths: readonly Exposure[];
}

export function externalReachability(inventory: Inventory, object: K8sObject, lists: UserLists): ExternalReachability {
  const paths = exposuresReaching(inventory, object, lists);
  const unauthenticatedPaths = paths.filter((p) => p.auth.state !== 'present');
  return {
    reachable: paths.length > 0,
    onlyThroughAuthenticatingGateway: paths.length > 0 && unauthenticatedPaths.length === 0,
    paths,
    unauthenticatedPaths,
  };
}

export type { Exposure, Reach, ReachLevel, AuthVerdict, TargetKind } from './types.js';
