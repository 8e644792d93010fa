import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';

/** A variable's value and where it came from, for evidence. */
export interface VariableValue {
  readonly value: string;
  readonly from: string;
}

const REFERENCE = /\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The variables a container sees from `env` values, `env[].valueFrom.configMapKeyRef` and
 * `envFrom[].configMapRef`. Secret-backed variables are left out on purpose: their values must
 * never end up in evidence.
 */
export function containerVariables(container: JsonRecord, object: K8sObject, inventory: Inventory): Map<string, VariableValue> {
  const variables = new Map<string, VariableValue>();
  const namespace = object.metadata?.namespace;
  for (const source of asArray(container.envFrom)) {
    const ref = asRecord(asRecord(source)?.configMapRef);
    const name = asString(ref?.name);
    if (!name) continue;
    const prefix = asString(asRecord(source)?.prefix) ?? '';
    const data = configMapData(inventory, namespace, name);
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === 'string') variables.set(prefix + key, { value, from: `ConfigMap ${name} key "${key}"` });
    }
  }
  for (const entry of asArray(container.env)) {
    const env = asRecord(entry);
    const name = asString(env?.name);
    if (!env || !name) continue;
    const value = asString(env.value);
    if (value !== undefined) {
      variables.set(name, { value, from: `env ${name}` });
      continue;
    }
    const ref = asRecord(asRecord(env.valueFrom)?.configMapKeyRef);
    const cmName = asString(ref?.name);
    const key = asString(ref?.key);
    if (cmName && key) {
      const resolved = configMapData(inventory, namespace, cmName)[key];
      if (typeof resolved === 'string') variables.set(name, { value: resolved, from: `ConfigMap ${cmName} key "${key}"` });
    }
  }
  return variables;
}

export function configMapData(inventory: Inventory, namespace: string | undefined, name: string): JsonRecord {
  return asRecord(inventory.get('ConfigMap', namespace, name)?.object.data) ?? {};
}

export interface Resolved {
  readonly text: string;
  /** Names that were replaced, e.g. `$(POOL)`. */
  readonly replaced: readonly string[];
}

/** Replaces `$(VAR)`, `${VAR}` and `$VAR` with known values, once (no recursion, so no blow-up). */
export function resolveVariables(text: string, variables: ReadonlyMap<string, VariableValue>): Resolved {
  if (variables.size === 0 || !text.includes('$')) return { text, replaced: [] };
  const replaced: string[] = [];
  const out = text.replace(REFERENCE, (whole, paren?: string, brace?: string, bare?: string) => {
    const name = paren ?? brace ?? bare ?? '';
    const variable = variables.get(name);
    if (!variable) return whole;
    replaced.push(`${whole} from ${variable.from}`);
    return variable.value;
  });
  return { text: out, replaced };
}
