import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
import type { Connection } from './connection.js';
import { credentialError, CredentialError, forgetCredential, recordPluginExits } from './exec-plugin.js';

/** An answer other than 2xx, with the Kubernetes Status reason when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Attempts per request when the connection drops or the server answers 429 or 5xx. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly timeoutMs?: number;
}

/**
 * GETs JSON from the API server (and writes what `kfguard watch` reports back, see `write`). client-node supplies the TLS settings and credentials (tokens,
 * client certificates, exec plugins, refreshed as they expire); the request itself is plain
 * node:https so list pages come back as raw JSON: client-node's typed models would rename and
 * convert fields, and kfguard judges the same wire form as a manifest file.
 */
export class ApiClient {
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  /** One keep-alive agent for the TLS settings in use, and what it was made from. */
  private kept: { readonly settings: readonly unknown[]; readonly agent: HttpsAgent } | undefined;

  constructor(
    private readonly connection: Connection,
    options: ApiClientOptions = {},
  ) {
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    recordPluginExits(connection.kubeConfig);
  }

  async get(path: string, query: Record<string, string> = {}): Promise<unknown> {
    // The server URL may carry a path prefix (a proxy); API paths go after it.
    const url = new URL(`${this.connection.server.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(url);
      } catch (error) {
        // A cached plugin credential the server no longer takes: run the plugin again, once.
        if (error instanceof ApiError && error.status === 401 && !renewed && forgetCredential(this.connection.kubeConfig)) {
          renewed = true;
          attempt--;
          continue;
        }
        // A credential plugin that failed fails again; running it three times only delays the message.
        const retriable = error instanceof ApiError ? error.status === 429 || error.status >= 500 : !(error instanceof CredentialError);
        if (!retriable || attempt >= this.attempts) throw error;
        // Backoff with jitter, so parallel lists do not retry in lockstep.
        await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
      }
    }
  }

  /**
   * One write (`kfguard watch` sinks: Events, PolicyReports), never retried here: a 409 needs the
   * caller to read the object again, and a write repeated blindly could apply twice.
   */
  async write(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown, contentType = 'application/json'): Promise<unknown> {
    const url = new URL(`${this.connection.server.replace(/\/+$/, '')}${path}`);
    return this.once(url, { method, body: JSON.stringify(body), contentType });
  }

  private async once(url: URL, write?: { method: string; body: string; contentType: string }): Promise<unknown> {
    const options: RequestOptions = { headers: { accept: 'application/json', ...(write ? { 'content-type': write.contentType, 'content-length': String(Buffer.byteLength(write.body)) } : {}) } };
    try {
      await this.connection.kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw credentialError(this.connection.kubeConfig, error);
    }
    options.agent = this.reusable(options.agent);
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { ...options, method: write?.method ?? 'GET', timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            if (status >= 200 && status < 300) return reject(new Error(`${url.pathname}: the server's answer is not JSON`));
          }
          if (status >= 200 && status < 300) return resolve(body);
          const s = (body ?? {}) as { reason?: string; message?: string };
          reject(new ApiError(status, s.reason ?? `HTTP ${status}`, (s.message ?? text.slice(0, 200)).split('\n')[0]!));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(write?.body);
    });
  }

  /**
   * client-node makes a new agent, without keep-alive, at every call: each page of a list would
   * then open a TCP connection and do a TLS handshake (a round trip or two, and CPU on both ends).
   * A plain HTTPS agent is replaced by one kept-alive agent with the same settings, made again
   * only when they change (credentials from an exec plugin may rotate a client certificate).
   * Proxy agents are client-node's business and are used as given.
   */
  private reusable(agent: RequestOptions['agent']): RequestOptions['agent'] {
    if (!(agent instanceof HttpsAgent) || agent.constructor !== HttpsAgent) return agent;
    const options = (agent as HttpsAgent & { options: AgentOptions }).options;
    const settings = TLS_SETTINGS.map((key) => options[key]);
    if (this.kept && settings.every((value, i) => sameSetting(value, this.kept!.settings[i]))) return this.kept.agent;
    // The old agent is dropped, not destroyed: requests in flight on it finish; its idle sockets
    // are unreferenced (they keep no process alive) and the server closes them.
    this.kept = { settings, agent: new HttpsAgent({ ...options, keepAlive: true }) };
    return this.kept.agent;
  }
}

/** The agent options client-node sets from the kubeconfig (see KubeConfig.applyToHTTPSOptions). */
const TLS_SETTINGS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'ciphers', 'crl', 'secureProtocol'] as const satisfies readonly (keyof AgentOptions)[];

function sameSetting(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameSetting(x, b[i]));
  return a === b;
}
