import { asRecord, asString, labelsOf, namespaceOf } from '../../core/object.js';
import { defineRule, NO_VIOLATIONS, type RuleContext, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { DerivedAnalysis, Inventory } from '../../core/inventory.js';
import { accessGraphOf } from '../../rbac/access-graph.js';
import { canExecIntoPods, creatablePodMakers } from '../../rbac/pod-makers.js';
import { rulesAllow } from '../../rbac/policy-rule.js';
import { RBAC_SOURCES } from './shared.js';
import { RBAC_READS } from '../rule-defaults.js';

/** Labels Argo and KFP put on every pipeline step pod. */
const STEP_POD_LABELS = ['workflows.argoproj.io/workflow', 'pipeline/runid'];

interface RunSpec {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly path: string;
}

/** Where the kind keeps the spec its pods are made from. */
function runSpecOf(object: K8sObject): RunSpec | undefined {
  const spec = asRecord(object.spec);
  if (!spec) return undefined;
  switch (object.kind) {
    case 'Workflow':
    case 'WorkflowTemplate':
    case 'ClusterWorkflowTemplate':
      return { spec, path: 'spec' };
    case 'CronWorkflow': {
      const workflowSpec = asRecord(spec.workflowSpec);
      return workflowSpec ? { spec: workflowSpec, path: 'spec.workflowSpec' } : undefined;
    }
    case 'ScheduledWorkflow': {
      const workflowSpec = asRecord(asRecord(spec.workflow)?.spec);
      return workflowSpec ? { spec: workflowSpec, path: 'spec.workflow.spec' } : undefined;
    }
    case 'Pod':
      return STEP_POD_LABELS.some((label) => label in labelsOf(object)) ? { spec, path: 'spec' } : undefined;
    default:
      return undefined;
  }
}

/** True when the pods get a token: the pod-level field wins, then the ServiceAccount's. */
function mountsToken(run: RunSpec, serviceAccount: K8sObject | undefined): boolean {
  const own = run.spec.automountServiceAccountToken;
  if (typeof own === 'boolean') return own;
  return serviceAccount?.automountServiceAccountToken !== false;
}

/** What each ServiceAccount's token can do: by `namespace/name`, and by name over every namespace. */
interface TokenPowers {
  readonly byAccount: ReadonlyMap<string, readonly string[]>;
  readonly byName: ReadonlyMap<string, readonly string[]>;
}

/**
 * What the token of a ServiceAccount can do, as far as the scanned RBAC shows, wherever it was
 * granted: a RoleBinding in another namespace arms the token just as well. Built once per snapshot
 * version from the access graph (every pipeline pod used to walk every grant, a few KB of garbage
 * per admitted pod), in grant order as before.
 */
const TOKEN_POWERS: DerivedAnalysis<TokenPowers> = {
  name: 'service-account token powers',
  build(inventory) {
    const byAccount = new Map<string, Set<string>>();
    const byName = new Map<string, Set<string>>();
    const into = (map: Map<string, Set<string>>, key: string): Set<string> => {
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      return set;
    };
    for (const grant of accessGraphOf(inventory).grants) {
      const { subject } = grant;
      if (subject.kind !== 'ServiceAccount') continue;
      const rules = grant.role?.rules ?? [];
      const where = grant.namespace === '*' || grant.namespace === subject.namespace ? '' : ` in namespace ${grant.namespace}`;
      const powers: string[] = [];
      for (const resource of creatablePodMakers(rules)) powers.push(`create ${resource}${where}`);
      if (canExecIntoPods(rules)) powers.push(`exec into pods${where}`);
      if (rulesAllow(rules, { verb: 'get', apiGroup: '', resource: 'secrets' })) powers.push(`read secrets${where}`);
      const account = subject.namespace === undefined ? undefined : into(byAccount, `${subject.namespace}\u0000${subject.name}`);
      const named = into(byName, subject.name);
      for (const power of powers) {
        account?.add(power);
        named.add(power);
      }
    }
    const frozen = (map: Map<string, Set<string>>): Map<string, readonly string[]> => new Map([...map].map(([key, set]) => [key, [...set]]));
    return { byAccount: frozen(byAccount), byName: frozen(byName) };
  },
};

function powersOf(inventory: Inventory, namespace: string | undefined, name: string): readonly string[] {
  const powers = inventory.derived(TOKEN_POWERS);
  return (namespace === undefined ? powers.byName.get(name) : powers.byAccount.get(`${namespace}\u0000${name}`)) ?? [];
}

export default defineRule({
  meta: {
    id: 'pipeline-pod-token-automount',
    title: 'Pipeline steps get a service-account token that can run code',
    severity: 'medium',
    category: 'rbac',
    description:
      'An Argo Workflow, CronWorkflow, WorkflowTemplate, KFP ScheduledWorkflow or pipeline step Pod mounts the token of a service account that, per the scanned RBAC and in any namespace, can create pods or pod-making resources, exec into pods or read Secrets, and does not set `automountServiceAccountToken: false`.',
    rationale:
      'Step containers run user-supplied code. When they carry a powerful token, any step (or an attacker who can submit runs) can start more pods, such as miners, or read credentials. The step\'s own code rarely needs the API; Argo\'s executor can get its own, smaller service account.',
    remediation:
      'Set `automountServiceAccountToken: false` on the workflow spec and give the executor a minimal account with `executor.serviceAccountName` (it needs only `workflowtaskresults` create/patch). Steps that genuinely call the API should use a dedicated service account with just those rights.',
    references: [
      'https://argo-workflows.readthedocs.io/en/latest/workflow-rbac/',
      'https://argo-workflows.readthedocs.io/en/latest/service-accounts/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    ],
    mitre: ['T1528', 'MS-TA9016'],
    match: [
      { apiGroups: ['argoproj.io'], kinds: ['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'] },
      { apiGroups: ['kubeflow.org'], kinds: ['ScheduledWorkflow'] },
      { apiGroups: [''], kinds: ['Pod'] },
    ],
    sources: RBAC_SOURCES,
    needs: { reads: RBAC_READS, snapshot: 'required', request: false, cost: 'moderate' },
  },
  check(object, ctx): Iterable<Violation> {
    const run = runSpecOf(object);
    return run ? tokenViolations(object, ctx, run) : NO_VIOLATIONS;
  },
});


function* tokenViolations(object: K8sObject, ctx: RuleContext, run: RunSpec): Iterable<Violation> {
  const namespace = namespaceOf(object);
  const name = asString(run.spec.serviceAccountName) ?? asString(run.spec.serviceAccount) ?? 'default';
  const serviceAccount = namespace === undefined ? undefined : ctx.inventory.get('ServiceAccount', namespace, name, '')?.object;
  if (!mountsToken(run, serviceAccount)) return;
  const powers = powersOf(ctx.inventory, namespace, name);
  if (powers.length === 0) return;
  const shown = powers.length > 5 ? [...powers.slice(0, 5), `${powers.length - 5} more`] : powers;
  yield {
    message: `Pipeline pods mount the token of ServiceAccount ${namespace ?? '(default)'}/${name}, which can ${shown.join(', ')}`,
    path: run.spec.serviceAccountName !== undefined ? `${run.path}.serviceAccountName` : run.path,
    evidence: powers,
  };
}
