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

export interface FlowPlainRewrite {
  readonly text: string;
  /** Offsets, in `text`, of placeholders that go-yaml reads as the string "-". */
  readonly dashes: readonly number[];
  /** Set when go-yaml refuses the text: a plain scalar in a flow collection starts with `:`. */
  readonly refusal?: string;
}

export function rewriteFlowPlain(text: string): FlowPlainRewrite {
  if (!MAYBE_AFFECTED.test(text)) return { text, dashes: [] };
  // Only the edits are collected, with the unchanged text between them copied by slices: one part
  // per token cost 0.18 s of the rewrite's 0.43 s on 1 MB of `[?x]` entries (issue 17, glued17).
  const parts: string[] = [];
  const dashes: number[] = [];
  /** Source offset up to which `parts` holds the text. */
  let copied = 0;
  /** Characters the edits so far added (each `?` gets one blank). */
  let added = 0;
  let offset = 0;
  let flowDepth = 0;
  let pendingDash = -1;
  let refusal: string | undefined;
  for (const token of new Lexer().lex(text)) {
    if (token.length === 0 || (token.length === 1 && isMarker(token.charCodeAt(0)))) continue;
    if (pendingDash >= 0 && (token === ',' || token === ']' || token === '}')) {
      dashes.push(pendingDash + added);
      parts.push(text.slice(copied, pendingDash), 'x');
      copied = pendingDash + 1;
    }
    pendingDash = -1;
    if (token === '{' || token === '[') flowDepth++;
    else if ((token === '}' || token === ']') && flowDepth > 0) flowDepth--;
    else if (flowDepth > 0 && token === '-') pendingDash = offset;
    else if (flowDepth > 0 && isPlainStart(token, '?')) {
      parts.push(text.slice(copied, offset + 1), ' ');
      copied = offset + 1;
      added++;
    } else if (flowDepth > 0 && isPlainStart(token, ':')) refusal ??= VALUE_INDICATOR_REFUSAL;
    offset += token.length;
  }
  // The tokens must spell the text again; if they do not, nothing here can be trusted.
  if (offset !== text.length) return { text, dashes: [] };
  parts.push(text.slice(copied));
  return { text: parts.join(''), dashes, ...(refusal ? { refusal } : {}) };
}

/** Lexer tokens that mark structure but stand for no source text (document start, flow error end, scalar start). */
function isMarker(code: number): boolean {
  return code === 0x02 || code === 0x18 || code === 0x1f;
}

const VALUE_INDICATOR_REFUSAL = 'a plain scalar in a flow collection starts with `:`, which go-yaml reads as a value indicator (did not find expected node content)';

/** A lexer token of plain scalar text (not the indicator alone, nor a line break) starting with `indicator`. */
function isPlainStart(token: string, indicator: '?' | ':'): boolean {
  return token.length > 1 && token.startsWith(indicator) && !/[\r\n]/.test(token);
}
