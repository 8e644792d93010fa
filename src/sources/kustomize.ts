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

/** A render gets two minutes: long enough to fetch a remote base, short enough to end a hung one. */
export const RENDER_TIMEOUT_MS = 120_000;
const MAX_STDERR_CHARS = 8 * 1024;

/**
 * The whole of the renderer's error output on one line (lines joined with ` | `): kustomize puts
 * the cause first and context after, and either may be what the reader needs.
 */
export function renderFailure(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const joined = lines.join(' | ').replace(/^error:\s*/i, '') || 'no error output';
  return joined.length > MAX_STDERR_CHARS ? `${joined.slice(0, MAX_STDERR_CHARS)} …` : joined;
}

export async function helmOnPath(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return onPath('helm', env.PATH);
}

/** Renders a Helm chart with `helm template` (default values), when helm is installed. */
export function renderHelmChart(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('helm', ['template', 'kfguard', dir], { env, maxBuffer: 1024 * 1024 * 1024, timeout: RENDER_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error) resolve(stdout);
      else reject(new SourceError(`helm failed to render chart ${dir}: ${renderFailure(stderr || error.message)}`));
    });
  });
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
