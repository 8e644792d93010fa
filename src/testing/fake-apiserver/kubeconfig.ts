/** Test-only: a kubeconfig pointing at the fake API server, as `kind` or a cloud CLI would write one. */
import type { FakeApiServer } from './server.js';

export interface KubeconfigOptions {
  readonly context?: string;
  /** Authenticate with an exec credential plugin (this command and args) instead of a static token. */
  readonly exec?: { readonly command: string; readonly args: readonly string[] };
  readonly token?: string;
}

export function kubeconfigFor(server: FakeApiServer, options: KubeconfigOptions = {}): string {
  const context = options.context ?? 'fake';
  const user = options.exec
    ? { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: options.exec.command, args: options.exec.args, interactiveMode: 'Never' } }
    : { token: options.token ?? server.token };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake-cluster', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.caPem).toString('base64') } }],
    users: [{ name: 'fake-user', user }],
    contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user' } }],
    'current-context': context,
  }, null, 2);
}
