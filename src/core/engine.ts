import { buildInventory, type Inventory } from '../k8s/inventory.js';
import { locate } from '../sources/locate.js';
import type { KfguardConfig } from './config-types.js';
import { DEFAULT_CONFIG } from './config-types.js';
import { createBudget } from './budget.js';
import { errorMessage } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import { apiGroupOf, refOf } from './object.js';
import type { KindMatch, Rule, Violation } from './rule.js';
import type { Finding, K8sObject, ResourceRef, RuleError, ScannedObject, SourceKind } from './types.js';

export interface EngineOptions {
  readonly rules: readonly Rule[];
  readonly source: SourceKind;
  readonly config?: KfguardConfig;
  /** Record every (rule, resource) pair evaluated, for formats that list passes (JUnit). */
  readonly recordEvaluations?: boolean;
  /** Reuse an inventory built elsewhere (the webhook keeps one of the cluster). */
  readonly inventory?: Inventory;
}

export interface Evaluation {
  readonly ruleId: string;
  readonly resource: ResourceRef;
}

export interface EngineResult {
  readonly findings: Finding[];
  readonly ruleErrors: RuleError[];
  readonly evaluations: Evaluation[];
}

export function ruleMatches(rule: Rule, object: K8sObject): boolean {
  return rule.meta.match.some((m) => kindMatches(m, object));
}

function kindMatches(match: KindMatch, object: K8sObject): boolean {
  if (match.kinds !== '*' && !match.kinds.includes(object.kind)) return false;
  return match.apiGroups === '*' || match.apiGroups.includes(apiGroupOf(object.apiVersion));
}

export function ruleAppliesToSource(rule: Rule, source: SourceKind): boolean {
  return rule.meta.sources.includes(source);
}

/** Runs every applicable rule over the objects. A rule that throws is recorded, never fatal. */
export function runRules(objects: readonly ScannedObject[], options: EngineOptions): EngineResult {
  const config = options.config ?? DEFAULT_CONFIG;
  const inventory = options.inventory ?? buildInventory(objects);
  const rules = options.rules.filter((rule) => ruleAppliesToSource(rule, options.source) && config.rules[rule.meta.id]?.enabled !== false);
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const evaluations: Evaluation[] = [];

  // Objects of one kind and group meet the same rules; decide that once per kind, not per object.
  const rulesByKind = new Map<string, Rule[]>();
  const rulesFor = (object: K8sObject): Rule[] => {
    const key = `${apiGroupOf(object.apiVersion)}/${object.kind}`;
    let matching = rulesByKind.get(key);
    if (!matching) {
      matching = rules.filter((rule) => rule.check && ruleMatches(rule, object));
      rulesByKind.set(key, matching);
    }
    return matching;
  };
  for (const scanned of objects) {
    const { object, origin } = scanned;
    const budget = createBudget();
    for (const rule of rulesFor(object)) {
      if (!rule.check) continue;
      if (options.recordEvaluations) evaluations.push({ ruleId: rule.meta.id, resource: refOf(object) });
      try {
        for (const violation of rule.check(object, { source: options.source, inventory, config, origin, budget })) {
          findings.push(toFinding(rule, scanned, violation, config, options.source));
        }
      } catch (error) {
        ruleErrors.push({ ruleId: rule.meta.id, resource: refOf(object), message: errorMessage(error) });
      }
    }
  }
  for (const rule of rules) {
    if (!rule.checkInventory) continue;
    try {
      for (const violation of rule.checkInventory({ source: options.source, inventory, config })) {
        findings.push(toFinding(rule, violation.target, violation, config, options.source));
      }
    } catch (error) {
      ruleErrors.push({ ruleId: rule.meta.id, message: errorMessage(error) });
    }
  }
  return { findings, ruleErrors, evaluations };
}

function toFinding(rule: Rule, scanned: ScannedObject, violation: Violation, config: KfguardConfig, source: SourceKind): Finding {
  const { meta } = rule;
  const resource = refOf(scanned.object);
  const location = locate(scanned.origin, violation.path);
  const finding: Finding = {
    ruleId: meta.id,
    severity: config.rules[meta.id]?.severity ?? violation.severity ?? meta.severity,
    category: meta.category,
    title: meta.title,
    message: violation.message,
    resource,
    ...(location ? { location } : {}),
    ...(violation.path !== undefined ? { path: violation.path } : {}),
    evidence: violation.evidence ?? [],
    mitre: meta.mitre,
    remediation: meta.remediation,
    source,
    fingerprint: fingerprintOf(meta.id, resource, violation.path, violation.discriminator),
    ...(violation.attackPath ? { attackPath: violation.attackPath } : {}),
  };
  return finding;
}
