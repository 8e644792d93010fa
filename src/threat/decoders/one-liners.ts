/**
 * Text that perl and awk one-liners build from numbers or backwards strings: perl `reverse "…"`, `pack("H*", "786d…")`,
 * `pack("C*", 120, 109, …)`, and awk (or perl) `printf "%c%c", 120, 109` / `sprintf("%c", 120)`.
 * Only literal arguments are read; the program is never run.
 */

export interface OneLinerDecoded {
  readonly text: string;
  readonly step: string;
  readonly source: string;
  /** The one-liner built more text than is decoded (`MAX_OUTPUT`); what follows was not read. */
  readonly truncated?: boolean;
}

const PACK = /\bpack\s*\(?\s*(["'])([HhCcUuW])\*?\1\s*,\s*([^)\n;]{1,65536})/g;
const PRINTF = /\b(s?printf)\s*\(?\s*"([^"\n]{0,4096})"((?:\s*,\s*[^,;)}\n]{1,32}){0,4096})/g;
const MAX_OUTPUT = 256 * 1024;
/** perl `reverse("…")`, `scalar reverse '…'`, `reverse q(…)`: a string written backwards. */
const REVERSE = /\breverse\s*\(?\s*(?:"([^"\n]{6,65536})"|'([^'\n]{6,65536})'|qq?\s*(?:\(([^()\n]{6,65536})\)|\{([^{}\n]{6,65536})\}|\[([^[\]\n]{6,65536})\]|([/|!#])([^\n]{6,65536}?)\6))/g;

export function oneLinerDecoded(text: string): OneLinerDecoded[] {
  const found: OneLinerDecoded[] = [];
  if (text.includes('pack')) {
    for (const match of text.matchAll(PACK)) {
      const decoded = unpackArguments(match[2] as string, match[3] as string);
      if (decoded !== undefined && decoded.length >= 6) found.push({ text: decoded, step: `perl pack("${match[2]}*")`, source: match[0], ...(decoded.length > MAX_OUTPUT ? { truncated: true } : {}) });
    }
  }
  if (text.includes('reverse')) {
    for (const match of text.matchAll(REVERSE)) {
      const literal = match.slice(1, 6).find((g) => g !== undefined) ?? match[7];
      if (literal !== undefined) found.push({ text: [...literal].reverse().join(''), step: 'perl reverse', source: match[0] });
    }
  }
  if (text.includes('%c')) {
    const decoded = printfCharacters(text);
    if (decoded) found.push(decoded);
  }
  return found;
}

function unpackArguments(template: string, args: string): string | undefined {
  if (template === 'H' || template === 'h') {
    const hex = [...args.matchAll(/(["'])([0-9A-Fa-f\s]*)\1/g)].map((m) => (m[2] as string).replace(/\s+/g, '')).join('');
    if (hex.length < 2) return undefined;
    const even = hex.length % 2 === 0 ? hex : hex.slice(0, -1);
    // `h*` puts the low nybble first.
    const ordered = template === 'h' ? even.replace(/(.)(.)/g, '$2$1') : even;
    return Buffer.from(ordered, 'hex').toString('latin1');
  }
  const numbers = numbersOf(args);
  if (numbers.length === 0) return undefined;
  return numbers.map((n) => String.fromCodePoint(template === 'U' || template === 'W' ? n : n & 0xff)).join('');
}

/** Numbers in a list: decimal, `0x` hex and `0` octal, as perl and awk read literals. */
function numbersOf(list: string): number[] {
  const numbers: number[] = [];
  for (const m of list.matchAll(/\b(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)\b/g)) {
    const literal = m[1] as string;
    const value = /^0[xX]/.test(literal) ? parseInt(literal, 16) : literal.length > 1 && literal.startsWith('0') ? parseInt(literal, 8) : Number(literal);
    if (value > 0x10ffff) return [];
    numbers.push(value);
    if (numbers.length > MAX_OUTPUT) break;
  }
  return numbers;
}

/** Every `printf`/`sprintf` with `%c` in the text, rendered in order and joined: one hidden string. */
function printfCharacters(text: string): OneLinerDecoded | undefined {
  let out = '';
  let characters = 0;
  let source = '';
  let truncated = false;
  for (const match of text.matchAll(PRINTF)) {
    const format = match[2] as string;
    if (!format.includes('%')) continue;
    const args = (match[3] as string)
      .split(',')
      .slice(1)
      .map((a) => a.trim());
    let next = 0;
    const rendered = format.replace(/%([csd%])/g, (whole, conversion: string) => {
      if (conversion === '%') return '%';
      const arg = args[next++];
      if (arg === undefined) return '';
      if (conversion === 'c') {
        const code = numbersOf(arg)[0];
        if (code === undefined) return /^"(.)/.exec(arg)?.[1] ?? '';
        characters++;
        return String.fromCodePoint(code);
      }
      return /^"(.*)"$/.exec(arg)?.[1] ?? arg;
    });
    out += rendered.replace(/\\n/g, '\n');
    source ||= match[0];
    if (out.length > MAX_OUTPUT) {
      truncated = true;
      break;
    }
  }
  return characters >= 4 && out.length >= 6 ? { text: out, step: 'printf("%c")', source, ...(truncated ? { truncated } : {}) } : undefined;
}
