import type { AuditDetection } from '../detection.js';
import { succeeded } from '../event.js';
import { podRoleOf } from '../pod-roles.js';

interface Creation {
  readonly time: number;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Pipeline, notebook, training or Ray pods created in many namespaces within a short window, as the
 * 2021 campaign's pods appeared. One finding per burst; the window then starts again.
 */
export const podBurst: AuditDetection = {
  meta: {
    id: 'audit-pipeline-pod-burst',
    title: 'Burst of pipeline or job pods across many namespaces',
    severity: 'high',
    category: 'threat',
    description: 'Pods of pipelines, notebooks, training jobs or Ray created in at least N namespaces within W minutes (defaults 5 and 10; `--burst-namespaces`, `--burst-window`).',
    rationale: 'In the 2021 Kubeflow campaign the miner pipelines were started in many profile namespaces at once; a person running experiments rarely does that.',
    remediation: 'Look at the pods named in the evidence and at who created them (the timeline); if they mine, stop them and close the door they came through.',
    references: ['https://www.microsoft.com/en-us/security/blog/2021/06/10/cryptojacking-campaign-targets-kubeflow-ml-clusters/'],
    mitre: ['T1496', 'T1610'],
  },
  start: (settings) => {
    // Only creations inside the window are kept: bounded by the pod create rate, not the log.
    let window: Creation[] = [];
    return function* (context) {
      const { event, after } = context;
      if (event.verb !== 'create' || event.objectRef.resource !== 'pods' || event.objectRef.subresource || !after || !succeeded(event)) return;
      if (!podRoleOf(after) || !Number.isFinite(event.time)) return;
      const namespace = event.objectRef.namespace ?? '';
      window.push({ time: event.time, namespace, name: event.objectRef.name ?? (typeof after.metadata?.name === 'string' ? after.metadata.name : '') });
      window = window.filter((c) => event.time - c.time <= settings.burstWindowMs && c.time <= event.time);
      if (window.length > 10_000) window = window.slice(-10_000);
      const namespaces = [...new Set(window.map((c) => c.namespace))];
      if (namespaces.length < settings.burstNamespaces) return;
      const first = window[0] as Creation;
      const burst = window;
      window = [];
      yield {
        resource: { apiVersion: 'v1', kind: 'Pod', name: `${burst.length} pods in ${namespaces.length} namespaces` },
        message: `${burst.length} pipeline/job pods created in ${namespaces.length} namespaces within ${Math.round((event.time - first.time) / 1000)} s`,
        discriminator: event.auditID,
        evidence: [`namespaces: ${namespaces.slice(0, 20).join(', ')}${namespaces.length > 20 ? ', …' : ''}`, `pods: ${burst.slice(0, 10).map((c) => `${c.namespace}/${c.name}`).join(', ')}${burst.length > 10 ? ', …' : ''}`, `from ${new Date(first.time).toISOString()} to ${event.timestamp}`],
      };
    };
  },
};
