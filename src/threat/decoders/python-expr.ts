import { readableText } from '../decode.js';
import { compressionOf, decodeBase32, decodeBase64, decodeHex, inflate, rot13 } from './codecs.js';

/**
 * Python expressions that build a string droppers then `exec`: `'…'[::-1]`, `''.join(chr(c) for c
 * in […])`, `bytes([…]).decode()`, `bytes.fromhex('…')`, `codecs.decode('…', 'rot13')`,
 * `base64.b64decode(…)`, `zlib.decompress(…)`, in any composition. A small evaluator of that
 * literal-only subset of Python: no variable of the program is read, nothing is executed.
 */

export interface PythonDecoded {
  readonly text: string;
  /** The transforms in the order they were applied: `base64`, `[::-1]`, `rot13`. */
  readonly steps: readonly string[];
  /** The source of the expression, for evidence. */
  readonly source: string;
}

type Value =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Buffer }
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'list'; readonly v: readonly Value[] }
  | { readonly t: 'ref'; readonly v: string }
  | { readonly t: 'method'; readonly self: Value; readonly v: string };

type Node =
  | { readonly t: 'lit'; readonly v: Value }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'attr'; readonly obj: Node; readonly name: string }
  | { readonly t: 'call'; readonly fn: Node; readonly args: readonly Node[] }
  | { readonly t: 'reverse'; readonly obj: Node }
  | { readonly t: 'bin'; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly t: 'list'; readonly items: readonly Node[] }
  | { readonly t: 'comp'; readonly elt: Node; readonly variable: string; readonly iter: Node };

type Token = { k: 'str'; v: string; bytes: boolean } | { k: 'num'; v: number } | { k: 'name'; v: string } | { k: 'op'; v: string } | { k: 'end' };

/** Words whose presence makes a text worth evaluating; most Python has none. */
const MARKERS = /\[::-1\]|\bchr\s*\(|\bmap\s*\(\s*chr\b|\b(?:bytes|bytearray)(?:\.fromhex)?\s*\(|\bcodecs\.|\bb(?:64|32|16)decode\s*\(|\bunhexlify\s*\(|\ba2b_\w+\s*\(|\bdecompress\s*\(|\breversed\s*\(/g;
/** Where an expression may start: after an opening bracket, `=`, `,`, `return`, or at a line start. */
const STARTS = /(?:^|[(=,:\n;[]|\breturn\b|\bexec\b|\beval\b)[ \t]*/gm;
const MARKER_REACH = 2_048;
const MAX_EXPRESSION_CHARS = 64 * 1024;
const MAX_ITEMS = 65_536;
const MAX_NESTING = 64;

export interface PythonDecodeResult {
  readonly decoded: PythonDecoded[];
  /** True when the tokens read reached their cap (a text built to make every start re-read it). */
  readonly exhausted: boolean;
}

/**
 * Each outermost decodable expression of `text` whose value is text, with its steps. Work is
 * linear: candidates start only shortly before a marker, and an expression evaluated once is not
 * started again from inside.
 */
export function pythonDecodedExpressions(source: string, maxOutput: number): PythonDecodeResult {
  const text = source.includes(' for ') ? withChrGeneratorsAsMaps(source) : source;
  const markers = [...text.matchAll(MARKERS)].map((m) => m.index ?? 0);
  if (markers.length === 0) return { decoded: [], exhausted: false };
  const found: PythonDecoded[] = [];
  const work = { tokens: 0, max: 8 * text.length + 100_000 };
  let covered = -1;
  let nextMarker = 0;
  for (const start of text.matchAll(STARTS)) {
    const at = (start.index ?? 0) + start[0].length;
    if (at <= covered) continue;
    while (nextMarker < markers.length && (markers[nextMarker] as number) < at) nextMarker++;
    const marker = markers[nextMarker];
    if (marker === undefined) break;
    if (marker - at > MARKER_REACH) continue;
    if (work.tokens > work.max) return { decoded: found, exhausted: true };
    const parser = new Parser(text, at, Math.min(text.length, at + MAX_EXPRESSION_CHARS), work);
    const node = parser.expression();
    if (!node || parser.pos <= marker) continue;
    const steps: string[] = [];
    const value = evaluate(node, steps, new Map(), { left: maxOutput });
    if (!value || steps.length === 0) continue;
    // Binary results (an inner layer still compressed) are not text a program runs.
    // A name spelled out in chr() codes (`xmrig`) is short but deliberate, unlike a short run of base64 noise.
    const spelled = value.t === 'str' && steps.includes('chr()') && /^[\x21-\x7e]{3,5}$/.test(value.v) ? value.v : undefined;
    const textValue = spelled ?? (value.t === 'str' || value.t === 'bytes' ? readableText(value.t === 'str' ? Buffer.from(value.v, 'utf8') : value.v) : undefined);
    if (textValue === undefined) continue;
    covered = parser.pos;
    found.push({ text: textValue, steps: [...new Set(steps)], source: text.slice(at, parser.pos) });
  }
  return { decoded: found, exhausted: false };
}

/** `chr(c) for c in [120, 109]`: a generator of characters from a literal list of codes. */
const CHR_GENERATOR = /\bchr\(\s*([A-Za-z_]\w*)\s*\)\s+for\s+([A-Za-z_]\w*)\s+in\s+(\[[\d\s,]{0,20000}\]|\([\d\s,]{0,20000}\))/g;

/**
 * The generator form `''.join(chr(c) for c in [...])` builds the same string as
 * `''.join(map(chr, [...]))`, which the evaluator knows; it is rewritten to that form first (the
 * evidence then quotes the `map` form).
 */
function withChrGeneratorsAsMaps(text: string): string {
  return text.replace(CHR_GENERATOR, (whole, name: string, loopName: string, list: string) => (name === loopName ? `map(chr, ${list})` : whole));
}

class Parser {
  pos: number;
  private token: Token;
  private tokenEnd: number;
  private nesting = 0;
  /** The current token; a call, so checks before `advance()` do not narrow it for the checks after. */
  private cur(): Token {
    return this.token;
  }

  private op(value: string): boolean {
    const token = this.token;
    return token.k === 'op' && token.v === value;
  }

  private opValue(): string | undefined {
    const token = this.token;
    return token.k === 'op' ? token.v : undefined;
  }

  private word(): string | undefined {
    const token = this.token;
    return token.k === 'name' ? token.v : undefined;
  }
  constructor(
    private readonly text: string,
    start: number,
    private readonly limit: number,
    private readonly work: { tokens: number; readonly max: number },
  ) {
    this.pos = start;
    this.tokenEnd = start;
    this.token = { k: 'end' };
    this.advance();
  }

  expression(): Node | undefined {
    let left = this.term();
    while (left && ['+', '-', '^'].includes(this.opValue() ?? '')) {
      const op = this.opValue() as string;
      this.advance();
      const right = this.term();
      if (!right) return undefined;
      left = { t: 'bin', op, l: left, r: right };
    }
    return left;
  }

  private term(): Node | undefined {
    let node = this.primary();
    while (node && this.opValue() !== undefined) {
      if (this.op('.')) {
        this.advance();
        const attribute = this.word();
        if (attribute === undefined) return undefined;
        node = { t: 'attr', obj: node, name: attribute };
        this.advance();
      } else if (this.op('(')) {
        this.advance();
        const args = this.items(')');
        if (!args) return undefined;
        node = { t: 'call', fn: node, args };
      } else if (this.op('[') && this.text.startsWith('::-1]', this.tokenEnd)) {
        this.tokenEnd += 5;
        this.advance();
        node = { t: 'reverse', obj: node };
      } else break;
    }
    return node;
  }

  private primary(): Node | undefined {
    const token = this.cur();
    if (this.nesting > MAX_NESTING) return undefined;
    if (token.k === 'str') {
      this.advance();
      let value = token.v;
      // Adjacent literals concatenate: `'xm' 'rig'`.
      for (let next = this.cur(); next.k === 'str' && next.bytes === token.bytes; next = this.cur()) {
        value += next.v;
        this.advance();
      }
      return { t: 'lit', v: token.bytes ? { t: 'bytes', v: Buffer.from(value, 'latin1') } : { t: 'str', v: value } };
    }
    if (token.k === 'num') {
      this.advance();
      return { t: 'lit', v: { t: 'int', v: token.v } };
    }
    if (token.k === 'op' && token.v === '-') {
      this.advance();
      const number = this.cur();
      if (number.k !== 'num') return undefined;
      this.advance();
      return { t: 'lit', v: { t: 'int', v: -number.v } };
    }
    if (token.k === 'name') {
      this.advance();
      return { t: 'name', v: token.v };
    }
    if (token.k === 'op' && (token.v === '[' || token.v === '(')) {
      this.advance();
      const items = this.items(token.v === '[' ? ']' : ')');
      if (!items) return undefined;
      return token.v === '(' && items.length === 1 ? items[0] : { t: 'list', items };
    }
    return undefined;
  }

  /** Comma-separated expressions up to `close`; a single `elt for x in iter` is a comprehension. */
  private items(close: string): Node[] | undefined {
    this.nesting++;
    try {
      return this.itemsUntil(close);
    } finally {
      this.nesting--;
    }
  }

  private itemsUntil(close: string): Node[] | undefined {
    const items: Node[] = [];
    while (!this.op(close)) {
      if (this.cur().k === 'end' || items.length > MAX_ITEMS) return undefined;
      // `errors='ignore'`, `casefold=True`: keyword arguments are skipped by name.
      if (this.cur().k === 'name' && this.text[this.tokenEnd] === '=' && this.text[this.tokenEnd + 1] !== '=') {
        this.tokenEnd += 1;
        this.advance();
        if (!this.expression()) return undefined;
      } else {
        const item = this.expression();
        if (!item) return undefined;
        if (this.word() === 'for') {
          this.advance();
          const variable = this.word();
          if (variable === undefined) return undefined;
          this.advance();
          if (this.word() !== 'in') return undefined;
          this.advance();
          const iter = this.expression();
          if (!iter) return undefined;
          items.push({ t: 'comp', elt: item, variable, iter });
        } else items.push(item);
      }
      if (this.op(',')) this.advance();
      else if (!this.op(close)) return undefined;
    }
    this.advance();
    return items;
  }

  private advance(): void {
    this.pos = this.tokenEnd;
    if (++this.work.tokens > this.work.max) {
      this.token = { k: 'end' };
      return;
    }
    const { text } = this;
    let i = this.tokenEnd;
    while (i < this.limit && /[ \t\r\n\\]/.test(text[i] as string)) i++;
    if (i >= this.limit) {
      this.token = { k: 'end' };
      this.tokenEnd = i;
      return;
    }
    const rest = text.slice(i, Math.min(this.limit, i + 8));
    const literal = /^([rRbBuU]{0,2})(['"])/.exec(rest);
    if (literal) {
      const read = readString(text, i + (literal[1] as string).length, this.limit, /r/i.test(literal[1] as string));
      if (!read) {
        this.token = { k: 'end' };
        return;
      }
      this.token = { k: 'str', v: read.value, bytes: /b/i.test(literal[1] as string) };
      this.tokenEnd = read.end;
      return;
    }
    const number = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)/.exec(text.slice(i, Math.min(this.limit, i + 40)));
    if (number) {
      this.token = { k: 'num', v: Number(number[0].replace(/_/g, '')) };
      this.tokenEnd = i + number[0].length;
      return;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, Math.min(this.limit, i + 64)));
    if (name) {
      this.token = { k: 'name', v: name[0] };
      this.tokenEnd = i + name[0].length;
      return;
    }
    this.token = { k: 'op', v: text[i] as string };
    this.tokenEnd = i + 1;
  }
}

const STRING_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function readString(text: string, at: number, limit: number, raw: boolean): { value: string; end: number } | undefined {
  const quote = text.startsWith(text[at]!.repeat(3), at) ? text[at]!.repeat(3) : (text[at] as string);
  let i = at + quote.length;
  let value = '';
  while (i < limit) {
    if (text.startsWith(quote, i)) return { value, end: i + quote.length };
    const c = text[i] as string;
    if (c === '\n' && quote.length === 1) return undefined;
    if (c === '\\' && !raw && i + 1 < limit) {
      const next = text[i + 1] as string;
      const hex = next === 'x' ? /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2, i + 4))?.[0] : undefined;
      const unicode = next === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6))?.[0] : undefined;
      const octal = /[0-7]/.test(next) ? /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))?.[0] : undefined;
      if (hex) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else if (unicode) {
        value += String.fromCharCode(parseInt(unicode, 16));
        i += 6;
      } else if (octal) {
        value += String.fromCharCode(parseInt(octal, 8));
        i += 1 + octal.length;
      } else {
        value += STRING_ESCAPES[next] ?? `\\${next}`;
        i += 2;
      }
      continue;
    }
    if (c === '\\' && raw && i + 1 < limit) {
      value += c + (text[i + 1] as string);
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return undefined;
}

interface Allowance {
  left: number;
}

function evaluate(node: Node, steps: string[], scope: Map<string, Value>, allowance: Allowance): Value | undefined {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'name':
      return scope.get(node.v) ?? { t: 'ref', v: node.v };
    case 'attr': {
      const obj = evaluate(node.obj, steps, scope, allowance);
      if (!obj) return undefined;
      if (obj.t === 'ref') return { t: 'ref', v: `${obj.v}.${node.name}` };
      return { t: 'method', self: obj, v: node.name };
    }
    case 'reverse': {
      const obj = evaluate(node.obj, steps, scope, allowance);
      steps.push('[::-1]');
      if (obj?.t === 'str') return { t: 'str', v: [...obj.v].reverse().join('') };
      if (obj?.t === 'bytes') return { t: 'bytes', v: Buffer.from(obj.v).reverse() };
      if (obj?.t === 'list') return { t: 'list', v: [...obj.v].reverse() };
      return undefined;
    }
    case 'bin': {
      const l = evaluate(node.l, steps, scope, allowance);
      const r = evaluate(node.r, steps, scope, allowance);
      if (l?.t === 'int' && r?.t === 'int') return { t: 'int', v: node.op === '+' ? l.v + r.v : node.op === '-' ? l.v - r.v : l.v ^ r.v };
      if (node.op !== '+') return undefined;
      if (l?.t === 'str' && r?.t === 'str') return charge(allowance, l.v.length + r.v.length) ? { t: 'str', v: l.v + r.v } : undefined;
      if (l?.t === 'bytes' && r?.t === 'bytes') return charge(allowance, l.v.length + r.v.length) ? { t: 'bytes', v: Buffer.concat([l.v, r.v]) } : undefined;
      if (l?.t === 'list' && r?.t === 'list') return { t: 'list', v: [...l.v, ...r.v] };
      return undefined;
    }
    case 'list': {
      const items: Value[] = [];
      for (const item of node.items) {
        if (item.t === 'comp') {
          const expanded = comprehension(item, steps, scope, allowance);
          if (!expanded) return undefined;
          items.push(...expanded);
        } else {
          const value = evaluate(item, steps, scope, allowance);
          if (!value) return undefined;
          items.push(value);
        }
      }
      return { t: 'list', v: items };
    }
    case 'comp': {
      const expanded = comprehension(node, steps, scope, allowance);
      return expanded ? { t: 'list', v: expanded } : undefined;
    }
    case 'call':
      return call(node, steps, scope, allowance);
  }
}

function comprehension(node: Extract<Node, { t: 'comp' }>, steps: string[], scope: Map<string, Value>, allowance: Allowance): Value[] | undefined {
  const iter = evaluate(node.iter, steps, scope, allowance);
  const items = iterate(iter);
  if (!items) return undefined;
  const out: Value[] = [];
  const inner = new Map(scope);
  for (const item of items) {
    inner.set(node.variable, item);
    const value = evaluate(node.elt, steps, inner, allowance);
    if (!value) return undefined;
    out.push(value);
  }
  return out;
}

function iterate(value: Value | undefined): readonly Value[] | undefined {
  if (value?.t === 'list') return value.v;
  if (value?.t === 'str') return [...value.v].map((c) => ({ t: 'str', v: c }));
  if (value?.t === 'bytes') return [...value.v].map((b) => ({ t: 'int', v: b }));
  return undefined;
}

function charge(allowance: Allowance, bytes: number): boolean {
  allowance.left -= bytes;
  return allowance.left >= 0;
}

const KNOWN_MODULES = new Set(['base64', 'binascii', 'codecs', 'zlib', 'gzip', 'bytes', 'bytearray']);

const CODEC_ALIASES: Readonly<Record<string, string>> = { rot13: 'rot13', rot_13: 'rot13', hex: 'hex', hex_codec: 'hex', base64: 'base64', base_64: 'base64', base64_codec: 'base64', zlib: 'zlib', zip: 'zlib', zlib_codec: 'zlib' };

function call(node: Extract<Node, { t: 'call' }>, steps: string[], scope: Map<string, Value>, allowance: Allowance): Value | undefined {
  const fn = evaluate(node.fn, steps, scope, allowance);
  if (!fn) return undefined;
  const args: Value[] = [];
  for (const arg of node.args) {
    const value = evaluate(arg, steps, scope, allowance);
    if (!value) return undefined;
    args.push(value);
  }
  const [a, b] = args;
  if (fn.t === 'method') return method(fn.self, fn.v, args, steps, allowance);
  if (fn.t !== 'ref') return undefined;
  // `__import__('base64').b64decode`: the module by its name.
  const name = fn.v.replace(/^__import__\.?/, '');
  if (fn.v === '__import__' && a?.t === 'str') return { t: 'ref', v: a.v };
  const last = name.slice(name.lastIndexOf('.') + 1);
  const module = name === last ? '' : name.slice(0, name.lastIndexOf('.'));
  // A function of a module it knows, or a bare name (`from base64 import b64decode`); `x.decode` of an unknown `x` is nothing.
  if (module !== '' && !KNOWN_MODULES.has(module)) return undefined;
  return BUILTINS.get(last)?.(a, b, { name, last, steps, allowance });
}

/** What a builtin or module function is called with: its first two arguments and the names it was called by. */
interface CallContext {
  /** The dotted name without `__import__` (`base64.b64decode`). */
  readonly name: string;
  /** The function's own name (`b64decode`). */
  readonly last: string;
  readonly steps: string[];
  readonly allowance: Allowance;
}
type Builtin = (a: Value | undefined, b: Value | undefined, context: CallContext) => Value | undefined;

function chr(a: Value | undefined, _b: Value | undefined, { steps }: CallContext): Value | undefined {
  steps.push('chr()');
  return a?.t === 'int' && a.v >= 0 && a.v <= 0x10ffff ? { t: 'str', v: String.fromCodePoint(a.v) } : undefined;
}

function listOrReversed(a: Value | undefined, _b: Value | undefined, { last, steps }: CallContext): Value | undefined {
  const items = iterate(a);
  if (!items) return undefined;
  if (last === 'reversed') steps.push('reversed()');
  return { t: 'list', v: last === 'reversed' ? [...items].reverse() : items };
}

/** `map(chr, [...])`, the only map a decoder needs. */
function mapChr(a: Value | undefined, b: Value | undefined, { steps }: CallContext): Value | undefined {
  const items = iterate(b);
  if (a?.t !== 'ref' || a.v !== 'chr' || !items) return undefined;
  steps.push('chr()');
  const out: Value[] = [];
  for (const item of items) {
    if (item.t !== 'int') return undefined;
    if (item.v < 0 || item.v > 0x10ffff) return undefined;
    out.push({ t: 'str', v: String.fromCodePoint(item.v) });
  }
  return { t: 'list', v: out };
}

function bytesOf(a: Value | undefined, _b: Value | undefined, { name, steps }: CallContext): Value | undefined {
  if (name.endsWith('fromhex')) return undefined;
  if (a?.t === 'str') return { t: 'bytes', v: Buffer.from(a.v, 'utf8') };
  const items = iterate(a);
  if (!items || !items.every((i) => i.t === 'int')) return undefined;
  steps.push('bytes([…])');
  return { t: 'bytes', v: Buffer.from(items.map((i) => (i as { v: number }).v & 0xff)) };
}

function fromHex(a: Value | undefined, _b: Value | undefined, { last, steps }: CallContext): Value | undefined {
  steps.push(last === 'fromhex' ? 'bytes.fromhex' : 'hex');
  return textOf(a) === undefined ? undefined : { t: 'bytes', v: decodeHex(textOf(a) as string) };
}

function fromBase64(a: Value | undefined, _b: Value | undefined, { steps }: CallContext): Value | undefined {
  steps.push('base64');
  return textOf(a) === undefined ? undefined : { t: 'bytes', v: decodeBase64((textOf(a) as string).replace(/-/g, '+').replace(/_/g, '/')) };
}

function fromBase32(a: Value | undefined, _b: Value | undefined, { steps }: CallContext): Value | undefined {
  steps.push('base32');
  const decoded = textOf(a) === undefined ? undefined : decodeBase32(textOf(a) as string);
  return decoded ? { t: 'bytes', v: decoded } : undefined;
}

/** `codecs.decode(x, 'rot13')` and the like. */
function codecCall(a: Value | undefined, b: Value | undefined, { steps, allowance }: CallContext): Value | undefined {
  const codec = b?.t === 'str' ? CODEC_ALIASES[b.v.toLowerCase().replace(/-/g, '_')] : undefined;
  if (!codec || !a) return undefined;
  return applyCodec(a, codec, steps, allowance);
}

/**
 * The builtins and module functions a decoder chain uses, by the function's own name. A Map, so a
 * name from the script (`constructor`, `__proto__`) never reaches an Object prototype member.
 */
const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['chr', chr],
  ['str', (a) => (a?.t === 'str' ? a : undefined)],
  ['list', listOrReversed],
  ['reversed', listOrReversed],
  ['map', mapChr],
  ['bytes', bytesOf],
  ['bytearray', bytesOf],
  ...(['fromhex', 'unhexlify', 'a2b_hex', 'b16decode'] as const).map((n): [string, Builtin] => [n, fromHex]),
  ...(['b64decode', 'standard_b64decode', 'urlsafe_b64decode', 'a2b_base64', 'decodebytes'] as const).map((n): [string, Builtin] => [n, fromBase64]),
  ['b32decode', fromBase32],
  ['decompress', (a, b, { steps, allowance }) => decompress(a, b, steps, allowance)],
  ['decode', codecCall],
  ['encode', codecCall],
]);

function textOf(value: Value | undefined): string | undefined {
  return value?.t === 'str' ? value.v : value?.t === 'bytes' ? value.v.toString('latin1') : undefined;
}

function applyCodec(value: Value, codec: string, steps: string[], allowance: Allowance): Value | undefined {
  const text = textOf(value);
  if (text === undefined) return undefined;
  steps.push(codec);
  if (codec === 'rot13') return { t: 'str', v: rot13(text) };
  if (codec === 'hex') return { t: 'bytes', v: decodeHex(text) };
  if (codec === 'base64') return { t: 'bytes', v: decodeBase64(text) };
  return decompress(value, undefined, steps, allowance);
}

function decompress(data: Value | undefined, wbits: Value | undefined, steps: string[], allowance: Allowance): Value | undefined {
  if (data?.t !== 'bytes') return undefined;
  const bits = wbits?.t === 'int' ? wbits.v : undefined;
  const kind = bits !== undefined && bits < 0 ? 'deflate' : (compressionOf(data.v) ?? 'deflate');
  steps.push(kind);
  const out = inflate(data.v, kind, Math.max(0, allowance.left));
  if (!(out instanceof Buffer) || !charge(allowance, out.length)) return undefined;
  return { t: 'bytes', v: out };
}

function method(self: Value, name: string, args: readonly Value[], steps: string[], allowance: Allowance): Value | undefined {
  const [a, b] = args;
  switch (name) {
    case 'decode':
    case 'encode': {
      const codec = a?.t === 'str' ? CODEC_ALIASES[a.v.toLowerCase().replace(/-/g, '_')] : undefined;
      if (codec) return applyCodec(self, codec, steps, allowance);
      if (self.t === 'bytes') return { t: 'str', v: self.v.toString('utf8') };
      if (self.t === 'str') return { t: 'bytes', v: Buffer.from(self.v, 'utf8') };
      return undefined;
    }
    case 'join': {
      const items = iterate(a);
      if (!items || (self.t !== 'str' && self.t !== 'bytes')) return undefined;
      const parts: string[] = [];
      let size = 0;
      for (const item of items) {
        const part = item.t === 'str' ? item.v : item.t === 'bytes' ? item.v.toString('latin1') : undefined;
        if (part === undefined) return undefined;
        size += part.length;
        parts.push(part);
      }
      if (!charge(allowance, size)) return undefined;
      const joined = parts.join(textOf(self) as string);
      return self.t === 'str' ? { t: 'str', v: joined } : { t: 'bytes', v: Buffer.from(joined, 'latin1') };
    }
    case 'replace': {
      const text = textOf(self);
      const from = textOf(a);
      const to = textOf(b);
      if (text === undefined || from === undefined || to === undefined || from === '') return undefined;
      const out = text.split(from).join(to);
      if (!charge(allowance, out.length)) return undefined;
      return self.t === 'str' ? { t: 'str', v: out } : { t: 'bytes', v: Buffer.from(out, 'latin1') };
    }
    case 'strip':
    case 'lower':
    case 'upper': {
      const text = textOf(self);
      if (text === undefined) return undefined;
      const out = name === 'strip' ? text.trim() : name === 'lower' ? text.toLowerCase() : text.toUpperCase();
      return self.t === 'str' ? { t: 'str', v: out } : { t: 'bytes', v: Buffer.from(out, 'latin1') };
    }
    default:
      return undefined;
  }
}
