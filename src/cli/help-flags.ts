/** A flag as a help text documents it: `  -f, --format NAME[=FILE]   output format ...`. */
export interface DocumentedFlag {
  readonly long: string;
  readonly short?: string;
  /** The value's placeholder (`NAME[=FILE]`, `FILE`), absent for switches. */
  readonly value?: string;
  /** The first line of its description. */
  readonly description: string;
}

// A flag line starts with two spaces, then `-x, --name` or `--name`, then an optional placeholder.
const FLAG_LINE = /^ {2,}(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)(?: ([A-Z][A-Z0-9_[\]=|.,:]*))?(?: +(.*))?$/;

/**
 * The flags a help text lists in its flag table. Completion scripts are generated from them, and a
 * test checks that every flag a command accepts is listed, so help, completion and parser agree.
 */
export function documentedFlags(help: string): DocumentedFlag[] {
  const flags: DocumentedFlag[] = [];
  for (const line of help.split('\n')) {
    const match = FLAG_LINE.exec(line);
    if (!match) continue;
    const [, short, long, value, description] = match;
    if (long === undefined) continue;
    flags.push({ long, ...(short === undefined ? {} : { short }), ...(value === undefined ? {} : { value }), description: description?.trim() ?? '' });
  }
  return flags;
}
