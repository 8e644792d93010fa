import { asArray, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';

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

/**
 * The words of `command` then `args`. Strings with spaces are split shell-style, because
 * `sh -c "jupyter lab --NotebookApp.token=''"` and env-var argument lists both hide flags in one string.
 */
export function commandWords(container: JsonRecord, containerPath: string): CommandWord[] {
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
  return words;
}

const WHITESPACE = /\s/;

/**
 * Shell-like word splitting: whitespace separates words, quotes group them and are kept around
 * values only so that `--token=''` stays distinguishable from `--token`.
 */
export function splitWords(text: string): string[] {
  // Words are slices of the text (quotes included), never built a character at a time: a 1 MB
  // argument concatenated char by char spent most of a second in the garbage collector.
  const words: string[] = [];
  let start = -1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      if (start === -1) start = i;
    } else if (WHITESPACE.test(ch)) {
      if (start !== -1) words.push(text.slice(start, i));
      start = -1;
    } else if (start === -1) {
      start = i;
    }
  }
  if (start !== -1) words.push(text.slice(start));
  return words.flatMap((word) => (word.includes(';') || word.includes('&&') ? word.split(/;|&&/).filter(Boolean) : [word]));
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
