import { Composer, CST, isScalar, Parser, stringify, type Scalar } from 'yaml';
import type { PathSegment } from '../core/path.js';
import { commentWithNote } from './line-comment.js';

/** A scalar replaced in place, with an optional comment put at the end of its line (after the user's own). */
export interface ScalarSet {
  readonly path: readonly PathSegment[];
  readonly value: string | number | boolean | null;
  readonly comment?: string;
}

type FlowScalarType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

/**
 * Replaces scalars through `yaml`'s concrete syntax tree: only the edited tokens change, every other
 * byte (folded and literal block scalars, flow spacing, comments, blank lines) is printed as it was
 * read. Re-printing the document from its data model instead folds a `>-` scalar onto one line and
 * respaces flow collections far from the edit. Answers undefined when an edit is not a scalar
 * replaced by a scalar on one line (a new key, a list item, a block scalar), and the caller
 * re-prints.
 */
export function setScalarsInPlace(source: string, sets: readonly ScalarSet[]): string | undefined {
  const tokens = [...new Parser().parse(source)];
  // The CST must give back the source byte for byte before anything is changed.
  if (tokens.map((token) => CST.stringify(token)).join('') !== source) return undefined;
  const documents = [...new Composer({ keepSourceTokens: true }).compose(tokens)];
  const document = documents[0];
  if (documents.length !== 1 || !document || document.errors.length > 0) return undefined;
  // Find every token first: a refusal must leave the tokens untouched for the caller's re-print.
  const targets: { token: CST.FlowScalar; set: ScalarSet }[] = [];
  for (const set of sets) {
    const node = document.getIn(set.path, true);
    if (!isScalar(node)) return undefined;
    const token = (node as Scalar & { srcToken?: CST.Token }).srcToken;
    if (!token || !CST.isScalar(token) || token.type === 'block-scalar') return undefined;
    if (set.comment !== undefined && !(token.end ?? []).some((t) => t.type === 'newline')) return undefined;
    targets.push({ token, set });
  }
  for (const { token, set } of targets) {
    const type = scalarType(token, set.value);
    if (type === undefined) return undefined;
    CST.setScalarValue(token, set.value === null ? 'null' : String(set.value), { type });
    if (set.comment !== undefined) putComment(token, set.comment);
  }
  return tokens.map((token) => CST.stringify(token)).join('');
}

/**
 * The style to write the new value in: the old quotes when a string keeps them, otherwise the style
 * the `yaml` printer chooses for it alone, so a string that reads as a number or `true` is quoted.
 */
function scalarType(token: CST.FlowScalar, value: ScalarSet['value']): FlowScalarType | undefined {
  if (typeof value === 'string' && !/[\n\r\t\\\p{Cc}]/u.test(value)) {
    if (token.type === 'double-quoted-scalar') return 'QUOTE_DOUBLE';
    if (token.type === 'single-quoted-scalar') return 'QUOTE_SINGLE';
  }
  const printed = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  if (printed.includes('\n')) return undefined;
  if (printed.startsWith('"')) return 'QUOTE_DOUBLE';
  if (printed.startsWith("'")) return 'QUOTE_SINGLE';
  // Plain is safe on its own but not inside a flow collection, where `,[]{}` end it.
  return /[,[\]{}]/.test(printed) ? 'QUOTE_DOUBLE' : 'PLAIN';
}

/** Puts `#comment` after the scalar on its line, after a comment already there, which is kept. */
function putComment(token: CST.FlowScalar, comment: string): void {
  const end = (token.end ??= []);
  const existing = end.findIndex((t) => t.type === 'comment');
  if (existing !== -1) {
    const kept = end[existing] as CST.SourceToken;
    kept.source = `#${commentWithNote(kept.source.slice(1), comment)}`;
    return;
  }
  const source = `#${comment}`;
  const newline = end.findIndex((t) => t.type === 'newline');
  const at = newline === -1 ? end.length : newline;
  const before = end[at - 1];
  const spaced = before?.type === 'space';
  end.splice(at, 0, ...(spaced ? [] : [{ type: 'space' as const, offset: token.offset, indent: token.indent, source: ' ' }]), { type: 'comment', offset: token.offset, indent: token.indent, source });
}
