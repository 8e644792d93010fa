import type { Finding } from '../../src/core/types.js';
import { buildReport, type Report } from '../../src/report/report.js';

/** Markup that must stay text: if any of it executes, `window.__pwned` gets set. */
export const HOSTILE_NAME = '<script>window.__pwned=1</script>';
export const HOSTILE_MESSAGE = '</script><script>window.__pwned=2</script><img src=x onerror="window.__pwned=3">';

function finding(overrides: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'category' | 'resource'>): Finding {
  return {
    title: `title of ${overrides.ruleId}`,
    message: `message of ${overrides.ruleId}`,
    evidence: [],
    mitre: ['T1133'],
    remediation: 'Put the dashboard behind an authenticating proxy.\n\nThen rescan.',
    source: 'manifest',
    fingerprint: `fp-${overrides.ruleId}-${overrides.resource.name}`,
    ...overrides,
  };
}

/** Five findings with known severities, categories and namespaces; one of them suppressed. */
export function sampleReport(): Report {
  return buildReport({
    inputs: { files: 3, documents: 9, skipped: 1, skippedFiles: 0, skippedDocuments: 1 },
    findings: [
      finding({
        ruleId: 'dashboard-exposed-without-auth',
        severity: 'critical',
        category: 'exposure',
        resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'centraldashboard' },
        location: { file: 'manifests/dashboard.yaml', line: 12, column: 3 },
        path: 'spec.type',
        message: 'Kubeflow central dashboard is reachable from the internet without authentication',
        evidence: ['spec.type: LoadBalancer', 'no AuthorizationPolicy selects the workload'],
        attackPath: [
          { kind: 'internet', label: 'internet' },
          { kind: 'entry', label: 'LoadBalancer istio-ingressgateway' },
          { kind: 'route', label: 'Gateway kubeflow-gateway' },
          { kind: 'route', label: 'VirtualService dashboard' },
          { kind: 'service', label: 'Service centraldashboard' },
          { kind: 'workload', label: 'Deployment centraldashboard' },
          { kind: 'auth-missing', label: 'no oauth2-proxy / AuthorizationPolicy' },
        ],
      }),
      finding({
        ruleId: 'miner-pool-in-args',
        severity: 'critical',
        category: 'threat',
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml-team', name: HOSTILE_NAME },
        location: { file: 'manifests/miner.yaml', line: 20, column: 9 },
        path: 'spec.template.spec.containers[0].args[1]',
        message: HOSTILE_MESSAGE,
        evidence: ['args: --url stratum+tcp://pool.example:3333', '<b>not bold</b>'],
      }),
      finding({
        ruleId: 'namespace-without-quota',
        severity: 'medium',
        category: 'guardrails',
        resource: { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' },
        message: 'namespace team-a has no ResourceQuota',
      }),
      finding({
        ruleId: 'notebook-exposed',
        severity: 'high',
        category: 'exposure',
        resource: { apiVersion: 'v1', kind: 'Service', namespace: 'kubeflow', name: 'jupyter-web-app' },
        location: { file: 'manifests/dashboard.yaml', line: 40, column: 3 },
        suppression: { kind: 'inline', reason: 'lab cluster, firewalled' },
      }),
      finding({
        ruleId: 'wildcard-cluster-role',
        severity: 'low',
        category: 'rbac',
        resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'everything' },
        location: { file: 'manifests/rbac.yaml', line: 1, column: 1 },
        message: 'ClusterRole grants * on *',
      }),
    ],
    extensions: {
      accessSummary: [
        { subject: 'ServiceAccount kubeflow/pipeline-runner', namespaces: ['kubeflow'], via: ['ClusterRoleBinding pipeline-runner'], canCreate: ['pods', 'workflows'] },
      ],
    },
  });
}
