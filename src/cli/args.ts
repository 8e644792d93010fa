import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from '../core/errors.js';
import { nearestWords } from '../core/nearest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/**
 * The options each command handed to the parser, by command name (`scan`, `webhook serve`). A test
 * runs every command with `--help` and checks that each option it accepts is in its help text.
 */
const acceptedOptions = new Map<string, Options>();

export function optionsAcceptedBy(command: string): Options | undefined {
  return acceptedOptions.get(command);
}

/** Strict parsing: an unknown flag is a usage error, never silently ignored. */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options): ParsedArgs {
  acceptedOptions.set(command, options);
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const message = errorMessage(error);
    throw new UsageError(`${command}: ${message.replace(/^.*?: /, '').replace(/\. To specify a positional argument.*$/s, '')}`, unknownFlagHint(command, message, options));
  }
}

/** "did you mean --fail-on?" for a mistyped flag, else a pointer to the command's help. */
function unknownFlagHint(command: string, message: string, options: Options): string {
  const help = `run \`kfguard ${command} --help\` for usage`;
  const unknown = /Unknown option '(--?[^']*)'/.exec(message)?.[1];
  if (unknown === undefined || !unknown.startsWith('--')) return help;
  const name = unknown.slice(2).split('=')[0] ?? '';
  const near = nearestWords(name, Object.keys(options));
  return near.length > 0 ? `did you mean ${near.map((n) => `--${n}`).join(' or ')}? (${help})` : help;
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
