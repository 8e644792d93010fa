/**
 * go-yaml (libyaml) does not check the indentation of the continuation lines of a quoted scalar or
 * of a `[…]`/`{…}` collection in block context: `image: "xm\⏎  rig"` with `rig"` under the key's
 * column is `xmrig` to kubectl, a syntax error to the `yaml` package. Leading blanks (spaces and
 * tabs) of such lines are dropped by both readers, so indenting them deeper changes no value, only
 * whether the `yaml` package accepts the text. This finds those lines and indents them one column
 * past the node that holds the token; the exact reader re-reads a refused document with them
 * (go-yaml-decode.ts). Line count is kept (so line numbers hold), columns are not.
 *
 * Lines go-yaml itself refuses inside a quoted scalar (`---` or `...` at column 0) are left alone,
 * so the refusal stays. Undefined when nothing would change, or when the re-indented text would
 * grow past `maxGrowth` characters (then the refusal stands and the document is salvaged).
 */
export function reindentContinuations(text: string, maxGrowth = 1 << 20): string | undefined {
  const lines = text.split('\n');
  const targets = new Map<number, number>();
  const scanner = new Scanner(lines, targets);
  scanner.run();
  let growth = 0;
  for (const [line, want] of targets) {
    const current = indentOf(lines[line]!);
    if (current >= want) targets.delete(line);
    else growth += want - current;
  }
  if (targets.size === 0 || growth > maxGrowth) return undefined;
  return lines.map((line, i) => (targets.has(i) ? ' '.repeat(targets.get(i)! - indentOf(line)) + line : line)).join('\n');
}

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  return i;
}

const BLANK = new Set([' ', '\t', '\r', undefined]);

class Scanner {
  private line = 0;
  private col = 0;
  /** The column past which a block scalar's lines run, while inside one. */
  private blockScalarParent: number | undefined;
  /** The column past which a plain scalar's continuation lines run, after a plain value. */
  private plainParent: number | undefined;

  constructor(
    private readonly lines: readonly string[],
    private readonly targets: Map<number, number>,
  ) {}

  run(): void {
    while (this.line < this.lines.length) this.scanLine();
  }

  private get text(): string {
    return this.lines[this.line] ?? '';
  }

  /** One block-context line from its start; a multi-line token moves `line` on. */
  private scanLine(): void {
    const text = this.text;
    const indent = indentOf(text);
    const blank = /^[ \t\r]*(#.*)?$/.test(text);
    if (this.blockScalarParent !== undefined) {
      if (blank || indent > this.blockScalarParent) return this.next();
      this.blockScalarParent = undefined;
    }
    if (/^(---|\.\.\.)(?:[ \t\r]|$)/.test(text)) {
      this.plainParent = undefined;
      return this.next();
    }
    if (blank) return this.next();
    if (this.plainParent !== undefined) {
      if (indent > this.plainParent) return this.next();
      this.plainParent = undefined;
    }
    this.col = indent;
    // The column of the node whose value comes next: a `- ` entry or a `key:`.
    let nodeCol = indent;
    const startLine = this.line;
    while (this.line === startLine) {
      const t = this.text;
      while (t[this.col] === ' ' || t[this.col] === '\t') this.col++;
      const c = t[this.col];
      if (c === undefined || c === '\r' || c === '#') return this.next();
      if ((c === '-' || c === '?') && BLANK.has(t[this.col + 1])) {
        nodeCol = this.col;
        this.col++;
        continue;
      }
      if (c === ':' && BLANK.has(t[this.col + 1])) {
        this.col++;
        continue;
      }
      if (c === '!' || c === '&' || c === '*') {
        while (!BLANK.has(t[this.col])) this.col++;
        continue;
      }
      if (c === '|' || c === '>') {
        this.blockScalarParent = nodeCol;
        return this.next();
      }
      const tokenLine = this.line;
      const tokenCol = this.col;
      if (c === '"' || c === "'") this.quoted(c, nodeCol);
      else if (c === '[' || c === '{') this.flow(nodeCol);
      else {
        // A plain scalar: a key when `: ` follows on this line, else a value that may go on below.
        const colon = plainKeyEnd(t, this.col);
        if (colon === undefined) {
          this.plainParent = nodeCol;
          return this.next();
        }
        nodeCol = this.col;
        this.col = colon;
        continue;
      }
      if (this.line !== tokenLine) {
        // Whatever follows the token on its last line (a comment, a block scalar's header).
        this.scanRestAfterToken(nodeCol);
        return;
      }
      // A one-line quoted or flow token: maybe a key (`"k": v`); the node is then at its start.
      const after = this.text.slice(this.col);
      if (/^[ \t]*:(?:[ \t\r]|$)/.test(after)) nodeCol = tokenCol;
    }
  }

  /** After a token that ended on a later line: the rest of that line. */
  private scanRestAfterToken(nodeCol: number): void {
    // A `:` here would make the token a multi-line key, which go-yaml refuses: nothing to mend.
    if (/^[ \t]*(?::[ \t]+)?[|>]/.test(this.text.slice(this.col))) this.blockScalarParent = nodeCol;
    this.next();
  }

  private next(): void {
    this.line++;
    this.col = 0;
  }

  /** Marks the current line (a continuation) to be indented past `nodeCol`. */
  private mark(nodeCol: number): void {
    const want = nodeCol + 1;
    const had = this.targets.get(this.line);
    if (had === undefined || had < want) this.targets.set(this.line, want);
  }

  /** Steps to the next line inside a multi-line token; false at the end of the text. */
  private continueLine(nodeCol: number): boolean {
    this.next();
    if (this.line >= this.lines.length) return false;
    const t = this.text;
    // go-yaml refuses a document marker inside a quoted scalar, and ends a flow collection there.
    if (/^(---|\.\.\.)(?:[ \t\r]|$)/.test(t)) return false;
    // Blank lines too: a tab there trips the `yaml` package, and go-yaml drops their blanks.
    this.mark(nodeCol);
    return true;
  }

  private quoted(quote: string, nodeCol: number): void {
    this.col++;
    for (;;) {
      const t = this.text;
      while (this.col < t.length) {
        const c = t[this.col];
        if (quote === '"' && c === '\\') {
          this.col += 2;
          continue;
        }
        if (c === quote) {
          if (quote === "'" && t[this.col + 1] === "'") {
            this.col += 2;
            continue;
          }
          this.col++;
          return;
        }
        this.col++;
      }
      if (!this.continueLine(nodeCol)) return;
    }
  }

  private flow(nodeCol: number): void {
    let depth = 0;
    lines: for (;;) {
      const t = this.text;
      while (this.col < t.length) {
        const c = t[this.col];
        if (c === '"' || c === "'") {
          // The quoted text may end on a later line: read on from where it ended.
          this.quoted(c, nodeCol);
          if (this.line >= this.lines.length) return;
          continue lines;
        }
        if (c === '#' && (this.col === 0 || BLANK.has(t[this.col - 1]))) {
          this.col = t.length;
          break;
        }
        this.col++;
        if (c === '[' || c === '{') depth++;
        else if (c === ']' || c === '}') {
          depth--;
          if (depth === 0) return;
        }
      }
      if (!this.continueLine(nodeCol)) return;
    }
  }
}

/** The end of `key:` when the plain scalar at `from` is a mapping key on this line. */
function plainKeyEnd(line: string, from: number): number | undefined {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === '#' && BLANK.has(line[i - 1])) return undefined;
    if (c === ':' && BLANK.has(line[i + 1])) return i;
  }
  return undefined;
}
