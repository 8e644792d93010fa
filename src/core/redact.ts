/**
 * Masks credentials in text kfguard prints: manifest excerpts (the `fix` preview), URLs in
 * evidence and parser messages. kfguard never prints Secret data, tokens or passwords, even when
 * they sit in plain manifests, because its output ends up in CI logs and tickets.
 */

export const REDACTED = '<redacted>';

/** Key and flag names that hold credentials: `password`, `AWS_SECRET_ACCESS_KEY`, `clientSecret`, `--ServerApp.token`. */
const CREDENTIAL_NAME =
  /(?:^|[_.-])(?:pass(?:word|wd|phrase)?|secret|secrets|token|tokens|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|cookie[_-]?secret|client[_-]?secret)(?:$|[_.-])/i;
/** Names that point at a credential rather than hold one: `secretName`, `secretKeyRef`, `passwordFile`. */
const REFERENCE_NAME = /[_.-](?:name|ref|file|path|env|namespace|dir)$/i;

export function isCredentialName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return CREDENTIAL_NAME.test(words) && !REFERENCE_NAME.test(words);
}

const SCHEME_CHAR = /[\w+.-]/;
const LETTER = /[A-Za-z]/;
/** The user of `user:password@`, right after `://`; it stops at the first character it excludes, so it never backtracks. */
const USER = /[^\s:/@"'`]*/y;
/** Where a URL token ends: whitespace or a quote. */
const TOKEN_END = /[\s"'`]/g;

/**
 * `scheme://user:password@host` → `scheme://user:<redacted>@host`. The password runs to the last
 * `@` of the token, as URL-taking clients split it, so a password holding `/` or `@`
 * (`https://u:pa/ss@w@host`) is masked whole rather than cut at its first `/`. Found from each
 * `://` with the token's end and last `@` computed once per token: linear on any input.
 */
export function redactUrlCredentials(text: string): string {
  let out = '';
  let copied = 0;
  let tokenEnd = -1;
  let lastAt = -1;
  for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 1)) {
    // The scheme is the earliest letter of the run of scheme characters before `://`, not before the last match.
    let runStart = sep;
    while (runStart > copied && SCHEME_CHAR.test(text[runStart - 1] as string)) runStart--;
    let schemeStart = runStart;
    while (schemeStart < sep && !LETTER.test(text[schemeStart] as string)) schemeStart++;
    if (schemeStart === sep) continue;
    USER.lastIndex = sep + 3;
    USER.exec(text);
    const colon = USER.lastIndex;
    if (text[colon] !== ':') continue;
    if (colon >= tokenEnd) {
      TOKEN_END.lastIndex = colon;
      tokenEnd = TOKEN_END.exec(text)?.index ?? text.length;
      lastAt = text.lastIndexOf('@', tokenEnd - 1);
    }
    if (lastAt <= colon + 1) continue;
    out += `${text.slice(copied, colon + 1)}${REDACTED}@`;
    copied = lastAt + 1;
    sep = lastAt;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * `--ServerApp.token=abc`, `--password='abc'`, `c.ServerApp.password = 'abc'`, `PASSWORD=abc`:
 * a credential-named name assigned a value, in flags, shell and Python config alike.
 */
export function redactCredentialAssignments(text: string): string {
  // The name is a whole run of name characters (the lookbehind stops retries inside a run) and an
  // unclosed quote runs to the end: each character is looked at a bounded number of times.
  return text.replace(/(?<![\w.-])([\w.-]+)(\s*=\s*)('[^']*'?|"[^"]*"?|[^\s"',\]}]+)/g, (whole, name: string, equals: string) => {
    const last = name.replace(/^-+/, '').split('.').pop() ?? '';
    return /^[A-Za-z_]/.test(last) && isCredentialName(last) ? `${name}${equals}${REDACTED}` : whole;
  }).replace(/(?<![\w.-])(--?[A-Za-z_][\w.-]*)(\s+)('[^']*'?|"[^"]*"?|[^\s"',\]}-][^\s"',\]}]*)/g, (whole, flag: string, space: string) =>
    // `--db-password hunter2`: a credential-named flag whose value is the next word.
    isCredentialName(flag.replace(/^-+/, '').split('.').pop() ?? '') ? `${flag}${space}${REDACTED}` : whole,
  )
    // `-H "Authorization: Bearer eyJ…"` in a typed command: an HTTP credential scheme and its token
    // (a digit, base64 padding or a capital past its first letter in it, so that prose such as
    // "Basic training" stays as written).
    .replace(/(?<![\w-])([Bb]earer|[Bb]asic|BEARER|BASIC)(\s+)(?=[\w.~+/=-]*[0-9+/=]|[\w.~+/=-]+[A-Z])([\w.~+/=-]{8,})/g, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
}

/** `{ name: DB_PASSWORD, value: abc }` → the value masked. */
function redactFlowEnv(text: string): string {
  return text.replace(/(name:\s*["']?([\w.-]+)["']?\s*,\s*value:\s*)("[^"]*"|'[^']*'|[^,}\s][^,}]*)/g, (whole, head: string, name: string) =>
    isCredentialName(name) ? `${head}${REDACTED}` : whole,
  );
}

const KEY_LINE = /^(\s*(?:-\s+)?)(["']?)([\w.-]+)\2(\s*:\s*)(.*)$/;

/**
 * Masks credentials in YAML text line by line: values of credential-named keys, `value:` under
 * an env entry whose `name:` is credential-named, everything under `data:`/`stringData:` of a
 * Secret, credential flags and URL passwords.
 */
export function redactYamlCredentials(text: string): string {
  const state: LineState = { isSecret: /^kind:\s*["']?Secret["']?\s*$/m.test(text), maskDeeperThan: -1, envName: undefined };
  return text
    .split('\n')
    .map((line) => redactLine(line, state))
    .join('\n');
}

interface LineState {
  readonly isSecret: boolean;
  /** Lines deeper than this indentation are a masked block value; -1 when none is open. */
  maskDeeperThan: number;
  /** The last env-style `name:` seen, to judge the `value:` that follows it. */
  envName: { readonly name: string; readonly indent: number } | undefined;
}

function redactLine(line: string, state: LineState): string {
  const indent = line.length - line.trimStart().length;
  const content = line.trim();
  if (state.maskDeeperThan !== -1 && (content === '' || indent > state.maskDeeperThan)) {
    return content === '' ? line : `${line.slice(0, indent)}${REDACTED}`;
  }
  state.maskDeeperThan = -1;
  return redactUrlCredentials(redactCredentialAssignments(redactFlowEnv(redactKeyValue(line, indent, state))));
}

/** A `key: value` line whose key (or env `name:`) is credential-named, or a Secret's data block. */
function redactKeyValue(line: string, indent: number, state: LineState): string {
  const key = KEY_LINE.exec(line);
  if (!key) return line;
  const [, lead = '', quote = '', name = '', separator = '', value = ''] = key;
  const keyColumn = lead.length;
  if (name === 'name') state.envName = { name: value.replace(/^["']|["']$/g, ''), indent: keyColumn };
  const envValue = name === 'value' && state.envName !== undefined && state.envName.indent === keyColumn && isCredentialName(state.envName.name);
  const secretBlock = state.isSecret && indent === 0 && (name === 'data' || name === 'stringData');
  const credential = isCredentialName(name) || envValue;
  if (secretBlock && value !== '') return `${lead}${quote}${name}${quote}${separator}${REDACTED}`;
  if (secretBlock || (credential && (value === '' || /^[|>]/.test(value)))) {
    state.maskDeeperThan = keyColumn;
    return line;
  }
  if (credential && !value.startsWith('{') && !value.startsWith('[')) return `${lead}${quote}${name}${quote}${separator}${REDACTED}`;
  return line;
}

/**
 * Parser messages name what they stumbled on: `unidentified alias "x"`, `unknown tag !<x>`. That
 * text comes from the document and may be a credential, so it is left out.
 */
export function redactParserMessage(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"').replace(/!<[^>]*>/g, '!<…>');
}

/** Query parameters that carry a credential without a credential-like name: signed URLs, OAuth codes, JWTs. */
const QUERY_CREDENTIAL = /^(?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|code|key|auth|authorization|jwt|session|sessionid|apikey)$/i;

/**
 * `/…/proxy/?token=abc&x=1` → `/…/proxy/?token=<redacted>&x=1`: the values of credential-named
 * query parameters in a request URI. An audit log records the URI as sent, and a request through
 * the API server's service proxy carries the proxied app's own login (a Jupyter `?token=`).
 */
export function redactQueryCredentials(uri: string): string {
  const query = uri.indexOf('?');
  if (query === -1) return uri;
  const fragment = uri.indexOf('#', query);
  const end = fragment === -1 ? uri.length : fragment;
  const pairs = uri.slice(query + 1, end).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: judge the name as written.
    }
    return isCredentialName(name) || QUERY_CREDENTIAL.test(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
  return `${uri.slice(0, query + 1)}${pairs.join('&')}${uri.slice(end)}`;
}
