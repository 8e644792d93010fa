/**
 * Python that decodes into a variable and then runs it: `s = base64.b64decode('…'); exec(s)`,
 * `a = '…'; b = '…'; exec(codecs.decode(a + b, 'rot13'))`, `p = x.decode(); exec(p[::-1])`.
 * The argument of each `exec`/`eval`/`compile` gets the simple assignments made before it put in
 * place of the names (as parenthesised expressions), so the literal-only evaluator of
 * python-expr.ts can read it. Only `NAME = expression` on a line of its own is taken; the last
 * assignment before the call wins, as it would when the script runs top to bottom.
 */

export interface SubstitutedCall {
  /** `exec((base64.b64decode('…')))`: the call with its variables replaced. */
  readonly text: string;
  /** The names that were replaced, for evidence. */
  readonly names: readonly string[];
}

const ASSIGNMENT = /^[ \t]*([A-Za-z_]\w*)[ \t]*=(?!=)[ \t]*([^\n]+?)[ \t]*;?[ \t]*$/gm;
const CALL = /\b(exec|eval|compile)[ \t]*\(/g;
const NAME_OR_STRING = /('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|(?<![\w.])[A-Za-z_]\w*(?![\w'"(])/g;
const MAX_ASSIGNMENTS = 4096;
const MAX_ROUNDS = 4;
const MAX_CALL_CHARS = 64 * 1024;

/** Undefined-free: the calls whose argument names an earlier assignment, rewritten; at most `maxChars` each. */
export function substitutedExecCalls(text: string, maxChars: number): { readonly calls: SubstitutedCall[]; readonly exhausted: boolean } {
  if (!/\b(?:exec|eval|compile)\b/.test(text) || !text.includes('=')) return { calls: [], exhausted: false };
  // Past a cap the caller reports the cut: decoy assignments or padding must not hide a payload silently.
  let exhausted = false;
  const assignments: { name: string; value: string; at: number }[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    // Statements split by `;` on one line: `s = b64decode('…'); exec(s)`.
    const parts = splitStatements(`${m[1]} = ${m[2]}`);
    let offset = m.index ?? 0;
    for (const part of parts) {
      const assignment = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(part.trim());
      if (assignment) assignments.push({ name: assignment[1] as string, value: (assignment[2] as string).trim(), at: offset });
      offset += part.length + 1;
    }
    if (assignments.length > MAX_ASSIGNMENTS) {
      exhausted = true;
      break;
    }
  }
  if (assignments.length === 0) return { calls: [], exhausted };
  const calls: SubstitutedCall[] = [];
  for (const m of text.matchAll(CALL)) {
    const at = m.index ?? 0;
    const end = closingParen(text, at + m[0].length - 1);
    if (end === undefined) continue;
    const known = new Map<string, string>();
    for (const a of assignments) if (a.at < at) known.set(a.name, a.value);
    const names = new Set<string>();
    let call = text.slice(at, end + 1);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // String literals are kept whole: a word inside one is text, not a name.
      const next = call.replace(NAME_OR_STRING, (whole: string, literal?: string) => {
        if (literal !== undefined) return whole;
        const name = whole;
        const value = known.get(name);
        if (value === undefined) return name;
        names.add(name);
        return `(${value})`;
      });
      if (next === call) break;
      if (next.length > Math.min(maxChars, MAX_CALL_CHARS)) {
        exhausted = true;
        break;
      }
      call = next;
    }
    if (names.size > 0) calls.push({ text: call, names: [...names] });
  }
  return { calls, exhausted };
}

/** `a = 1; b = 2` → two statements; a `;` inside quotes or brackets is not a separator. */
function splitStatements(line: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let last = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ';' && depth === 0) {
      parts.push(line.slice(last, i));
      last = i + 1;
    }
  }
  parts.push(line.slice(last));
  return parts;
}

/** The index of the `)` closing the `(` at `open`, skipping quoted text; undefined if none within reach. */
function closingParen(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  const limit = Math.min(text.length, open + MAX_CALL_CHARS);
  for (let i = open; i < limit; i++) {
    const ch = text[i] as string;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return undefined;
}
