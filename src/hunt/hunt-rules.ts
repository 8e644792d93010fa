import type { Rule } from '../core/rule.js';
import type { Category } from '../core/types.js';

/**
 * What `hunt` judges by default: what a job says it does, not how well its images are kept. A
 * responder reading a job API after an alert asks whether a job mines (threat), whether it tried to
 * leave its pod (privileged, host namespaces, runtime socket, host paths, added capabilities), and
 * under which identity it ran (a run naming another service account, kubeflow/pipelines#14357).
 * Posture rules (image tags and digests, registries, default credentials, server auth settings)
 * would list every job of a healthy server too: 46 info findings on one KFP server buried the one
 * miner. `--all-rules` or `--rule`/`--category` choose otherwise.
 */
const RESPONDER_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['threat', 'workload-security']);
/** The run identity check, and the Ray version the API reports: the door ShadowRay came in by. */
const RESPONDER_RULES: ReadonlySet<string> = new Set(['pipeline-run-service-account-override', 'ray-version-vulnerable']);

/** The rules `hunt` runs when the user names none. */
export function isResponderRule(rule: Rule): boolean {
  return RESPONDER_CATEGORIES.has(rule.meta.category) || RESPONDER_RULES.has(rule.meta.id);
}
