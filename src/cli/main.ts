import { ConfigError, KnownError, SourceError, UsageError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { fixCommand } from './commands/fix.js';
import { explainCommand, rulesCommand } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';
import { snapshotCommand } from './commands/snapshot.js';
import { MAIN_HELP } from './help.js';
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

};

/** Runs the CLI and returns its exit code; only bin/ calls process.exit. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(MAIN_HELP);
    return command === undefined ? EXIT_ERROR : EXIT_CLEAN;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`, `commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof KnownError) {
    const label = error instanceof UsageError ? 'usage error' : error instanceof ConfigError ? 'config error' : error instanceof SourceError ? 'input error' : 'error';
    io.stderr(`kfguard: ${label}: ${error.message}\n`);
    if (error.hint) io.stderr(`  hint: ${error.hint}\n`);
    return EXIT_ERROR;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`kfguard: internal error (this is a bug, please report it with the command you ran)\n${stack}\n`);
  return EXIT_ERROR;
}
