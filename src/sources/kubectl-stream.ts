/**
 * Splits a manifest stream where `kubectl apply -f` splits it (k8s.io/apimachinery util/yaml):
 * a stream whose first non-space character is `{` is a run of JSON values (Go json.Decoder);
 * otherwise YAMLReader cuts at every line that starts with `---` and whose rest, trimmed with Go's
 * strings.TrimSpace (Unicode spaces, NBSP and form feed included), is empty or a `#` comment. Any
 * other `---` line makes kubectl stop reading the file there.
 */
import { directiveCut } from './go-yaml-directives.js';

export interface StreamChunk {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  /** Something about this chunk's boundary that YAML 1.2 readers and Kubernetes see differently. */
  readonly note?: string;
  /** A JSON value (kubectl's JSON stream); parsed with JSON.parse, where the last duplicate key wins as in Go. */
  readonly json?: boolean;
  /** Why kubectl refuses this chunk before any YAML or JSON reading (a JSON value nested too deep). */
  readonly refusal?: { readonly line: number; readonly message: string };
}

/**
 * Go's encoding/json refuses a value with more objects and arrays open at once than this
 * (scanner.go `maxNestingDepth`: "exceeded max depth"); kubectl's JSON stream reader and the API
 * server's decoders are built on it. kfguard refuses such a value as kubectl does (an input error,
 * never a silent skip). Counting during the bracket scan costs nothing, and spares building a
 * million-level object that nothing would apply.
 */
const MAX_JSON_DEPTH = 10_000;

/** Go's unicode.IsSpace, which strings.TrimSpace and kubectl's JSON sniffing use. */
export function isGoSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

function goTrim(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && isGoSpace(text.charCodeAt(a))) a++;
  while (b > a && isGoSpace(text.charCodeAt(b - 1))) b--;
  return text.slice(a, b);
}

/** The separator forms YAML 1.2 also reads as a document start: `---` then end of line, space or tab. */
function isYamlMarker(text: string, offset: number): boolean {
  const after = text.charCodeAt(offset + 3);
  return Number.isNaN(after) || after === 10 || after === 13 || after === 32 || after === 9;
}

export function splitLikeKubectl(text: string): StreamChunk[] {
  let first = 0;
  while (first < text.length && isGoSpace(text.charCodeAt(first))) first++;
  if (text.charCodeAt(first) === 123 /* { */) {
    const json = splitJsonStream(text, first);
    if (json) return json;
  }
  return splitYamlLines(text, 0, 1);
}

function splitYamlLines(text: string, from: number, fromLine: number): StreamChunk[] {
  const chunks: StreamChunk[] = [];
  let chunkStart = from;
  let chunkLine = fromLine;
  let pendingNote: string | undefined;
  let lineStart = from;
  // kubectl keeps a `---` on the stream's very first line in its first piece (its buffer is empty there).
  let afterMarker = false;
  // The next `%` at the start of a line, found once per stream and moved forward only (a search
  // per piece to the end of the text would cost O(pieces × size)).
  let percent = -2;
  const hasDirectiveLine = (start: number, end: number): boolean => {
    if (text.charCodeAt(start) === 37 /* % */) return true;
    if (percent === -1) return false;
    if (percent < start - 1) percent = text.indexOf('\n%', Math.max(0, start - 1));
    return percent !== -1 && percent < end;
  };
  const push = (end: number): void => {
    const cut = end > chunkStart && hasDirectiveLine(chunkStart, end) ? directiveCut(text, chunkStart, end, chunkLine, afterMarker) : undefined;
    afterMarker = false;
    if (cut && 'refusal' in cut) chunks.push({ start: chunkStart, end, startLine: chunkLine, refusal: cut.refusal });
    else if (cut) {
      const note = pendingNote ? `${pendingNote}; ${cut.note}` : cut.note;
      if (cut.end > chunkStart) chunks.push({ start: chunkStart, end: cut.end, startLine: chunkLine, note });
    } else if (end > chunkStart) chunks.push({ start: chunkStart, end, startLine: chunkLine, ...(pendingNote ? { note: pendingNote } : {}) });
    pendingNote = undefined;
  };
  for (let line = fromLine; lineStart < text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    if (text.startsWith('---', lineStart)) {
      const shown = JSON.stringify(text.slice(lineStart, Math.min(lineEnd, lineStart + 40)));
      const rest = goTrim(text.slice(lineStart + 3, lineEnd));
      if (rest === '' || rest.startsWith('#')) {
        push(lineStart);
        if (!isYamlMarker(text, lineStart)) {
          pendingNote = `line ${line} ${shown} starts a new document for Kubernetes (kubectl's YAMLReader) but not for YAML 1.2 readers, which read it as content`;
        }
        afterMarker = lineStart === from;
        chunkStart = newline === -1 ? text.length : newline + 1;
        chunkLine = line + 1;
      } else {
        push(lineStart);
        chunkStart = lineStart;
        chunkLine = line;
        pendingNote = `line ${line} ${shown} is an invalid document separator for kubectl, which stops reading the file there; YAML readers go on, and so does kfguard`;
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  push(text.length);
  return chunks;
}

/**
 * kubectl's JSON stream: values one after another. When the second value fails, kubectl
 * switches to YAML for the rest (after the first line break); from the third on, it stops.
 * Returns undefined when the very first value is not JSON: the whole stream is then YAML.
 */
function splitJsonStream(text: string, from: number): StreamChunk[] | undefined {
  const chunks: StreamChunk[] = [];
  let at = from;
  let line = 1 + countNewlines(text, 0, from);
  for (;;) {
    while (at < text.length && isJsonSpace(text.charCodeAt(at))) {
      if (text.charCodeAt(at) === 10) line++;
      at++;
    }
    if (at >= text.length) return chunks;
    const end = jsonValueEnd(text, at);
    if (typeof end === 'object') {
      // Go's decoder fails here and kubectl refuses the file (the API server would refuse the
      // object too). The rest of the stream is one refused chunk: an input error whose raw text
      // still goes to the threat search, never a value nothing judges.
      const where = line + countNewlines(text, at, end.tooDeepAt);
      const message = `JSON nested deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels (Go's "exceeded max depth"); kubectl and the API server refuse it too`;
      return [...chunks, { start: at, end: text.length, startLine: line, refusal: { line: where, message } }];
    }
    let ok = end !== undefined;
    if (ok) {
      try {
        JSON.parse(text.slice(at, end));
      } catch {
        ok = false;
      }
    }
    if (!ok || end === undefined) {
      if (chunks.length === 0) return undefined;
      if (chunks.length >= 2) {
        chunks.push({ start: at, end: text.length, startLine: line, note: `line ${line}: kubectl stops reading this JSON stream here (not a JSON value after two JSON documents); kfguard reads the rest as YAML` });
        return chunks;
      }
      // One JSON value then something else: kubectl reads the rest as YAML, from the next line.
      let rest = at;
      while (rest < text.length && isGoSpace(text.charCodeAt(rest)) && text.charCodeAt(rest) !== 10) rest++;
      if (text.charCodeAt(rest) === 10) {
        rest++;
        line++;
      }
      return [...chunks, ...splitYamlLines(text, rest, line)];
    }
    chunks.push({ start: at, end, startLine: line, json: true });
    line += countNewlines(text, at, end);
    at = end;
  }
}

function isJsonSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Where the JSON value starting at `at` ends (exclusive), by brackets and strings; undefined when
 * unbalanced; where it opens one level more than Go's decoder reads, when it does.
 */
function jsonValueEnd(text: string, at: number): number | { readonly tooDeepAt: number } | undefined {
  const open = text.charCodeAt(at);
  if (open !== 123 && open !== 91) {
    if (open === 34) return stringEnd(text, at);
    let end = at;
    while (end < text.length && !isJsonSpace(text.charCodeAt(end)) && !'{}[],"'.includes(text[end] ?? '')) end++;
    return end > at ? end : undefined;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return { tooDeepAt: i };
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function stringEnd(text: string, at: number): number | undefined {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return undefined;
}
