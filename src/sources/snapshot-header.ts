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
