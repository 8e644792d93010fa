import { isRecord } from '../core/object.js';
import { walkStructure } from './block-structure.js';

/**
 * CRD schemas are over 90% of the bytes of a Kubeflow install, and no rule reads them (the parsed
 * CRD is slimmed to its identity right after parsing). Building them only to throw them away made
 * parsing the install several times slower than the rules that follow, so a CRD document is parsed
 * with each `openAPIV3Schema` block cut out of its text and replaced by a marker.
 *
 * A cut by indentation is exact only when indentation alone sets the document's structure, so
 * the blocks are found by a reader that follows quoted scalars and flow collections over line
 * ends as js-yaml does (block-structure.ts), and the cut is refused (the document parsed whole)
 * for anything it does not model: anchors, aliases, tags, complex keys, lone carriage returns.
 * The parse result is then checked too: it must be one
 * CustomResourceDefinition with a marker exactly where each schema was. The price: a YAML syntax
 * error inside a schema block is not reported (`--parse-crd-schemas` parses them).
 */

const SCHEMA_KEY = 'openAPIV3Schema:';
/** A plain scalar no real schema holds; the check below refuses it anywhere but at a schema key. */
const MARKER = 'kfguard.unparsed-schema';
/** More cuts than this in one document is not a CRD anyone wrote; parse it whole. */
const MAX_CUTS = 64;

export interface SchemaCut {
  /** The document text with schema blocks replaced by the marker. */
  readonly text: string;
  readonly cuts: number;
}

/** The text of a CRD document without its schema blocks, or undefined when it must be parsed whole. */
export function cutCrdSchemas(source: string): SchemaCut | undefined {
  if (!source.includes('CustomResourceDefinition') || !source.includes(SCHEMA_KEY)) return undefined;
  // js-yaml breaks lines at a lone CR; the line reader only knows LF.
  if (source.includes('\r') && /\r(?!\n)/.test(source)) return undefined;
  // An anchor inside a cut block could be redefined there and aliased outside it; walkStructure
  // gives up on every anchor, alias and tag, so none survives to the parse.
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let cuts = 0;
  // The open cut: its key's indentation and where the text after the key's colon starts and ends.
  let cutIndent = -1;
  let afterColon = 0;
  let keyLineEnd = 0;
  let cutHasContent = false;
  const modelled = walkStructure(source, (line) => {
    if (cutIndent !== -1 && line.indent > cutIndent) cutHasContent = true;
    else if (cutIndent !== -1) {
      // A key with nothing deeper under it (`openAPIV3Schema:` then `- x` at its own level) is left alone.
      if (cutHasContent) {
        pieces.push(source.slice(copiedUpTo, afterColon), ` ${MARKER}`, source.slice(afterColon, keyLineEnd + 1));
        copiedUpTo = line.start;
        cuts++;
      }
      cutIndent = -1;
    }
    if (cutIndent === -1 && line.opensBlock && isSchemaKey(source, line.content)) {
      cutIndent = line.indent;
      cutHasContent = false;
      afterColon = line.content + SCHEMA_KEY.length;
      keyLineEnd = endOfLine(source, line.content);
    }
  });
  if (!modelled) return undefined;
  if (cutIndent !== -1 && cutHasContent) {
    pieces.push(source.slice(copiedUpTo, afterColon), ` ${MARKER}`, source.slice(afterColon, keyLineEnd), '\n');
    copiedUpTo = source.length;
    cuts++;
  }
  if (cuts === 0 || cuts > MAX_CUTS) return undefined;
  pieces.push(source.slice(copiedUpTo));
  return { text: pieces.join(''), cuts };
}

/** `openAPIV3Schema:` followed by nothing but blanks or a comment. */
function isSchemaKey(source: string, content: number): boolean {
  if (!source.startsWith(SCHEMA_KEY, content)) return false;
  const rest = source.slice(content + SCHEMA_KEY.length, endOfLine(source, content)).trim();
  return rest === '' || rest.startsWith('#');
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

/** Anchors are refused before cutting, so the parsed value is a tree and this walk is linear. */
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
