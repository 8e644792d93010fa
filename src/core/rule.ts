import type { Severity } from './severity.js';
import type {
  AttackPathHop,
  Category,
  K8sObject,
  ScannedObject,
  SourceKind,
} from './types.js';
import type { Inventory } from './inventory.js';
import type { Budget } from './budget.js';
import type { KfguardConfig } from './config-types.js';
import type { RuleOptionsSchema } from './rule-options.js';

/** Which objects a rule looks at. `'*'` matches every group or kind. */
export interface KindMatch {
  readonly apiGroups: readonly string[] | '*';
  readonly kinds: readonly string[] | '*';
}

export interface RuleMeta {
  /** kebab-case, stable forever, equal to the file name. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: Category;
  /** What the rule detects (markdown). */
  readonly description: string;
  /** Why an operator should care (markdown). */
  readonly rationale: string;
  /** What to change (markdown). */
  readonly remediation: string;
  readonly references: readonly string[];
  /** MITRE ATT&CK technique ids (T1133) and Microsoft Threat Matrix ids (MS-TA9005). */
  readonly mitre: readonly string[];
  readonly match: readonly KindMatch[];
  readonly sources: readonly SourceKind[];
  /** True when `kfguard fix` can write a patch for it. */
  readonly fixable?: boolean;
  readonly needs: RuleNeeds;
  /**
   * The rule's settings under `rules.<id>.options` in `.kfguard.yaml`, validated when the config
   * loads; read them with `ruleOptionsOf`. Rules without it accept no options.
   */
  readonly options?: RuleOptionsSchema;
}

/** What a rule needs beyond the object it judges; sources that cannot supply it get a coverage entry. */
export interface RuleNeeds {
  /**
   * Kinds the rule reads from the snapshot besides the judged object (`'*'`: any kind, `[]`:
   * none). A change to an object of these kinds can change the rule's findings on other objects.
   */
  readonly reads: readonly string[] | '*';
  /**
   * `namespace` when a changed object of a read kind can move findings only on objects in its own
   * namespace (cluster-scoped objects still reach every namespace). Absent: anywhere.
   */
  readonly scope?: 'namespace';
  /** `required`: no verdict without the cluster state; `optional`: a verdict from the object alone is still right, with less context. */
  readonly snapshot: 'none' | 'optional' | 'required';
  /** True when the rule judges who asked and how (user, operation), which only admission and audit carry. */
  readonly request: boolean;
  /** `expensive` rules (bcrypt) run last, after their slow work started on another thread has settled. */
  readonly cost: 'cheap' | 'moderate' | 'expensive';
}

export interface Violation {
  readonly message: string;
  /** The offending field, e.g. `spec.type` or `spec.template.spec.containers[0].args[2]`. */
  readonly path?: string;
  /** Overrides the rule's default severity for this violation. */
  readonly severity?: Severity;
  readonly evidence?: readonly string[];
  readonly attackPath?: readonly AttackPathHop[];
  /** Extra text folded into the fingerprint when one object can yield several violations. */
  readonly discriminator?: string;
}

/** A violation about an object other than the one being checked (whole-inventory rules). */
export interface ObjectViolation extends Violation {
  readonly target: ScannedObject;
}

export interface RuleContext {
  readonly source: SourceKind;
  /** What this object may still cost; shared by every rule judging it. */
  readonly budget: Budget;
  readonly inventory: Inventory;
  readonly config: KfguardConfig;
  /** The object's own origin, for rules that must look at provenance (archives, pipelines). */
  readonly origin: ScannedObject['origin'];
  /** Kinds the source could not read (a refused list): an absence among them proves nothing. */
  readonly unreadKinds?: ReadonlySet<string>;
}

export interface InventoryContext {
  readonly source: SourceKind;
  readonly inventory: Inventory;
  readonly config: KfguardConfig;
}

export interface Rule {
  readonly meta: RuleMeta;
  /** Judges one object. Pure: must not modify the object. */
  check?(object: K8sObject, ctx: RuleContext): Iterable<Violation>;
  /** Judges the scanned set as a whole, for findings about absences (no quota, no policy). */
  checkInventory?(ctx: InventoryContext): Iterable<ObjectViolation>;
}

/**
 * What a `check` returns when a guard rules the object out before any work: a shared empty list
 * instead of a generator object, since nearly every rule rules out nearly every object. The
 * engine iterates the result right away inside the same try, so a guard run eagerly behaves as
 * the first statements of a generator would.
 */
export const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);

export function defineRule<R extends Rule>(rule: R): R {
  return Object.freeze(rule);
}
