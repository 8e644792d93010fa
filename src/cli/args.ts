import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** Strict parsing: an unknown flag is a usage error, never silently ignored. */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError(`${command}: ${errorMessage(error).replace(/^.*?: /, '')}`, `run \`kfguard ${command} --help\` for usage`);
  }
}

/** `--rule a,b --rule c` → [a, b, c]. */
export function listOption(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return raw
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function stringOption(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}
