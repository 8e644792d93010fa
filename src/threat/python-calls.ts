/**
 * Commands that code runs: Python `os.system("…")`, `os.popen("…")`, `subprocess.run("…", shell=True)`
 * and `subprocess.Popen(["/tmp/x", "-o", "…"])`, and the same in the one-liners of other languages
 * (`node -e`, `ruby -e`, `php -r`): `child_process.exec`/`execSync`/`spawn`, Ruby `system`/`spawn`,
 * PHP `shell_exec`/`system`/`passthru`. KFP v2 components, Argo scripts and notebooks are Python,
 * so a miner started from them is a string literal inside one of these calls.
 */

export type PythonCommand = { readonly script: string } | { readonly argv: readonly string[] };

const CALL =
  /\b(?:os\.(?:system|popen|exec\w*|spawn\w*)|subprocess\.(?:run|call|Popen|check_call|check_output|getoutput|getstatusoutput)|pty\.spawn|(?:child_process\.|cp\.)?(?:execSync|execFileSync|execFile|spawnSync|spawn|exec)|Kernel\.(?:system|spawn|exec)|shell_exec|passthru|proc_open|system)\s*\(/g;
const STRING_LITERAL = /[rbuf]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/y;
const MAX_CALLS = 64;

/**
 * Every command a Python text visibly runs, in order; string arguments only (variables are not
 * followed). `exhausted` when calls past the cap were left unread: decoys ahead of the miner's
 * call must not hide it silently.
 */
export function pythonCommands(text: string): { readonly commands: PythonCommand[]; readonly exhausted: boolean } {
  if (!/os\.|subprocess|pty\.|exec|spawn|system|passthru|proc_open/.test(text)) return { commands: [], exhausted: false };
  const found: PythonCommand[] = [];
  for (const match of text.matchAll(CALL)) {
    if (found.length >= MAX_CALLS) return { commands: found, exhausted: true };
    const open = (match.index ?? 0) + match[0].length;
    const rest = text.slice(open).trimStart();
    const start = open + (text.length - open - rest.length);
    if (rest.startsWith('[') || rest.startsWith('(')) {
      const argv = literalList(text, start + 1);
      if (argv.length > 0) found.push({ argv });
    } else {
      const literal = stringAt(text, start);
      if (literal !== undefined) found.push({ script: literal });
    }
  }
  return { commands: found, exhausted: false };
}

/**
 * The items of a `[…]` or `(…)` list starting at `from`: string literals as they are, any other
 * expression (`'/tmp/' + name`, `pool`) as one word that names nothing, so the literal flags and
 * values around it (`-u`, `'<wallet>'`) keep their places. None when no item is a literal.
 */
function literalList(text: string, from: number): string[] {
  const items: string[] = [];
  let literals = 0;
  let i = from;
  for (;;) {
    while (/[\s,]/.test(text[i] ?? '')) i++;
    if (text[i] === ']' || text[i] === ')' || i >= text.length) return literals > 0 ? items : [];
    const literal = stringAt(text, i);
    const end = literal === undefined ? expressionEnd(text, i) : STRING_LITERAL.lastIndex;
    if (end === undefined) return literals > 0 ? items : [];
    // A literal followed by more expression (`'/tmp/' + name`) is an expression too.
    const whole = literal !== undefined && /^\s*(?:[,\])]|$)/.test(text.slice(end, end + 2));
    if (literal !== undefined && whole) {
      items.push(literal);
      literals++;
      i = end;
    } else {
      items.push(EXPRESSION_WORD);
      const exprEnd = literal === undefined ? end : expressionEnd(text, i);
      if (exprEnd === undefined) return literals > 0 ? items : [];
      i = exprEnd;
    }
  }
}

/** Stands for an item computed at run time: no binary, flag or value has this name. */
const EXPRESSION_WORD = '«expression»';
/** A list item longer than this is not followed (nor is the list after it). */
const MAX_EXPRESSION_CHARS = 2000;

/** Where the expression at `from` ends: the next `,`, `]` or `)` outside brackets and strings. */
function expressionEnd(text: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length && i - from < MAX_EXPRESSION_CHARS; ) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      if (stringAt(text, i) === undefined) return undefined;
      i = STRING_LITERAL.lastIndex;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
    i++;
  }
  return undefined;
}

function stringAt(text: string, at: number): string | undefined {
  STRING_LITERAL.lastIndex = at;
  const match = STRING_LITERAL.exec(text);
  if (!match?.[1]) return undefined;
  const quoted = match[1];
  const body = quoted.startsWith('"""') || quoted.startsWith("'''") ? quoted.slice(3, -3) : quoted.slice(1, -1);
  return body.replace(/\\(["'\\])/g, '$1');
}
