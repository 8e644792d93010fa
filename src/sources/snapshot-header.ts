/**
 * The first line of a file `kfguard snapshot` writes. Reading it back tells the file reader that the
 * objects below were listed from a live cluster, so whoever created them (not a reviewer) wrote
 * their annotations; suppression treats them as it treats the live scan's objects.
 */
const PREFIX = '# kfguard snapshot of cluster context ';
const FIRST_LINE = /^# kfguard snapshot of cluster context (.*), (\d{4}-\d\d-\d\dT[\d:.]+Z)\r?$/;

/** The header line naming the cluster context; control characters in the name are escaped to keep it one line. */
export function snapshotHeaderLine(context: string, at: Date): string {
  // eslint-disable-next-line no-control-regex
  const shown = context.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return `${PREFIX}${shown}, ${at.toISOString()}`;
}

/** The cluster context a snapshot file was listed from, or undefined when the text is not a kfguard snapshot. */
export function snapshotContextOf(text: string): string | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const end = text.indexOf('\n');
  return FIRST_LINE.exec(end === -1 ? text : text.slice(0, end))?.[1];
}

/** How `kfguard snapshot` names, in the header, what the cluster would not let it list. */
export const GAP_PREFIX = '# not included: ';

/**
 * The coverage gaps named in a snapshot file's header (the comment lines before its first
 * document), or none when the text is not a kfguard snapshot: a scan of the file then reports what
 * the live scan reported, instead of judging as if what was refused did not exist.
 */
export function snapshotGapsOf(text: string): string[] {
  if (snapshotContextOf(text) === undefined) return [];
  const gaps: string[] = [];
  for (const line of text.split('\n', 10_000)) {
    if (!line.startsWith('#')) break;
    if (line.startsWith(GAP_PREFIX)) gaps.push(line.slice(GAP_PREFIX.length).replace(/\r$/, ''));
  }
  return gaps;
}
