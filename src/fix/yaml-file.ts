import { isDeepStrictEqual } from 'node:util';
import { parseDocument, type Document, type ToStringOptions, type YAMLError } from 'yaml';
import type { PathSegment } from '../core/path.js';
import { splitDocuments } from '../sources/yaml-documents.js';
import { renderGenerated, type GeneratedFor } from './generated-text.js';
import type { ObjectEdit } from './types.js';
import { confineReprint } from './confine-reprint.js';
import { setScalarsInPlace, type ScalarSet } from './cst-edit.js';
import { applyEditsToDocument, orderEdits } from './yaml-edit.js';

interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
}

/** A changed region of the file, for previews: the text before and after, from `startLine`. */
export interface TextChange {
  readonly startLine: number;
  readonly before: string;
  readonly after: string;
}

interface PendingEdit {
  readonly prefix: readonly PathSegment[];
  readonly edits: readonly ObjectEdit[];
}

// kubectl and kustomize print with unindented lists and fold long strings at 80 columns; hand-written
// files often indent lists and never fold.
const LAYOUTS: readonly ToStringOptions[] = [
  { indent: 2, indentSeq: false, lineWidth: 80 },
  { indent: 2, indentSeq: false, lineWidth: 0 },
  { indent: 2, indentSeq: true, lineWidth: 0 },
  { indent: 2, indentSeq: true, lineWidth: 80 },
  { indent: 4, indentSeq: false, lineWidth: 0 },
  { indent: 4, indentSeq: true, lineWidth: 0 },
].map((layout) => ({ ...layout, minContentWidth: 0 }));

function trailingSpace(text: string): string {
  return /\s*$/.exec(text)?.[0] ?? '';
}

function sameLineCount(a: string, b: string): number {
  const theirs = new Set(b.split('\n'));
  return a.split('\n').filter((line) => theirs.has(line)).length;
}

/** A line with the spacing the printer normalises (before comments, inside flow braces, at the end) taken out. */
function normalizeSpacing(line: string): string {
  // A comment-only line is re-indented to the node the parser attached it to; its text is what counts.
  if (line.trimStart().startsWith('#')) return line.trim();
  // `(?<!\s)`: a blank run is tried once, from its start, not again from each of its characters.
  return line
    .replace(/(?<!\s)\s+#/g, ' #')
    .replace(/([{[])\s+/g, '$1')
    .replace(/(?<!\s)\s+([}\]])/g, '$1')
    .trimEnd();
}

const TRAILING_COMMENT = /^(\s*(?:- )?)(.*?)(\s+)(#.*)$/;
/** TRAILING_COMMENT backtracks quadratically on long blank runs; longer lines keep the printer's gap. */
const MAX_COMMENT_LINE = 4096;

/** Gap before each comment, keyed by indentation and comment text, to put back on edited lines. */
function commentGaps(source: string): Map<string, string> {
  const gaps = new Map<string, string>();
  for (const line of source.split('\n')) {
    const match = line.length <= MAX_COMMENT_LINE ? TRAILING_COMMENT.exec(line) : null;
    if (match) gaps.set(`${match[1] ?? ''}${match[4] ?? ''}`, match[3] ?? ' ');
  }
  return gaps;
}

/**
 * The printer puts one space before every comment, pads flow braces and drops trailing blanks.
 * Lines whose content did not change get their original text back, and edited lines keep the
 * original gap before their comment, so only the edited values differ from the source.
 */
function restoreSpacing(printed: string, source: string): string {
  const originals = new Map<string, string[]>();
  for (const line of source.split('\n')) {
    const key = normalizeSpacing(line);
    originals.set(key, [...(originals.get(key) ?? []), line]);
  }
  const gaps = commentGaps(source);
  return printed
    .split('\n')
    .map((line) => {
      const original = originals.get(normalizeSpacing(line))?.shift();
      if (original !== undefined) return original;
      const match = line.length <= MAX_COMMENT_LINE ? TRAILING_COMMENT.exec(line) : null;
      const gap = match ? gaps.get(`${match[1] ?? ''}${match[4] ?? ''}`) : undefined;
      return match && gap !== undefined ? `${match[1] ?? ''}${match[2] ?? ''}${gap}${match[4] ?? ''}` : line;
    })
    .join('\n');
}

/** The layout under which the untouched document prints closest to how it was written. */
function detectLayout(source: string): ToStringOptions {
  const pristine = parseDocument(source, { keepSourceTokens: false });
  let best = LAYOUTS[0] ?? {};
  let bestScore = -1;
  for (const layout of LAYOUTS) {
    const printed = pristine.toString(layout);
    if (printed.trimEnd() === source.trimEnd()) return layout;
    const score = sameLineCount(printed, source);
    if (score > bestScore) {
      best = layout;
      bestScore = score;
    }
  }
  return best;
}

/** The edits as in-place scalar replacements, or undefined when one of them is anything else. */
function scalarSetsOf(pending: readonly PendingEdit[]): ScalarSet[] | undefined {
  const sets: ScalarSet[] = [];
  for (const { prefix, edits } of pending) {
    for (const edit of orderEdits(edits)) {
      if (edit.op !== 'set') return undefined;
      const value = edit.value;
      if (!(value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return undefined;
      sets.push({ path: [...prefix, ...edit.path], value, ...(edit.comment === undefined ? {} : { comment: edit.comment }) });
    }
  }
  return sets;
}

/**
 * Mixed edits in one document (a `kind: List` whose Service gets a new type and whose Pod gets an
 * env entry): the scalar sets are made in place through the CST first, so only the structural
 * rest is re-printed and confined, and the set values' collections keep their layout. Sets and
 * appends run before deletes on the indices as parsed (types.ts), so doing the sets first changes
 * nothing the other edits address. Undefined when there is nothing to split.
 */
function stageScalarSets(source: string, pending: readonly PendingEdit[]): { source: string; rest: PendingEdit[] } | undefined {
  const scalar = (edit: ObjectEdit): boolean => edit.op === 'set' && (edit.value === null || ['string', 'number', 'boolean'].includes(typeof edit.value));
  const sets = pending.map(({ prefix, edits }) => ({ prefix, edits: edits.filter(scalar) })).filter((p) => p.edits.length > 0);
  const rest = pending.map(({ prefix, edits }) => ({ prefix, edits: edits.filter((e) => !scalar(e)) })).filter((p) => p.edits.length > 0);
  if (sets.length === 0 || rest.length === 0) return undefined;
  const scalarSets = scalarSetsOf(sets);
  const staged = scalarSets && setScalarsInPlace(source, scalarSets);
  if (staged === undefined) return undefined;
  const doc = parseDocument(source);
  for (const { prefix, edits } of sets) applyEditsToDocument(doc, prefix, edits);
  return isDeepStrictEqual(parseDocument(staged).toJS(), doc.toJS()) ? { source: staged, rest } : undefined;
}

/**
 * A YAML stream edited document by document. Only documents that receive edits are re-printed
 * (with the `yaml` Document API, which keeps their comments); every other byte stays as it was.
 */
export class EditableYamlFile {
  private readonly chunks: readonly Chunk[];
  private readonly pending = new Map<number, PendingEdit[]>();
  private readonly generated: GeneratedFor[] = [];

  constructor(readonly text: string) {
    this.chunks = splitDocuments(text);
  }

  /**
   * Queues edits for the object at `prefix` in the document that starts at byte `documentStart`.
   * The reader's documents start after their `---` line (kubectl's split), these chunks on it, so
   * the chunk is the one holding that offset.
   */
  edit(start: number, prefix: readonly PathSegment[], edits: readonly ObjectEdit[]): void {
    if (edits.length === 0) return;
    const documentStart = this.chunks.find((c) => c.start <= start && (start < c.end || (c.start === start && c.end === start)))?.start;
    if (documentStart === undefined) throw new Error(`no YAML document starts at offset ${start}`);
    const list = this.pending.get(documentStart) ?? [];
    list.push({ prefix, edits });
    this.pending.set(documentStart, list);
  }

  append(created: GeneratedFor): void {
    this.generated.push(created);
  }

  get changed(): boolean {
    return this.pending.size > 0 || this.generated.length > 0;
  }

  changes(): TextChange[] {
    const changes: TextChange[] = [];
    for (const chunk of this.chunks) {
      const edits = this.pending.get(chunk.start);
      if (!edits) continue;
      const before = this.text.slice(chunk.start, chunk.end);
      changes.push({ startLine: chunk.startLine, before, after: this.renderChunk(before, edits, chunk.startLine - 1) });
    }
    if (this.generated.length > 0) {
      const lastLine = this.text.split('\n').length;
      const separator = this.text === '' || this.text.endsWith('\n') ? '' : '\n';
      changes.push({ startLine: lastLine + 1, before: '', after: separator + this.renderGenerated() });
    }
    return changes;
  }

  render(): string {
    let out = '';
    for (const chunk of this.chunks) {
      const source = this.text.slice(chunk.start, chunk.end);
      const edits = this.pending.get(chunk.start);
      out += edits ? this.renderChunk(source, edits, chunk.startLine - 1) : source;
    }
    if (this.generated.length === 0) return out;
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    return out + this.renderGenerated();
  }

  private renderChunk(source: string, edits: readonly PendingEdit[], linesBefore: number): string {
    const doc: Document = parseDocument(source);
    if (doc.errors.length > 0) throw new Error(`cannot edit a YAML document that does not parse: ${parseFault(doc.errors[0], linesBefore)}`);
    const layout = detectLayout(source);
    const byPrefix = new Map<string, PendingEdit>();
    for (const pending of edits) {
      const key = JSON.stringify(pending.prefix);
      const merged = byPrefix.get(key);
      byPrefix.set(key, merged ? { prefix: pending.prefix, edits: [...merged.edits, ...pending.edits] } : pending);
    }
    for (const { prefix, edits: list } of byPrefix.values()) applyEditsToDocument(doc, prefix, list);
    // Scalar replacements (an image digest, a flag's value) go through the CST, byte for byte
    // elsewhere; the result must read as the data model edit does, or the document is re-printed.
    const sets = scalarSetsOf([...byPrefix.values()]);
    const inPlace = sets && setScalarsInPlace(source, sets);
    const intended: unknown = doc.toJS();
    if (inPlace !== undefined && isDeepStrictEqual(parseDocument(inPlace).toJS(), intended)) return inPlace;
    const staged = stageScalarSets(source, [...byPrefix.values()]);
    if (staged !== undefined) {
      const out = this.renderChunk(staged.source, staged.rest, linesBefore);
      if (isDeepStrictEqual(parseDocument(out).toJS(), intended)) return out;
    }
    const printed = restoreSpacing(doc.toString(layout), source).trimEnd() + trailingSpace(source);
    // Structural edits: the printer's changes away from the edited nodes are undone, if the data still reads as intended.
    const containers = [...byPrefix.values()].flatMap(({ prefix, edits: list }) =>
      list.map((edit) => [...prefix, ...(edit.op === 'append' ? edit.path : edit.path.slice(0, -1))]),
    );
    const confined = confineReprint(source, printed, containers);
    if (confined !== undefined && confined !== printed && isDeepStrictEqual(parseDocument(confined).toJS(), intended)) return confined;
    return printed;
  }

  private renderGenerated(): string {
    return renderGenerated(this.generated);
  }
}

/**
 * One line from the parser's error code and position: the `yaml` package's message quotes the
 * source lines around the fault, which may be a password or a Secret's data, and spans several
 * lines of a terminal or CI log.
 */
function parseFault(error: YAMLError | undefined, linesBefore: number): string {
  if (!error) return 'unknown error';
  const at = error.linePos?.[0];
  return at ? `${error.code} at line ${at.line + linesBefore}, column ${at.col}` : error.code;
}
