import { defineRule } from '../../core/rule.js';
import { analyzeExposure } from '../../exposure/analysis.js';
import { kubeflowSeverity, violationsFor } from '../../exposure/violations.js';
import { EXPOSURE_ENTRY_KINDS } from './entry-kinds.js';

export default defineRule({
  meta: {
    id: 'kubeflow-dashboard-exposed',
    title: 'Kubeflow UI or API reachable from outside the cluster',
    severity: 'critical',
    category: 'exposure',
    description: [
      'Follows every way in from outside the cluster (LoadBalancer, NodePort and externalIPs Services,',
      'Ingresses, Gateway API Gateways with HTTP, gRPC, TLS and TCP routes, OpenShift Routes, and Services switched to',
      'LoadBalancer/NodePort by inline kustomize patches) through Istio Gateways and VirtualServices to the',
      'Kubeflow Central Dashboard (v1 and kubeflow/dashboard v2), Pipelines UI and API, Hub Model Registry REST API',
      'and UI, KFAM, notebook servers and the Kubeflow web apps, recognised by several independent marks kept as',
      'data (image, labels, ConfigMaps, gateway route prefix, names, ports; `data/lists/exposure-targets.yaml`) so',
      'renaming one never hides a component, and asks whether anything authenticates the',
      'request on the way (the oauth2-proxy chain on the Istio ingress gateway, the older oidc-authservice',
      'EnvoyFilter, nginx/ALB/IAP authentication on an Ingress whose class is that controller\'s). Istio policies are',
      'read for what they enforce on each routed path: rule paths and notPaths, conditions an outsider can steer',
      'around (methods, hosts, headers), dry-run mode, and Kubeflow\'s CUSTOM rule that skips requests carrying an',
      'Authorization header, which only a DENY for requests without a principal closes. Notebooks count as routed through the gateway',
      'named by the notebook controller\'s `ISTIO_GATEWAY`, because the controller creates their VirtualServices',
      'at runtime and manifests never hold them.',
      '',
      'Severity ladder:',
      '- **critical**: reachable from anywhere, or on a NodePort, and nothing authenticates it (a NodePort listens on every node address, and whether a firewall keeps the internet from the nodes is no more in the manifests than one in front of a load balancer);',
      '- **high**: unauthenticated but narrowed to broad public source ranges, or a public entry straight to a Kubeflow Service whose workload is not in the scanned set;',
      '- **medium**: unauthenticated behind an internal load balancer or narrow source ranges, or the scanned set cannot show whether the gateway authenticates (the finding says what could not be seen);',
      '- **low**: authenticated, but the login surface faces the internet; **info**: the same on a NodePort or broad ranges.',
    ].join('\n'),
    rationale: [
      'Kubeflow UIs trust the `kubeflow-userid` header that the authenticated gateway adds. Reached without it,',
      'the Central Dashboard treats the caller as a cluster admin and the Pipelines API runs any pipeline, so',
      'an exposed dashboard lets anyone start containers. Attackers have done exactly that at scale to mine',
      'crypto-currency (Microsoft, 2020 and 2021).',
    ].join(' '),
    remediation: [
      'Keep `istio-ingressgateway` and every Kubeflow Service `ClusterIP` and reach them with',
      '`kubectl port-forward`, or put the oauth2-proxy chain in front: an `AuthorizationPolicy` with action',
      '`CUSTOM` and provider `oauth2-proxy`, a `RequestAuthentication` for your issuer and a `DENY` policy for',
      'requests without a principal. Never route an Ingress or load balancer straight to a Kubeflow Service;',
      'send it to the gateway. If a load balancer is needed, make it internal or set `loadBalancerSourceRanges`.',
    ].join(' '),
    references: [
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Exposed%20sensitive%20interfaces/',
      'https://github.com/kubeflow/manifests#readme',
      'https://www.microsoft.com/en-us/security/blog/2020/06/10/misconfigured-kubeflow-workloads-are-a-security-risk/',
      'https://attack.mitre.org/techniques/T1133/',
    ],
    mitre: ['T1133', 'T1190', 'T1610', 'MS-TA9005'],
    match: EXPOSURE_ENTRY_KINDS,
    sources: ['manifest', 'cluster', 'admission'],
    needs: { reads: '*', snapshot: 'required', request: false, cost: 'moderate' },
    fixable: true,
  },
  *check(object, ctx) {
    yield* violationsFor(analyzeExposure(ctx.inventory, ctx.config.lists).byEntry(object), 'kubeflow', kubeflowSeverity);
  },
});
