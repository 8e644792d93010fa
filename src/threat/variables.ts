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

/** Most characters one resolved argument is built to: a long value referenced many times must not overflow a string. */
export const MAX_RESOLVED_CHARS = 1024 * 1024;

/**
 * Replaces `$(VAR)`, `${VAR}` and `$VAR` with known values, once (no recursion, so no blow-up).
 * The result is built up to `maxChars`; a cut is named among the replacements, so evidence says so.
 */
export function resolveVariables(text: string, variables: ReadonlyMap<string, VariableValue>, maxChars = MAX_RESOLVED_CHARS): Resolved {
  if (variables.size === 0 || !text.includes('$')) return { text, replaced: [] };
  const replaced: string[] = [];
  const parts: string[] = [];
  let size = 0;
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const variable = variables.get(match[1] ?? match[2] ?? match[3] ?? '');
    if (!variable) continue;
    const index = match.index ?? 0;
    const piece = text.slice(last, index) + variable.value;
    if (size + piece.length > maxChars) {
      parts.push(piece.slice(0, maxChars - size));
      replaced.push(`${match[0]} from ${variable.from}`, `(resolved text cut at ${maxChars / 1024} KiB)`);
      return { text: parts.join(''), replaced };
    }
    parts.push(piece);
    size += piece.length;
    last = index + match[0].length;
    replaced.push(`${match[0]} from ${variable.from}`);
  }
  if (replaced.length === 0) return { text, replaced };
  const rest = text.slice(last);
  if (size + rest.length > maxChars) return { text: parts.join('') + rest.slice(0, maxChars - size), replaced: [...replaced, `(resolved text cut at ${maxChars / 1024} KiB)`] };
  return { text: parts.join('') + rest, replaced };
}
