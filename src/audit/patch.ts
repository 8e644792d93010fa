import { isRecord } from '../core/object.js';

/**
 * Applies a patch body from an audit event to the object's last known state. The audit log does not
 * record the patch's content type, so the body's shape decides: a JSON array is an RFC 6902 JSON
 * patch; an object is read as a strategic-merge patch, which for the fields hunting reads is a
 * superset of an RFC 7386 merge patch (lists of named items merge by `name`, `$patch: delete`
 * and `$patch: replace` are honoured, other `$` directives are dropped).
 * https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
 */
export function applyPatch(base: unknown, patch: unknown, options: { readonly lenient?: boolean } = {}): { readonly result: unknown } | { readonly error: string } {
  if (Array.isArray(patch)) return applyJsonPatch(base, patch, options.lenient === true);
  if (isRecord(patch)) return { result: mergePatch(base, patch, 0) };
  return { error: 'a patch body that is neither a JSON patch nor a merge patch' };
}

/**
 * How deep a strategic merge recurses. The API server accepts JSON nested 10,000 levels deep, and
 * merging that deep overflowed the stack: one such patch (a miner container beside a deep junk
 * field) stopped the reading of the whole log. No field a rule reads sits this deep, so past it
 * the patch's value replaces the base's as it stands.
 */
const MAX_MERGE_DEPTH = 200;

function mergePatch(base: unknown, patch: Readonly<Record<string, unknown>>, depth: number): unknown {
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  if (depth > MAX_MERGE_DEPTH) return withoutDirectives(patch);
  const out: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$') || key === '__proto__') continue;
    if (value === null) delete out[key];
    else if (isRecord(value)) {
      const merged = mergePatch(out[key], value, depth + 1);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) out[key] = mergeList(out[key], value, depth + 1);
    else out[key] = value;
  }
  return out;
}

/** Lists of records that all carry a `name` merge by it (containers, ports, env); any other list is replaced. */
function mergeList(base: unknown, patch: readonly unknown[], depth: number): unknown[] {
  const named = (items: readonly unknown[]): boolean => items.length > 0 && items.every((item) => isRecord(item) && typeof item.name === 'string');
  if (!Array.isArray(base) || !named(patch) || !named(base)) return patch.map((item) => (isRecord(item) ? withoutDirectives(item) : item));
  const out = [...(base as Record<string, unknown>[])];
  for (const item of patch as Record<string, unknown>[]) {
    const index = out.findIndex((existing) => existing.name === item.name);
    if (item.$patch === 'delete') {
      if (index !== -1) out.splice(index, 1);
    } else if (index === -1) out.push(withoutDirectives(item));
    else out[index] = mergePatch(out[index], item, depth + 1) as Record<string, unknown>;
  }
  return out;
}

function withoutDirectives(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith('$')));
}

/**
 * RFC 6902, applied to a copy; a failing `test` or a missing path fails the whole patch, as the API
 * server does. `lenient` is for a patch judged without the object it was applied to: missing parents
 * are made, `replace` of a missing field adds it, and `test` is skipped, so the body's own values show.
 */
function applyJsonPatch(base: unknown, operations: readonly unknown[], lenient: boolean): { readonly result: unknown } | { readonly error: string } {
  let doc: unknown = structuredClone(base ?? {});
  for (const [index, raw] of operations.entries()) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') return { error: `JSON patch operation ${index} has no op or path` };
    const path = pointer(raw.path);
    if (!path) return { error: `JSON patch operation ${index} has an invalid path` };
    const from = typeof raw.from === 'string' ? pointer(raw.from) : undefined;
    try {
      switch (raw.op) {
        case 'add':
        case 'replace': {
          // Judged alone, `replace` of a field the body never made adds it; of one it made, replaces it.
          const target = lenient ? makeParents(doc, path) : path;
          const op = raw.op === 'add' || (lenient && !exists(doc, target)) ? 'add' : 'replace';
          doc = put(doc, target, structuredClone(raw.value), op);
          break;
        }
        case 'remove':
          if (lenient && !exists(doc, path)) break;
          doc = remove(doc, path);
          break;
        case 'move':
        case 'copy': {
          if (!from) return { error: `JSON patch operation ${index} has no valid from` };
          const value = structuredClone(get(doc, from));
          if (raw.op === 'move') doc = remove(doc, from);
          doc = put(doc, path, value, 'add');
          break;
        }
        case 'test':
          if (lenient) break;
          if (JSON.stringify(get(doc, path)) !== JSON.stringify(raw.value)) return { error: `JSON patch test at operation ${index} failed` };
          break;
        default:
          return { error: `JSON patch operation ${index} has an unknown op` };
      }
    } catch (error) {
      return { error: `JSON patch operation ${index}: ${(error as Error).message}` };
    }
  }
  return { result: doc };
}

function pointer(text: string): string[] | undefined {
  if (text === '') return [];
  if (!text.startsWith('/')) return undefined;
  return text
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const key of path) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node) && Object.hasOwn(node, key)) node = node[key];
    else throw new Error('path not found');
  }
  return node;
}

function exists(doc: unknown, path: readonly string[]): boolean {
  try {
    get(doc, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the parents a path needs, as the object it was written for had them: a numeric or `-` key
 * means its parent is a list (RFC 6902 §4.1), any other key a map. Returns the path with list
 * indices past the end moved to the end, so `containers/0/command` on nothing makes
 * `containers: [{command}]` and `subjects/-` appends to `subjects: []`.
 */
function makeParents(doc: unknown, path: readonly string[]): string[] {
  const out = [...path];
  let node = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const fresh = (): unknown => (isListKey(path[i + 1] as string) ? [] : {});
    if (Array.isArray(node)) {
      if (!isListKey(key)) return out;
      let index = key === '-' ? node.length : Number(key);
      if (index >= node.length) {
        index = node.length;
        node.push(fresh());
      } else if (node[index] === null || typeof node[index] !== 'object') node[index] = fresh();
      out[i] = String(index);
      node = node[index];
      continue;
    }
    if (!isRecord(node) || key === '__proto__') return out;
    const record = node as Record<string, unknown>;
    if (!Object.hasOwn(record, key) || record[key] === null || typeof record[key] !== 'object') record[key] = fresh();
    node = record[key];
  }
  const last = path[path.length - 1];
  if (Array.isArray(node) && last !== undefined && /^\d+$/.test(last) && Number(last) > node.length) out[path.length - 1] = '-';
  return out;
}

const isListKey = (key: string): boolean => key === '-' || /^\d+$/.test(key);

function parentOf(doc: unknown, path: readonly string[]): unknown {
  return get(doc, path.slice(0, -1));
}

function put(doc: unknown, path: readonly string[], value: unknown, op: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const key = path[path.length - 1] as string;
  // Assigning `__proto__` would swap the copy's prototype rather than add a field.
  if (key === '__proto__') throw new Error('path not allowed');
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error('index out of range');
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isRecord(parent)) {
    if (op === 'replace' && !Object.hasOwn(parent, key)) throw new Error('path not found');
    (parent as Record<string, unknown>)[key] = value;
  } else throw new Error('path not found');
  return doc;
}

function remove(doc: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return undefined;
  const parent = parentOf(doc, path);
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isRecord(parent) && Object.hasOwn(parent, key)) delete (parent as Record<string, unknown>)[key];
  else throw new Error('path not found');
  return doc;
}
