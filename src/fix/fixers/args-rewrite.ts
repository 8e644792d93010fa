import type { PathSegment } from '../../core/path.js';
import type { ObjectEdit } from '../types.js';

/** A list change expressed element by element so comments on untouched items survive. */
export interface ListChange {
  readonly replace: ReadonlyMap<number, string>;
  readonly remove: ReadonlySet<number>;
  readonly append: readonly string[];
}

export function listEdits(listPath: readonly PathSegment[], change: ListChange): ObjectEdit[] {
  const edits: ObjectEdit[] = [];
  for (const [index, value] of change.replace) edits.push({ op: 'set', path: [...listPath, index], value });
  for (const value of change.append) edits.push({ op: 'append', path: listPath, value });
  for (const index of change.remove) edits.push({ op: 'delete', path: [...listPath, index] });
  return edits;
}

export function isEmptyChange(change: ListChange): boolean {
  return change.replace.size === 0 && change.remove.size === 0 && change.append.length === 0;
}
