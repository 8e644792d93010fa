/**
 * Here-documents (`<<EOF`, `<<-EOF`, `<<'EOF'`) rewritten as here-strings (`<<< 'body'`), so the
 * shell reader and the pipeline decoder see a heredoc's body as the stdin of its command, not as
 * commands of their own. `rev <<'EOF' | sh` then decodes like `rev <<< '…' | sh`. Nothing is
 * expanded: an unquoted delimiter's `$VAR` stays as written (variables are expanded elsewhere).
 */

export interface HereDocuments {
  /** The script with every heredoc body moved into a quoted here-string on its command's line. */
  readonly text: string;
  readonly count: number;
  /** The bodies, so a reader can name the heredoc as a layer of the evidence. */
  readonly bodies: ReadonlySet<string>;
}

/** `<<` (not `<<<`), an optional `-`, and a delimiter word, optionally quoted. */
const OPERATOR = /(?<!<)<<(-?)[ \t]*(?:'([A-Za-z_][\w.-]*)'|"([A-Za-z_][\w.-]*)"|\\?([A-Za-z_][\w.-]*))(?!<)/g;

/** Undefined when the script has no heredoc. Linear: each line is visited once. */
export function hereDocumentsAsStrings(script: string): HereDocuments | undefined {
  if (!script.includes('<<')) return undefined;
  const lines = script.split('\n');
  const out: string[] = [];
  let count = 0;
  const bodies = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.includes('<<')) {
      out.push(line);
      continue;
    }
    let next = i + 1;
    // Several heredocs on one line take their bodies in order, one after the other.
    const rewritten = line.replace(OPERATOR, (_whole, dash: string, single?: string, double?: string, bare?: string) => {
      const delimiter = single ?? double ?? bare ?? '';
      const body: string[] = [];
      while (next < lines.length) {
        const bodyLine = dash === '-' ? (lines[next] as string).replace(/^\t+/, '') : (lines[next] as string);
        next++;
        if (bodyLine.replace(/\r$/, '') === delimiter) break;
        body.push(bodyLine);
      }
      count++;
      bodies.add(body.join('\n'));
      return `<<< ${singleQuoted(body.join('\n'))}`;
    });
    out.push(rewritten);
    i = next - 1;
  }
  return count === 0 ? undefined : { text: out.join('\n'), count, bodies };
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
