import { isCredentialName, REDACTED, redactCredentialAssignments, redactUrlCredentials } from '../core/redact.js';
import { escapeForTerminal } from '../report/terminal-safe.js';

export const EXCERPT_CHARS = 200;

/**
 * Runs that look like credentials wherever they sit: JWTs, `Bearer`/`token` values, long hex and
 * base64 strings (session ids, API keys, CSRF tokens). Excerpts are evidence, not a place for secrets.
 */
const TOKEN_LIKE = [
  /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\b(bearer|token|basic)(\s+|=|:\s*)[\w.~+/=-]{8,}/gi,
  /\b[a-f0-9]{24,}\b/gi,
];
/**
 * A base64-like run of 24 or more characters, masked when it holds both a digit and a letter. The
 * test is made on the whole run after matching it: lookaheads at every start position re-read
 * the rest of the run each time (quadratic: 63 s on 100 KB of `a/`).
 */
const MIXED_RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;

export function redactTokens(text: string): string {
  let out = redactCredentialAssignments(redactUrlCredentials(text));
  for (const pattern of TOKEN_LIKE) {
    out = out.replace(pattern, (match, scheme?: string, separator?: string) =>
      typeof scheme === 'string' && typeof separator === 'string' ? `${scheme}${separator}${REDACTED}` : REDACTED,
    );
  }
  return out.replace(MIXED_RUN, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run));
}

/** A JSON value with every credential-named field's value masked, at any depth. */
function maskCredentialFields(value: unknown, depth = 0): unknown {
  if (depth > 20) return '…';
  if (Array.isArray(value)) return value.map((v) => maskCredentialFields(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = isCredentialName(key) ? REDACTED : maskCredentialFields(child, depth + 1);
    return out;
  }
  return value;
}

/**
 * A short, single-line piece of a response for the evidence: JSON with credential fields masked,
 * text with whitespace collapsed, token-like runs redacted, and terminal control characters shown
 * as escapes. Redaction runs on more than is shown, so a token cut by the length limit is still caught.
 */
export function excerptOf(body: string, json: unknown, hidden: readonly string[] = []): string {
  const source = json === undefined ? body.slice(0, EXCERPT_CHARS * 4) : JSON.stringify(maskCredentialFields(json)).slice(0, EXCERPT_CHARS * 4);
  const redacted = redactTokens(redactValues(source, hidden).replace(/\s+/g, ' ').trim());
  const cut = redacted.length > EXCERPT_CHARS ? `${redacted.slice(0, EXCERPT_CHARS)}…` : redacted;
  return escapeForTerminal(cut);
}

/** A scalar field's value for the evidence, or undefined when it is not a short scalar or its name is credential-like. */
export function shownField(json: unknown, field: string, hidden: readonly string[] = []): string | undefined {
  if (isCredentialName(field) || json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const value = (json as Record<string, unknown>)[field];
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  // Cut before redacting: the token patterns look ahead, so their cost must stay bounded per field.
  return escapeForTerminal(redactTokens(redactValues(String(value).slice(0, 400), hidden)).slice(0, 80));
}

/** Shorter values are too common to mask without masking ordinary words. */
const MIN_HIDDEN_CHARS = 4;

/**
 * `text` with each of `values` masked, as sent and as JSON writes it: what the probe sent in
 * `--header` comes back from servers that echo requests, and is never shown.
 */
export function redactValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) {
    if (value.length < MIN_HIDDEN_CHARS) continue;
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** A URL for the evidence: no user info, query values replaced by their names, so state and nonce tokens never show. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const names = [...new Set([...url.searchParams.keys()])];
    const query = names.length > 0 ? `?${names.map((n) => `${n}=…`).join('&')}` : '';
    // Paths carry tokens too (`/login/<session>`, `/callback/<code>`): each segment is redacted on
    // its own, so a long ordinary path is not taken for one base64 run.
    const path = url.pathname.slice(0, 400).split('/').map(redactTokens).join('/');
    return escapeForTerminal(`${url.protocol}//${url.host}${path}${query}`);
  } catch {
    return escapeForTerminal(redactTokens(raw.slice(0, 400)).slice(0, 200));
  }
}
