import { asArray, asRecord, asString } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { KFP_RUN_API_GROUP, type KfpRunKind } from '../platforms/kfp-api-runs.js';


/** v1beta1 names a run's (or experiment's) namespace and experiment only through resource references. */
export function referencedId(record: Record<string, unknown>, type: 'NAMESPACE' | 'EXPERIMENT'): string | undefined {
  for (const reference of asArray(record.resource_references)) {
    const key = asRecord(asRecord(reference)?.key);
    if (key?.type === type) return asString(key.id);
  }
  return undefined;
}

/**
 * The service account a KFP run or recurring run asks for (`service_account`, chosen by whoever
 * created it), as an object pipeline-run-service-account-override judges. Only runs that name one:
 * an empty field means the namespace's runner. The namespace comes from the run (recurring runs,
 * v1 resource references), else its experiment, else the namespace the hunt was limited to.
 */
export function runAccountObject(
  run: Record<string, unknown> | undefined,
  kind: KfpRunKind,
  version: 'v2beta1' | 'v1beta1',
  namespaceOfExperiment: (id: string | undefined) => string | undefined,
): K8sObject | undefined {
  const account = asString(run?.service_account);
  if (!run || !account) return undefined;
  const namespace = asString(run.namespace) || referencedId(run, 'NAMESPACE') || namespaceOfExperiment(asString(run.experiment_id) ?? referencedId(run, 'EXPERIMENT'));
  const name = asString(run.display_name) ?? asString(run.name) ?? asString(run.run_id) ?? asString(run.recurring_run_id) ?? asString(run.id) ?? 'unnamed';
  return {
    apiVersion: `${KFP_RUN_API_GROUP}/${version}`,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    service_account: account,
  };
}
