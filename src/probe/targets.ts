import { UsageError } from '../core/errors.js';
import type { InputError } from '../core/types.js';
import { displayUrl } from './excerpt.js';

/** Parses one target URL: http or https only, and never with credentials in it. */
export function parseTargetUrl(raw: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `not a URL: "${displayUrl(raw.trim().slice(0, 100))}" (give http://HOST[:PORT][/PATH] or https://…)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `only http: and https: URLs are probed, not ${displayUrl(url.protocol)}` };
  if (url.username !== '' || url.password !== '') return { error: `${displayUrl(url.href)}: the URL carries credentials; probes are anonymous, remove "user:password@"` };
  if (url.hostname === '') return { error: `no host in "${displayUrl(raw)}"` };
  url.hash = '';
  url.search = '';
  return { url: url.href };
}

/** URLs given on the command line: a bad one is a usage error. */
export function targetsFromArgs(args: readonly string[]): string[] {
  return args.map((arg) => {
    const parsed = parseTargetUrl(arg);
    if ('error' in parsed) throw new UsageError(parsed.error);
    return parsed.url;
  });
}

/** `--targets FILE`: one URL a line, `#` comments and blank lines ignored; a bad line is an input error with its line, the rest still probed. */
export function targetsFromText(text: string, file: string): { urls: string[]; errors: InputError[] } {
  const urls: string[] = [];
  const errors: InputError[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const parsed = parseTargetUrl(content);
    if ('error' in parsed) errors.push({ file, line: index + 1, message: parsed.error });
    else urls.push(parsed.url);
  });
  return { urls, errors };
}

/**
 * Headers that would make the probe something other than an anonymous outsider, or impersonate a
 * user behind a gateway that trusts headers set by its authenticating proxy: Kubeflow's
 * `kubeflow-userid`, oauth2-proxy's `X-Auth-Request-*` and `X-Forwarded-*`, Google IAP's signed
 * assertion, an AWS ALB's `X-Amzn-Oidc-*`, Azure App Service's `X-Ms-Client-Principal*`,
 * Kubernetes impersonation, and API keys or tokens under any common name.
 */
const CREDENTIAL_HEADERS = new RegExp(
  '^(' +
    [
      'authorization',
      'proxy-authorization',
      'cookie',
      'private-token',
      'job-token',
      'kubeflow-userid',
      'kubeflow-groups',
      'x-auth-request-[a-z-]+',
      'x-forwarded-(user|email|groups|preferred-username|access-token|id-token)',
      'x-goog-(iap-jwt-assertion|authenticated-user-[a-z]+|api-key)',
      'x-amzn-oidc-[a-z]+',
      'x-amz-security-token',
      'x-ms-client-principal[a-z-]*',
      'x-ms-token-[a-z-]+',
      'x-remote-(user|group|extra-[a-z0-9-]+)',
      'remote-user',
      'x-user(-id|-email|name)?',
      'x-email',
      'impersonate-[a-z0-9-]+',
      'ocp-apim-subscription-key',
      'x-vault-token',
    ].join('|') +
    ')$|(^|-)(api-?key|token|jwt|session|secret|password|passwd|credentials?|auth|oidc|saml)(-|$)',
  'i',
);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `--header K:V` into a header map; credential and identity headers are refused, and values never echoed. */
export function parseHeaders(specs: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const name = colon === -1 ? spec.trim() : spec.slice(0, colon).trim();
    if (colon === -1 || !HEADER_NAME.test(name)) throw new UsageError(`--header needs NAME:VALUE with a valid header name`, 'e.g. --header "Host: kubeflow.example.com"');
    if (CREDENTIAL_HEADERS.test(name)) throw new UsageError(`--header ${name} is refused: probes are anonymous and never send credentials or identity headers`);
    const value = spec.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${name}: the value holds a line break or NUL`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}
