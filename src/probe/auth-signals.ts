import type { HttpAnswer } from './http-client.js';

/**
 * Why an answer says "log in first": a redirect to an identity provider or login page, a 401 or
 * 403, or oauth2-proxy's sign-in page. Undefined when the answer shows no authentication at all.
 */
export function authSignalOf(answer: HttpAnswer): string | undefined {
  const unfollowed = answer.unfollowed && !echoesPath(answer.url, answer.unfollowed.location) ? answer.unfollowed.location : undefined;
  const redirect =
    unfollowed ?? answer.hops.find((hop) => hop.location !== undefined && !echoesPath(hop.url, hop.location) && loginKind(hop.location) !== undefined)?.location;
  if (redirect !== undefined) {
    const kind = loginKind(redirect);
    if (kind !== undefined) return `redirect to ${kind}`;
  }
  if (isOauth2ProxySignIn(answer)) return 'oauth2-proxy sign-in page';
  if (answer.status === 401) return `401 Unauthorized${answer.wwwAuthenticate ? ` (WWW-Authenticate: ${answer.wwwAuthenticate.split(/[\s,]/)[0] ?? ''})` : ''}`;
  if (answer.status === 403) return /RBAC: access denied/i.test(answer.body) ? '403 RBAC: access denied (Istio authorization policy)' : '403 Forbidden';
  return undefined;
}

/**
 * Answers that refuse the probe for a reason other than the target's authentication, so they
 * prove nothing either way: a proxy of ours asking for credentials (407), a CDN or WAF blocking
 * an unfamiliar client or rate limiting it. An attacker with a browser's user agent or patience
 * gets past those; calling the target protected would be a false all-clear.
 */
export function unjudgedRefusalOf(answer: HttpAnswer): string | undefined {
  if (answer.status === 407) return 'the proxy asks for credentials (407): the target behind it was never reached';
  if (answer.status === 429) return 'rate limited (429): nothing was judged';
  if (answer.status !== 403) return undefined;
  const names = new Set(answer.headerNames);
  const server = (answer.server ?? '').toLowerCase();
  const body = answer.body.slice(0, 8192).toLowerCase();
  // Cloudflare Access also answers 403 with cf-ray when its policy denies: only the bot and WAF pages are excluded.
  const cloudflare = names.has('cf-ray') || server === 'cloudflare';
  if (cloudflare && (names.has('cf-mitigated') || /attention required! \| cloudflare|sorry, you have been blocked|just a moment\.\.\./.test(body))) return 'a 403 from Cloudflare (bot or WAF rule), not the target\'s authentication';
  if (names.has('x-amzn-waf-action') || (names.has('x-amz-cf-id') && /request blocked|could not be satisfied/.test(body))) return 'a 403 from AWS WAF / CloudFront, not the target\'s authentication';
  if (server.startsWith('akamaighost') && body.includes('access denied')) return 'a 403 from Akamai (WAF rule), not the target\'s authentication';
  return undefined;
}

/** Names the login flow a redirect goes to, or undefined for an ordinary redirect. */
export function loginKind(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const path = url.pathname.toLowerCase();
  const query = url.searchParams;
  if (path.includes('/dex/auth') || path.startsWith('/dex/')) return 'Dex login';
  if (path.startsWith('/oauth2/start') || path.startsWith('/oauth2/sign_in')) return 'oauth2-proxy login';
  if (host === 'accounts.google.com' || path.startsWith('/_gcp_iap/') || query.has('iap_')) return 'Google IAP / Google sign-in';
  if (host.endsWith('.amazoncognito.com') || host.includes('.auth.') && host.endsWith('.amazonaws.com')) return 'Amazon Cognito login';
  if (host === 'login.microsoftonline.com') return 'Microsoft Entra ID login';
  if (host.endsWith('.cloudflareaccess.com') || path.startsWith('/cdn-cgi/access/login')) return 'Cloudflare Access login';
  if (query.has('client_id') && (query.has('response_type') || query.has('redirect_uri'))) return 'an OIDC/OAuth login';
  if (/(^|\/)(hub\/)?(login|signin|sign_in|sign-in|auth\/login|oauth\/authorize|authorize)(\/|$)/.test(path)) return 'a login page';
  return undefined;
}

function isOauth2ProxySignIn(answer: HttpAnswer): boolean {
  if (answer.cookieNames.some((name) => /^_oauth2_proxy/.test(name))) return true;
  if (!/html/i.test(answer.contentType)) return false;
  const body = answer.body.toLowerCase();
  return body.includes('sign in with') && (body.includes('oauth2/start') || body.includes('oauth2-proxy') || body.includes('oauth2 proxy'));
}

/**
 * A redirect to the asked path itself (a trailing slash added, another host or scheme): the path
 * names the probe's own endpoint (`/api/v1/login/status`), so matching it as a login page would
 * call any slash-adding server protected.
 */
function echoesPath(from: string, to: string): boolean {
  try {
    const strip = (path: string): string => path.toLowerCase().replace(/\/+$/, '');
    return strip(new URL(from).pathname) === strip(new URL(to, from).pathname);
  } catch {
    return false;
  }
}
