import { diffArrays } from 'diff';
import { isNode, parseDocument, type Node } from 'yaml';
import type { PathSegment } from '../core/path.js';

interface LineSpan {
  readonly first: number;
  readonly last: number;
}

/** 0-based line of each byte offset, by binary search over the line starts. */
function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The lines of `source` each edit may change: those of the deepest node of its path that exists
 * before the edit (the scalar set, the item deleted, or the collection a key or item is added to).
 */
function editedSpans(source: string, paths: readonly (readonly PathSegment[])[]): LineSpan[] | undefined {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return undefined;
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const spans: LineSpan[] = [];
  for (const path of paths) {
    let node: Node | undefined;
    for (let depth = path.length; depth >= 0 && node === undefined; depth--) {
      const found: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(found) && found.range) node = found;
    }
    const range = node?.range;
    if (!range) return undefined;
    spans.push({ first: lineOf(starts, range[0]), last: lineOf(starts, Math.max(range[0], range[2] - 1)) });
  }
  return spans;
}

/**
 * `printed` (the document re-printed by the `yaml` printer after structural edits: a key or list
 * item added or removed) with every changed run of lines that lies outside the edited nodes put
 * back as it was in `source`. The printer also folds `>-` scalars, re-wraps long strings and
 * respaces flow collections anywhere in the document; those lines carry the same data, so only
 * the edited region moves. Answers undefined when the edited lines cannot be found; the caller
 * checks that the result reads as the edit intends and keeps `printed` otherwise.
 */
export function confineReprint(source: string, printed: string, paths: readonly (readonly PathSegment[])[]): string | undefined {
  const spans = editedSpans(source, paths);
  if (spans === undefined) return undefined;
  const touches = (first: number, removed: number): boolean =>
    removed === 0
      ? spans.some((span) => first >= span.first && first <= span.last + 1)
      : spans.some((span) => first <= span.last && first + removed - 1 >= span.first);
  const out: string[] = [];
  let line = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    out.push(...(removed.length === 0 && added.length === 0 ? [] : touches(line, removed.length) ? added : removed));
    line += removed.length;
    removed = [];
    added = [];
  };
  for (const change of diffArrays(source.split('\n'), printed.split('\n'))) {
    if (change.removed) removed.push(...change.value);
    else if (change.added) added.push(...change.value);
    else {
      flush();
      out.push(...change.value);
      line += change.value.length;
    }
  }
  flush();
  return out.join('\n');
}
