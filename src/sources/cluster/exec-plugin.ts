import type { ChildProcess } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Why an exec credential plugin failed, in words. client-node rejects a failed plugin with only
 * its stderr, which is empty for a silent plugin, so the exit code is recorded here as the plugin
 * closes. Only the executable is named, as kubectl does: its arguments may carry secrets.
 */
export class CredentialError extends Error {}

type SpawnLike = (command: string, args: readonly string[], options: object) => ChildProcess;
interface Credential {
  readonly status?: { readonly expirationTimestamp?: string };
}
interface ExecAuthLike {
  execFn: SpawnLike;
  getCredential?: (user: { name: string }) => Promise<Credential | null>;
  tokenCache?: Record<string, Credential | null>;
}

/** How to forget the cached credential of a KubeConfig (after a 401), by KubeConfig. */
const forgetters = new WeakMap<KubeConfig, () => void>();

/**
 * Keeps an exec plugin's credential until it expires or the server refuses it (a 401), as kubectl
 * does. client-node caches it only while its `expirationTimestamp` is in the future, so a plugin
 * that gives none (allowed: "the credential does not expire") was run for every request, 38 times
 * in one scan; and parallel requests each ran it before the first answer came back.
 */
function cacheCredentials(exec: ExecAuthLike, kubeConfig: KubeConfig): void {
  const original = exec.getCredential?.bind(exec);
  if (!original) return;
  const cached = new Map<string, Promise<Credential | null>>();
  exec.getCredential = (user) => {
    const known = cached.get(user.name);
    if (known) return known;
    const pending = original(user).then(
      (credential) => {
        const expires = Date.parse(credential?.status?.expirationTimestamp ?? '');
        // With an expiry, client-node's own cache applies and drops it in time: not kept here.
        if (!Number.isNaN(expires) || !credential) cached.delete(user.name);
        return credential;
      },
      (error: unknown) => {
        cached.delete(user.name);
        throw error;
      },
    );
    cached.set(user.name, pending);
    return pending;
  };
  forgetters.set(kubeConfig, () => {
    cached.clear();
    if (exec.tokenCache) for (const key of Object.keys(exec.tokenCache)) exec.tokenCache[key] = null;
  });
}

/**
 * Drops the exec plugin's cached credential (the server answered 401): the next request runs the
 * plugin again. True when a plugin's credential was cached, so one retry can use a fresh one.
 */
export function forgetCredential(kubeConfig: KubeConfig): boolean {
  const forget = forgetters.get(kubeConfig);
  forget?.();
  return forget !== undefined;
}

const lastExit = new WeakMap<KubeConfig, { code: number | null }>();

/**
 * Wraps the spawn function of this KubeConfig's exec authenticator to remember the last exit code,
 * and its credential lookup to cache what the plugin gave (`cacheCredentials`).
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
  cacheCredentials(exec, kubeConfig);
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
