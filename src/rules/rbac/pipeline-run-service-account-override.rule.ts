import { annotationsOf, labelsOf, nameOf, namespaceOf } from '../../core/object.js';
import { defineRule, type Violation } from '../../core/rule.js';
import type { K8sObject } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { readPolicyRules, ruleAllows, qualifiedResource } from '../../rbac/policy-rule.js';
import { bindingsUnreadFor, describeHolders, reachOf, severityForReach } from '../../rbac/role-exposure.js';
import { serviceAccountSettingsOf, workflowSpecOf, type ServiceAccountSetting } from '../../platforms/workflow-service-accounts.js';
import { profileNamespacesOf } from '../guardrails/profile-namespaces.js';
import { RBAC_READS } from '../rule-defaults.js';
import { grantsOfRoleObject } from './role-lookup.js';
import { RBAC_DOCS, ROLE_KINDS } from './shared.js';
import { KFP_RUN_API_GROUP, KFP_RUN_KINDS } from '../../platforms/kfp-api-runs.js';

const ISSUE = 'https://github.com/kubeflow/pipelines/issues/14357';
/** KFP's runner accounts: `default-editor` in profile namespaces (multi-user), `pipeline-runner` standalone. */
const PROFILE_RUNNER = 'default-editor';
const STANDALONE_RUNNER = 'pipeline-runner';

/** Resources whose creation has a controller run Argo pods without going through the KFP API's checks. */
const DIRECT_RUN_RESOURCES = [
  { apiGroup: 'argoproj.io', resource: 'workflows' },
  { apiGroup: 'argoproj.io', resource: 'cronworkflows' },
  { apiGroup: 'kubeflow.org', resource: 'scheduledworkflows' },
] as const;

/** A KFP run: marked by KFP, read from the KFP API, or an Argo run in a Kubeflow profile or the kubeflow namespace. */
function isPipelineRun(object: K8sObject, origin: { readonly kind: string; readonly api?: string }, profileNamespaces: ReadonlySet<string>): boolean {
  if (object.kind === 'ScheduledWorkflow') return true;
  if (origin.kind === 'api' && origin.api === 'kfp') return true;
  const keys = [...Object.keys(labelsOf(object)), ...Object.keys(annotationsOf(object))];
  if (keys.some((key) => key.startsWith('pipelines.kubeflow.org/') || key === 'pipeline/runid')) return true;
  const namespace = namespaceOf(object);
  return namespace !== undefined && (namespace === 'kubeflow' || profileNamespaces.has(namespace));
}

/** The runner accounts a run in this namespace may name. Outside known profile namespaces either runner is accepted. */
function runnersFor(namespace: string | undefined, profileNamespaces: ReadonlySet<string>): readonly string[] {
  return namespace !== undefined && profileNamespaces.has(namespace) ? [PROFILE_RUNNER] : [PROFILE_RUNNER, STANDALONE_RUNNER];
}

function profileNamespaceSet(inventory: Inventory): ReadonlySet<string> {
  return new Set(profileNamespacesOf(inventory).map((profile) => profile.name));
}

/**
 * Whether this run's namespace may be a profile namespace the scan could not see: Profiles could
 * not be read (a refused or failed list, `--namespace`, kubeflow.org not discovered) and the
 * Namespace itself, whose labels and owner reference would tell, is not in view either. `kubeflow`
 * is KFP's own namespace, never a profile's.
 */
function profileUnknown(namespace: string | undefined, inventory: Inventory, unreadKinds: ReadonlySet<string> | undefined): boolean {
  if (!unreadKinds?.has('Profile') || namespace === undefined || namespace === 'kubeflow') return false;
  return inventory.get('Namespace', undefined, namespace, '') === undefined;
}

function* judgeRun(object: K8sObject, settings: readonly ServiceAccountSetting[], runners: readonly string[], unknownProfile: boolean): Iterable<Violation> {
  const where = namespaceOf(object) ? `namespace ${namespaceOf(object) ?? ''}` : 'its namespace';
  // Said in every finding the unknown decided, as for unread bindings: what could not be checked.
  const unchecked = unknownProfile ? `; Profiles could not be read, so whether ${where} is a Kubeflow profile namespace (runner ${PROFILE_RUNNER} only) or not (${STANDALONE_RUNNER} too) could not be checked` : '';
  for (const setting of settings) {
    if (setting.name !== undefined && runners.includes(setting.name)) continue;
    const account = setting.name === undefined ? 'an account chosen at run time' : `ServiceAccount ${setting.name}`;
    yield {
      message: setting.workflowLevel
        ? `${object.kind} ${nameOf(object)} runs its pods as ${account}, not the pipeline runner (${runners.join(' or ')}) of ${where}: its token, not the runner's, is what every step holds${unchecked}`
        : `${object.kind} ${nameOf(object)} runs pods of its ${setting.what} as ${account}, not the pipeline runner (${runners.join(' or ')}); Argo lets this override the workflow-level account, which is the only one KFP's run authorization checks (kubeflow/pipelines#14357)${unchecked}`,
      path: setting.path,
      severity: setting.workflowLevel ? 'medium' : 'high',
      evidence: [`${setting.path}: ${setting.name ?? 'set at run time'}`],
      discriminator: setting.path,
    };
  }
}

/**
 * A KFP v2 recurring run keeps its pipeline spec as a JSON string in `spec.workflow.spec` and the
 * account its runs' pods use in `spec.serviceAccount`, which the ScheduledWorkflow controller
 * passes on to every Workflow it creates; nothing in the pipeline spec names an account.
 */
function recurringRunAccountOf(object: K8sObject): ServiceAccountSetting[] {
  if (object.kind !== 'ScheduledWorkflow') return [];
  const account = (object.spec as { serviceAccount?: unknown } | undefined)?.serviceAccount;
  if (typeof account !== 'string' || account === '') return [];
  return [{ ...(account.includes('{{') ? {} : { name: account }), path: 'spec.serviceAccount', workflowLevel: true, what: 'recurring run' }];
}

/**
 * A run or recurring run read from the KFP API names the account its pods run as in
 * `service_account` (set by whoever created it). The API server checks it only against an optional
 * allow-list, so an account other than the runner is what the attacker of #14357 asks for.
 */
function* judgeApiRun(object: K8sObject, runners: readonly string[]): Iterable<Violation> {
  const account = typeof object.service_account === 'string' ? object.service_account : undefined;
  if (account === undefined || account === '' || runners.includes(account)) return;
  const where = namespaceOf(object) ? `namespace ${namespaceOf(object) ?? ''}` : 'its namespace';
  yield {
    message: `KFP ${object.kind === 'Job' ? 'recurring run (v1 job)' : object.kind === 'RecurringRun' ? 'recurring run' : 'run'} ${nameOf(object)} runs its pods as ServiceAccount ${account}, not the pipeline runner (${runners.join(' or ')}) of ${where}: its token, not the runner's, is what every step holds`,
    path: 'service_account',
    severity: 'medium',
    evidence: [`service_account: ${account}`],
  };
}

function* judgeRole(object: K8sObject, inventory: Inventory, unreadKinds: ReadonlySet<string> | undefined): Iterable<Violation> {
  if (object.aggregationRule !== undefined) return;
  const rules = readPolicyRules(object.rules);
  let first = -1;
  const creatable = new Set<string>();
  rules.forEach((rule, index) => {
    for (const { apiGroup, resource } of DIRECT_RUN_RESOURCES) {
      if (!ruleAllows(rule, { verb: 'create', apiGroup, resource })) continue;
      creatable.add(qualifiedResource(apiGroup, resource));
      if (first === -1) first = index;
    }
  });
  if (first === -1) return;
  const grants = grantsOfRoleObject(inventory, object);
  const reach = reachOf(grants);
  // Bindings the source could not list (a refused list) may hand the role to people: then what is
  // in view (service accounts only, or no binding at all) never makes it pass, as for the other
  // RBAC rules; the finding keeps the base severity and says what could not be read.
  const unread = bindingsUnreadFor(object, unreadKinds);
  // Controllers and the KFP API server create runs by design; what matters is who else can.
  if (!unread && (reach === 'service-account' || reach === 'service-account-cluster-wide')) return;
  const severity = severityForReach('medium', reach, unread);
  if (!severity || (!unread && reach === 'unbound')) return;
  yield {
    message: `${object.kind} ${nameOf(object)} lets its holders create ${[...creatable].join(', ')} directly, so Argo runs them as any service account of the namespace, past KFP's service-account allow-list and checks (${describeHolders(grants, undefined, unread)})`,
    path: `rules[${first}].resources`,
    severity,
    evidence: [...creatable].map((resource) => `create ${resource}`),
  };
}

export default defineRule({
  meta: {
    id: 'pipeline-run-service-account-override',
    title: 'Pipeline run uses a service account other than the pipeline runner',
    severity: 'high',
    category: 'rbac',
    description:
      "An Argo Workflow, CronWorkflow, WorkflowTemplate or KFP ScheduledWorkflow that belongs to Kubeflow Pipelines (KFP labels or annotations, read from the KFP API, or in a profile or the `kubeflow` namespace) names a service account other than the namespace's pipeline runner (`default-editor` in profile namespaces, `pipeline-runner` standalone) anywhere Argo reads one: the workflow level (medium), or template defaults, a template (inline ones included), an executor, artifact GC or a pod spec patch (high: these override the workflow level, and KFP's run authorization checks only that; a `{{…}}` account is decided at run time and counts too). Roles that let people create `workflows`, `cronworkflows` or `scheduledworkflows` directly are reported as well (info for Kubeflow's own profile roles; when bindings could not be listed, medium whoever holds them in view, saying so). When Profiles could not be listed and a run's Namespace is not in view either, the run is judged as in a profile namespace (`default-editor` only, any Argo run there counts), and the finding says whether it is one could not be checked. A KFP v2 ScheduledWorkflow keeps the account in `spec.serviceAccount` (its pipeline spec names none), which is judged like the workflow level; for runs, `kfguard hunt --kfp` reports runs and recurring runs whose `service_account` is another account (medium).",
    rationale:
      'Since kubeflow/pipelines#14357, a pipeline run can make its pods run as any service account in its namespace: KFP checked the allow-list (`ALLOWEDSERVICEACCOUNTS`) and the caller\'s `use` permission only against `spec.serviceAccountName`, while Argo honours several more specific settings. A step running as a stronger account (a notebook\'s, a controller\'s, one with cloud credentials through workload identity) turns pipeline access into that account\'s access. Creating Argo Workflows directly skips KFP\'s checks altogether.',
    remediation:
      "Remove the per-template, executor, artifact-GC and pod-spec-patch service accounts and let the run use the namespace's runner. Upgrade KFP to a release with the fix for #14357. Take `create` on `workflows.argoproj.io` and `scheduledworkflows.kubeflow.org` away from people who should submit runs only through the KFP API.",
    references: [ISSUE, 'https://github.com/kubeflow/pipelines/pull/14356', 'https://argo-workflows.readthedocs.io/en/latest/service-accounts/', RBAC_DOCS],
    mitre: ['T1078.004', 'T1548', 'MS-TA9019'],
    match: [
      { apiGroups: ['argoproj.io'], kinds: ['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'] },
      { apiGroups: ['kubeflow.org'], kinds: ['ScheduledWorkflow'] },
      { apiGroups: [KFP_RUN_API_GROUP], kinds: [...KFP_RUN_KINDS] },
      ...ROLE_KINDS,
    ],
    sources: ['manifest', 'cluster', 'admission', 'audit', 'api'],
    needs: { reads: [...RBAC_READS, 'ConfigMap'], snapshot: 'optional', request: false, cost: 'moderate' },
  },
  *check(object, ctx) {
    if (object.apiVersion?.startsWith(`${KFP_RUN_API_GROUP}/`) && (KFP_RUN_KINDS as readonly string[]).includes(object.kind)) {
      // Only the hunt makes these; a manifest of that kind is no KFP run.
      if (ctx.origin.kind !== 'api' || ctx.origin.api !== 'kfp') return;
      yield* judgeApiRun(object, runnersFor(namespaceOf(object), profileNamespaceSet(ctx.inventory)));
      return;
    }
    if (object.kind === 'Role' || object.kind === 'ClusterRole') {
      yield* judgeRole(object, ctx.inventory, ctx.unreadKinds);
      return;
    }
    const run = workflowSpecOf(object);
    const settings = run ? serviceAccountSettingsOf(run.spec, run.path) : [];
    settings.push(...recurringRunAccountOf(object));
    if (settings.length === 0) return;
    const profileNamespaces = profileNamespaceSet(ctx.inventory);
    const namespace = namespaceOf(object);
    // Profiles unread: a run in a namespace that may be a profile's is judged as one (an Argo run
    // there is KFP's, its runner default-editor only), saying so; what is in view never makes it pass.
    const unknownProfile = namespace !== undefined && !profileNamespaces.has(namespace) && profileUnknown(namespace, ctx.inventory, ctx.unreadKinds);
    if (!unknownProfile && !isPipelineRun(object, ctx.origin, profileNamespaces)) return;
    yield* judgeRun(object, settings, unknownProfile ? [PROFILE_RUNNER] : runnersFor(namespace, profileNamespaces), unknownProfile);
  },
});
