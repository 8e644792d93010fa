import { defineRule } from '../../core/rule.js';
import { analyzeExposure } from '../../exposure/analysis.js';
import type { Exposure } from '../../exposure/types.js';
import { sensitiveServiceSeverity, violationsFor } from '../../exposure/violations.js';
import { EXPOSURE_ENTRY_KINDS } from './entry-kinds.js';

/**
 * Direct entries, and gateway routes to a sensitive service on a path the gateway leaves
 * unauthenticated (`/ml_metadata` when the oauth2-proxy chain is missing). A login page (Dex)
 * behind a gateway that authenticates everything else is the expected way in, not a finding;
 * routes that only reach the gateway itself are kubeflow-dashboard-exposed's.
 */
function judged(exposures: readonly Exposure[]): Exposure[] {
  const gatewayAuthenticatesOthers = exposures.some((e) => e.viaGateway && e.auth.state === 'present');
  return exposures.filter((e) => {
    if (!e.viaGateway) return true;
    if (e.auth.state === 'present') return false;
    return !(e.target?.loginSurface === true && gatewayAuthenticatesOthers);
  });
}

export default defineRule({
  meta: {
    id: 'ml-service-exposed',
    title: 'Sensitive ML platform service reachable from outside the cluster',
    severity: 'high',
    category: 'exposure',
    description: [
      'Finds databases (PostgreSQL, MySQL, MariaDB, MongoDB, Redis), object stores (MinIO, SeaweedFS), the',
      'Dex identity provider, Argo Workflows UI/server, Kubernetes Dashboard, web file browsers, model-serving',
      'gateways, ModelDB, ML Metadata, the KFP visualization server, the Kubeflow model catalog, standalone Jupyter',
      'servers and JupyterHub, Apache Zeppelin, Seldon (Core v2 scheduler and model servers), Ollama, vLLM, NVIDIA',
      'Triton and KServe predictors that a LoadBalancer, NodePort or externalIPs Service, an Ingress, a Gateway API',
      'route, an OpenShift Route or an inline kustomize patch opens to the outside, and those a Kubeflow or Istio',
      'gateway routes out on a path it leaves unauthenticated (`/ml_metadata` without the oauth2-proxy chain).',
      'Targets are recognised by several marks kept as data (`data/lists/exposure-targets.yaml`): image, command,',
      'labels, ConfigMaps, route prefix, then names; a match on names alone is dropped when the ports say',
      'otherwise (a frontend container named `php-redis` on port 80 is not Redis). Dex behind a gateway that',
      'authenticates everything else is the expected login page and not reported.',
      'MLflow, TensorBoard and Ray are judged by `ml-tracking-server-exposed` and `ray-dashboard-no-auth`.',
      '',
      'Severity: **high** when reachable from anywhere; **medium** on a NodePort or broad public source ranges;',
      '**low** behind an internal load balancer or narrow source ranges, or when an Ingress authenticates.',
      'Some targets carry a ceiling with its reason: Dex (a login page) and the model catalog (read-mostly) are at most **medium**.',
      'Source ranges are judged by their union (`0.0.0.0/1` + `128.0.0.0/1`, `::ffff:0:0/96` and `::/1` + `8000::/1` cover the internet).',
    ].join('\n'),
    rationale: [
      'These services hold the platform\'s data and credentials or run code on request, and many ship with',
      'default passwords or none. Exposed ones are found by internet-wide scans within hours; Argo and Kubernetes',
      'Dashboard exposures have been used to deploy crypto-miners.',
    ].join(' '),
    remediation: [
      'Make the Service `ClusterIP` and reach it with `kubectl port-forward`, or put it behind an authenticating',
      'gateway. If it must be reachable from outside the cluster, use an internal load balancer or',
      '`loadBalancerSourceRanges` narrowed to the clients that need it.',
    ].join(' '),
    references: [
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Exposed%20sensitive%20interfaces/',
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
      'https://attack.mitre.org/techniques/T1133/',
    ],
    mitre: ['T1133', 'T1190', 'MS-TA9005'],
    match: EXPOSURE_ENTRY_KINDS,
    sources: ['manifest', 'cluster', 'admission'],
    needs: { reads: '*', snapshot: 'required', request: false, cost: 'moderate' },
    fixable: true,
  },
  *check(object, ctx) {
    yield* violationsFor(judged(analyzeExposure(ctx.inventory, ctx.config.lists).byEntry(object)), 'sensitive', sensitiveServiceSeverity);
  },
});
