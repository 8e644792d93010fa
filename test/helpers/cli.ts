import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { writeInside } from '../../src/cli/write-inside.js';
import { makeDirectories } from '../../src/cli/make-directories.js';
import { REPO_ROOT } from '../../src/testing/shared.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly written: ReadonlyMap<string, string>;
}

/** Runs the CLI in-process with an in-memory io. */
export async function runCli(
  argv: readonly string[],
  options: { cwd?: string; stdin?: string | Buffer; env?: NodeJS.ProcessEnv; tty?: boolean; stderrTty?: boolean; serviceAccountRoot?: string; setV8Flags?: (flag: string) => void } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string>();
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => (typeof options.stdin === 'string' ? Buffer.from(options.stdin) : (options.stdin ?? Buffer.alloc(0))),
    writeFile: async (path, content, root) => {
      if (root !== undefined) {
        await writeInside(root, path, content);
        written.set(path, content);
        return;
      }
      written.set(path, content);
      await makeDirectories(dirname(path));
      await writeFile(path, content);
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? { PATH: process.env.PATH },
    stdoutIsTty: options.tty ?? false,
    ...(options.stderrTty === undefined ? {} : { stderrIsTty: options.stderrTty, stderrRaw: (t: string) => void (stderr += t) }),
    ...(options.serviceAccountRoot === undefined ? {} : { serviceAccountRoot: options.serviceAccountRoot }),
    ...(options.setV8Flags === undefined ? {} : { setV8Flags: options.setV8Flags }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, written };
}

/** Runs the built binary as a user would (needs `npm run build`). */
export function runBin(args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kfguard.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'kfguard-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export const EXPOSED_GATEWAY = `apiVersion: v1
kind: Service
metadata:
  name: istio-ingressgateway
  namespace: istio-system
  labels: {app: istio-ingressgateway, istio: ingressgateway}
spec:
  type: LoadBalancer
  selector: {app: istio-ingressgateway, istio: ingressgateway}
  ports:
  - {name: http2, port: 80, targetPort: 8080}
`;
