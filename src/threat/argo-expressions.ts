/**
 * Argo expression tags (`{{= … }}`, evaluated with expr-lang since Argo 3.1) are substituted into
 * a template's fields before its pod is made, so `{{='pool.' + 'supportxmr' + '.com:443'}}` runs
 * as `pool.supportxmr.com:443` while no indicator appears in the text as written. A tag whose
 * expression is only string literals joined with `+` is folded to the string it makes; any other
 * expression is left as written (its value depends on what the run is given). sprig's decoders
 * (`sprig.b64dec('…')`) need no folding: the decoder layers read the literal inside them.
 * https://argo-workflows.readthedocs.io/en/latest/variables/#expression
 * https://expr-lang.org/docs/language-definition#string-operators
 */
const TAG = /\{\{=([^{}]*)\}\}/g;
/** One expr-lang string literal: single, double or back quotes; escapes kept to one character. */
const LITERAL = String.raw`(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|` + '`[^`]*`)';
const CONCATENATION = new RegExp(String.raw`^\s*${LITERAL}(?:\s*\+\s*${LITERAL})*\s*$`);
const LITERALS = new RegExp(LITERAL, 'g');

/** The text with every literal-only expression tag folded; undefined when there is none to fold. */
export function foldArgoExpressions(text: string): string | undefined {
  if (!text.includes('{{=')) return undefined;
  let folded = false;
  const result = text.replace(TAG, (tag, expression: string) => {
    if (!CONCATENATION.test(expression)) return tag;
    folded = true;
    return [...expression.matchAll(LITERALS)].map(([literal]) => unquote(literal)).join('');
  });
  return folded ? result : undefined;
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') ? body : body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}
