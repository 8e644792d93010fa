import { GenerationalCache } from './generational-cache.js';
import { imageRepository, type Indicators } from './indicators.js';

/** What an image reference says about itself: a campaign image, or a repository whose name says miner. */
export type ImageVerdict = { readonly kind: 'known-miner-image' | 'miner-image-name'; readonly word?: string };

/**
 * Judges an image by its reference alone. An exact campaign repository is decisive; a repository
 * whose path has a miner's name as one of its words (`someone/xmrig`, `x/lolminer-cuda`) is high.
 * A word is a whole part between `/`, `-`, `_` and `.`, so `minio`, `determined` or `minerl` never
 * count, and "miner" after a data-mining qualifier (`log-miner`) does not either. A miner baked
 * into an innocently named image is invisible here: see docs/rules/crypto-miner-workload.md.
 */
export function judgeImage(image: string, indicators: Indicators): ImageVerdict | undefined {
  // A cluster runs a few hundred distinct images over and over; the verdict depends on nothing else.
  let verdicts = verdictsByIndicators.get(indicators);
  if (!verdicts) {
    verdicts = new GenerationalCache(VERDICTS_KEPT);
    verdictsByIndicators.set(indicators, verdicts);
  }
  const known = verdicts.get(image);
  if (known !== undefined) return known === NONE ? undefined : known;
  const verdict = judgeImageAfresh(image, indicators);
  verdicts.set(image, verdict ?? NONE);
  return verdict;
}

const VERDICTS_KEPT = 1_024;
const NONE = 'none';
const verdictsByIndicators = new WeakMap<Indicators, GenerationalCache<string, ImageVerdict | typeof NONE>>();

function judgeImageAfresh(image: string, indicators: Indicators): ImageVerdict | undefined {
  const repo = imageRepository(image);
  if (indicators.trustedImages.has(repo)) return undefined;
  if (indicators.images.has(repo)) return { kind: 'known-miner-image' };
  const path = repo.slice(registryEnd(repo));
  const words = path.split(/[/_.-]+/).filter((w) => w !== '');
  // Two-word names (`xmr-stak`, `monero-miner` written `xmr-miner`) are matched on the joined pair too.
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const pair = i + 1 < words.length ? `${word}-${words[i + 1]}` : undefined;
    if (pair !== undefined && indicators.minerImageWords.has(pair)) return { kind: 'miner-image-name', word: pair };
    if (!indicators.minerImageWords.has(word)) continue;
    if (word === 'miner' && i > 0 && indicators.minerImageBenignQualifiers.has(words[i - 1] as string)) continue;
    return { kind: 'miner-image-name', word };
  }
  return undefined;
}

/** Where the repository path starts: after a registry host (`ghcr.io/`, `registry:5000/`), if any. */
function registryEnd(repo: string): number {
  const slash = repo.indexOf('/');
  if (slash === -1) return 0;
  const first = repo.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? slash + 1 : 0;
}
