import { isNode, isScalar, isSeq, type Document } from 'yaml';
import type { PathSegment } from '../core/path.js';
import { commentWithNote } from './line-comment.js';
import type { ObjectEdit } from './types.js';

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Compares paths so that deletes can run from the deepest, highest index down. */
function compareDescending(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y) < String(x) ? -1 : 1;
  }
  return b.length - a.length;
}

/** Same edit from two findings (two rules flagging one Service) must apply once. */
export function dedupeEdits(edits: readonly ObjectEdit[]): ObjectEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const key = JSON.stringify(edit);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sets and appends in the order given, then deletes from the highest index down, so indices stay valid. */
export function orderEdits(edits: readonly ObjectEdit[]): ObjectEdit[] {
  const unique = dedupeEdits(edits);
  const deletes = unique.filter((e) => e.op === 'delete').sort((a, b) => compareDescending(a.path, b.path));
  return [...unique.filter((e) => e.op !== 'delete'), ...deletes];
}

function setValue(doc: Document, path: readonly PathSegment[], value: unknown, comment: string | undefined): void {
  const existing = doc.getIn(path, true);
  // Changing only the scalar's value keeps its comments and quoting style.
  if (isScalar(existing) && isScalarValue(value)) existing.value = value;
  else doc.setIn(path, doc.createNode(value));
  if (comment === undefined) return;
  const node = doc.getIn(path, true);
  // The user's comment on the line (why an image is pinned, a ticket) is kept, the note after it.
  if (isNode(node)) node.comment = commentWithNote(node.comment, comment);
}

function appendValue(doc: Document, path: readonly PathSegment[], value: unknown): void {
  const list = doc.getIn(path, true);
  if (isSeq(list)) list.add(doc.createNode(value));
  else doc.setIn(path, doc.createNode([value]));
}

/** Applies edits to the object at `prefix` inside a YAML document, keeping comments and layout elsewhere. */
export function applyEditsToDocument(doc: Document, prefix: readonly PathSegment[], edits: readonly ObjectEdit[]): void {
  for (const edit of orderEdits(edits)) {
    const path = [...prefix, ...edit.path];
    if (edit.op === 'set') setValue(doc, path, edit.value, edit.comment);
    else if (edit.op === 'append') appendValue(doc, path, edit.value);
    else if (doc.hasIn(path)) doc.deleteIn(path);
  }
}
