#!/usr/bin/env node
// Answers --version without loading the engine, so the common health check stays as fast as `node -e 0`.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { run } = await import('../dist/kfguard.js');
  await run(args);
}
