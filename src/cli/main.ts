import { ConfigError, KnownError, OutputError, SourceError, UsageError } from '../core/errors.js';
import { nearestWords } from '../core/nearest.js';
import { VERSION } from '../version.js';
import { completionCommand } from './commands/completion.js';
import { fixCommand } from './commands/fix.js';
import { explainCommand, rulesCommand } from './commands/rules.js';
import { scanCommand, writeFailure } from './commands/scan.js';
import { snapshotCommand } from './commands/snapshot.js';
import { HELP_HELP, MAIN_HELP } from './help.js';
import { EXIT_CLEAN, EXIT_ERROR, type CliIo } from './io.js';

type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  scan: scanCommand,
  rules: rulesCommand,
  explain: explainCommand,
  fix: fixCommand,
  // Loaded on demand: the server's dependencies (pino, prom-client, x509) would slow every scan's start.
  webhook: async (argv, io) => (await import('./commands/webhook.js')).webhookCommand(argv, io),
  snapshot: snapshotCommand,
  // On demand too: client-node and prom-client.
  watch: async (argv, io) => (await import('./commands/watch.js')).watchCommand(argv, io),
  // Loaded on demand: the HTTP client and fingerprints are only for probes.
  probe: async (argv, io) => (await import('./commands/probe.js')).probeCommand(argv, io),
  export: async (argv, io) => (await import('./commands/export.js')).exportCommand(argv, io),
  audit: async (argv, io) => (await import('./commands/audit.js')).auditCommand(argv, io),
  hunt: async (argv, io) => (await import('./commands/hunt.js')).huntCommand(argv, io),
  completion: completionCommand,
  help: helpCommand,
};

/** Runs the CLI and returns its exit code; only bin/ calls process.exit. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  // Asked for, help goes to stdout and exits 0; given nothing to do, it is a usage error: stderr, 2.
  if (command === undefined) {
    io.stderr(MAIN_HELP);
    return EXIT_ERROR;
  }
  if (command === '--help' || command === '-h') {
    io.stdout(MAIN_HELP);
    return EXIT_CLEAN;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw unknownCommand(command);
    return await run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** The flags `kfguard` itself takes before any command. */
const MAIN_FLAGS = ['--help', '-h', '--version', '-V'];

function unknownCommand(command: string): UsageError {
  // `kfguard --versoin` is a mistyped flag, not a command: suggest among the main flags.
  if (command.startsWith('-')) {
    const near = nearestWords(command, MAIN_FLAGS);
    return new UsageError(`unknown option "${command}"`, near.length > 0 ? `did you mean ${near[0]}? (run \`kfguard --help\` for usage)` : 'run `kfguard --help` for usage');
  }
  const near = nearestWords(command, Object.keys(COMMANDS));
  return new UsageError(`unknown command "${command}"`, near.length > 0 ? `did you mean \`kfguard ${near[0]}\`? (commands: ${Object.keys(COMMANDS).join(', ')})` : `commands: ${Object.keys(COMMANDS).join(', ')}`);
}

/** `kfguard help [COMMAND [SUBCOMMAND]]`: the same text as `kfguard COMMAND [SUBCOMMAND] --help`. */
async function helpCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0) {
    io.stdout(MAIN_HELP);
    return EXIT_CLEAN;
  }
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.stdout(HELP_HELP);
    return EXIT_CLEAN;
  }
  const [command, ...rest] = argv;
  const run = command === undefined || command === 'help' ? undefined : COMMANDS[command];
  if (!run) throw unknownCommand(command ?? '');
  return run([...rest.filter((word) => !word.startsWith('-')), '--help'], io);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof KnownError) {
    const label =
      error instanceof UsageError ? 'usage error' : error instanceof ConfigError ? 'config error' : error instanceof SourceError ? 'input error' : error instanceof OutputError ? 'output error' : 'error';
    io.stderr(`kfguard: ${label}: ${error.message}\n`);
    if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
    return EXIT_ERROR;
  }
  // A file system refusal (EACCES on an output path, ENOSPC ...) is the user's to fix, not a bug.
  const fsError = error as NodeJS.ErrnoException | undefined;
  if (fsError instanceof Error && typeof fsError.code === 'string' && typeof fsError.syscall === 'string') {
    io.stderr(`kfguard: error: cannot ${fsError.syscall}${fsError.path === undefined ? '' : ` ${fsError.path}`}: ${writeFailure(fsError)}\n`);
    return EXIT_ERROR;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`kfguard: internal error (this is a bug, please report it with the command you ran)\n${stack}\n`);
  return EXIT_ERROR;
}
