import { errorMessage, SourceError } from '../core/errors.js';

export interface ApiAuth {
  /** Sent as `Authorization: Bearer …`; never printed. */
  readonly token?: string;
  /** Sent as the `Cookie` header (e.g. the dashboard's `oauth2_proxy` or `authservice_session` cookie); never printed. */
  readonly cookie?: string;
}

export interface GetOptions {
  readonly auth: ApiAuth;
  readonly timeoutMs: number;
  /** A response larger than this is refused, not buffered. */
  readonly maxBytes: number;
}

/** What went wrong talking to a job API, in words that say what to do. */
export class ApiError extends SourceError {
  constructor(
    message: string,
    readonly status?: number,
    hint?: string,
  ) {
    super(message, hint);
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/**
 * One GET, the only method hunting ever uses: job APIs are evidence, and reading them must not
 * change them. Redirects are not followed (a redirect to a login page means a session is needed,
 * and credentials must not follow a redirect to another host).
 */
export async function getJson(url: URL, options: GetOptions): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // Argo's docs give the token as `Bearer …`; sent as given that would be `Bearer Bearer …`.
  if (options.auth.token) headers.authorization = `Bearer ${options.auth.token.replace(/^bearer\s+/i, '')}`;
  if (options.auth.cookie) headers.cookie = options.auth.cookie;
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    throw networkError(url, error, options.timeoutMs);
  }
  const where = `${url.origin}${url.pathname}`;
  if (response.status === 401 || response.status === 403) {
    const said = await serverMessage(response);
    const given = options.auth.token !== undefined ? '--token' : options.auth.cookie !== undefined ? '--cookie' : undefined;
    const hint = given
      ? `the credentials given with ${given} were refused${response.status === 403 ? ': they do not grant reading this (another namespace, with -n, or an identity with list rights?)' : ': expired or for another server?'}`
      : 'this API needs credentials: pass --token TOKEN (a bearer token) or --cookie "NAME=VALUE" (the dashboard session cookie)';
    throw new ApiError(`${where}: ${response.status} ${response.status === 401 ? 'unauthorized' : 'forbidden'}${said}`, response.status, hint);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ApiError(`${where}: redirected (${response.status}), most likely to a login page`, response.status, 'pass the session cookie with --cookie "NAME=VALUE", or the API server URL itself');
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new ApiError(`${where}: 404 not found`, 404, 'is this URL the right API? (see `kfguard hunt --help` for the base URL each API expects)');
  }
  if (!response.ok) throw new ApiError(`${where}: HTTP ${response.status}${await serverMessage(response)}`, response.status);
  const text = await boundedText(response, options.maxBytes, where);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(`${where}: the answer is not JSON (is this URL the API, or a web page in front of it?)`);
  }
}

async function boundedText(response: Response, maxBytes: number, where: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ApiError(`${where}: answer larger than ${Math.round(maxBytes / (1024 * 1024))} MiB; refused`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const MAX_ERROR_BYTES = 4096;
const MAX_ERROR_CHARS = 300;

/**
 * What the server said about a refused request, as `: text`, or '' if nothing readable: KFP's
 * grpc-gateway answers `{error, message, code}` (error.swagger.json), and "HTTP 400" alone hides
 * that a multi-user server wants a namespace. Read at most 4 KiB, shown on one line, cut to 300
 * characters; the report's formatters escape it like any other input.
 */
async function serverMessage(response: Response): Promise<string> {
  const text = await headText(response, MAX_ERROR_BYTES);
  let said = text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    said = [body.message, body.error].find((v): v is string => typeof v === 'string' && v.trim() !== '') ?? '';
  } catch {
    // Not JSON: an HTML error page says nothing useful in one line.
    if (/^\s*</.test(text)) said = '';
  }
  said = said.replace(/\s+/g, ' ').trim();
  // "Unauthorized" after "401 unauthorized" says nothing new.
  if (said === '' || said.toLowerCase() === response.statusText.toLowerCase() || /^(?:unauthori[sz]ed|forbidden|not found)\.?$/i.test(said)) return '';
  return `: ${said.length > MAX_ERROR_CHARS ? `${said.slice(0, MAX_ERROR_CHARS)}…` : said}`;
}

/** The first bytes of a body, the rest cancelled; '' when the body cannot be read. */
async function headText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    if (total >= maxBytes) await reader.cancel();
  } catch {
    return '';
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function networkError(url: URL, error: unknown, timeoutMs: number): ApiError {
  const where = `${url.origin}${url.pathname}`;
  if ((error as Error).name === 'TimeoutError') return new ApiError(`${where}: no answer within ${Math.round(timeoutMs / 1000)} s`, undefined, 'check the URL and the network path, or raise --timeout');
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  // An https URL to a port that answers plain http: OpenSSL reads the HTTP reply as a bad TLS record.
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(code)) {
    return new ApiError(`${where}: the server does not speak TLS on port ${url.port || '443'} (${code})`, undefined, `try ${url.origin.replace(/^https:/, 'http:')}`);
  }
  if (TLS_CODES.test(code)) return new ApiError(`${where}: TLS error ${code}: ${cause?.message ?? ''}`.trim(), undefined, 'the server\'s certificate is not trusted here; add its CA with NODE_EXTRA_CA_CERTS=ca.pem');
  if (code === 'ECONNREFUSED') return new ApiError(`${where}: connection refused`, undefined, 'nothing listens there: check the host and port (port-forward the service first?)');
  if (code === 'ENOTFOUND') return new ApiError(`${where}: host not found`);
  return new ApiError(`${where}: ${code || errorMessage(cause ?? error)}`);
}
