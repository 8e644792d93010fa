import { main } from './main.js';
import { nodeIo } from './node-io.js';

/**
 * Entry used by bin/kfguard.js. Exits as soon as stdout and stderr are flushed: waiting for the
 * event loop to wind down by itself costs tens of milliseconds per run (closing handles the
 * module loader left behind), which a CI step pays every time.
 */
export async function run(argv: readonly string[]): Promise<void> {
  const stdoutFailed = watchStdout();
  const code = await main(argv, nodeIo());
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(stdoutFailed() ? 2 : code);
}

/**
 * A failed write to stdout is an unhandled 'error' event, which Node turns into a stack trace.
 * A reader that closed the pipe (`kfguard scan | head`) wanted no more, so EPIPE ends quietly with
 * the scan's own exit code; any other failure (a full disk) is one line on stderr and exit 2.
 */
function watchStdout(): () => boolean {
  let failed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || failed) return;
    failed = true;
    process.stderr.write(`kfguard: output error: cannot write to standard output: ${error.code ?? error.message}\n`);
  });
  return () => failed;
}

/** An empty write's callback runs after every earlier write has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) {
      resolve();
      return;
    }
    stream.write('', () => resolve());
  });
}
