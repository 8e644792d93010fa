import { type SalvagedReading, type UnreadDocument, unreadDocument } from '../core/unread-document.js';
import { walkStructure } from './block-structure.js';

/**
 * The text the threat search reads for a refused document that holds CRDs (a Helm CRD template
 * when helm is not installed). A CRD's `openAPIV3Schema` repeats the same field definitions at
 * every place a PodSpec appears, so generated CRDs run to megabytes (kserve's 2.7 MB) and the raw
 * text went past the search's length cap, which reports "text not examined" at high.
 *
 * Nothing is dropped: each entry of a schema block (a structural line with its scalar text, as
 * block-structure.ts reads it) is kept the first time its text appears and left out only when the
 * same text (indentation aside) was already kept, so every default, description or anything else
 * an attacker writes into a schema is still searched once. Text outside the schema blocks is kept
 * verbatim. Padding made of distinct lines stays as long as it was, so it still reaches the cap
 * and is still reported: the cap never becomes a way to hide. Because repeats are the only thing
 * removed, the search's result does not depend on this reading of the structure being right, and
 * template actions (`{{ … }}`) are blanked for the walk only (the text kept is the original).
 */

const SCHEMA_KEY = 'openAPIV3Schema:';

export interface SchemaOnce {
  readonly text: string;
  /** Entries in the schema blocks, and how many of them were kept (the others repeat a kept one). */
  readonly entries: number;
  readonly kept: number;
}

/** The stand-in for a refused document (core/unread-document.ts), its CRD schemas' repeated entries left out of the searched text. */
export function unreadDocumentSchemasOnce(name: string, refusal: string, text: string, salvage?: SalvagedReading): UnreadDocument {
  const once = schemaEntriesOnce(text);
  if (!once) return unreadDocument(name, refusal, text, salvage);
  const condensed = `CRD schema entries repeated word for word were searched once: ${once.kept} distinct of ${once.entries}, ${text.length} characters searched as ${once.text.length}`;
  return unreadDocument(name, refusal, once.text, salvage, condensed);
}

/** Undefined when the text holds no CRD schema block or no entry of one repeats. */
export function schemaEntriesOnce(text: string): SchemaOnce | undefined {
  if (!text.includes('CustomResourceDefinition') || !text.includes(SCHEMA_KEY)) return undefined;
  const walked = text.includes('{{') ? blankTemplateActions(text) : text;
  const seen = new Set<string>();
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let schemaIndent = -1;
  let entryStart = -1;
  let entries = 0;
  let kept = 0;
  const closeEntry = (end: number): void => {
    if (entryStart === -1) return;
    const entry = text.slice(entryStart, end);
    entryStart = -1;
    if (entry === '') return;
    entries++;
    const key = entry.replace(/^[ \t]+|[ \t\r]+$/gm, '');
    if (!seen.has(key)) {
      seen.add(key);
      kept++;
      pieces.push(entry);
    }
  };
  const modelled = walkStructure(walked, (line) => {
    if (schemaIndent !== -1 && line.indent > schemaIndent) {
      closeEntry(line.start);
      entryStart = line.start;
      return;
    }
    if (schemaIndent !== -1) {
      closeEntry(line.start);
      copiedUpTo = line.start;
      schemaIndent = -1;
    }
    if (line.opensBlock && isSchemaKey(walked, line.content)) {
      pieces.push(text.slice(copiedUpTo, nextLine(text, line.content)));
      copiedUpTo = nextLine(text, line.content);
      schemaIndent = line.indent;
      // Blank and comment lines before the first entry belong to the block too.
      entryStart = copiedUpTo;
    }
  });
  if (!modelled) return undefined;
  if (schemaIndent !== -1) {
    closeEntry(text.length);
    copiedUpTo = text.length;
  }
  if (kept === entries) return undefined;
  pieces.push(text.slice(copiedUpTo));
  return { text: pieces.join(''), entries, kept };
}

/** `openAPIV3Schema:` followed by nothing but blanks or a comment. */
function isSchemaKey(source: string, content: number): boolean {
  if (!source.startsWith(SCHEMA_KEY, content)) return false;
  const end = source.indexOf('\n', content);
  const rest = source.slice(content + SCHEMA_KEY.length, end === -1 ? source.length : end).trim();
  return rest === '' || rest.startsWith('#');
}

/** Where the line after the one holding `at` starts (the text's end on the last line). */
function nextLine(source: string, at: number): number {
  const newline = source.indexOf('\n', at);
  return newline === -1 ? source.length : newline + 1;
}

/** Each `{{ … }}` replaced by as many `x` (line breaks kept), so offsets and lines stay where they were. */
function blankTemplateActions(text: string): string {
  // One forward scan (a lazy `{{[\s\S]*?}}` regex is quadratic on many unclosed `{{`): an action
  // with no `}}` after it ends nothing, and neither can any later `{{`, so the scan stops there.
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open === -1) break;
    const close = text.indexOf('}}', open + 2);
    if (close === -1) break;
    out += text.slice(from, open) + text.slice(open, close + 2).replace(/[^\n]/g, 'x');
    from = close + 2;
  }
  return out + text.slice(from);
}
