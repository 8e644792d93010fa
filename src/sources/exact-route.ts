import { hasIndicator } from './yaml-indicators.js';

/**
 * A cheap look at a document's text for anything js-yaml (YAML 1.2 core) and go-yaml (what
 * Kubernetes runs) may read differently. Documents without any of these take the fast js-yaml
 * path; the rest go to the exact reader (go-yaml-decode.ts). Duplicate keys and deep nesting
 * need no look: js-yaml refuses them, and a refusal is retried with the exact reader.
 */
export function mayReadDifferently(text: string): boolean {
  return text.includes('<<') || hasTag(text) || YAML11_PLAIN.test(text);
}

/** A `!` tag indicator: after whitespace or a flow character, followed by a tag character. */
function hasTag(text: string): boolean {
  return hasIndicator(text, '!');
}

/**
 * A plain scalar that YAML 1.1 or Go's strconv reads as something else than YAML 1.2 does: the
 * 1.1 booleans, numbers with a leading zero, a base prefix or underscores, and a `+`/`.` start
 * (infinities, `.5`). Matched where a plain value or key starts, up to where it ends.
 */
const YAML11_PLAIN =
  /(?:^|[\s[{,:-])(?:[yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[-+]?0[0-9bBoOxX_][0-9a-fA-F_]*|[-+]?[0-9][0-9]*_[0-9_.]*|[-+]?\.[0-9a-zA-Z]+|\+[0-9][0-9.eE+-]*)[ \t]*(?:$|[,\]}#:\r])/m;
