import { main } from './main.js';
import { nodeIo } from './node-io.js';

/**
 * Entry used by bin/kfguard.js. Exits as soon as stdout and stderr are flushed: waiting for the
 * event loop to wind down by itself costs tens of milliseconds per run (closing handles the
 * module loader left behind), which a CI step pays every time.
 */
export async function run(argv: readonly string[]): Promise<void> {
  const code = await main(argv, nodeIo());
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
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
