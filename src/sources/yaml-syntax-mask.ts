/**
 * The text the routing checks look at (exact-route.ts, go-yaml-lean.ts `routable`, go-yaml-lean-flow.ts), with what YAML
 * reads as scalar content or a comment blanked out: the insides of quoted scalars that open and
 * close on one line in block context, comments, and block scalar bodies, each character replaced by
 * `_` (lines and offsets stay where they were). Those checks are regular expressions over the whole
 * text, so one harmless `value: "[ :"` sent a megabyte to the full exact reader (1–2 s; issue 17,
 * quoteaware17).
 *
 * The safe direction is the old one: wherever this scan is not sure what YAML reads as syntax, it
 * gives the text back unchanged and the checks fire as before. It gives up on a tab, a lone CR, a
 * BOM or a Unicode line break anywhere; a quote that does not close on its line (a multi-line quoted
 * scalar); a quote not at a node's start or followed by anything but `:`, a comment or the line's end;
 * an explicit indentation indicator (`|2`); a body line less indented than the body but more than its
 * parent; and any quote, `[`, `{`, `|` or `>` on a line it does not model (tags, anchors, aliases,
 * explicit keys, directives, a line that may go on a multi-line plain scalar). Inside flow
 * collections nothing is blanked: their quotes and comments are only followed to count the brackets.
 * A quote inside a plain scalar (`a"b`, `don't`) starts nothing and stays as it is.
 *
 * One pass, each character looked at a bounded number of times.
 */

const MASK = '_';
/** Characters after which this scan cannot be sure where lines and indentation are. */
const UNSURE = /[\t\uFEFF\u0085\u2028\u2029]|\r(?!\n)/;
/** What may open a construct reaching past its line (or a quoted scalar this scan must follow). */
const OPENS = /["'[{|>]/;
const SPACE = 32;
/** Indicators a node may start with that this scan does not follow: flow ends, properties, aliases, reserved ones. */
const UNMODELLED_START = new Set([...',]}&*!%@`'].map((c) => c.charCodeAt(0)));

let lastText: string | undefined;
let lastMasked = '';

/** `text` with quoted scalar contents, comments and block scalar bodies blanked, or `text` itself when unsure. */
export function syntaxOnly(text: string): string {
  // readLean asks twice for one text (routable on the text and on its flow placeholders' text).
  if (text === lastText) return lastMasked;
  const scan = new SyntaxScan(text);
  const masked = UNSURE.test(text) || !scan.run() ? text : scan.masked();
  lastText = text;
  lastMasked = masked;
  return masked;
}

const MASK_UNIT = MASK.charCodeAt(0);

/** A block scalar being read: its parent's column (n) and its body's indentation (m, 0 until its first line). */
interface BlockBody {
  readonly n: number;
  m: number;
  /** The widest blank line before the first body line: libyaml's body is at least that indented. */
  widestBlank: number;
}

class SyntaxScan {
  private lineStart = 0;
  private body: BlockBody | undefined;
  private flowDepth = 0;
  /** The last character of flow syntax before this point (comments and blanks not counted). */
  private flowPrevious = 0;
  /** A plain scalar ended its last line: a more indented line than this may go on it (-1: any). */
  private plainOpen: number | undefined;

  /**
   * The text's code units, made at the first blank and overwritten in place (a span list joined
   * slice by slice cost 1.5 µs a span: 0.23 s for a megabyte of `a: "x"` lines).
   */
  private bytes: Buffer | undefined;
  private units: Uint16Array | undefined;

  constructor(private readonly text: string) {}

  masked(): string {
    return this.bytes ? this.bytes.toString('utf16le') : this.text;
  }

  run(): boolean {
    const { text } = this;
    while (this.lineStart <= text.length) {
      let lineEnd = text.indexOf('\n', this.lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      const end = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      if (!this.line(end)) return false;
      this.lineStart = lineEnd + 1;
    }
    return true;
  }

  private line(end: number): boolean {
    const { text, lineStart } = this;
    let i = lineStart;
    while (text.charCodeAt(i) === SPACE) i++;
    if (this.body) {
      const inBody = this.bodyLine(i, end);
      if (inBody !== undefined) return inBody;
    }
    if (this.flowDepth > 0) return this.flow(i, end);
    if (i === end) return true;
    if (text.charCodeAt(i) === 35 /* # */) {
      // A comment line ends a plain scalar (libyaml's scan_plain_scalar stops at it).
      this.plainOpen = undefined;
      this.mask(i + 1, end);
      return true;
    }
    const indent = i - lineStart;
    if (this.plainOpen !== undefined && indent > this.plainOpen) return this.unknown(i, end, this.plainOpen);
    this.plainOpen = undefined;
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 === end || text.charCodeAt(i + 3) === SPACE)) {
      return this.unknown(i + 3, end, -1);
    }
    if (indent === 0 && text.charCodeAt(i) === 37 /* % */) return this.unknown(i, end, -1);
    let container = -1;
    while (text.charCodeAt(i) === 45 /* - */ && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
      container = i - lineStart;
      i++;
      while (text.charCodeAt(i) === SPACE) i++;
    }
    return this.node(i, end, container, true);
  }

  /**
   * A line after a block scalar header (its first non-blank at `i`): blanked when in the body (true),
   * refused when indented between the body and its parent (false), undefined when the body has ended.
   */
  private bodyLine(i: number, end: number): boolean | undefined {
    const body = this.body as BlockBody;
    const indent = i - this.lineStart;
    if (i === end) {
      if (body.m === 0) body.widestBlank = Math.max(body.widestBlank, indent);
      return true;
    }
    if (body.m === 0 && indent > body.n) {
      if (indent < body.widestBlank) return false;
      body.m = indent;
    }
    if (body.m > 0 && indent >= body.m) {
      this.mask(i, end);
      return true;
    }
    if (indent > body.n) return false;
    this.body = undefined;
    return undefined;
  }

  /**
   * A node starting at `i` (past blanks, after the line's indentation, `- ` or `key: `); `container`
   * is the column of the innermost block collection it is in (-1: none on this line).
   */
  private node(i: number, end: number, container: number, keyAllowed: boolean): boolean {
    const { text } = this;
    if (i >= end) return true;
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      this.mask(i + 1, end);
      return true;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) return this.quoted(i, end, keyAllowed);
    if (c === 91 /* [ */ || c === 123 /* { */) return this.flow(i, end);
    if (c === 124 /* | */ || c === 62 /* > */) return this.blockHeader(i, end, container);
    const spaceAfter = i + 1 === end || text.charCodeAt(i + 1) === SPACE;
    if ((c === 45 /* - */ || c === 63 /* ? */ || c === 58) /* : */ && spaceAfter) return this.unknown(i, end, container);
    if (UNMODELLED_START.has(c)) return this.unknown(i, end, container);
    return this.plain(i, end, container, keyAllowed);
  }

  /** A quoted scalar at a node's start: closed on its line, then a `: ` (a key), a comment or nothing. */
  private quoted(i: number, end: number, keyAllowed: boolean): boolean {
    const { text } = this;
    const close = closingQuote(text, i, end);
    if (close < 0) return false;
    let j = close + 1;
    while (text.charCodeAt(j) === SPACE) j++;
    if (keyAllowed && j < end && text.charCodeAt(j) === 58 /* : */ && (j + 1 === end || text.charCodeAt(j + 1) === SPACE)) {
      this.mask(i + 1, close);
      j++;
      while (text.charCodeAt(j) === SPACE) j++;
      return this.node(j, end, i - this.lineStart, false);
    }
    if (j === end || (text.charCodeAt(j) === 35 && j > close + 1)) {
      this.mask(i + 1, close);
      if (j < end) this.mask(j + 1, end);
      return true;
    }
    return false;
  }

  /** A plain scalar: quotes, brackets and `|` inside it are text; it ends at ` #`, or at `: ` when it is a key. */
  private plain(i: number, end: number, container: number, keyAllowed: boolean): boolean {
    const { text } = this;
    for (let j = i; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === 35 && text.charCodeAt(j - 1) === SPACE) {
        this.mask(j + 1, end);
        return true;
      }
      if (d === 58 && (j + 1 === end || text.charCodeAt(j + 1) === SPACE)) {
        if (!keyAllowed) return false;
        let k = j + 1;
        while (text.charCodeAt(k) === SPACE) k++;
        return this.node(k, end, i - this.lineStart, false);
      }
    }
    // It may go on over the next lines: a bare one at a line's start (a value under its key) may be any column's.
    this.plainOpen = container;
    return true;
  }

  /** `|` or `>` with chomping and a comment only: the lines after it more indented than `container` are its body. */
  private blockHeader(i: number, end: number, container: number): boolean {
    const { text } = this;
    let j = i + 1;
    let chomping = 0;
    let indicator = 0;
    // A chomping indicator and an indentation indicator (1-9), in either order, at most one each.
    for (;;) {
      const c = text.charCodeAt(j);
      if ((c === 43 /* + */ || c === 45) /* - */ && chomping === 0) chomping = c;
      else if (c >= 49 && c <= 57 && indicator === 0) indicator = c - 48;
      else break;
      j++;
    }
    const afterHeader = j;
    while (text.charCodeAt(j) === SPACE) j++;
    if (j < end && !(text.charCodeAt(j) === 35 && j > afterHeader)) return false;
    if (indicator > 0) {
      // libyaml's body is then exactly the block's indentation plus the indicator, the block being
      // the innermost block collection (an indentless `- ` list counts its parent's column, which is
      // the same column). A scalar outside any collection on its line is left to the old checks.
      if (container < 0) return false;
      if (j < end) this.mask(j + 1, end);
      this.body = { n: container, m: container + indicator, widestBlank: 0 };
      return true;
    }
    if (j < end) this.mask(j + 1, end);
    // Without a collection on the line, the scalar's parent is at most this line's indentation.
    const n = container >= 0 ? container : i - this.lineStart;
    this.body = { n, m: 0, widestBlank: 0 };
    return true;
  }

  /**
   * Flow syntax from `i` to the line's end: brackets counted, quoted scalars followed (they must
   * close on their line and start where a flow node starts), comments skipped; nothing blanked.
   */
  private flow(i: number, end: number): boolean {
    const { text } = this;
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c === SPACE) continue;
      const before = j === this.lineStart ? SPACE : text.charCodeAt(j - 1);
      if (c === 35 && before === SPACE) return true;
      if (c === 34 || c === 39) {
        const atNodeStart = (before === SPACE || before === 91 || before === 123 || before === 44) && (this.flowPrevious === 91 || this.flowPrevious === 123 || this.flowPrevious === 44 || this.flowPrevious === 58);
        const close = atNodeStart ? closingQuote(text, j, end) : -1;
        if (close < 0) return false;
        j = close;
        this.flowPrevious = c;
        continue;
      }
      if (c === 91 || c === 123) this.flowDepth++;
      else if (c === 93 || c === 125) {
        if (--this.flowDepth === 0) return this.unknown(j + 1, end, -1);
      }
      this.flowPrevious = c;
    }
    return true;
  }

  /**
   * Text this scan does not model (properties, aliases, explicit keys, directives, what follows a
   * flow collection, a line that may go on a plain scalar): fine, and left as it is, only when
   * nothing on it may open a quoted scalar, a flow collection or a block scalar. It may itself
   * end with a plain scalar that goes on.
   */
  private unknown(i: number, end: number, container: number): boolean {
    if (OPENS.test(this.text.slice(i, end))) return false;
    // Blank or a comment only: nothing goes on. Otherwise a plain scalar may.
    let j = i;
    while (this.text.charCodeAt(j) === SPACE) j++;
    if (j < end && this.text.charCodeAt(j) !== 35) this.plainOpen = this.plainOpen === undefined ? container : Math.min(this.plainOpen, container);
    return true;
  }

  private mask(from: number, to: number): void {
    if (to <= from) return;
    if (!this.units) {
      // Its own memory (never a pooled slice), so the 16-bit view is aligned.
      const bytes = Buffer.allocUnsafeSlow(this.text.length * 2);
      bytes.write(this.text, 0, 'utf16le');
      this.bytes = bytes;
      this.units = new Uint16Array(bytes.buffer, bytes.byteOffset, this.text.length);
    }
    this.units.fill(MASK_UNIT, from, to);
  }
}

/** Where the quoted scalar opening at `at` closes on its line, or -1 (it goes on past the line, or never closes). */
function closingQuote(text: string, at: number, end: number): number {
  const quote = text.charCodeAt(at);
  for (let j = at + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (quote === 34 && c === 92 /* \ */) {
      j++;
      continue;
    }
    if (c === quote) {
      if (quote === 39 && text.charCodeAt(j + 1) === 39) {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}
