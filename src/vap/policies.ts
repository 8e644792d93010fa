import { targetNamePatterns } from '../exposure/targets.js';
import type { MinerOptions } from '../threat/miner-options.js';
import { resourcesByGroup } from '../webhook/kinds.js';
import { anyCodeField, anyContainer, containerVariables, POLICY_KINDS } from './container-paths.js';
import { celPatterns, type CelPatterns } from './cel-patterns.js';

export type VapAction = 'Deny' | 'Warn' | 'Audit';

export interface VapOptions {
  /** What the blocking policies' bindings do (`kfguard export vap --action`). */
  readonly actions: readonly VapAction[];
  /** Namespaces no binding judges (the control plane, kfguard's own). */
  readonly excludeNamespaces: readonly string[];
  /** The config's indicator extensions (`rules.crypto-miner-workload.options`). */
  readonly extensions?: MinerOptions;
}

type Manifest = Record<string, unknown>;

/** One validation as generated: its CEL, the message, and the rule whose findings it mirrors. */
export interface GeneratedValidation {
  readonly expression: string;
  readonly message: string;
  readonly reason: 'Forbidden' | 'Invalid';
}

export interface GeneratedPolicy {
  readonly name: string;
  readonly ruleId: string;
  /** What the TS rule decides that this policy mirrors: `deny` (critical) or `warn` (any finding). */
  readonly mirrors: 'deny' | 'warn';
  readonly kinds: readonly string[];
  readonly variables: readonly { name: string; expression: string }[];
  readonly validations: readonly GeneratedValidation[];
  readonly actions: readonly VapAction[];
}

const LABELS = { 'app.kubernetes.io/name': 'kfguard', 'app.kubernetes.io/component': 'admission-policy' };

/** A CEL string literal: single quotes, backslashes and quotes escaped. */
export function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Does any command word, argument, env value or script body of container `c` match `pattern`? */
function textMatches(pattern: keyof CelPatterns): string {
  const re = `variables.${pattern}`;
  return [
    `(has(c.command) && c.command.exists(s, s.matches(${re})))`,
    `(has(c.args) && c.args.exists(s, s.matches(${re})))`,
    `(has(c.env) && c.env.exists(e, has(e.value) && e.value.matches(${re})))`,
    `(has(c.source) && c.source.matches(${re}))`,
  ].join(' || ');
}

const noContainerText = (pattern: keyof CelPatterns): string => `!(${anyContainer(textMatches(pattern))} || ${anyCodeField(`s.matches(variables.${pattern})`)})`;

/** The patterns as variables: each regex is written once, not once per place it is matched. */
const patternVariables = (patterns: CelPatterns, names: readonly (keyof CelPatterns)[]): { name: string; expression: string }[] =>
  names.map((name) => ({ name, expression: celString(patterns[name]) }));

function minerPolicies(patterns: CelPatterns, options: VapOptions): GeneratedPolicy[] {
  const deny: GeneratedPolicy = {
    name: 'kfguard-crypto-miner',
    ruleId: 'crypto-miner-workload',
    mirrors: 'deny',
    kinds: POLICY_KINDS,
    variables: [...containerVariables(), ...patternVariables(patterns, ['minerImage', 'stratumUrl', 'poolHost', 'minerBinary', 'strongFlag', 'minerFlag'])],
    validations: [
      { expression: `!${anyContainer('has(c.image) && c.image.matches(variables.minerImage)')}`, message: 'kfguard crypto-miner-workload: a container runs a known crypto-miner image', reason: 'Forbidden' },
      { expression: noContainerText('stratumUrl'), message: 'kfguard crypto-miner-workload: a command, argument, env value or script holds a Stratum mining-pool URL', reason: 'Forbidden' },
      { expression: noContainerText('poolHost'), message: 'kfguard crypto-miner-workload: a command, argument, env value or script names a mining-pool host', reason: 'Forbidden' },
      {
        expression: `!(${anyContainer(`(${textMatches('minerBinary')}) && (${textMatches('strongFlag')} || ${textMatches('minerFlag')})`)} || ${anyCodeField('s.matches(variables.minerBinary) && (s.matches(variables.strongFlag) || s.matches(variables.minerFlag))')})`,
        message: 'kfguard crypto-miner-workload: a container runs a miner executable with miner flags',
        reason: 'Forbidden',
      },
    ],
    actions: options.actions,
  };
  // Weaker signals: the webhook reports them below its deny severity, so they warn.
  const warn: GeneratedPolicy = {
    name: 'kfguard-crypto-miner-signals',
    ruleId: 'crypto-miner-workload',
    mirrors: 'warn',
    kinds: POLICY_KINDS,
    variables: [...containerVariables(), ...patternVariables(patterns, ['minerBinary', 'strongFlag'])],
    validations: [
      { expression: noContainerText('minerBinary'), message: 'kfguard crypto-miner-workload: a command names a crypto-miner executable', reason: 'Forbidden' },
      { expression: noContainerText('strongFlag'), message: 'kfguard crypto-miner-workload: a command uses flags only crypto miners have', reason: 'Forbidden' },
    ],
    actions: ['Warn', 'Audit'],
  };
  return [deny, warn];
}

/**
 * Kubeflow UI Services and the Istio ingress gateway switched to LoadBalancer or NodePort. CEL
 * sees only this Service, not whether the oauth2-proxy chain authenticates the route, so this
 * policy warns: the webhook, which reads the snapshot, is what denies.
 */
function exposurePolicy(): GeneratedPolicy {
  const names = ['^istio-ingressgateway$', ...targetNamePatterns('kubeflow').map((t) => t.pattern)];
  return {
    name: 'kfguard-kubeflow-service-exposed',
    ruleId: 'kubeflow-dashboard-exposed',
    mirrors: 'warn',
    kinds: ['Service'],
    variables: [],
    validations: [
      {
        expression: `!(object.kind == 'Service' && has(object.spec) && has(object.spec.type) && object.spec.type in ['LoadBalancer', 'NodePort'] && [${names.map(celString).join(', ')}].exists(p, object.metadata.name.matches(p)))`,
        message: 'kfguard kubeflow-dashboard-exposed: a Kubeflow UI or the Istio ingress gateway is exposed outside the cluster; keep it ClusterIP unless the oauth2-proxy chain authenticates every route',
        reason: 'Forbidden',
      },
    ],
    actions: ['Warn', 'Audit'],
  };
}

export function generatePolicies(options: VapOptions): GeneratedPolicy[] {
  return [...minerPolicies(celPatterns(options.extensions), options), exposurePolicy()];
}

/** The ValidatingAdmissionPolicy and binding objects of every generated policy. */
export function vapManifests(options: VapOptions): Manifest[] {
  return generatePolicies(options).flatMap((policy) => [policyObject(policy), bindingObject(policy, options)]);
}

function policyObject(policy: GeneratedPolicy): Manifest {
  const resourceRules = [...resourcesByGroup(policy.kinds)].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources, operations: ['CREATE', 'UPDATE'] }));
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policy.name, labels: LABELS, annotations: { 'kfguard.io/rule': policy.ruleId } },
    spec: {
      // A runtime error (a cost overrun on a padded object) must never let the object through.
      failurePolicy: 'Fail',
      matchConstraints: { matchPolicy: 'Equivalent', resourceRules },
      ...(policy.variables.length > 0 ? { variables: policy.variables } : {}),
      validations: policy.validations.map((v) => ({ expression: v.expression, message: v.message, reason: v.reason })),
      auditAnnotations: [{ key: 'rule', valueExpression: celString(policy.ruleId) }],
    },
  };
}

function bindingObject(policy: GeneratedPolicy, options: VapOptions): Manifest {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policy.name, labels: LABELS },
    spec: {
      policyName: policy.name,
      validationActions: [...policy.actions],
      matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...options.excludeNamespaces] }] } },
    },
  };
}
