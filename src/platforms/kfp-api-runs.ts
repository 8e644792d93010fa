/**
 * The run records `kfguard hunt --kfp` makes from the KFP API (v2beta1 `Run` and `RecurringRun`,
 * v1beta1 `Run` and `Job`): the API's own resources, not Kubernetes kinds, so the rules judging
 * them also check that they came from the API.
 */
export const KFP_RUN_API_GROUP = 'pipelines.kubeflow.org';
export const KFP_RUN_KINDS = ['Run', 'RecurringRun', 'Job'] as const;
export type KfpRunKind = (typeof KFP_RUN_KINDS)[number];
