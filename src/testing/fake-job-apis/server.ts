import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificates } from '../../webhook/certs.js';
import { localhostCertificate } from '../fake-apiserver/tls.js';

/** What a handler answers: a status and a JSON body. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type FakeRoute = (url: URL) => FakeAnswer | undefined;

/** An answer never sent: the request waits until the client gives up (a hung server, for timeouts). */
export const NO_ANSWER: FakeAnswer = { status: 0, body: undefined };

export interface FakeJobApiOptions {
  readonly token?: string;
  readonly prefix?: string;
  /**
   * HTTPS with a certificate signed by `caPem` (trust it with NODE_EXTRA_CA_CERTS). With
   * `untrustedAfter: n`, every answer closes its connection and, after n answers, new connections
   * get a certificate from another CA: a later request fails verification, as behind a load
   * balancer whose backends do not share a certificate.
   */
  readonly tls?: { readonly untrustedAfter?: number };
}

export interface FakeJobApi {
  readonly url: string;
  /** Every request received, method and path with query, in order. */
  readonly requests: { readonly method: string; readonly path: string; readonly authorization?: string; readonly cookie?: string }[];
  /** With `tls`: the CA a client must trust. */
  readonly caPem?: string;
  close(): Promise<void>;
}

/**
 * A local HTTP server that answers like a job API (test-only): routes return the JSON the real
 * server returns, and requests are recorded so tests can check that only GETs were made. With
 * `token`, requests without `Authorization: Bearer <token>` get 401, as an authenticated API does.
 */
export async function startFakeJobApi(routes: readonly FakeRoute[], options: FakeJobApiOptions = {}): Promise<FakeJobApi> {
  const requests: FakeJobApi['requests'] = [];
  const untrustedAfter = options.tls?.untrustedAfter;
  let answered = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}) });
    const send = ({ status, body }: FakeAnswer): void => {
      if (status === NO_ANSWER.status) return;
      res.writeHead(status, { 'content-type': 'application/json', ...(untrustedAfter !== undefined ? { connection: 'close' } : {}) });
      res.end(JSON.stringify(body));
      if (untrustedAfter !== undefined && ++answered === untrustedAfter && untrusted) (server as HttpsServer).setSecureContext({ cert: untrusted.cert, key: untrusted.key });
    };
    if (req.method !== 'GET') return send({ status: 405, body: { error: 'method not allowed' } });
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) return send({ status: 401, body: { error: 'Unauthorized', code: 16 } });
    const url = new URL(req.url ?? '/', 'http://fake');
    if (options.prefix) {
      if (!url.pathname.startsWith(options.prefix)) return send({ status: 404, body: { error: 'Not Found' } });
      url.pathname = url.pathname.slice(options.prefix.length) || '/';
    }
    for (const route of routes) {
      const answer = route(url);
      if (answer) return send(answer);
    }
    return send({ status: 404, body: { error: 'Not Found', code: 5, message: 'Not Found' } });
  };
  const certificate = options.tls ? await localhostCertificate() : undefined;
  const untrusted = untrustedAfter !== undefined ? await generateCertificates({ service: 'other-backend', namespace: 'test', extraNames: ['127.0.0.1', 'localhost'], days: 2 }) : undefined;
  const server: Server | HttpsServer = certificate ? createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${certificate ? 'https' : 'http'}://127.0.0.1:${port}${options.prefix ?? ''}`,
    requests,
    ...(certificate ? { caPem: certificate.caPem } : {}),
    close: () =>
      new Promise((resolve) => {
        // Requests left unanswered (NO_ANSWER) would hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One page of `items` by an opaque offset token, as KFP's `page_token`/`next_page_token` and Kubernetes' `continue` work. */
export function pageOf<T>(items: readonly T[], size: number, token: string | null): { readonly items: T[]; readonly next: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : '' };
}
