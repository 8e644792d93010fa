import type { z } from 'zod';
import type { KfguardConfig } from '../core/config-types.js';
import { appendedList, ruleOptionsOf } from '../core/rule-options.js';

export const CRYPTO_MINER_RULE_ID = 'crypto-miner-workload';

/**
 * Entries users append to the shipped threat lists (`rules.crypto-miner-workload.options`).
 * `trustedImages` is the one list with no shipped entries: your images that must never count as miners.
 */
export interface MinerOptions {
  readonly minerBinaries?: readonly string[];
  readonly poolDomains?: readonly string[];
  readonly images?: readonly string[];
  readonly trustedImages?: readonly string[];
  readonly downloaders?: readonly string[];
  readonly notMiners?: readonly string[];
  readonly buildSteps?: readonly string[];
}

export const MINER_OPTION_KEYS = ['minerBinaries', 'poolDomains', 'images', 'trustedImages', 'downloaders', 'notMiners', 'buildSteps'] as const;

export function minerOptionsSchema(zod: typeof z): z.ZodType {
  return zod.strictObject(Object.fromEntries(MINER_OPTION_KEYS.map((key) => [key, appendedList(zod)])));
}

export function minerOptionsOf(config: KfguardConfig): MinerOptions | undefined {
  return ruleOptionsOf<MinerOptions>(config, CRYPTO_MINER_RULE_ID);
}
