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
/** `user:password@` right after `://`; both runs stop at the first character they exclude, so this never backtracks. */
const USER_INFO = /([^\s:/@"'`]*):([^\s@/"'`]+)@/y;

/**
 * `scheme://user:password@host` → `scheme://user:<redacted>@host`. The same matches as
 * `/([a-z][\w+.-]*:\/\/[^\s:/@"'`]*):([^\s@/"'`]+)@/gi`, found from each `://` instead: that regex
 * retried its scheme run from every letter of a long word, quadratic on one 100 KB URL.
 */
export function redactUrlCredentials(text: string): string {
  let out = '';
  let copied = 0;
  for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 1)) {
    // The scheme is the earliest letter of the run of scheme characters before `://`, not before the last match.
    let runStart = sep;
    while (runStart > copied && SCHEME_CHAR.test(text[runStart - 1] as string)) runStart--;
    let schemeStart = runStart;
    while (schemeStart < sep && !LETTER.test(text[schemeStart] as string)) schemeStart++;
    if (schemeStart === sep) continue;
    USER_INFO.lastIndex = sep + 3;
    const userInfo = USER_INFO.exec(text);
    if (!userInfo) continue;
    const passwordStart = sep + 3 + (userInfo[1] as string).length + 1;
    out += `${text.slice(copied, passwordStart)}${REDACTED}@`;
    copied = USER_INFO.lastIndex;
    sep = copied - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * `--ServerApp.token=abc`, `--password='abc'`, `c.ServerApp.password = 'abc'`, `PASSWORD=abc`:
 * a credential-named name assigned a value, in flags, shell and Python config alike.
 */
function redactCredentialAssignments(text: string): string {
  return text.replace(/([A-Za-z_][\w.-]*)(\s*=\s*)('[^']*'|"[^"]*"|[^\s"',\]}]+)/g, (whole, name: string, equals: string) => {
    const last = name.replace(/^-+/, '').split('.').pop() ?? '';
    return isCredentialName(last) ? `${name}${equals}${REDACTED}` : whole;
  });
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
