import { hasIndicator } from './yaml-indicators.js';
import { BARE_VALUE_IN_SEQUENCE, hasEmptyFlowKey } from './go-yaml-flow-empty-keys.js';
import { aliasesRedefinedAnchor } from './redefined-anchors.js';
import { hasEscapedBlankLine } from './go-yaml-escaped-breaks.js';
import { syntaxOnly } from './yaml-syntax-mask.js';

/**
 * A cheap look at a document's text for anything js-yaml (YAML 1.2 core) and go-yaml (what
 * Kubernetes runs) may read differently. Documents without any of these take the fast js-yaml
 * path; the rest go to the exact reader (go-yaml-decode.ts). Duplicate keys and deep nesting
 * need no look: js-yaml refuses them, and a refusal is retried with the exact reader.
 */
export function mayReadDifferently(text: string): boolean {
  return (
    text.includes('<<') ||
    hasIndicator(text, '!') ||
    YAML11_SCALAR.test(text) ||
    YAML11_FIRST_KEY.test(text) ||
    NUMERIC_KEY.test(text) ||
    // `x: &a` holding `&a 1`, then `*a`: js-yaml names x, go-yaml 1 (redefined-anchors.ts).
    aliasesRedefinedAnchor(text) ||
    // `"a\` + blank line + `b"`: js-yaml reads "ab", go-yaml "a\nb" (go-yaml-escaped-breaks.ts).
    hasEscapedBlankLine(text) ||
    // Syntax checks that also match inside quoted scalars, comments and block scalar bodies: asked
    // again without those (yaml-syntax-mask.ts) only when they fire, so plain documents pay nothing.
    (syntaxDiffers(text) && syntaxDiffers(syntaxOnly(text)))
  );
}

function syntaxDiffers(text: string): boolean {
  return (
    FLOW_INDICATOR_START.test(text) ||
    EMPTY_ENTRY_THEN_ENTRY.test(text) ||
    // `[? ,]`: go-yaml skips the `,` (go-yaml-flow-empty-keys.ts); js-yaml reads the key as "null".
    hasEmptyFlowKey(text) ||
    // `[: 1]`: go-yaml's syntax error, a pair with an empty key for js-yaml.
    BARE_VALUE_IN_SEQUENCE.test(text) ||
    COLLECTION_KEY.test(text) ||
    // `[a]: b`, `{a: 1}: b`, `{: 1}`: kubectl refuses them, js-yaml reads `a`, `[object Object]`, `null` (attacktoday).
    ODD_KEY.test(text)
  );
}

/**
 * Where a mapping key may be a collection: an explicit `?` key, a flow collection or an alias
 * before a `:`. kubectl refuses a sequence or mapping as a key ("invalid map key"); js-yaml makes
 * a string of it (`[a]: 1` is `{"a": 1}`, `{a: 1}: 1` is `{"[object Object]": 1}`), so the fast path
 * read documents kubectl refuses. The exact reader refuses them as kubectl does. Found by the
 * syntax-mask differential (2026-12-05).
 */
export const COLLECTION_KEY = /(?:^|[\s[{,])\?(?:[ \t\r\n]|$)|[\]}][ \t]*:(?:[ \t\r\n,\]}]|$)|\*[^\s,[\]{}:*]+[ \t]*:(?:[ \t\r\n,\]}]|$)/m;

/**
 * A collection as an implicit key (`[a]: 1`, `{a: 1}: 2`) or an empty key in flow (`{: 1}`): go-yaml
 * refuses what js-yaml turns into text. Both the fast path and the lean path must leave them to the
 * full reader (found on the fast path by the attacktoday differential fuzz: kubectl refused, kfguard read).
 */
export const ODD_KEY = /[\]}][ \t]*:(?:[ \t\r\n]|$)|[{,][ \t]*:/m;

/**
 * An empty block sequence entry (`-` with nothing after it on its line) and a `-` entry on the
 * next line that is not blank: when that entry belongs to an outer sequence, js-yaml takes it into
 * the inner one (`- -` then `- 1` is [[null, 1]]; go-yaml reads [[null], 1]), whatever the
 * indentation says. Found by the kubectl differential fuzz (seeds 101080, 101085, 101152). Any
 * such pair routes, nested or not: the exact reader reads them all alike.
 */
export const EMPTY_ENTRY_THEN_ENTRY = /[\n \t]-[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*-(?:[ \t\r\n]|$)/;

/**
 * A `?` or `:` glued to text where a flow collection entry or value may start: go-yaml reads it
 * as an indicator (`[?x]` is `[{x: null}]`, `[:x]` is refused), YAML 1.2 as text (go-yaml-flow-plain.ts).
 * Block values such as `a: ?x` match too and simply read the same on the exact path. A `[` or `{`
 * glued to text (`conditions[?(@.type=='Ready')]`, a JSONPath in CRDs) is inside a plain scalar.
 */
export const FLOW_INDICATOR_START = /(?:[\s:[{,][[{]|,|:[ \t])[ \t]*[?:][^ \t\r\n]|^[[{][ \t]*[?:][^ \t\r\n]/;

/**
 * A plain scalar that YAML 1.1 or Go's strconv reads otherwise than YAML 1.2: the 1.1 booleans,
 * numbers with a leading zero, a base prefix or underscores, and a `+` or `.` start (`+.inf`,
 * `.5`), as a whole value (after `: `, `- ` or a flow indicator) or a whole key (after a line
 * break). One pattern starting with one character class, which V8 scans fast; `^` with the `m`
 * flag was four times slower on a Kubeflow install. The very first key is checked apart.
 */
const TOKEN = String.raw`(?:[yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[-+]?0(?:[0-9_][0-9_.eE+-]*|[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)|[-+]?[0-9]+_[0-9_.]*|[-+]?\.[0-9a-zA-Z]+|\+[0-9][0-9.eE+-]*)`;
const END = String.raw`[ \t]*(?:$|[,\]}\r]|[ \t]#|:(?:[ \t]|$))`;
// `-` counts only as a sequence entry (`- `): inside a word (`…-05d5`) it starts no scalar.
// An anchor may stand between the indicator and the scalar (`privileged: &p yes`): the scalar
// still resolves by YAML 1.1, so it must route as the bare one does.
const ANCHOR = String.raw`(?:&[^ \t\r\n]+[ \t]+)?`;
const YAML11_SCALAR = new RegExp(String.raw`(?:[:[{,\n]|- )[ \t]*${ANCHOR}${TOKEN}${END}`, 'm');
const YAML11_FIRST_KEY = new RegExp(String.raw`^[ \t]*${ANCHOR}${TOKEN}[ \t]*:(?:[ \t\r\n]|$)`);

/**
 * A map key that is a float, or an integer past 2^53: sigs.k8s.io/yaml writes such a key with
 * Go's float32 formatting (`123456789.0` is `1.2345679e+08`, `1e6` is `1e+06`) or as the exact
 * uint64, where js-yaml writes the double (`123456789`, `1000000`). Values read the same, so
 * only keys route.
 */
const NUMERIC_KEY = new RegExp(String.raw`(?:^|[\n{,]|- )[ \t]*${ANCHOR}[-+]?(?:[0-9]*\.[0-9]|[0-9]+\.|[0-9]+[eE][-+]?[0-9]|[0-9]{16})[0-9_.eE+-]*[ \t]*:(?:[ \t\r\n]|$)`);
