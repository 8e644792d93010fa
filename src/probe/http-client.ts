import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { errorMessage } from '../core/errors.js';

/** How `kfguard probe` talks HTTP. Read-only by construction: the only method it sends is GET. */
export interface ProbeHttpOptions {
  /** One request, headers and body, ends within this. */
  readonly timeoutMs: number;
  /** Skip certificate verification (`--insecure`). */
  readonly insecure: boolean;
  /** Extra trusted CA certificates, PEM (`--ca`). */
  readonly ca?: string;
  /** Headers given with `--header`, already checked to carry no credentials. */
  readonly headers: Readonly<Record<string, string>>;
  readonly proxy?: string;
  /** Follow redirects to another host (`--follow-cross-host`); by default such a redirect is recorded and not followed. */
  readonly followCrossHost: boolean;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
}

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 5;

/** One request made: the URL asked and the status answered. */
export interface HttpHop {
  readonly url: string;
  readonly status: number;
  /** The redirect target, resolved against `url`. */
  readonly location?: string;
}

export interface HttpAnswer {
  readonly hops: readonly HttpHop[];
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly wwwAuthenticate?: string;
  /** The `Server` header: a CDN or WAF names itself there. */
  readonly server?: string;
  /** Names of every response header (lower case), values never kept: `cf-ray`, `x-amz-cf-id` show who answered. */
  readonly headerNames: readonly string[];
  /** Names only: cookie values are credentials. */
  readonly cookieNames: readonly string[];
  /** At most `maxBodyBytes` of the body, as UTF-8. */
  readonly body: string;
  readonly truncated: boolean;
  /** A redirect that was not followed, and why. */
  readonly unfollowed?: { readonly location: string; readonly reason: 'cross-host' | 'scheme' | 'too-many-redirects' };
}

export type HttpOutcome = { readonly ok: true; readonly answer: HttpAnswer } | { readonly ok: false; readonly error: string; readonly hops: readonly HttpHop[] };

/** One connection pool for a whole probe run, through the proxy when one is given. */
export function createDispatcher(options: ProbeHttpOptions, connections: number): Dispatcher {
  const tls = { rejectUnauthorized: !options.insecure, ...(options.ca === undefined ? {} : { ca: options.ca }) };
  const timeouts = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
  if (options.proxy !== undefined) return new ProxyAgent({ uri: options.proxy, requestTls: tls, proxyTls: tls, connections, ...timeouts });
  return new Agent({ connect: tls, connections, ...timeouts });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following redirects within the same host, and reads at most `maxBodyBytes` of the
 * final body. Never throws: a failure is an outcome with the hops made before it.
 */
export async function probeGet(url: string, options: ProbeHttpOptions, dispatcher: Dispatcher, outer: AbortSignal): Promise<HttpOutcome> {
  const hops: HttpHop[] = [];
  const signal = AbortSignal.any([outer, AbortSignal.timeout(options.timeoutMs)]);
  let current = new URL(url);
  const targetHost = current.hostname;
  try {
    for (;;) {
      const response = await request(current, {
        method: 'GET',
        dispatcher,
        signal,
        // `--header` values are meant for the target (a Host header for its gateway): a redirect to
        // another host, followed with --follow-cross-host, gets none of them.
        headers: { ...(current.hostname === targetHost ? options.headers : {}), 'user-agent': options.userAgent, accept: 'application/json, text/html;q=0.9, */*;q=0.5' },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const location = headerValue(response.headers.location);
      if (REDIRECTS.has(response.statusCode) && location !== undefined) {
        discard(response.body);
        const next = resolveLocation(location, current);
        hops.push({ url: current.href, status: response.statusCode, location: next?.href ?? location });
        const reason = next === undefined || !/^https?:$/.test(next.protocol) ? 'scheme' : next.hostname !== current.hostname && !options.followCrossHost ? 'cross-host' : hops.length > options.maxRedirects ? 'too-many-redirects' : undefined;
        if (reason !== undefined) return { ok: true, answer: await finalAnswer(response, current, hops, '', false, { location: next?.href ?? location, reason }) };
        current = next as URL;
        continue;
      }
      hops.push({ url: current.href, status: response.statusCode });
      const { text, truncated } = await readCapped(response.body, options.maxBodyBytes);
      return { ok: true, answer: await finalAnswer(response, current, hops, text, truncated) };
    }
  } catch (error) {
    return { ok: false, error: describeFailure(error, signal, outer, options.timeoutMs), hops };
  }
}

async function finalAnswer(
  response: Dispatcher.ResponseData,
  url: URL,
  hops: readonly HttpHop[],
  body: string,
  truncated: boolean,
  unfollowed?: HttpAnswer['unfollowed'],
): Promise<HttpAnswer> {
  const setCookie = response.headers['set-cookie'];
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  const wwwAuthenticate = headerValue(response.headers['www-authenticate']);
  const server = headerValue(response.headers.server);
  return {
    hops,
    url: url.href,
    status: response.statusCode,
    contentType: headerValue(response.headers['content-type']) ?? '',
    ...(wwwAuthenticate === undefined ? {} : { wwwAuthenticate }),
    ...(server === undefined ? {} : { server: server.slice(0, 100) }),
    headerNames: Object.keys(response.headers).map((name) => name.toLowerCase()),
    cookieNames: cookies.map((c) => c.split('=')[0]?.trim() ?? '').filter((name) => name !== ''),
    body,
    truncated,
    ...(unfollowed === undefined ? {} : { unfollowed }),
  };
}

/** Reads chunks until `limit` bytes, then drops the connection: a hostile server cannot make kfguard hold more. */
async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = limit - size;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      size = limit;
      truncated = chunk.length > room || !body.readableEnded;
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  discard(body);
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

/** Drops a body without reading it; undici reports the drop as an error, which here is expected. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function resolveLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeFailure(error: unknown, signal: AbortSignal, outer: AbortSignal, timeoutMs: number): string {
  if (outer.aborted) return `stopped: ${errorMessage(outer.reason)}`;
  if (signal.aborted) return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  const message = errorMessage(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
