import { asArray, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import { RecentCache } from '../core/recent-cache.js';

/** One word a container will be started with, and the manifest field it came from. */
export interface CommandWord {
  readonly word: string;
  readonly path: string;
}

export interface FlagUse {
  readonly flag: string;
  /** Undefined for a bare boolean flag. Surrounding quotes are removed: `''` reads as empty. */
  readonly value: string | undefined;
  readonly path: string;
  /** The words as written, for evidence. */
  readonly written: string;
}

/** Per container record: its words, and the arrays and path they were computed from. */
interface CachedWords {
  readonly command: unknown;
  readonly args: unknown;
  readonly path: string;
  readonly words: readonly CommandWord[];
}
/**
 * The engine runs every rule on one object before the next, so the containers asked about are the
 * last few: a small cache gets the hits without holding the words of every container of the scan
 * (a cache over all of them cost 60 MB of peak RSS on 20,000 pipeline pods). A ring, not a Map:
 * see `RecentCache`.
 */
const wordsCache = new RecentCache<JsonRecord, CachedWords>(32);

/**
 * The words of `command` then `args`. Strings with spaces are split shell-style, because
 * `sh -c "jupyter lab --NotebookApp.token=''"` and env-var argument lists both hide flags in one string.
 *
 * Five rules (Argo server, tracking servers, Jupyter, Ray, the Kubernetes dashboard) ask this of
 * every container, and a pipeline pod's `sh -c` script is long, so the words are computed once per
 * container record. The entry is keyed by the record and checked against its `command` and `args`
 * arrays and the path, so a record given new arrays (or asked about under another path) is split again.
 */
export function commandWords(container: JsonRecord, containerPath: string): readonly CommandWord[] {
  const cached = wordsCache.get(container);
  if (cached && cached.command === container.command && cached.args === container.args && cached.path === containerPath) return cached.words;
  const words: CommandWord[] = [];
  for (const field of ['command', 'args'] as const) {
    asArray(container[field]).forEach((raw, i) => {
      if (typeof raw !== 'string') return;
      const path = joinPath(containerPath, field, i);
      // An empty argv element is an empty word (`["--NotebookApp.token", ""]`), not nothing.
      if (raw === '') words.push({ word: "''", path });
      for (const word of splitWords(raw)) words.push({ word, path });
    });
  }
  wordsCache.set(container, { command: container.command, args: container.args, path: containerPath, words });
  return words;
}

const MENTIONED_FIELDS = ['command', 'args'] as const;

/**
 * Whether any `command` or `args` string contains one of the needles. Every word `commandWords`
 * returns is a substring of one of those strings, so a rule looking for a word or flag can ask this
 * first and skip splitting containers that cannot match (nearly all of them: a pipeline pod's
 * `sh -c` script names no Jupyter, MLflow or Ray flag).
 */
export function mentions(container: JsonRecord, needles: readonly string[]): boolean {
  // Plain loops: this runs for every container under several rules, and a closure per element showed in allocation profiles.
  for (const field of MENTIONED_FIELDS) {
    for (const raw of asArray(container[field])) {
      if (typeof raw !== 'string') continue;
      for (const needle of needles) if (raw.includes(needle)) return true;
    }
  }
  return false;
}

/** `\s` as JavaScript regexps define it; ASCII is decided by code, the rest by the regexp. */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(String.fromCharCode(code));
}

/**
 * Shell-like word splitting: whitespace separates words, quotes group them and are kept around
 * values only so that `--token=''` stays distinguishable from `--token`.
 *
 * Words are sliced from the text rather than built a character at a time: pipeline steps carry
 * long `sh -c` scripts, and per-character concatenation and regexp tests made this a top entry
 * in the pod-heavy profile. (Surrogate pairs are never whitespace or quotes, so scanning UTF-16
 * code units splits exactly where scanning code points did.)
 */
export function splitWords(text: string): string[] {
  // Words are slices of the text (quotes included), never built a character at a time: a 1 MB
  // argument concatenated char by char spent most of a second in the garbage collector.
  const words: string[] = [];
  let start = -1;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
      if (start === -1) start = i;
    } else if (isSpace(code)) {
      if (start !== -1) pushWord(words, text.slice(start, i));
      start = -1;
    } else if (start === -1) {
      start = i;
    }
  }
  if (start !== -1) pushWord(words, text.slice(start));
  return words;
}

/** `a;b` and `a&&b` are separate commands even when written without spaces. */
function pushWord(words: string[], word: string): void {
  if (word.includes(';') || word.includes('&&')) {
    for (const part of word.split(/;|&&/)) if (part) words.push(part);
  } else {
    words.push(word);
  }
}

/** Removes one pair of matching surrounding quotes, as shells and traitlets both do. */
export function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

/**
 * Every use of the named flags, in `--flag=value`, `--flag value` and single-dash forms (Go's flag
 * package takes both). `valueExpected` says whether the next word is the flag's value.
 */
export function findFlags(words: readonly CommandWord[], names: readonly string[], valueExpected = true): FlagUse[] {
  const uses: FlagUse[] = [];
  words.forEach(({ word, path }, i) => {
    const stripped = unquote(word);
    const dashes = stripped.startsWith('--') ? 2 : stripped.startsWith('-') ? 1 : 0;
    if (dashes === 0) return;
    const body = stripped.slice(dashes);
    const eq = body.indexOf('=');
    const flag = eq === -1 ? body : body.slice(0, eq);
    if (!names.includes(flag)) return;
    if (eq !== -1) {
      uses.push({ flag, value: unquote(body.slice(eq + 1)), path, written: stripped });
      return;
    }
    const next = words[i + 1];
    if (valueExpected && next && !next.word.startsWith('-')) {
      uses.push({ flag, value: unquote(next.word), path: next.path, written: `${stripped} ${next.word}` });
    } else {
      uses.push({ flag, value: undefined, path, written: stripped });
    }
  });
  return uses;
}

/** A boolean flag is on when given bare or with a true value (`--enable-skip-login=true`). */
export function isEnabled(use: FlagUse): boolean {
  return use.value === undefined || ['true', '1', 't', 'yes'].includes(use.value.toLowerCase());
}
