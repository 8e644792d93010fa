import { isRecord } from '../core/object.js';

/**
 * CRD schemas are over 90% of the bytes of a Kubeflow install, and no rule reads them (the parsed
 * CRD is slimmed to its identity right after parsing). Building them only to throw them away made
 * parsing the install several times slower than the rules that follow, so a CRD document is parsed
 * with each `openAPIV3Schema` block cut out of its text and replaced by a marker.
 *
 * The cut is purely textual, so it is checked against what the parser then returns: the document
 * must be one CustomResourceDefinition and every marker must sit exactly where a CRD keeps its
 * schema. Anything else (a marker elsewhere, a second document, an alias into a cut block, a
 * syntax error) sends the caller back to parsing the whole text, which also reports syntax errors
 * at their real lines. The price: a syntax error inside a schema block is not reported.
 */

const SCHEMA_KEY = 'openAPIV3Schema:';
/** A plain scalar no real schema holds; the check below refuses it anywhere but at a schema key. */
const MARKER = 'kfguard.unparsed-schema';

export interface SchemaCut {
  /** The document text with schema blocks replaced by the marker. */
  readonly text: string;
  readonly cuts: number;
}

/** The text of a CRD document without its schema blocks, or undefined when nothing is cut. */
export function cutCrdSchemas(source: string): SchemaCut | undefined {
  if (!source.includes('CustomResourceDefinition') || !source.includes(SCHEMA_KEY)) return undefined;
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let cuts = 0;
  for (let at = source.indexOf(SCHEMA_KEY); at !== -1; at = source.indexOf(SCHEMA_KEY, at + SCHEMA_KEY.length)) {
    const block = schemaBlockAt(source, at);
    if (!block) continue;
    const afterColon = at + SCHEMA_KEY.length;
    pieces.push(source.slice(copiedUpTo, afterColon), ` ${MARKER}`, source.slice(afterColon, block.start));
    copiedUpTo = block.end;
    cuts++;
  }
  if (cuts === 0) return undefined;
  pieces.push(source.slice(copiedUpTo));
  return { text: pieces.join(''), cuts };
}

/**
 * The lines of the block value of a key line `<spaces>openAPIV3Schema:` (nothing after the colon
 * but spaces or a comment): every following line that is blank, a comment, or indented deeper
 * than the key. Undefined when the key is not alone on its line or has no indented block.
 */
function schemaBlockAt(source: string, at: number): { start: number; end: number } | undefined {
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  for (let i = lineStart; i < at; i++) if (source.charCodeAt(i) !== 32) return undefined;
  const keyIndent = at - lineStart;
  const keyLineEnd = endOfLine(source, at);
  const rest = source.slice(at + SCHEMA_KEY.length, keyLineEnd).trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const start = keyLineEnd + 1;
  let end = start;
  let hasContent = false;
  while (end < source.length) {
    let i = end;
    while (source.charCodeAt(i) === 32) i++;
    const ch = source.charCodeAt(i);
    const blankOrComment = i >= source.length || ch === 10 || ch === 13 || ch === 35;
    if (!blankOrComment) {
      if (i - end <= keyIndent) break;
      hasContent = true;
    }
    end = endOfLine(source, end) + 1;
  }
  if (!hasContent) return undefined;
  return { start, end: Math.min(end, source.length) };
}

function endOfLine(source: string, from: number): number {
  const newline = source.indexOf('\n', from);
  return newline === -1 ? source.length : newline;
}

/**
 * True when the parsed cut text is what cutting was meant to produce: one CRD, with exactly
 * `cuts` markers, each at `spec.versions[i].schema.openAPIV3Schema` or
 * `spec.validation.openAPIV3Schema`.
 */
export function isFaithfulCut(values: readonly unknown[], cuts: number): boolean {
  if (values.length !== 1) return false;
  const crd = values[0];
  if (!isRecord(crd) || crd.kind !== 'CustomResourceDefinition' || !isRecord(crd.spec)) return false;
  let expected = 0;
  const versions = crd.spec.versions;
  if (Array.isArray(versions)) {
    for (const version of versions) {
      if (isRecord(version) && isRecord(version.schema) && version.schema.openAPIV3Schema === MARKER) expected++;
    }
  }
  if (isRecord(crd.spec.validation) && crd.spec.validation.openAPIV3Schema === MARKER) expected++;
  return expected === cuts && countMarkers(crd, 0) === cuts;
}

function countMarkers(node: unknown, depth: number): number {
  if (node === MARKER) return 1;
  if (node === null || typeof node !== 'object' || depth > 64) return 0;
  let count = 0;
  for (const child of Array.isArray(node) ? node : Object.values(node)) count += countMarkers(child, depth + 1);
  return count;
}

/** Replaces the markers by empty schemas, so nothing downstream ever sees the marker string. */
export function clearMarkers(crd: unknown): void {
  if (!isRecord(crd) || !isRecord(crd.spec)) return;
  if (Array.isArray(crd.spec.versions)) {
    for (const version of crd.spec.versions) {
      if (isRecord(version) && isRecord(version.schema) && version.schema.openAPIV3Schema === MARKER) (version.schema as Record<string, unknown>).openAPIV3Schema = {};
    }
  }
  if (isRecord(crd.spec.validation) && crd.spec.validation.openAPIV3Schema === MARKER) (crd.spec.validation as Record<string, unknown>).openAPIV3Schema = {};
}
