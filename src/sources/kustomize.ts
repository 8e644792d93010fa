import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { SourceError } from '../core/errors.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

async function onPath(command: string, pathVariable: string | undefined): Promise<boolean> {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

const RENDER_TIMEOUT_MS = 120_000;

/** The line of kustomize's error output that says what went wrong (it ends with context lines). */
function renderFailure(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line.length > 2);
  const error = lines.find((line) => /^error:/i.test(line));
  return (error ?? lines[lines.length - 1] ?? 'no error output').replace(/^error:\s*/i, '');
}

/** Renders a kustomize directory with `kubectl kustomize` or `kustomize build`, whichever exists. */
export async function renderKustomize(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let command: [string, string[]];
  if (await onPath('kubectl', env.PATH)) command = ['kubectl', ['kustomize', dir]];
  else if (await onPath('kustomize', env.PATH)) command = ['kustomize', ['build', dir]];
  else {
    throw new SourceError(
      `cannot render kustomize directory ${dir}: neither kubectl nor kustomize is on PATH`,
      'install kubectl (which has `kubectl kustomize`) or kustomize, or scan the rendered YAML instead',
    );
  }
  const [file, args] = command;
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 1024 * 1024 * 1024, timeout: RENDER_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error) resolve(stdout);
      else if (error.killed) {
        reject(new SourceError(`${file} did not render kustomize directory ${dir} within ${RENDER_TIMEOUT_MS / 1000} s; a remote resource that never answers is the usual cause`));
      } else reject(new SourceError(`${file} failed to render kustomize directory ${dir}: ${renderFailure(stderr || error.message)}`));
    });
  });
}
