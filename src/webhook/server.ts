import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { coverageReason } from '../core/coverage.js';
import { errorMessage } from '../core/errors.js';
import type { Snapshot } from '../core/snapshot.js';
import { CertReloader, type KeyPair } from './cert-reload.js';
import { handleReview, type JudgeContext } from './handler.js';
import type { LoadedSnapshot } from './snapshot-loader.js';
import { DRAIN_GRACE_MS, MAX_REVIEW_BYTES } from './settings.js';
import { warmUp } from './warm-up.js';

export interface WebhookServerOptions {
  readonly tls: KeyPair;
  /** When given, the certificate reloads as these files change. */
  readonly certFiles?: { readonly cert: string; readonly key: string; readonly intervalMs?: number };
  readonly context: Omit<JudgeContext, 'snapshot'>;
  /** Where the snapshot comes from, for /readyz. */
  readonly snapshotSource: string;
}

const TLS_MIN_VERSION = 'TLSv1.2';

/**
 * The HTTPS server: POST /validate, GET /healthz, /readyz and /metrics. Ready once the snapshot
 * is loaded; on drain it stops accepting, finishes in-flight reviews, then closes.
 */
export class WebhookServer {
  readonly server: Server;
  private loaded: LoadedSnapshot | undefined;
  private loadError: string | undefined;
  private inFlight = 0;
  private draining = false;
  /** Set on SIGTERM: /readyz answers 503 while the listener still serves, until the drain. */
  private stopping = false;
  private reloader: CertReloader | undefined;
  private readonly context: JudgeContext;

  constructor(private readonly options: WebhookServerOptions) {
    this.context = { ...options.context, snapshot: (): Snapshot | undefined => this.loaded?.snapshot };
    this.context.metrics.countInFlight(() => this.inFlight);
    this.server = createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: TLS_MIN_VERSION }, (req, res) => void this.route(req, res));
    // The API server keeps connections open between reviews; slow or stalled clients are cut off.
    this.server.keepAliveTimeout = 30_000;
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
    // A client that sends `Expect: 100-continue` (curl does for bodies over 1 MiB) waits for
    // permission to upload: a body declared too large is refused before it is sent, not cut off
    // mid-upload, which the client would see as a broken pipe instead of the 413.
    this.server.on('checkContinue', (req, res) => {
      if (Number(req.headers['content-length'] ?? 0) > MAX_REVIEW_BYTES) return this.tooLarge(req, res);
      res.writeContinue();
      void this.route(req, res);
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
    this.server.on('tlsClientError', (error) => this.context.logger.debug({ err: errorMessage(error) }, 'TLS handshake failed'));
  }

  async listen(port: number, address?: string): Promise<AddressInfo> {
    if (this.options.certFiles) {
      const { cert, key, intervalMs } = this.options.certFiles;
      this.reloader = new CertReloader(cert, key, (pair) => this.server.setSecureContext({ cert: pair.cert, key: pair.key, minVersion: TLS_MIN_VERSION }), (result, detail) => {
        this.context.metrics.certReloads.inc({ result });
        if (result === 'reloaded') this.context.logger.info({ cert }, 'serving certificate reloaded');
        else this.context.logger.warn({ cert, err: detail }, 'serving certificate not reloaded; keeping the previous one');
      }, intervalMs);
      await this.reloader.start();
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, address, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /** Checks the certificate files now (tests; the watch and the periodic check do it otherwise). */
  checkCertificates(): Promise<void> {
    return this.reloader?.check() ?? Promise.resolve();
  }

  /** Warms the engine over the snapshot, then reports ready: the first review must not pay for the baselines. */
  setSnapshot(loaded: LoadedSnapshot): void {
    warmUp(loaded.snapshot, this.context);
    this.loaded = loaded;
    this.context.metrics.snapshotLoaded(loaded.loadedAt);
  }

  snapshotFailed(message: string): void {
    this.loadError = message;
  }

  get ready(): boolean {
    return this.loaded !== undefined && !this.draining && !this.stopping;
  }

  /**
   * On SIGTERM: not ready at once, so endpoints stop routing here, but still answering every
   * review for `delayMs` (the API servers may not have seen the endpoint change yet), then drain.
   */
  async shutdown(delayMs: number, graceMs = DRAIN_GRACE_MS): Promise<void> {
    this.stopping = true;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await this.drain(graceMs);
  }

  /** Stops accepting, lets in-flight reviews finish (up to `graceMs`), then closes every connection. */
  async drain(graceMs = DRAIN_GRACE_MS): Promise<void> {
    this.draining = true;
    this.reloader?.stop();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
      // Idle keep-alive connections would hold close() open; ones that become idle are closed as they do.
      const idle = setInterval(() => this.server.closeIdleConnections(), 50);
      this.server.close(() => {
        clearTimeout(force);
        clearInterval(idle);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Draining: answer what arrives on open connections, then close them.
    if (this.draining) res.setHeader('Connection', 'close');
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/validate') {
        if (req.method !== 'POST') return send(res, 405, { error: 'POST an AdmissionReview to /validate' });
        return await this.validate(req, res);
      }
      if (req.method !== 'GET') return send(res, 405, { error: `${req.method ?? ''} not allowed on ${path}` });
      if (path === '/healthz') return send(res, 200, { status: 'ok' });
      if (path === '/readyz') return send(res, this.ready ? 200 : 503, this.readiness());
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': this.context.metrics.registry.contentType });
        res.end(await this.context.metrics.text());
        return;
      }
      send(res, 404, { error: `no endpoint ${path}; endpoints: POST /validate, GET /healthz, /readyz, /metrics` });
    } catch (error) {
      this.context.logger.error({ err: errorMessage(error) }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  }

  private async validate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_REVIEW_BYTES) return this.tooLarge(req, res);
    this.inFlight += 1;
    try {
      const body = await readBody(req, MAX_REVIEW_BYTES);
      if (body === undefined) return this.tooLarge(req, res);
      const pending = handleReview(body, this.context, receivedAt);
      const result = pending instanceof Promise ? await pending : pending;
      send(res, result.status, result.body);
    } finally {
      this.inFlight -= 1;
    }
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.context.metrics.rejected.inc({ reason: 'too-large' });
    // The rest of the body is not read; the connection cannot be reused.
    res.setHeader('Connection', 'close');
    send(res, 413, { error: `AdmissionReview larger than ${MAX_REVIEW_BYTES} bytes` });
    req.resume();
  }

  private readiness(): unknown {
    const gaps = [
      ...(this.loaded?.coverageGaps?.() ?? []),
      ...this.context.rules.filter((rule) => !rule.meta.sources.includes('admission')).map((rule) => `${rule.meta.id}: ${coverageReason(rule.meta, 'admission')}`),
    ];
    const loaded = this.loaded;
    return {
      ready: this.ready,
      ...(this.draining ? { draining: true } : this.stopping ? { stopping: true } : {}),
      snapshot: loaded
        ? { source: this.options.snapshotSource, objects: loaded.snapshot.size, loadedAt: new Date(loaded.loadedAt).toISOString(), unreadable: loaded.problems.map((p) => p.file) }
        : { source: this.options.snapshotSource, loaded: false, ...(this.loadError ? { error: this.loadError } : {}) },
      coverageGaps: gaps,
      inFlight: this.inFlight,
    };
  }
}

/** The body as text, or undefined once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
