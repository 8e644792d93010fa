import { loadIndicatorData, type IndicatorData } from '../threat/indicators.js';
import type { MinerOptions } from '../threat/miner-options.js';

/**
 * RE2 patterns for CEL's `matches()`, built from the same indicator lists the threat scanner
 * compiles (`data/indicators/*.yaml` plus the config's extensions), never from a list of their own.
 * RE2 has no look-behind, so the scanner's `(?<![\w.-])` becomes a consumed boundary class: the
 * same yes/no answer for "does the text contain one".
 */
export interface CelPatterns {
  /** A container image whose repository is a known miner image, any tag or digest. */
  readonly minerImage: string;
  /** A Stratum URL with a body (`stratum+tcp://host:port`). */
  readonly stratumUrl: string;
  /** A pool host outside an http(s) URL (a pool's website or API is a weaker signal). */
  readonly poolHost: string;
  /** A miner executable named as a word of a command or script (`xmrig`, `/tmp/xmrig`). */
  readonly minerBinary: string;
  /** A flag only miners have (`--donate-level`, `--randomx-1gb-pages`). */
  readonly strongFlag: string;
  /** A pool, login or algorithm flag (`-o`, `--user`, `--algo`): a miner flag only beside a miner executable. */
  readonly minerFlag: string;
}

const escapeRe2 = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function valuesOf(data: IndicatorData, key: string, extra: readonly string[] = []): string[] {
  const values = [...(data[key] ?? []).flatMap((entry) => entry.values), ...extra].map((v) => v.toLowerCase());
  // Longest first: RE2 alternation prefers the leftmost branch, and a shorter prefix must not hide a longer one.
  return [...new Set(values)].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

const alternation = (values: readonly string[]): string => `(?:${values.map(escapeRe2).join('|')})`;

/** Docker Hub spellings `imageRepository()` strips before comparing repositories. */
const HUB_PREFIXES = ['docker.io/library/', 'docker.io/', 'index.docker.io/library/', 'index.docker.io/', 'registry.hub.docker.com/'];

export function celPatterns(extensions?: MinerOptions, data: IndicatorData = loadIndicatorData()): CelPatterns {
  const images = valuesOf(data, 'images', extensions?.images);
  const binaries = valuesOf(data, 'minerBinaries', extensions?.minerBinaries);
  const pools = valuesOf(data, 'poolDomains', extensions?.poolDomains);
  const schemes = valuesOf(data, 'stratumSchemes');
  const strongFlags = valuesOf(data, 'strongFlags');
  const contextFlags = [...new Set(['poolFlags', 'userFlags', 'algoFlags'].flatMap((key) => (data[key] ?? []).flatMap((entry) => entry.values)))].sort((a, b) => b.length - a.length);
  // Word boundaries of a shell word: whitespace, quotes, separators, path slashes.
  const wordStart = `(?:^|[\\s'"\`;&|(=/])`;
  const wordEnd = `(?:$|[\\s'"\`;&|)])`;
  // A flag is a whole word, also as a quoted list item in a script (`["--donate-level", "1"]`).
  const flagStart = `(?:^|[\\s'"])`;
  const flagEnd = `(?:$|[\\s='"])`;
  // From the start of a line, text before the match holds no shell/Python comment (a `#` that
  // starts a word): a pool named in a comment runs nothing, as the webhook judges it (precision.ts).
  const notInComment = `^(?:[^#\\n]|[^\\s#]#)*?`;
  return {
    minerImage: `(?i)^\\s*${alternation(HUB_PREFIXES)}?${alternation(images)}(?::[^/@]*)?(?:@.*)?\\s*$`,
    stratumUrl: `(?im)${notInComment}(?:^|[^\\w+.-])${alternation(schemes)}://[^\\s"'\`<>|;,]*[a-z0-9]`,
    poolHost: `(?im)${notInComment}(?:^|[^\\w./-]|[^/]/)(?:[a-z0-9-]+\\.)*${alternation(pools)}(?:[^\\w-]|$)`,
    minerBinary: `(?i)${wordStart}${alternation(binaries)}${wordEnd}`,
    strongFlag: `(?i)${flagStart}${alternation(strongFlags)}${flagEnd}`,
    // Case matters here: miners give `-p` and `-P` different meanings.
    minerFlag: `${flagStart}${alternation(contextFlags)}${flagEnd}`,
  };
}
