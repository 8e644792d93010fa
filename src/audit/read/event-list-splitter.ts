/**
 * Cuts the members of an `EventList`'s top-level `items` array out of a JSON text that arrives in
 * chunks, so a list of any size is read one event at a time. Only the structure is tracked
 * (strings, escapes, nesting); each member's text is handed on whole for `JSON.parse`.
 */
export interface ListMember {
  readonly text: string;
  /** 1-based line where the member starts. */
  readonly line: number;
}

export interface SplitterLimits {
  /** A member longer than this is dropped and reported, never buffered further. */
  readonly maxMemberBytes: number;
}

/** `scalar`: a member that is a string, number, boolean or null, which can be no Event. */
export type SplitterOutput = { readonly member: ListMember } | { readonly oversized: { readonly line: number } } | { readonly scalar: { readonly line: number } };

export class EventListSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  /** The last key string read at depth 1, to know when `items` opens. */
  private keyAtTop = '';
  private collectingKey = false;
  private keyParts: string[] = [];
  private inItems = false;
  private memberParts: string[] = [];
  private memberBytes = 0;
  private memberLine = 0;
  private memberOpen = false;
  private memberOversized = false;
  private sawTopObject = false;

  constructor(private readonly limits: SplitterLimits) {}

  /** Whether the text so far was one JSON object (an EventList must be). */
  get sawObject(): boolean {
    return this.sawTopObject;
  }

  get lineCount(): number {
    return this.line;
  }

  get unterminated(): boolean {
    return this.depth !== 0 || this.inString;
  }

  *push(chunk: string): Generator<SplitterOutput> {
    this.memberStart = this.memberOpen ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) this.inStringChar(c, chunk, i);
      else if (this.depth === 2 && this.inItems && !this.memberOpen && c !== 123 && c !== 91 && c !== 93) {
        // Between members: a comma arms the next one; anything but whitespace starting there is a scalar member.
        if (c === 44 /* , */) this.expectMember = true;
        else if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && this.expectMember) {
          this.expectMember = false;
          if (c === 34) this.inString = true;
          yield { scalar: { line: this.line } };
        } else if (c === 34) this.inString = true;
      } else if (c === 34 /* " */) this.openString(i);
      else if (c === 123 /* { */ || c === 91 /* [ */) this.open(c, i);
      else if (c === 125 /* } */ || c === 93 /* ] */) {
        const out = this.close(c, chunk, i);
        if (out) yield out;
      }
    }
    this.endOfChunk(chunk);
  }

  private inStringChar(c: number, chunk: string, i: number): void {
    if (this.escaped) this.escaped = false;
    else if (c === 92 /* \ */) this.escaped = true;
    else if (c === 34 /* " */) {
      this.inString = false;
      if (this.collectingKey) {
        this.keyAtTop = this.keyParts.join('') + chunk.slice(this.keyStart, i);
        this.collectingKey = false;
      }
    }
  }

  private openString(i: number): void {
    this.inString = true;
    if (this.depth === 1 && !this.inItems) {
      this.collectingKey = true;
      this.keyParts = [];
      this.keyStart = i + 1;
    }
  }

  private open(c: number, i: number): void {
    if (this.depth === 0 && c === 123) this.sawTopObject = true;
    if (this.depth === 1 && c === 91 && this.keyAtTop === 'items') {
      this.inItems = true;
      this.expectMember = true;
    } else if (this.depth === 2 && this.inItems) {
      this.expectMember = false;
      this.memberOpen = true;
      this.memberOversized = false;
      this.memberParts = [];
      this.memberBytes = 0;
      this.memberLine = this.line;
      this.memberStart = i;
    }
    this.depth++;
  }

  private close(c: number, chunk: string, i: number): SplitterOutput | undefined {
    this.depth--;
    if (this.depth === 1 && this.inItems && c === 93) {
      this.inItems = false;
      return undefined;
    }
    if (this.depth !== 2 || !this.memberOpen) return undefined;
    this.memberOpen = false;
    const out: SplitterOutput = this.memberOversized ? { oversized: { line: this.memberLine } } : { member: { text: [...this.memberParts, chunk.slice(this.memberStart, i + 1)].join(''), line: this.memberLine } };
    this.memberParts = [];
    this.memberStart = -1;
    return out;
  }

  /** Keeps the unfinished key and member of this chunk for the next one, within the member cap. */
  private endOfChunk(chunk: string): void {
    if (this.collectingKey) this.keyParts.push(chunk.slice(this.keyStart));
    this.keyStart = 0;
    if (!this.memberOpen || this.memberStart === -1 || this.memberOversized) return;
    const part = chunk.slice(this.memberStart);
    this.memberBytes += part.length;
    if (this.memberBytes > this.limits.maxMemberBytes) {
      this.memberOversized = true;
      this.memberParts = [];
    } else this.memberParts.push(part);
  }

  private memberStart = -1;
  private keyStart = 0;
  /** In `items`, after `[` or a comma: the next value is a member. */
  private expectMember = false;
}
