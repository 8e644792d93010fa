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

/** Every command a Python text visibly runs, in order; string arguments only (variables are not followed). */
export function pythonCommands(text: string): PythonCommand[] {
  if (!/os\.|subprocess|pty\.|exec|spawn|system|passthru|proc_open/.test(text)) return [];
  const found: PythonCommand[] = [];
  for (const match of text.matchAll(CALL)) {
    if (found.length >= MAX_CALLS) break;
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
  return found;
}

/** The string literals of a `[…]` or `(…)` list starting at `from`, up to its first non-literal item. */
function literalList(text: string, from: number): string[] {
  const items: string[] = [];
  let i = from;
  for (;;) {
    while (/[\s,]/.test(text[i] ?? '')) i++;
    if (text[i] === ']' || text[i] === ')' || i >= text.length) return items;
    const literal = stringAt(text, i);
    if (literal === undefined) return items;
    items.push(literal);
    i = STRING_LITERAL.lastIndex;
  }
}

function stringAt(text: string, at: number): string | undefined {
  STRING_LITERAL.lastIndex = at;
  const match = STRING_LITERAL.exec(text);
  if (!match?.[1]) return undefined;
  const quoted = match[1];
  const body = quoted.startsWith('"""') || quoted.startsWith("'''") ? quoted.slice(3, -3) : quoted.slice(1, -1);
  return body.replace(/\\(["'\\])/g, '$1');
}
