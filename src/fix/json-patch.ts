import { getAt, type PathSegment } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import type { ObjectEdit } from './types.js';
import { orderEdits } from './yaml-edit.js';

/** One RFC 6902 operation, as kustomize `patches` take them. */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

function pointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

type Mutable = Record<string | number, unknown>;

/** Value for `rest` below a missing key: numbers open lists, names open maps. */
function nested(rest: readonly PathSegment[], value: unknown): unknown {
  let node = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const segment = rest[i];
    node = typeof segment === 'number' ? [node] : { [String(segment)]: node };
  }
  return node;
}

function firstMissing(root: unknown, path: readonly PathSegment[]): number {
  for (let i = 0; i < path.length; i++) if (getAt(root, path.slice(0, i + 1)) === undefined) return i;
  return path.length;
}

function setIn(root: unknown, path: readonly PathSegment[], value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Mutable;
  const last = path[path.length - 1];
  if (last !== undefined) parent[last] = value;
}

/**
 * Turns edits into JSON patch operations against `object`, tracking a working copy so every
 * operation is valid after the ones before it (`add` where a field is missing, `replace` where not).
 */
export function toJsonPatch(object: K8sObject, edits: readonly ObjectEdit[]): JsonPatchOperation[] {
  const working: unknown = structuredClone(object);
  const operations: JsonPatchOperation[] = [];
  for (const edit of orderEdits(edits)) {
    const current = getAt(working, edit.path);
    if (edit.op === 'delete') {
      if (current === undefined) continue;
      operations.push({ op: 'remove', path: pointer(edit.path) });
      const parent = getAt(working, edit.path.slice(0, -1));
      const last = edit.path[edit.path.length - 1];
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else if (parent && typeof parent === 'object' && last !== undefined) delete (parent as Mutable)[last];
      continue;
    }
    if (edit.op === 'append' && Array.isArray(current)) {
      operations.push({ op: 'add', path: `${pointer(edit.path)}/-`, value: edit.value });
      current.push(edit.value);
      continue;
    }
    const value = edit.op === 'append' ? [edit.value] : edit.value;
    if (current !== undefined) {
      operations.push({ op: 'replace', path: pointer(edit.path), value });
      setIn(working, edit.path, structuredClone(value));
      continue;
    }
    const missing = firstMissing(working, edit.path);
    const head = edit.path.slice(0, missing + 1);
    const built = nested(edit.path.slice(missing + 1), value);
    operations.push({ op: 'add', path: pointer(head), value: built });
    setIn(working, head, structuredClone(built));
  }
  return operations;
}
