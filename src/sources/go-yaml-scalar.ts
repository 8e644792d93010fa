/**
 * Plain-scalar resolution as Kubernetes reads manifests: sigs.k8s.io/yaml over go-yaml v2, which
 * keeps YAML 1.1 booleans (`yes`, `on`, `y`...), Go `strconv` integers (`0777` is octal, `0x`,
 * `0o`, `0b`, underscores dropped) and floats. Sexagesimal (`1:30`) is not resolved by go-yaml v2,
 * so it stays a string. Timestamps stay strings too: go-yaml hands them to an `interface{}` as text.
 */
export type GoScalar =
  | { readonly tag: 'str'; readonly value: string }
  | { readonly tag: 'bool'; readonly value: boolean }
  | { readonly tag: 'int'; readonly value: number; readonly exact: boolean }
  | { readonly tag: 'float'; readonly value: number }
  | { readonly tag: 'null'; readonly value: null }
  | { readonly tag: 'merge'; readonly value: '<<' };

const MAP: ReadonlyMap<string, GoScalar> = new Map<string, GoScalar>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, { tag: 'bool', value: true }] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, { tag: 'bool', value: false }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, { tag: 'null', value: null }] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, { tag: 'float', value: NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, { tag: 'float', value: Infinity }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, { tag: 'float', value: -Infinity }] as const),
  ['<<', { tag: 'merge', value: '<<' }],
]);

/** go-yaml's first-character hint: only these can start a non-string plain scalar. */
const HINTED = /^[-+0-9.yYnNtTfFoO~<]/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

export function resolveGoPlain(text: string): GoScalar {
  const known = MAP.get(text);
  if (known) return known;
  if (!HINTED.test(text)) return { tag: 'str', value: text };
  const first = text.charCodeAt(0);
  if (first === 46 /* . */) {
    const float = goParseFloat(text);
    return float === undefined ? { tag: 'str', value: text } : { tag: 'float', value: float };
  }
  const isDigitOrSign = first === 43 || first === 45 || (first >= 48 && first <= 57);
  if (!isDigitOrSign) return { tag: 'str', value: text };
  if (looksLikeTimestamp(text)) return { tag: 'str', value: text };
  const plain = text.replaceAll('_', '');
  const integer = goParseInt(plain);
  if (integer !== undefined) return { tag: 'int', value: Number(integer), exact: Number.isSafeInteger(Number(integer)) };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = goParseFloat(plain);
    if (float !== undefined) return { tag: 'float', value: float };
  }
  return { tag: 'str', value: text };
}

/** Go `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint`: base prefixes 0x 0o 0b and a leading 0 for octal. */
function goParseInt(s: string): bigint | undefined {
  let sign = 1n;
  let body = s;
  const signed = body.startsWith('+') || body.startsWith('-');
  if (signed) {
    if (body.startsWith('-')) sign = -1n;
    body = body.slice(1);
  }
  let digits: RegExp;
  let prefix = '';
  const lower = body.slice(0, 2).toLowerCase();
  if (lower === '0x') [digits, prefix, body] = [/^[0-9a-fA-F]+$/, '0x', body.slice(2)];
  else if (lower === '0o') [digits, prefix, body] = [/^[0-7]+$/, '0o', body.slice(2)];
  else if (lower === '0b') [digits, prefix, body] = [/^[01]+$/, '0b', body.slice(2)];
  else if (body.length > 1 && body.startsWith('0')) [digits, prefix, body] = [/^[0-7]+$/, '0o', body.slice(1)];
  else digits = /^[0-9]+$/;
  if (!digits.test(body)) return undefined;
  const value = sign * BigInt(prefix + body);
  if (value > MAX_UINT64 || value < MIN_INT64) return undefined;
  // Past int64 only ParseUint is left, and it takes no sign.
  if (value > MAX_INT64 && signed) return undefined;
  return value;
}

/** Go `strconv.ParseFloat` for the decimal forms YAML plain scalars reach it with (no hex floats, no `Inf` words). */
function goParseFloat(s: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) {
    // Go also takes "inf", "infinity", "nan" and hex floats; those start with letters or 0x and
    // never reach here with the `.` hint except ".inf"-like spellings already in the map.
    return undefined;
  }
  // Out of range (`1e400`) Go returns ±Inf with ErrRange, and go-yaml keeps the text as a string.
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** go-yaml's timestamp pre-check: four digits then `-`. Such scalars are never numbers. */
function looksLikeTimestamp(s: string): boolean {
  return /^[0-9]{4}-/.test(s);
}
