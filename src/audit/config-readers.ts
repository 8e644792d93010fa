import type { K8sObject } from '../core/types.js';
import { ConfigState, type ConfigRef } from './config-state.js';

/**
 * The workloads the log showed reading each ConfigMap or Secret, so a later change to one is
 * judged against what runs it: a pod created reading a harmless `run.sh` from a ConfigMap, whose
 * script is then swapped for a miner, runs the miner on its next start (a mounted ConfigMap is
 * even refreshed in place), and the ConfigMap alone is only data. Kept as JSON text, bounded in
 * bytes (two a character) with the oldest readers going first; how many were forgotten is counted
 * and said in a warning, since a change to what they read is then not judged against them.
 */
export class ConfigReaders {
  private readonly readers = new Map<string, Map<string, string>>();
  /** Reader key → the config keys it is still listed under, oldest reader first (for eviction). */
  private readonly order = new Map<string, string[]>();
  /**
   * Config key → readers no longer listed under it because more than `maxReadersPerConfig` read
   * it. Said when that config changes (`of`): only then did the cut leave a workload unjudged.
   */
  private readonly crowdedOut = new Map<string, number>();
  private bytes = 0;
  forgotten = 0;

  constructor(
    private readonly maxBytes: number,
    readonly maxReadersPerConfig = 8,
  ) {}

  /** The workload `key` (kind/namespace/name) reads `refs`; its latest state replaces an earlier one. */
  record(key: string, object: K8sObject, refs: readonly ConfigRef[]): void {
    this.drop(key);
    if (refs.length === 0) return;
    // A budget of 0 keeps none, and says so as any budget does: the flag's contract (audit-limit-flags.ts).
    if (this.maxBytes <= 0) {
      this.forgotten++;
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(object);
    } catch {
      this.forgotten++;
      return;
    }
    const cost = text.length * 2 * refs.length;
    if (cost > this.maxBytes) {
      this.forgotten++;
      return;
    }
    const configs = refs.map((ref) => ConfigState.keyOf(ref));
    for (const config of configs) {
      let readers = this.readers.get(config);
      if (!readers) this.readers.set(config, (readers = new Map()));
      readers.set(key, text);
    }
    this.order.set(key, configs);
    this.bytes += cost;
    // A ConfigMap read by a whole fleet: the newest readers stand for the rest, and the cut is
    // counted. The oldest reader leaves this config's list only: it still reads the others.
    for (const config of configs) {
      const readers = this.readers.get(config);
      while (readers && readers.size > this.maxReadersPerConfig) {
        this.dropFrom(readers.keys().next().value as string, config);
        this.crowdedOut.set(config, (this.crowdedOut.get(config) ?? 0) + 1);
      }
    }
    while (this.bytes > this.maxBytes && this.order.size > 0) {
      this.drop(this.order.keys().next().value as string);
      this.forgotten++;
    }
  }

  /** The workload is gone (deleted): a change to what it read runs nothing of it. */
  drop(key: string): void {
    for (const config of [...(this.order.get(key) ?? [])]) this.dropFrom(key, config);
    this.order.delete(key);
  }

  /** The workloads the log showed reading this ConfigMap or Secret, newest last, and how many more read it but were not kept. */
  of(ref: ConfigRef): { readonly readers: K8sObject[]; readonly crowdedOut: number } {
    const config = ConfigState.keyOf(ref);
    const readers = this.readers.get(config);
    return { readers: readers ? [...readers.values()].map((text) => JSON.parse(text) as K8sObject) : [], crowdedOut: this.crowdedOut.get(config) ?? 0 };
  }

  private dropFrom(key: string, config: string): void {
    const readers = this.readers.get(config);
    const text = readers?.get(key);
    if (readers && text !== undefined) {
      readers.delete(key);
      this.bytes -= text.length * 2;
      if (readers.size === 0) {
        this.readers.delete(config);
        this.crowdedOut.delete(config);
      }
    }
    const configs = this.order.get(key);
    if (!configs) return;
    const at = configs.indexOf(config);
    if (at !== -1) configs.splice(at, 1);
    if (configs.length === 0) this.order.delete(key);
  }
}
