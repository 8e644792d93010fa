import { main } from './main.js';
import { nodeIo } from './node-io.js';

/** Entry used by bin/kfguard.js: waits for stdout to drain before exiting with the code. */
export async function run(argv: readonly string[]): Promise<void> {
  const code = await main(argv, nodeIo());
  process.exitCode = code;
}
