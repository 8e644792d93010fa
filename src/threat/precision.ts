import yaml from 'js-yaml';
import { isRecord } from '../core/object.js';
import type { ScanState } from './scan-queue.js';
import type { SignalKind } from './signals.js';

/**
 * Data versus what runs. A pool host is decisive where something connects to it: a command line,
 * a miner config. Where it is only written down (a ConfigMap no miner reads, a custom resource's
 * spec, a comment, a docstring, a notebook's markdown, a detection rule that lists pool domains to
 * catch them) it is at most a weak signal or nothing at all.
 */

/** Signals that name a pool; decisive on a command line, weak as data. */
const POOL_KINDS: ReadonlySet<SignalKind> = new Set(['pool-host', 'stratum-url']);
/** A pool named in data weighs this much: medium alone, high or critical beside a wallet or miner flags. */
export const DATA_POOL_WEIGHT = 4;

/** Caps the pool signals added to `state` since `from`: the text they came from is data. */
export function capDataPoolSignals(state: ScanState, from: number): void {
  for (let i = from; i < state.signals.length; i++) {
    const found = state.signals[i];
    if (found && POOL_KINDS.has(found.kind) && found.weight > DATA_POOL_WEIGHT) state.signals[i] = { ...found, weight: DATA_POOL_WEIGHT };
  }
}

/** Whether any signal since `from` is a miner config (XMRig JSON, nanominer INI): then the pools in it are decisive. */
export function foundMinerConfig(state: ScanState, from: number): boolean {
  return state.signals.slice(from).some((s) => s.kind === 'miner-config');
}

/**
 * Text that reads itself back (`sed … "$0" | sh`, `exec(__doc__)`, a notebook loading its own
 * cells) can run its comments; such text is read whole.
 */
const SELF_READING_SHELL = /\$\{?0\b|\$\{?BASH_SOURCE|\/proc\/self\//;
const SELF_READING_PYTHON = /__doc__|getdoc\s*\(|__file__|inspect\.getsource|\.ipynb\b|nbformat/;

/**
 * A shell script without its comments: a `#` that starts a word outside quotes and here-documents
 * runs to the end of the line. The first line's `#!` is kept (it names the interpreter). Linear in
 * the text; lines keep their places.
 */
export function shellWithoutComments(text: string): string {
  if (!text.includes('#') || SELF_READING_SHELL.test(text)) return text;
  const lines = text.split('\n');
  const state: LineState = { quote: undefined, heredocs: [] };
  let heredoc: string | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (heredoc !== undefined) {
      // `<<-` allows leading tabs before the delimiter.
      if (line.replace(/^\t+/, '') === heredoc) heredoc = state.heredocs.shift();
      continue;
    }
    if (n === 0 && line.startsWith('#!')) continue;
    const cut = commentStart(line, state);
    if (cut >= 0) lines[n] = line.slice(0, cut);
    if (state.quote === undefined && state.heredocs.length > 0) heredoc = state.heredocs.shift();
  }
  return lines.join('\n');
}

interface LineState {
  /** The quote still open at the end of the last line read. */
  quote: '"' | "'" | '`' | undefined;
  /** Here-document delimiters opened and not yet read, in order. */
  readonly heredocs: string[];
}

/** Where a comment starts on this line (-1 for none), noting quotes left open and here-documents opened. */
function commentStart(line: string, state: LineState): number {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (state.quote) {
      if (ch === '\\' && state.quote !== "'") i++;
      else if (ch === state.quote) state.quote = undefined;
    } else if (ch === '\\') {
      i++;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      state.quote = ch;
    } else if (ch === '#' && (i === 0 || /[\s;&|()]/.test(line[i - 1] as string))) {
      return i;
    } else if (ch === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const delimiter = /^<<-?\s*(?:'([^']+)'|"([^"]+)"|\\?([\w.-]+))/.exec(line.slice(i));
      const word = delimiter?.[1] ?? delimiter?.[2] ?? delimiter?.[3];
      if (word !== undefined) state.heredocs.push(word);
    }
  }
  return -1;
}

/**
 * Python source without comments and docstrings (string literals standing alone as statements).
 * Strings that are arguments or values stay: `os.system("""…""")` runs.
 */
export function pythonWithoutCommentsAndDocstrings(text: string): string {
  if (!(text.includes('#') || text.includes('"""') || text.includes("'''")) || SELF_READING_PYTHON.test(text)) return text;
  let out = '';
  let i = 0;
  let lineStart = true;
  let depth = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const prefix = /[rRbBuUfF]{1,2}$/.exec(out)?.[0] ?? '';
      const end = stringEnd(text, i);
      // A statement that is only a string literal: a docstring or a bare string, which runs nothing.
      const standalone = lineStart && depth === 0 && /^[ \t]*(?:#[^\n]*)?(?:\n|$)/.test(text.slice(end, end + 200));
      if (standalone) {
        out = out.slice(0, out.length - prefix.length);
      } else {
        out += text.slice(i, end);
      }
      i = end;
      lineStart = false;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    if (ch === '\n') lineStart = depth === 0 && !out.endsWith('\\');
    else if (!/[ \t\rrRbBuUfF]/.test(ch)) lineStart = false;
    out += ch;
    i++;
  }
  return out;
}

/** Index just past the string literal opening at `start` (single, double or triple quoted). */
function stringEnd(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let i = start + closing.length;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (!triple && ch === '\n') return i;
    if (text.startsWith(closing, i)) return i + closing.length;
    i++;
  }
  return text.length;
}

/**
 * A Jupyter notebook's code: its code cells (Python, `!` shell lines and `%%bash` cells included),
 * without markdown and raw cells, which never run. Undefined when the text is no notebook.
 * https://nbformat.readthedocs.io/en/latest/format_description.html
 */
export function notebookCode(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') || !text.includes('"cells"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.cells) || typeof parsed.nbformat !== 'number') return undefined;
  const code: string[] = [];
  for (const cell of parsed.cells) {
    if (!isRecord(cell) || cell.cell_type !== 'code') continue;
    const source = Array.isArray(cell.source) ? cell.source.filter((s) => typeof s === 'string').join('') : typeof cell.source === 'string' ? cell.source : '';
    code.push(source);
  }
  return code.join('\n');
}

/**
 * A detection-rule file: Falco rules (`- rule:` with `condition`, `- list:` with `items`,
 * `- macro:`) or Sigma rules (`detection` and `logsource`). They list pool domains and miner names
 * to catch them, and run nothing.
 * https://falco.org/docs/concepts/rules/basic-elements/
 * https://sigmahq.io/docs/basics/rules.html
 */
export function isDetectionRuleText(text: string): boolean {
  if (!/(?:^|\n)[ \t]*(?:-[ \t]*)?(?:rule|list|macro|detection|logsource)[ \t]*:/.test(text)) return false;
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch {
    return false;
  }
  const items = documents.flatMap((d) => (Array.isArray(d) ? d : [d])).filter((d) => d !== null && d !== undefined);
  if (items.length === 0) return false;
  return items.every((item) => isRecord(item) && (isFalcoElement(item) || isSigmaRule(item)));
}

const FALCO_KEYS = ['rule', 'list', 'macro', 'required_engine_version', 'required_plugin_versions'];

function isFalcoElement(item: Readonly<Record<string, unknown>>): boolean {
  if (!FALCO_KEYS.some((key) => key in item)) return false;
  if ('rule' in item) return 'condition' in item || 'enabled' in item || 'exceptions' in item || 'override' in item || 'append' in item;
  if ('list' in item) return 'items' in item;
  if ('macro' in item) return 'condition' in item;
  return true;
}

function isSigmaRule(item: Readonly<Record<string, unknown>>): boolean {
  return isRecord(item.detection) && isRecord(item.logsource);
}
