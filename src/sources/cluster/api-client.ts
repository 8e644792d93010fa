import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Connection } from './connection.js';
import { credentialError, CredentialError, recordPluginExits } from './exec-plugin.js';

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
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(url);
      } catch (error) {
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
}
