import type { ChildProcess } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Why an exec credential plugin failed, in words. client-node rejects a failed plugin with only
 * its stderr, which is empty for a silent plugin, so the exit code is recorded here as the plugin
 * closes. Only the executable is named, as kubectl does: its arguments may carry secrets.
 */
export class CredentialError extends Error {}

type SpawnLike = (command: string, args: readonly string[], options: object) => ChildProcess;
interface ExecAuthLike {
  execFn: SpawnLike;
}

const lastExit = new WeakMap<KubeConfig, { code: number | null }>();

/**
 * Wraps the spawn function of this KubeConfig's exec authenticator to remember the last exit code.
 * The authenticator is a private field of client-node (1.x); when its shape is not found, failures
 * are still named, without the code.
 */
export function recordPluginExits(kubeConfig: KubeConfig): void {
  if (lastExit.has(kubeConfig)) return;
  const record = { code: null as number | null };
  lastExit.set(kubeConfig, record);
  const authenticators = (kubeConfig as unknown as { authenticators?: unknown }).authenticators;
  if (!Array.isArray(authenticators)) return;
  const exec = authenticators.find((a): a is ExecAuthLike => typeof (a as Partial<ExecAuthLike> | undefined)?.execFn === 'function');
  if (!exec) return;
  const spawn = exec.execFn;
  exec.execFn = (command, args, options) => {
    const child = spawn(command, args, options);
    child.on('close', (code) => (record.code = code));
    return child;
  };
}

/** A credential failure as a CredentialError naming the plugin, or the error itself when no plugin is configured. */
export function credentialError(kubeConfig: KubeConfig, error: unknown): unknown {
  const user = kubeConfig.getCurrentUser();
  const exec = (user?.exec ?? (user?.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as { command?: unknown } | undefined;
  if (typeof exec?.command !== 'string') return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n').find((line) => line.trim() !== '')?.trim();
  const spawnFailed = (error as { code?: unknown }).code !== undefined && /^spawn /.test(message ?? '');
  if (spawnFailed) return new CredentialError(`exec credential plugin ${exec.command} could not run: ${message}`);
  const code = lastExit.get(kubeConfig)?.code;
  const how = typeof code === 'number' ? `exited with code ${code}` : 'failed';
  return new CredentialError(`exec credential plugin ${exec.command} ${how}${message ? `: ${message}` : ' and wrote nothing to stderr'}`);
}
