import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { SourceError } from '../../core/errors.js';

export interface ConnectionOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * A directory standing for `/` when looking for the pod's service-account files
   * (`/var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace}`): client-node's own
   * `loadFromCluster(pathPrefix)` parameter. Empty (the real paths) except in tests, which put a
   * token and CA in a temporary directory. client-node takes the server's host and port from
   * `process.env` (KUBERNETES_SERVICE_HOST/PORT); `env` here only decides whether to use them.
   */
  readonly serviceAccountRoot?: string;
}

export interface Connection {
  readonly kubeConfig: KubeConfig;
  /** How reports name the cluster: the kubeconfig context, or `in-cluster`. */
  readonly context: string;
  readonly server: string;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Finds the cluster the way kubectl does: `--kubeconfig`, then `$KUBECONFIG`, then
 * `~/.kube/config`, then the pod's service account. Unlike client-node's `loadFromDefault`, no
 * config at all is an error: it would otherwise talk to http://localhost:8080 without a word.
 * client-node is imported here, on demand, so file scans and `--version` never load it.
 */
export async function connect(options: ConnectionOptions): Promise<Connection> {
  const { KubeConfig } = await import('./kube-config.js');
  const kubeConfig = new KubeConfig();
  const files = configFiles(options);
  try {
    if (files.length > 0) {
      const loaded = files.filter((file) => readFileSync(file, 'utf8').trim() !== '').map((file) => {
        const one = new KubeConfig();
        one.loadFromFile(file);
        return one;
      });
      if (loaded.length === 0) {
        throw new SourceError(`no cluster configured: kubeconfig ${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} empty`, 'point --kubeconfig at a kubeconfig file with a cluster, a user and a context');
      }
      mergeAsKubectl(kubeConfig, loaded);
    } else if (options.env.KUBERNETES_SERVICE_HOST && existsSync(`${options.serviceAccountRoot ?? ''}${SERVICE_ACCOUNT_TOKEN}`)) {
      kubeConfig.loadFromCluster(options.serviceAccountRoot ?? '');
    } else if (options.env.KUBERNETES_SERVICE_HOST) {
      // In a pod (the variable is set) whose service-account token is not mounted.
      throw new SourceError(
        `no cluster configured: KUBERNETES_SERVICE_HOST is set (running in a pod?) but there is no service-account token at ${SERVICE_ACCOUNT_TOKEN}, and no --kubeconfig, $KUBECONFIG or ~/.kube/config`,
        'mount the service account token (automountServiceAccountToken: true) or point --kubeconfig at a kubeconfig file',
      );
    } else {
      throw new SourceError(
        'no cluster configured: no --kubeconfig, no $KUBECONFIG, no ~/.kube/config and not running in a pod',
        'point --kubeconfig at a kubeconfig file, or run kfguard in the cluster with a service account',
      );
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`cannot read kubeconfig ${files.join(', ')}: ${firstLine(error)}`);
  }
  if (options.context !== undefined) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name);
      throw new SourceError(`no context "${options.context}" in the kubeconfig`, known.length > 0 ? `contexts: ${known.join(', ')}` : undefined);
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster?.server) {
    throw new SourceError(`the kubeconfig's current context "${kubeConfig.getCurrentContext() ?? ''}" names no cluster with a server`, 'pass --context NAME');
  }
  const inCluster = files.length === 0;
  return { kubeConfig, context: inCluster ? 'in-cluster' : kubeConfig.getCurrentContext(), server: cluster.server };
}

/**
 * The files of `$KUBECONFIG` merged as kubectl merges them (client-go's loading rules): the first
 * file to name a cluster, user or context wins, and the first non-empty current-context is used.
 * client-node's `mergeConfig` refuses the same name twice ("Duplicate cluster"), which kubectl
 * users meet as soon as two files describe the same cluster.
 */
function mergeAsKubectl(target: KubeConfig, loaded: readonly KubeConfig[]): void {
  const firstByName = <T extends { name: string }>(lists: readonly (readonly T[])[]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  target.loadFromOptions({
    clusters: firstByName(loaded.map((k) => k.clusters)),
    users: firstByName(loaded.map((k) => k.users)),
    contexts: firstByName(loaded.map((k) => k.contexts)),
    currentContext: loaded.map((k) => k.currentContext).find((name) => typeof name === 'string' && name !== '') ?? '',
  });
}

function configFiles(options: ConnectionOptions): string[] {
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) throw new SourceError(`kubeconfig ${options.kubeconfig} does not exist`);
    return [options.kubeconfig];
  }
  const named = (options.env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  const fromEnv = named.filter((f) => existsSync(f));
  if (fromEnv.length > 0) return fromEnv;
  // As kubectl: a $KUBECONFIG that is set replaces ~/.kube/config, so none of its files existing is an error, named.
  if (named.length > 0) {
    throw new SourceError(`$KUBECONFIG names ${named.join(', ')}, ${named.length > 1 ? 'none of which exists' : 'which does not exist'}`, 'fix $KUBECONFIG or pass --kubeconfig FILE');
  }
  const home = options.env.HOME ?? options.env.USERPROFILE;
  const defaultFile = home ? join(home, '.kube', 'config') : undefined;
  return defaultFile && existsSync(defaultFile) ? [defaultFile] : [];
}

export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
