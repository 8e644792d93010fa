import yaml from 'js-yaml';
import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import type { K8sObject } from '../core/types.js';
import { storedValuesOf, type StoredValue } from '../k8s/env-resolution.js';

/** Dex configs are a few kilobytes; anything far larger is not parsed. */
const MAX_CONFIG_BYTES = 256 * 1024;
const CONFIG_KEYS = ['config.yaml', 'config.yml', 'dex.yaml'];

export interface DexStaticPassword {
  readonly index: number;
  readonly email: string;
  readonly username?: string;
  /** Inline bcrypt hash, or the env var Dex reads it from. */
  readonly hash?: string;
  readonly hashFromEnv?: string;
}

export interface DexConfig {
  readonly entry: StoredValue;
  readonly passwordDbEnabled: boolean;
  readonly staticPasswords: readonly DexStaticPassword[];
}

/** The Dex config a ConfigMap or Secret carries, when it has one with static passwords. */
export function dexConfigOf(object: K8sObject): DexConfig | undefined {
  for (const entry of storedValuesOf(object)) {
    if (!CONFIG_KEYS.includes(entry.key) || entry.value.length > MAX_CONFIG_BYTES) continue;
    if (!entry.value.includes('staticPasswords')) continue;
    const parsed = parseYaml(entry.value);
    if (!parsed || !Array.isArray(parsed.staticPasswords)) continue;
    const staticPasswords = asArray(parsed.staticPasswords).flatMap((raw, index): DexStaticPassword[] => {
      const record = asRecord(raw);
      const email = asString(record?.email);
      if (!record || !email) return [];
      const hash = asString(record.hash);
      const hashFromEnv = asString(record.hashFromEnv);
      const username = asString(record.username);
      return [{ index, email, ...(username ? { username } : {}), ...(hash ? { hash } : {}), ...(hashFromEnv ? { hashFromEnv } : {}) }];
    });
    return { entry, passwordDbEnabled: parsed.enablePasswordDB === true, staticPasswords };
  }
  return undefined;
}

function parseYaml(text: string): JsonRecord | undefined {
  try {
    return asRecord(yaml.load(text, { schema: yaml.JSON_SCHEMA, json: true }));
  } catch {
    return undefined;
  }
}
