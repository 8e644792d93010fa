import { qualifiedResource, rulesAllow, type PolicyRule } from './policy-rule.js';

/** A resource whose creation ends in a pod running code of the creator's choosing. */
export interface PodMaker {
  readonly apiGroup: string;
  readonly resource: string;
}

const table: readonly (readonly [string, readonly string[]])[] = [
  ['', ['pods', 'replicationcontrollers']],
  ['apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']],
  ['extensions', ['deployments', 'replicasets', 'daemonsets']],
  ['batch', ['jobs', 'cronjobs']],
  ['argoproj.io', ['workflows', 'cronworkflows', 'workflowtemplates']],
  [
    'kubeflow.org',
    ['notebooks', 'tfjobs', 'pytorchjobs', 'mpijobs', 'xgboostjobs', 'paddlejobs', 'jaxjobs', 'scheduledworkflows', 'experiments'],
  ],
  ['trainer.kubeflow.org', ['trainjobs']],
  ['serving.kserve.io', ['inferenceservices']],
  ['ray.io', ['rayclusters', 'rayjobs', 'rayservices']],
];

export const POD_MAKERS: readonly PodMaker[] = table.flatMap(([apiGroup, resources]) =>
  resources.map((resource) => ({ apiGroup, resource })),
);

/** The pod-making resources the rules let a subject create, in kubectl spelling. */
export function creatablePodMakers(rules: readonly PolicyRule[]): string[] {
  return POD_MAKERS.filter((maker) => rulesAllow(rules, { verb: 'create', apiGroup: maker.apiGroup, resource: maker.resource })).map(
    (maker) => qualifiedResource(maker.apiGroup, maker.resource),
  );
}

export function canExecIntoPods(rules: readonly PolicyRule[]): boolean {
  return rulesAllow(rules, { verb: 'create', apiGroup: '', resource: 'pods/exec' });
}
