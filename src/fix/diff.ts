import { redactYamlCredentials } from '../core/redact.js';
import type { TextChange } from './yaml-file.js';

const CONTEXT = 3;
/** Past this many cells the LCS table is too big; the region is shown as removed then added. */
const MAX_TABLE = 4_000_000;

type Line = { readonly kind: ' ' | '-' | '+'; readonly text: string; readonly oldLine: number; readonly newLine: number };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(before: readonly string[], after: readonly string[], start: number): Line[] {
  const n = before.length;
  const m = after.length;
  if (n * m > MAX_TABLE) {
    return [
      ...before.map((text, i) => ({ kind: '-' as const, text, oldLine: start + i, newLine: start })),
      ...after.map((text, j) => ({ kind: '+' as const, text, oldLine: start + n, newLine: start + j })),
    ];
  }
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const below = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = before[i] === after[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
  }
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      lines.push({ kind: ' ', text: before[i] ?? '', oldLine: start + i, newLine: start + j });
      i++;
      j++;
    } else if (i < n && (j === m || (table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0))) {
      lines.push({ kind: '-', text: before[i] ?? '', oldLine: start + i, newLine: start + j });
      i++;
    } else {
      lines.push({ kind: '+', text: after[j] ?? '', oldLine: start + i, newLine: start + j });
      j++;
    }
  }
  return lines;
}

function hunks(lines: readonly Line[]): Line[][] {
  const changed = lines.map((l, i) => (l.kind === ' ' ? -1 : i)).filter((i) => i !== -1);
  const groups: Line[][] = [];
  let from = -1;
  let to = -1;
  for (const index of changed) {
    if (from !== -1 && index - CONTEXT <= to + CONTEXT) {
      to = index;
      continue;
    }
    if (from !== -1) groups.push(lines.slice(Math.max(0, from - CONTEXT), to + CONTEXT + 1));
    from = index;
    to = index;
  }
  if (from !== -1) groups.push(lines.slice(Math.max(0, from - CONTEXT), to + CONTEXT + 1));
  return groups;
}

function hunkText(hunk: readonly Line[]): string {
  const first = hunk[0];
  if (!first) return '';
  const oldCount = hunk.filter((l) => l.kind !== '+').length;
  const newCount = hunk.filter((l) => l.kind !== '-').length;
  const header = `@@ -${first.oldLine},${oldCount} +${first.newLine},${newCount} @@`;
  return [header, ...hunk.map((l) => `${l.kind}${l.text}`)].join('\n');
}

/** A unified diff of one file from its changed regions (line numbers are those of the old file). */
export function unifiedDiff(label: string, changes: readonly TextChange[], isNew: boolean): string {
  let shift = 0;
  const body = changes.flatMap((change) => {
    // The preview is printed, so credentials in the manifests are masked (line for line).
    const before = splitLines(redactYamlCredentials(change.before));
    const after = splitLines(redactYamlCredentials(change.after));
    const lines = diffLines(before, after, change.startLine).map((line) => ({ ...line, newLine: line.newLine + shift }));
    shift += after.length - before.length;
    return hunks(lines).map(hunkText);
  });
  if (body.length === 0) return '';
  return `--- ${isNew ? '/dev/null' : `a/${label}`}\n+++ b/${label}\n${body.join('\n')}\n`;
}
