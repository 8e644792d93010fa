import { Lexer } from 'yaml';

/**
 * Inside `{…}` and `[…]`, go-yaml (libyaml's scanner) and the YAML 1.2 grammar that the `yaml`
 * package follows start plain scalars differently:
 * - a `-` whose next character is not blank starts a plain scalar for go-yaml, so `{a: -}` and
 *   `[-, x]` hold the string "-"; YAML 1.2 reads a block sequence indicator and refuses it;
 * - a `?` is always the explicit-key indicator for go-yaml, so `[?x]` is `[{x: null}]` and
 *   `{a: ?x}` is refused; YAML 1.2 reads the string "?x";
 * - a `:` is always the value indicator for go-yaml, so `[:x]` is refused; YAML 1.2 reads ":x".
 * This rewrites the text so that the `yaml` parser sees what go-yaml sees: each such `-` becomes
 * a placeholder character (its offset is returned, to read back as "-"), and `?` gets the space
 * YAML 1.2 needs. Lines never move, so reported lines stay true. The lexer's tokens decide what is
 * in a flow collection, so quoted text, comments and block scalars are never touched.
 */
// `?`/`:` glued to what follows: a `? ` or `: ` reads alike in both (1 MB of `[? a : 1]` spent 0.4 s in the lexer here).
export const MAYBE_AFFECTED = /-[,\]}]|[[{,:]\s*[?:][^\s]/;
/** Lexer tokens that mark structure but stand for no source text (document start, flow error end, scalar start). */
const MARKER_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

export interface FlowPlainRewrite {
  readonly text: string;
  /** Offsets, in `text`, of placeholders that go-yaml reads as the string "-". */
  readonly dashes: readonly number[];
  /** Set when go-yaml refuses the text: a plain scalar in a flow collection starts with `:`. */
  readonly refusal?: string;
}

export function rewriteFlowPlain(text: string): FlowPlainRewrite {
  if (!MAYBE_AFFECTED.test(text)) return { text, dashes: [] };
  const parts: string[] = [];
  const dashes: number[] = [];
  let written = 0;
  let offset = 0;
  let flowDepth = 0;
  let pendingDash = -1;
  let refusal: string | undefined;
  for (const token of new Lexer().lex(text)) {
    if (MARKER_TOKENS.has(token) || token === '') continue;
    if (pendingDash >= 0 && (token === ',' || token === ']' || token === '}')) {
      dashes.push(pendingDash);
      parts[parts.length - 1] = 'x';
    }
    pendingDash = -1;
    let out = token;
    if (token === '{' || token === '[') flowDepth++;
    else if ((token === '}' || token === ']') && flowDepth > 0) flowDepth--;
    else if (flowDepth > 0 && token === '-') pendingDash = written;
    else if (flowDepth > 0 && isPlainStart(token, '?')) out = `? ${token.slice(1)}`;
    else if (flowDepth > 0 && isPlainStart(token, ':')) refusal ??= VALUE_INDICATOR_REFUSAL;
    parts.push(out);
    written += out.length;
    offset += token.length;
  }
  // The tokens must spell the text again; if they do not, nothing here can be trusted.
  if (offset !== text.length) return { text, dashes: [] };
  return { text: parts.join(''), dashes, ...(refusal ? { refusal } : {}) };
}

const VALUE_INDICATOR_REFUSAL = 'a plain scalar in a flow collection starts with `:`, which go-yaml reads as a value indicator (did not find expected node content)';

/** A lexer token of plain scalar text (not the indicator alone, nor a line break) starting with `indicator`. */
function isPlainStart(token: string, indicator: '?' | ':'): boolean {
  return token.length > 1 && token.startsWith(indicator) && !/[\r\n]/.test(token);
}
