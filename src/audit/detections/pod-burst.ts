import type { KfguardConfig } from '../../core/config-types.js';
import { ruleOptionsOf } from '../../core/rule-options.js';
import type { AuditDetection, EventContext } from '../detection.js';
import { durationMs } from '../duration.js';
import { succeeded } from '../event.js';
import { podRoleOf } from '../pod-roles.js';

/** The latest launch (a pipeline or job pod, or a recurring run) in one namespace, and how many came since the burst began. */
interface NamespaceActivity {
  readonly time: number;
  readonly name: string;
  readonly first: number;
  readonly pods: number;
  readonly runs: number;
}

/** Namespaces remembered at most; past it the quietest are forgotten and counted in the evidence. */
const MAX_NAMESPACES = 100_000;

export const podBurst: AuditDetection = {
  meta: {
    id: 'audit-pipeline-pod-burst',
    title: 'Burst of pipeline or job pods, or recurring runs, across many namespaces',
    severity: 'high',
    category: 'threat',
    description: 'Pods of pipelines, notebooks, training jobs or Ray created in at least N namespaces within W (defaults 5 namespaces within 2 minutes; `rules.audit-pipeline-pod-burst.options` `namespaces` and `window` in `.kfguard.yaml`, or `--burst-namespaces`, `--burst-window`). Pods in one namespace count once, however many: a pipeline fanning out is not a burst. Pods of scheduled runs (KFP recurring runs, Argo CronWorkflows, CronJobs), as their controllers create them, do not count; creating the recurring runs themselves (a ScheduledWorkflow, a CronWorkflow, a CronJob of pipeline or training pods) does, as a launch in its namespace.',
    rationale: 'In 2021 the campaign\'s TensorFlow miner pods appeared on many clusters simultaneously, started by a script, not by people: pods in five namespaces within two minutes is that shape, while people running experiments, each in their own profile, start runs minutes apart, and one pipeline fanning out stays in its namespace. The campaign also created pipelines and recurring runs in many namespaces at once, so that the miners restart on their own: recurring runs that start in the same minute are ordinary, recurring runs created in five namespaces within two minutes are not.',
    remediation: 'Look at the pods named in the evidence and at who created them (the timeline); if they mine, stop them and close the door they came through.',
    references: ['https://www.microsoft.com/en-us/security/blog/2021/06/10/cryptojacking-campaign-targets-kubeflow-ml-clusters/'],
    mitre: ['T1496', 'T1610'],
    options: (zod) =>
      zod.strictObject({
        namespaces: zod.number().int().min(2, { message: 'expected at least 2 namespaces' }).optional(),
        window: zod
          .string()
          .refine((text) => durationMs(text) !== undefined, { message: 'expected a duration such as 90s, 2m, 1h' })
          .optional(),
      }),
  },
  start: (settings) => {
    // One entry per namespace, kept in order of its latest creation: the memory is bounded by the
    // namespaces, never by the pods, so a fan-out of thousands of pods in one namespace can
    // neither fire the detection nor push the other namespaces out of the window.
    const active = new Map<string, NamespaceActivity>();
    let forgotten = 0;
    let latest = -Infinity;
    // A burst that follows the last one within the window continues it: one finding, counted
    // ("seen N times"), so a storm of pods can neither flood the report nor push other findings
    // past the findings cap.
    let lastBurst = -Infinity;
    let episode = '';
    return function* (context) {
      const { event, after } = context;
      if (event.verb !== 'create' || event.objectRef.subresource || !after || !succeeded(event) || !Number.isFinite(event.time)) return;
      const launch = launchOf(context);
      if (!launch) return;
      const namespace = event.objectRef.namespace ?? '';
      const name = event.objectRef.name ?? (typeof after.metadata?.name === 'string' ? after.metadata.name : '');
      // A jump back by more than the window is another log (files are read one after another):
      // what the last one held says nothing about this moment.
      if (event.time < latest - settings.burstWindowMs) active.clear();
      latest = Math.max(latest, event.time);
      const previous = active.get(namespace);
      active.delete(namespace);
      const fresh = previous !== undefined && Math.abs(event.time - previous.time) <= settings.burstWindowMs;
      active.set(namespace, {
        time: Math.max(event.time, previous?.time ?? event.time),
        name,
        first: fresh ? Math.min(previous.first, event.time) : event.time,
        pods: (fresh ? previous.pods : 0) + (launch === 'pod' ? 1 : 0),
        runs: (fresh ? previous.runs : 0) + (launch === 'recurring run' ? 1 : 0),
      });
      // The map is in order of latest creation (logs are written in order; small disorder only
      // keeps a namespace a moment longer), so the stale ones are at the front.
      for (const [key, activity] of active) {
        if (event.time - activity.time <= settings.burstWindowMs) break;
        active.delete(key);
      }
      if (active.size > MAX_NAMESPACES) {
        const oldest = active.keys().next().value as string;
        active.delete(oldest);
        forgotten++;
      }
      if (active.size < settings.burstNamespaces) return;
      const burst = [...active];
      active.clear();
      if (event.time - lastBurst > settings.burstWindowMs || event.time < lastBurst) episode = event.auditID;
      lastBurst = event.time;
      const since = Math.min(...burst.map(([, a]) => a.first));
      // The real spread: in a log slightly out of order the event that completes the burst need not be its latest.
      const until = Math.max(...burst.map(([, a]) => a.time));
      const pods = burst.reduce((n, [, a]) => n + a.pods, 0);
      const runs = burst.reduce((n, [, a]) => n + a.runs, 0);
      const launched = [...(pods > 0 ? [`${pods} pipeline/job pods`] : []), ...(runs > 0 ? [`${runs} recurring runs`] : [])].join(' and ');
      yield {
        resource: { apiVersion: 'v1', kind: 'Pod', name: `${[...(pods > 0 ? [`${pods} pods`] : []), ...(runs > 0 ? [`${runs} recurring runs`] : [])].join(' and ')} in ${burst.length} namespaces` },
        message: `${launched} created in ${burst.length} namespaces within ${Math.round((until - since) / 1000)} s`,
        discriminator: episode,
        evidence: [
          `namespaces: ${burst.slice(0, 20).map(([ns, a]) => `${ns} (${countsOf(a)})`).join(', ')}${burst.length > 20 ? ', …' : ''}`,
          `latest launches: ${burst.slice(0, 10).map(([ns, a]) => `${ns}/${a.name}`).join(', ')}${burst.length > 10 ? ', …' : ''}`,
          `from ${new Date(since).toISOString()} to ${new Date(until).toISOString()}`,
          ...(forgotten > 0 ? [`${forgotten} namespace(s) forgotten past the ${MAX_NAMESPACES}-namespace memory`] : []),
        ],
      };
    };
  },
};

/**
 * What a create launches, for the burst: a pipeline or job pod that is not a scheduled run's (those
 * of many profiles start in the same minute by design), or a recurring run created (its creator
 * set the schedule: the campaign's way to keep miners coming back).
 */
function launchOf(context: EventContext): 'pod' | 'recurring run' | undefined {
  const { event, after, scheduledRuns } = context;
  if (!after || scheduledRuns.isScheduled(event, after)) return undefined;
  if (event.objectRef.resource === 'pods') return podRoleOf(after) ? 'pod' : undefined;
  return scheduledRuns.isRecurringRun(after) ? 'recurring run' : undefined;
}

/** `3` for pods alone (as before recurring runs counted), `1 pod, 2 recurring runs` otherwise. */
function countsOf(activity: NamespaceActivity): string {
  if (activity.runs === 0) return String(activity.pods);
  return [...(activity.pods > 0 ? [`${activity.pods} pod${activity.pods === 1 ? '' : 's'}`] : []), `${activity.runs} recurring run${activity.runs === 1 ? '' : 's'}`].join(', ');
}

interface PodBurstOptions {
  readonly namespaces?: number;
  readonly window?: string;
}

/** The burst thresholds `.kfguard.yaml` sets (validated when it loaded), each undefined when unset. */
export function burstThresholdsOf(config: KfguardConfig): { namespaces?: number; windowMs?: number } {
  const options = ruleOptionsOf<PodBurstOptions>(config, podBurst.meta.id);
  const windowMs = options?.window === undefined ? undefined : durationMs(options.window);
  return { ...(options?.namespaces !== undefined ? { namespaces: options.namespaces } : {}), ...(windowMs !== undefined ? { windowMs } : {}) };
}
