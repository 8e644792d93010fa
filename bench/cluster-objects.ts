// The generated cluster of `npm run bench:cluster` (test-only data).
import type { K8sObject } from '../src/core/types.js';

const image = 'registry.example/team/app@sha256:' + 'a'.repeat(64);

function container(name: string): Record<string, unknown> {
  return { name, image, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, env: [{ name: 'MODE', value: 'serve' }] };
}

/** The bench cluster at `scale` (1: 50,000 Pods, 5,000 Deployments and Services, 2,000 RoleBindings, 500 namespaces). */
export function generateCluster(scale: number): K8sObject[] {
  const count = (n: number): number => Math.max(1, Math.round(n * scale));
  const NAMESPACES = count(500);
  const objects: K8sObject[] = [];
  const ns = (i: number): string => `team-${i % NAMESPACES}`;
  for (let i = 0; i < NAMESPACES; i++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } });
  for (let i = 0; i < count(5_000); i++) {
    objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: ns(i) }, spec: { replicas: 10, selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [container('app')] } } } });
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: ns(i) }, spec: { type: 'ClusterIP', selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] } });
  }
  for (let i = 0; i < count(50_000); i++) {
    const owner = i % count(5_000);
    objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${owner}-7d9f8c6b5-${i}`, namespace: ns(owner), labels: { app: `app-${owner}`, 'pod-template-hash': '7d9f8c6b5' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${owner}-7d9f8c6b5`, controller: true, uid: `rs-${owner}` }] }, spec: { serviceAccountName: 'default', containers: [container('app')] } });
  }
  for (let i = 0; i < count(2_000); i++) {
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `edit-${i}`, namespace: ns(i) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: `user-${i}@example.com`, apiGroup: 'rbac.authorization.k8s.io' }] });
  }
  return objects;
}

