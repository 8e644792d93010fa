/**
 * Test-only: create, read, replace, list and delete any object on an API server named by a
 * kubeconfig, for the live-cluster suite (`live-cluster.ts`). Plain node:https with client-node's
 * TLS settings and credentials, as src/sources/cluster/api-client.ts reads: client-node's typed
 * object API would drop every field its models do not know, and the suite must create the objects
 * exactly as the files carry them. Discovery maps a kind to its resource path, asked per group
 * version and never cached across a miss, so a kind served by a CRD created a moment ago is found
 * (a hit is kept: kinds do not go away while a test runs).
 */
import { request } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { K8sObject } from '../../src/core/types.js';
import { connect, type Connection } from '../../src/sources/cluster/connection.js';

export class LiveApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

interface Resource {
  readonly plural: string;
  readonly namespaced: boolean;
}

export class LiveApi {
  private readonly resources = new Map<string, Map<string, Resource>>();

  private constructor(private readonly connection: Connection) {}

  static async open(kubeconfig: string): Promise<LiveApi> {
    return new LiveApi(await connect({ kubeconfig, env: {} }));
  }

  get context(): string {
    return this.connection.context;
  }

  /** The resource serving this kind, or undefined when the server serves no such kind (yet). */
  async resourceOf(apiVersion: string, kind: string): Promise<Resource | undefined> {
    let kinds = this.resources.get(apiVersion);
    if (!kinds) {
      const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      let list: { resources?: { name: string; kind: string; namespaced: boolean }[] };
      try {
        list = (await this.request('GET', prefix)) as typeof list;
      } catch (error) {
        if (error instanceof LiveApiError && error.status === 404) return undefined;
        throw error;
      }
      kinds = new Map((list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
      this.resources.set(apiVersion, kinds);
    }
    const found = kinds.get(kind);
    // A miss is not remembered: the CRD that serves the kind may be created next.
    if (!found) this.resources.delete(apiVersion);
    return found;
  }

  /** The collection path of the object's kind (in its namespace), and the item path. */
  async pathsOf(object: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<{ collection: string; item: string; namespaced: boolean }> {
    const resource = await this.resourceOf(object.apiVersion, object.kind);
    if (!resource) throw new Error(`the API server serves no ${object.apiVersion} ${object.kind}`);
    const prefix = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = object.metadata?.namespace;
    if (resource.namespaced && !namespace) throw new Error(`${object.kind} ${object.metadata?.name ?? ''} is namespaced but names no namespace`);
    const collection = resource.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace!)}/${resource.plural}` : `${prefix}/${resource.plural}`;
    return { collection, item: `${collection}/${encodeURIComponent(object.metadata?.name ?? '')}`, namespaced: resource.namespaced };
  }

  /** The objects of a kind (in a namespace, or all), with the apiVersion and kind list items leave out. */
  async list(apiVersion: string, kind: string, namespace?: string): Promise<K8sObject[]> {
    const resource = await this.resourceOf(apiVersion, kind);
    if (!resource) throw new Error(`the API server serves no ${apiVersion} ${kind}`);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const collection = resource.namespaced && namespace !== undefined ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}` : `${prefix}/${resource.plural}`;
    const list = (await this.request('GET', collection)) as { items?: K8sObject[] };
    return (list.items ?? []).map((item) => ({ ...item, apiVersion, kind }));
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const options: RequestOptions = { headers: { accept: 'application/json', ...(text !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) } };
    await this.connection.kubeConfig.applyToHTTPSOptions(options);
    const url = new URL(`${this.connection.server.replace(/\/+$/, '')}${path}`);
    return new Promise((resolve, reject) => {
      const req = request(url, { ...options, method, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const answer = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = JSON.parse(answer);
          } catch {
            parsed = undefined;
          }
          if (status >= 200 && status < 300) return resolve(parsed);
          const s = (parsed ?? {}) as { reason?: string; message?: string };
          reject(new LiveApiError(status, s.reason ?? `HTTP ${status}`, `${method} ${path}: ${status} ${(s.message ?? answer.slice(0, 200)).split('\n')[0]!}`));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(text);
    });
  }
}
