import type { JsonRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { containerEnv } from '../k8s/env-resolution.js';
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
  for (const binding of containerEnv(container, object.metadata?.namespace, inventory, { secrets: false })) {
    const { source } = binding;
    const from = source.kind === 'inline' ? `env ${binding.name}` : `${source.kind} ${source.name} key "${source.key}"`;
    variables.set(binding.name, { value: binding.value, from });
  }
  return variables;
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
