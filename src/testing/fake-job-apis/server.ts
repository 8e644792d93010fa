import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a handler answers: a status and a JSON body. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type FakeRoute = (url: URL) => FakeAnswer | undefined;

export interface FakeJobApi {
  readonly url: string;
  /** Every request received, method and path with query, in order. */
  readonly requests: { readonly method: string; readonly path: string; readonly authorization?: string; readonly cookie?: string }[];
  close(): Promise<void>;
}

/**
 * A local HTTP server that answers like a job API (test-only): routes return the JSON the real
 * server returns, and requests are recorded so tests can check that only GETs were made. With
 * `token`, requests without `Authorization: Bearer <token>` get 401, as an authenticated API does.
 */
export async function startFakeJobApi(routes: readonly FakeRoute[], options: { token?: string; prefix?: string } = {}): Promise<FakeJobApi> {
  const requests: FakeJobApi['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}) });
    const send = ({ status, body }: FakeAnswer): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.prefix ?? ''}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One page of `items` by an opaque offset token, as KFP's `page_token`/`next_page_token` and Kubernetes' `continue` work. */
export function pageOf<T>(items: readonly T[], size: number, token: string | null): { readonly items: T[]; readonly next: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : '' };
}
