import { isMap, isNode, isScalar, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment } from '../core/path.js';

interface LineSpan {
  readonly first: number;
  readonly last: number;
}

/** Start offset of every line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line of a byte offset, by binary search over the line starts. */
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

/** The deepest collection on `path` (itself included) that exists in `doc`. */
function editedAncestor(doc: Document, path: readonly PathSegment[]): readonly PathSegment[] {
  for (let depth = path.length; depth > 0; depth--) {
    const found: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(found) && !isScalar(found)) return path.slice(0, depth);
  }
  return [];
}

/**
 * The whole lines `path`'s node covers in `text`, from its key when it is a mapping value (a flow
 * value printed on the next line would otherwise lose its key), or undefined when it is not found.
 */
function spanOf(doc: Document, starts: readonly number[], path: readonly PathSegment[]): LineSpan | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isNode(node) || !node.range) return undefined;
  let start = node.range[0];
  const parent: unknown = path.length === 0 ? undefined : doc.getIn(path.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
    const keyStart = (pair?.key as Node | undefined)?.range?.[0];
    if (keyStart === undefined) return undefined;
    start = keyStart;
  }
  return { first: lineOf(starts, start), last: lineOf(starts, Math.max(start, node.range[2] - 1)) };
}

/**
 * `containers`: for each edit, the collection it changes (the list appended to, the parent of a
 * key set or an item deleted); a missing one stands for its deepest existing ancestor.
 *
 * `source` with only the nodes the edits changed replaced by their text in `printed` (the document
 * re-printed by the `yaml` printer after structural edits: a key or list item added or removed).
 * The printer also folds `>-` scalars, re-wraps long strings and respaces flow collections
 * anywhere in the document; all of that is left as written. Linear in the document's size.
 * Answers undefined when a changed node cannot be found in both texts, or two overlap in one and
 * not the other; the caller checks that the result reads as the edit intends and keeps `printed`
 * otherwise.
 */
export function confineReprint(source: string, printed: string, containers: readonly (readonly PathSegment[])[]): string | undefined {
  const before = parseDocument(source);
  const after = parseDocument(printed);
  if (before.errors.length > 0 || after.errors.length > 0) return undefined;
  const sourceStarts = lineStarts(source);
  const printedStarts = lineStarts(printed);
  const regions: { from: LineSpan; to: LineSpan }[] = [];
  for (const path of containers) {
    const ancestor = editedAncestor(before, path);
    const from = spanOf(before, sourceStarts, ancestor);
    const to = spanOf(after, printedStarts, ancestor);
    if (!from || !to) return undefined;
    regions.push({ from, to });
  }
  // Nested or repeated regions: keep the outermost; partly overlapping ones cannot be spliced.
  regions.sort((a, b) => a.from.first - b.from.first || b.from.last - a.from.last);
  const kept: { from: LineSpan; to: LineSpan }[] = [];
  for (const region of regions) {
    const last = kept[kept.length - 1];
    if (last && region.from.first <= last.from.last) {
      if (region.from.last > last.from.last || region.to.first < last.to.first || region.to.last > last.to.last) return undefined;
      continue;
    }
    if (last && region.to.first <= last.to.last) return undefined;
    kept.push(region);
  }
  const sourceLines = source.split('\n');
  const printedLines = printed.split('\n');
  const out: string[] = [];
  let line = 0;
  for (const { from, to } of kept) {
    out.push(...sourceLines.slice(line, from.first), ...printedLines.slice(to.first, to.last + 1));
    line = from.last + 1;
  }
  out.push(...sourceLines.slice(line));
  return out.join('\n');
}
