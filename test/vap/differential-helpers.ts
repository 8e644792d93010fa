import { DEFAULT_CONFIG } from '../../src/core/config-types.js';
import type { Rule } from '../../src/core/rule.js';
import type { K8sObject } from '../../src/core/types.js';
import { newSnapshot } from '../../src/k8s/inventory.js';
import { loadFixtures } from '../../src/testing/rule-tester.js';
import { handleReview } from '../../src/webhook/handler.js';
import { silentLogger } from '../../src/webhook/logging.js';
import { WebhookMetrics } from '../../src/webhook/metrics.js';
import { DEFAULT_DECISION_SETTINGS } from '../../src/webhook/settings.js';
import { CelPolicyEvaluator } from '../../src/testing/cel-policy.js';
import type { GeneratedPolicy } from '../../src/vap/policies.js';

export type Verdict = 'deny' | 'warn' | 'allow';

export interface Judged {
  /** `pass/<case>` or `fail/<case>`, plus `#n` when a case holds several objects. */
  readonly name: string;
  readonly webhook: Verdict;
  readonly cel: Verdict;
  readonly celErrors: readonly string[];
}

let uid = 0;

/** What the real webhook handler answers for `object` laid over `snapshot`, with only `rule` enabled. */
export async function webhookVerdict(rule: Rule, object: K8sObject, snapshotObjects: readonly K8sObject[]): Promise<Verdict> {
  const snapshot = newSnapshot();
  snapshotObjects.forEach((o, i) => snapshot.upsert({ object: o, origin: { kind: 'file', reader: 'file', file: `snapshot-${i}.yaml`, documentIndex: 0 } }));
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  uid += 1;
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `vap-${uid}`, kind: { group, version, kind: object.kind }, operation: 'CREATE', namespace: object.metadata?.namespace, userInfo: { username: 'alice', groups: [] }, object },
  });
  const context = { rules: [rule], config: DEFAULT_CONFIG, settings: DEFAULT_DECISION_SETTINGS, snapshot: () => snapshot, metrics: new WebhookMetrics(), logger: silentLogger() };
  const result = await handleReview(body, context, performance.now());
  const response = (result.body as { response: { allowed: boolean; warnings?: string[] } }).response;
  if (!response.allowed) return 'deny';
  return (response.warnings?.length ?? 0) > 0 ? 'warn' : 'allow';
}

/** What the generated policies decide: a failing `deny`-mirroring validation denies, a failing `warn` one warns. */
export function celVerdict(evaluators: readonly CelPolicyEvaluator[], object: K8sObject): { verdict: Verdict; errors: string[] } {
  let verdict: Verdict = 'allow';
  const errors: string[] = [];
  for (const evaluator of evaluators) {
    const result = evaluator.evaluate(object);
    errors.push(...result.errors.map((e) => `${evaluator.policy.name}: ${e}`));
    // failurePolicy Fail: an evaluation error denies, as the API server would.
    const fails = result.failed.length > 0 || result.errors.length > 0;
    if (!fails) continue;
    if (evaluator.policy.mirrors === 'deny' || result.errors.length > 0) verdict = 'deny';
    else if (verdict === 'allow') verdict = 'warn';
  }
  return { verdict, errors };
}

/** Every object of every fixture case of `rule`, judged by the webhook and by the policies. */
export async function judgeFixtures(rule: Rule, policies: readonly GeneratedPolicy[], kinds: readonly string[]): Promise<Judged[]> {
  const evaluators = policies.map((p) => new CelPolicyEvaluator(p));
  const fixtures = loadFixtures(rule.meta.id);
  const judged: Judged[] = [];
  for (const [set, cases] of [['pass', fixtures.pass], ['fail', fixtures.fail]] as const) {
    for (const fixture of cases) {
      if (fixture.sources && !fixture.sources.includes('admission')) continue;
      const objects = fixture.objects.filter((o) => kinds.includes(o.kind));
      for (const [i, object] of objects.entries()) {
        const others = [...(fixture.snapshot ?? []), ...fixture.objects.filter((o) => o !== object)];
        const webhook = await webhookVerdict(rule, object, others);
        const cel = celVerdict(evaluators, object);
        judged.push({ name: `${set}/${fixture.name}${objects.length > 1 ? `#${i + 1}` : ''}`, webhook, cel: cel.verdict, celErrors: cel.errors });
      }
    }
  }
  return judged;
}
