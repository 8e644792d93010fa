import { asArray, asRecord, asString, isRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { WORKLOAD_SHAPES, matchesKind } from './workload-shapes.js';

/**
 * OpenShift Templates: `oc process` replaces `${NAME}` (and `${{NAME}}`) in the string fields of
 * `objects` with each parameter's value, so the objects that run are the substituted ones. A
 * parameter's `value` wins; with none, `generate: expression` makes one from `from`. A generated
 * value is known only when `from` is a plain literal (no character class, no repetition): an
 * attacker can spell a whole command as a "regular expression" with no special characters.
 * https://docs.openshift.com/container-platform/4.16/openshift_images/using-templates.html#templates-writing-parameters_using-templates
 */

/** `${NAME}` and `${{NAME}}`; names are letters, digits and underscores. */
const REFERENCE = /\$\{\{?([A-Za-z0-9_]+)\}?\}/g;
/** Parts of the expression generator's syntax that make a value unknowable here. */
const GENERATOR_SYNTAX = /\[|\{\d|\\[wdaA]/;
const MAX_DEPTH = 32;
/** Bounds the substituted copy: a value referenced everywhere must not multiply the object. */
const MAX_SUBSTITUTED_CHARS = 4 * 1024 * 1024;

const cache = new WeakMap<K8sObject, K8sObject>();

export function isParameterizedTemplate(object: K8sObject): boolean {
  return WORKLOAD_SHAPES.parameterizedTemplates.some((match) => matchesKind(match, object) && (match.exactApiVersion === undefined || object.apiVersion === match.exactApiVersion));
}

/** The known value of each parameter, by name; parameters whose value only `oc process` can know are absent. */
export function templateParameterValues(object: K8sObject): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const raw of asArray(object.parameters)) {
    const parameter = asRecord(raw);
    const name = asString(parameter?.name);
    if (!parameter || !name) continue;
    const value = asString(parameter.value);
    if (value !== undefined && value !== '') {
      values.set(name, value);
      continue;
    }
    const from = asString(parameter.from);
    if (parameter.generate === 'expression' && from !== undefined && !GENERATOR_SYNTAX.test(from)) values.set(name, from.replace(/\\(.)/g, '$1'));
  }
  return values;
}

/**
 * The template with its parameters substituted into `objects`, as `oc process` would create them;
 * the object itself when it is no template or has nothing to substitute. References to unknown
 * parameters stay as written. Field paths are unchanged, so findings point at the template's lines.
 */
export function substitutedTemplate(object: K8sObject): K8sObject {
  if (!isParameterizedTemplate(object)) return object;
  const cached = cache.get(object);
  if (cached) return cached;
  const values = templateParameterValues(object);
  let result: K8sObject = object;
  if (values.size > 0 && Array.isArray(object.objects)) {
    const budget = { chars: MAX_SUBSTITUTED_CHARS };
    result = { ...object, objects: object.objects.map((item) => substitute(item, values, 0, budget)) };
  }
  cache.set(object, result);
  return result;
}

function substitute(value: unknown, values: ReadonlyMap<string, string>, depth: number, budget: { chars: number }): unknown {
  if (typeof value === 'string') return substituteText(value, values, budget);
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => substitute(item, values, depth + 1, budget));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = substitute(item, values, depth + 1, budget);
  return out;
}

function substituteText(text: string, values: ReadonlyMap<string, string>, budget: { chars: number }): string {
  if (!text.includes('${')) return text;
  const replaced = text.replace(REFERENCE, (whole, name: string) => values.get(name) ?? whole);
  // Past the bound the text stays as written: its references are then judged unresolved, not dropped.
  if (replaced.length > budget.chars) return text;
  budget.chars -= replaced.length;
  return replaced;
}
