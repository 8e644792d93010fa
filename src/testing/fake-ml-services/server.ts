/**
 * Test-only FAKE of an ML platform's front door: one local HTTP or HTTPS server that answers as
 * the chosen products would (see products.ts), optionally behind a FAKE of the authenticating
 * layer a real install puts in front (oauth2-proxy, the old OIDC authservice, an Istio JWT policy,
 * Google IAP, Amazon Cognito). It records every request so tests can check what a probe sent.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { localhostCertificate } from '../fake-apiserver/tls.js';
import { html, productHandler, type FakeAnswer, type FakeProduct, type ProductMode } from './products.js';

/**
 * - `oauth2-proxy`: Kubeflow 1.9+. API routes (oauth2_proxy.cfg `api_routes = ["/api/", "/apis/",
 *   "^/ml_metadata"]`, kubeflow/manifests common/oauth2-proxy) get 401; pages get a 302 to
 *   `/oauth2/start`, which redirects to Dex.
 * - `oauth2-proxy-sign-in`: the same with the provider button shown: pages get the sign-in page
 *   with a 403 (oauth2-proxy `SignInPage` when `skip_provider_button` is false).
 * - `authservice`: Kubeflow before 1.9 (oidc-authservice as an EnvoyFilter): everything but `/dex`
 *   gets a 302 to `/dex/auth?…` (`OIDC_AUTH_URL=/dex/auth`).
 * - `istio-jwt`: an AuthorizationPolicy denying requests without a JWT principal: 403 `RBAC: access denied`.
 * - `google-iap`: a 302 to accounts.google.com (Identity-Aware Proxy).
 * - `cognito`: an AWS ALB `authenticate-cognito` action: a 302 to the Cognito hosted UI.
 */
export type GatewayAuth = 'none' | 'oauth2-proxy' | 'oauth2-proxy-sign-in' | 'authservice' | 'istio-jwt' | 'google-iap' | 'cognito';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type RawRoute = (request: IncomingMessage, response: ServerResponse) => void;

export interface FakeMlServiceOptions {
  readonly products?: readonly FakeProduct[];
  readonly mode?: ProductMode;
  readonly gateway?: GatewayAuth;
  readonly tls?: boolean;
  /** Products answer only under this path (a notebook's `NB_PREFIX`, a proxied UI). */
  readonly prefix?: string;
  readonly kfpMultiUser?: boolean;
  /** Argo Server installed `--namespaced` for this namespace (see products.ts). */
  readonly argoManagedNamespace?: string;
  /** What answers paths no product knows: a 404 (default) or a single-page app's HTML shell with a 200. */
  readonly fallback?: 'not-found' | 'spa-shell';
  /** Paths answered by hand, before anything else: hostile servers in tests. */
  readonly raw?: Readonly<Record<string, RawRoute>>;
}

export interface FakeMlService {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** PEM of the CA that signed the serving certificate, for `--ca` (HTTPS only). */
  readonly certPem?: string;
  close(): Promise<void>;
}

const API_ROUTES = [/\/api\//, /\/apis\//, /^\/ml_metadata/];
/** A state parameter like a real login flow's: a token the probe must never print. */
const STATE = 'c3RhdGUtdG9rZW4tMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A';

function gatewayAnswer(gateway: GatewayAuth, path: string, host: string): FakeAnswer | undefined {
  if (gateway === 'none' || path.startsWith('/dex/') || path.startsWith('/oauth2/')) {
    if (path === '/oauth2/start') return redirect(`/dex/auth?client_id=kubeflow-oidc-authservice&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=openid+profile+email+groups&state=${STATE}`);
    if (path === '/dex/auth') return html('<html><head><title>dex</title></head><body><form method="post"><input name="login"><input name="password" type="password"></form></body></html>');
    return undefined;
  }
  const api = API_ROUTES.some((route) => route.test(path));
  switch (gateway) {
    case 'oauth2-proxy':
      return api ? { status: 401, body: 'Unauthorized\n', contentType: 'text/plain; charset=utf-8' } : redirect(`/oauth2/start?rd=${encodeURIComponent(path)}`);
    case 'oauth2-proxy-sign-in':
      return api
        ? { status: 401, body: 'Unauthorized\n', contentType: 'text/plain; charset=utf-8' }
        : html(`<!DOCTYPE html><html><head><title>Sign In</title></head><body><form method="GET" action="/oauth2/start"><input type="hidden" name="rd" value="${path}"><button type="submit">Sign in with Dex</button></form><footer>Secured with OAuth2 Proxy</footer></body></html>`, 403);
    case 'authservice':
      return redirect(`/dex/auth?client_id=kubeflow-oidc-authservice&redirect_uri=%2Flogin%2Foidc&response_type=code&scope=profile+email+groups+openid&state=${STATE}`);
    case 'istio-jwt':
      return { status: 403, body: 'RBAC: access denied', contentType: 'text/plain' };
    case 'google-iap':
      return redirect(`https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&response_type=code&scope=openid+email&redirect_uri=https%3A%2F%2F${host}%2F_gcp_gatekeeper%2Fauthenticate&state=${STATE}`);
    case 'cognito':
      return redirect(`https://kubeflow-example.auth.us-east-1.amazoncognito.com/oauth2/authorize?client_id=5abc&response_type=code&redirect_uri=https%3A%2F%2F${host}%2Foauth2%2Fidpresponse&state=${STATE}`);
  }
}

function redirect(location: string): FakeAnswer {
  return { status: 302, body: '', contentType: 'text/html', headers: { location } };
}

export async function startFakeMlService(options: FakeMlServiceOptions): Promise<FakeMlService> {
  const requests: RecordedRequest[] = [];
  // The dashboard answers every other path with its HTML shell, so it goes last, as the Kubeflow
  // gateway routes `/pipeline` and `/jupyter` before its catch-all `/` route to the dashboard.
  const ordered = [...(options.products ?? [])].sort((a, b) => Number(a === 'kubeflow-dashboard') - Number(b === 'kubeflow-dashboard'));
  const handlers = ordered.map((product) => productHandler(product, options.kfpMultiUser ?? false, options.argoManagedNamespace));
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers } });
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const raw = options.raw?.[url.pathname];
    if (raw) return raw(request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, { status: 405, body: 'method not allowed', contentType: 'text/plain' });
    const answer = gatewayAnswer(options.gateway ?? 'none', url.pathname, request.headers.host ?? 'localhost') ?? productAnswer(url);
    send(response, answer);
  };
  const productAnswer = (url: URL): FakeAnswer => {
    if (prefix !== '' && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return notFound();
    const path = url.pathname.slice(prefix.length) || '/';
    for (const handler of handlers) {
      const answer = handler(path, url.searchParams, options.mode ?? 'open');
      if (answer) return answer;
    }
    return options.fallback === 'spa-shell' ? html('<!doctype html><html><head><title>App</title></head><body><div id="root"></div></body></html>') : notFound();
  };
  const certificate = options.tls ? await localhostCertificate() : undefined;
  const server: Server = certificate ? createHttpsServer({ cert: certificate.certPem, key: certificate.keyPem }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${certificate ? 'https' : 'http'}://127.0.0.1:${port}${prefix}/`,
    requests,
    ...(certificate ? { certPem: certificate.caPem } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(): FakeAnswer {
  return { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };
}

function send(response: ServerResponse, answer: FakeAnswer): void {
  response.writeHead(answer.status, { 'content-type': answer.contentType, ...(answer.headers ?? {}) });
  response.end(answer.body);
}
