/**
 * Backslash escapes as bash reads them in `$'…'` (ANSI-C quoting) and as `printf` and `echo -e`
 * print them: `\x78`, `\170` / `\0170`, `\u0078`, `\U00000078`, `\n`, `\e` … Unknown escapes
 * stay as written, as bash leaves them.
 */

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

export interface Interpreted {
  readonly text: string;
  /** True when a numeric escape (hex, octal, Unicode) was decoded: the text was hidden, not just formatted. */
  readonly changed: boolean;
}

export function interpretEscapes(text: string): Interpreted {
  if (!text.includes('\\')) return { text, changed: false };
  let out = '';
  let changed = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1] as string;
    const numeric = numericEscape(text, i + 1);
    if (numeric) {
      out += numeric.value;
      changed = true;
      i = numeric.end;
    } else if (next in SIMPLE) {
      out += SIMPLE[next];
      i += 2;
    } else {
      out += c + next;
      i += 2;
    }
  }
  return { text: out, changed };
}

/** `x78`, `170`, `0170`, `u0078`, `U00000078` after a backslash at `at`. */
function numericEscape(text: string, at: number): { value: string; end: number } | undefined {
  const kind = text[at];
  if (kind === 'x') {
    const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(at + 1, at + 3))?.[0];
    return hex ? { value: String.fromCharCode(parseInt(hex, 16)), end: at + 1 + hex.length } : undefined;
  }
  if (kind === 'u' || kind === 'U') {
    const hex = /^[0-9A-Fa-f]+/.exec(text.slice(at + 1, at + 1 + (kind === 'u' ? 4 : 8)))?.[0];
    const code = hex ? parseInt(hex, 16) : NaN;
    return hex && code <= 0x10ffff ? { value: String.fromCodePoint(code), end: at + 1 + hex.length } : undefined;
  }
  if (kind !== undefined && /[0-7]/.test(kind)) {
    // `\0NNN` (echo -e, printf %b) and `\NNN` (printf format, $'…') both mean the octal byte.
    const start = kind === '0' && /[0-7]/.test(text[at + 1] ?? '') ? at + 1 : at;
    const octal = /^[0-7]{1,3}/.exec(text.slice(start, start + 3))?.[0] as string;
    return { value: String.fromCharCode(parseInt(octal, 8) & 0xff), end: start + octal.length };
  }
  return undefined;
}

const ANSI_C = /\$'((?:[^'\\]|\\[\s\S])*)'/g;

/**
 * The script with each `$'…'` replaced by a single-quoted word holding what bash decodes it to,
 * so `$'\x78mrig' -o …` reads as `'xmrig' -o …`. Undefined when no `$'…'` hides anything.
 */
export function decodeAnsiCQuoting(script: string): string | undefined {
  if (!script.includes("$'")) return undefined;
  let changed = false;
  const out = script.replace(ANSI_C, (whole, body: string) => {
    const decoded = interpretEscapes(body);
    if (!decoded.changed) return whole;
    changed = true;
    return `'${decoded.text.replace(/'/g, `'\\''`)}'`;
  });
  return changed ? out : undefined;
}
