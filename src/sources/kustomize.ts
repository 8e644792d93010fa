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
    execFile(file, args, { env, maxBuffer: 1024 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const detail = (stderr || error.message).trim().split('\n').pop() ?? '';
        reject(new SourceError(`${file} failed to render kustomize directory ${dir}: ${detail}`));
      } else resolve(stdout);
    });
  });
}
