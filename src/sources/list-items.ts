/**
 * `kubectl get -o yaml` prints a whole namespace or cluster as one `kind: List` document, often far
 * over the per-document limit (--max-doc-size): refusing it whole would leave every object in it to
 * the raw-text search, which stops at 4 MB. A List in kubectl's block layout is read item by item
 * instead, each item under the per-document limits. Only that layout is split: `items:` at column
 * 0 followed by entries starting `- ` at column 0, and a `kind: …List` line at column 0. The rest of
 * the document (the header) must then parse, on its own, to a List whose `items` is empty, which a
 * layout faked inside a multi-line string cannot give; anything else is refused as before.
 */
export interface ListItemRange {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
}

export interface BlockListSplit {
  /** The document without its items block (the `items:` line kept), to check that it is a List. */
  readonly header: string;
  readonly items: readonly ListItemRange[];
}

const LIST_KIND = /^kind:[ \t]*(["']?)[A-Za-z0-9]*List\1[ \t]*(?:#.*)?\r?$/;
const ITEMS_KEY = /^items:[ \t]*(?:#.*)?\r?$/;

/** After a `-` at column 0: a space or the line's end makes it a sequence entry. */
function isEntryStart(next: number): boolean {
  return next === 32 || next === 10 || next === 13 || Number.isNaN(next);
}

export function splitBlockList(text: string, start: number, end: number, startLine: number): BlockListSplit | undefined {
  let sawKind = false;
  let itemsFrom = -1;
  let itemsTo = -1;
  const items: { start: number; startLine: number }[] = [];
  let line = startLine;
  for (let at = start; at < end; line++) {
    const newline = text.indexOf('\n', at);
    const next = newline === -1 || newline >= end ? end : newline + 1;
    const first = text.charCodeAt(at);
    const atColumnZero = first !== 32 && first !== 9 && first !== 10 && first !== 13 && first !== 35;
    const inItems = itemsFrom !== -1 && itemsTo === -1;
    if (inItems && first === 45 && isEntryStart(text.charCodeAt(at + 1))) items.push({ start: at, startLine: line });
    else if (inItems && atColumnZero) itemsTo = at;
    if (!(itemsFrom !== -1 && itemsTo === -1) && atColumnZero) {
      const content = text.slice(at, Math.min(next, at + 200));
      if (LIST_KIND.test(content.replace(/\n$/, ''))) sawKind = true;
      else if (itemsFrom === -1 && ITEMS_KEY.test(content.replace(/\n$/, ''))) itemsFrom = next;
    }
    at = next;
  }
  if (itemsFrom === -1 || items.length === 0 || items[0]!.start !== itemsFrom) return undefined;
  if (itemsTo === -1) itemsTo = end;
  // The kind line may come before or after the items (kubectl prints it after).
  if (!sawKind) return undefined;
  const ranges = items.map((item, i) => ({ start: item.start, end: i + 1 < items.length ? items[i + 1]!.start : itemsTo, startLine: item.startLine }));
  return { header: text.slice(start, itemsFrom) + text.slice(itemsTo, end), items: ranges };
}
