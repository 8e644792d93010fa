import { escapeForTerminalLines } from '../report/terminal-safe.js';
import { writeFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { dirname, resolve } from 'node:path';
import type { CliIo } from './io.js';
import { linkBelow, writeInside } from './write-inside.js';
import { makeDirectories } from './make-directories.js';

async function readAllStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    // `kfguard scan - < /dev/zero` must end with an error, not fill memory.
    if (total > maxBytes) {
      process.stdin.destroy();
      throw new Error(`more than ${Math.round(maxBytes / (1024 * 1024))} MB on stdin; refusing to read further`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    // Messages on stderr quote file names and input; nothing kfguard writes there is meant to steer the terminal.
    stderr: (text) => void process.stderr.write(escapeForTerminalLines(text)),
    stderrRaw: (text) => void process.stderr.write(text),
    readStdin: readAllStdin,
    stdinChunks: () => process.stdin as AsyncIterable<Buffer>,
    writeFile: async (path, content, root) => {
      if (root !== undefined) return writeInside(root, path, content);
      // A report path inside the working directory is a path of the scanned tree, whose author may
      // have committed `kfguard.sarif -> ~/.bashrc`: no link below the working directory is followed.
      const link = await linkBelow(process.cwd(), resolve(path));
      if (link !== undefined) throw new Error(`refusing to write through the symbolic link ${link}`);
      await makeDirectories(dirname(path));
      await writeFile(path, content);
    },
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    setV8Flags: setFlagsFromString,
  };
}
