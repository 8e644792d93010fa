// Shared by config/ and suppress/ (baselines); config/ imports suppress/, so it sits below both.
import type { z } from 'zod';
import { formatPath, getAt, type PathSegment } from './path.js';

/** The slice of a zod schema's `def` needed to find which keys are allowed at a path. */
interface SchemaDef {
  readonly type: string;
  readonly innerType?: { readonly def: SchemaDef };
  readonly shape?: Readonly<Record<string, { readonly def: SchemaDef }>>;
  readonly valueType?: { readonly def: SchemaDef };
  readonly element?: { readonly def: SchemaDef };
}

/**
 * Turns zod issues into lines a user can act on: the key path, what was expected and what was
 * found, e.g. `rules.foo.severity: expected one of critical|high|medium|low|info, got "urgent"`.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: { readonly def: unknown },
  /** Where `input` sits in the file, for values checked on their own (a rule's options). */
  prefix: readonly PathSegment[] = [],
): string[] {
  return issues.flatMap((issue) => describeIssue(issue, input, schema.def as SchemaDef, prefix));
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, root: SchemaDef, prefix: readonly PathSegment[]): string[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  const where = (segments: readonly PathSegment[]): string => formatPath([...prefix, ...segments]) || '(top level)';
  const got = `got ${describeValue(getAt(input, path))}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(root, path);
      const expected = allowed.length > 0 ? `expected one of ${allowed.join(', ')}` : 'not allowed here';
      return issue.keys.map((key) => `${where([...path, key])}: unknown key, ${expected}`);
    }
    case 'invalid_value':
      return [`${where(path)}: expected one of ${issue.values.map(String).join('|')}, ${got}`];
    case 'invalid_type':
      if (getAt(input, path) === undefined) return [`${where(path)}: missing, expected ${describeType(issue.expected)}`];
      return [`${where(path)}: expected ${describeType(issue.expected)}, ${got}`];
    default:
      return [`${where(path)}: ${issue.message}, ${got}`];
  }
}

function describeType(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function allowedKeysAt(root: SchemaDef, path: readonly PathSegment[]): string[] {
  let def: SchemaDef | undefined = unwrap(root);
  for (const segment of path) {
    if (!def) return [];
    if (def.type === 'object') def = def.shape?.[String(segment)]?.def;
    else if (def.type === 'record') def = def.valueType?.def;
    else if (def.type === 'array') def = def.element?.def;
    else return [];
    def = def && unwrap(def);
  }
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function unwrap(def: SchemaDef): SchemaDef {
  let current = def;
  while (current.type === 'optional' && current.innerType) current = current.innerType.def;
  return current;
}
