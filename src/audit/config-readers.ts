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
  /** Reader key → the config keys it is listed under, oldest first (for eviction). */
  private readonly order = new Map<string, readonly string[]>();
  private bytes = 0;
  forgotten = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxReadersPerConfig = 8,
  ) {}

  /** The workload `key` (kind/namespace/name) reads `refs`; its latest state replaces an earlier one. */
  record(key: string, object: K8sObject, refs: readonly ConfigRef[]): void {
    this.drop(key);
    if (refs.length === 0 || this.maxBytes <= 0) return;
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
    // A ConfigMap read by a whole fleet: the newest readers stand for the rest.
    for (const config of configs) {
      const readers = this.readers.get(config);
      while (readers && readers.size > this.maxReadersPerConfig) this.drop(readers.keys().next().value as string);
    }
    while (this.bytes > this.maxBytes && this.order.size > 0) {
      this.drop(this.order.keys().next().value as string);
      this.forgotten++;
    }
  }

  /** The workload is gone (deleted): a change to what it read runs nothing of it. */
  drop(key: string): void {
    const configs = this.order.get(key);
    if (!configs) return;
    this.order.delete(key);
    for (const config of configs) {
      const readers = this.readers.get(config);
      const text = readers?.get(key);
      if (text === undefined) continue;
      readers?.delete(key);
      this.bytes -= text.length * 2;
      if (readers?.size === 0) this.readers.delete(config);
    }
  }

  /** The workloads the log showed reading this ConfigMap or Secret, newest last. */
  of(ref: ConfigRef): K8sObject[] {
    const readers = this.readers.get(ConfigState.keyOf(ref));
    return readers ? [...readers.values()].map((text) => JSON.parse(text) as K8sObject) : [];
  }
}
