import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isRecord, type JsonRecord } from '../core/object.js';
import { packageDataDir } from './data-dir.js';

/** One fact from a `data/lists/*.yaml` file, with the public source it was taken from. */
export interface ListEntry {
  readonly source: string;
  /** The entry as written, for lists whose entries carry more than a value. */
  readonly fields: JsonRecord;
  /** Where the entry is, for error messages: `data/lists/x.yaml entries[3]`. */
  readonly where: string;
}

/** The shipped lists' folder; tests point the loader at their own. */
export function listDataDir(): string {
  return packageDataDir('lists');
}

const loaded = new Map<string, readonly ListEntry[]>();

/**
 * The entries of `data/lists/<name>.yaml`, read on first use and kept: each list is loaded only
 * by the code that needs it, so commands that never consult it (`--version`, `rules`) pay nothing.
 */
export function shippedList(name: string): readonly ListEntry[] {
  let entries = loaded.get(name);
  if (!entries) {
    entries = readListFile(join(listDataDir(), `${name}.yaml`));
    loaded.set(name, entries);
  }
  return entries;
}

/** Reads and validates one list file: a numeric `version` and `entries`, each with an https `source`. */
export function readListFile(file: string): readonly ListEntry[] {
  const doc = yaml.load(readFileSync(file, 'utf8'));
  if (!isRecord(doc) || typeof doc.version !== 'number') throw new Error(`${file}: needs a numeric "version"`);
  if (!Array.isArray(doc.entries) || doc.entries.length === 0) throw new Error(`${file}: needs a non-empty "entries" list`);
  return doc.entries.map((raw: unknown, i: number): ListEntry => {
    const where = `${file} entries[${i}]`;
    if (!isRecord(raw) || typeof raw.source !== 'string' || !/^https:\/\/\S+$/.test(raw.source)) {
      throw new Error(`${where}: every entry needs a "source" https URL`);
    }
    return { source: raw.source, fields: raw, where };
  });
}

/** The entry's `value`: one string or a list of them, none empty. */
export function valuesOfEntry(entry: ListEntry): string[] {
  const raw = entry.fields.value;
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) throw new Error(`${entry.where}: "value" must be a non-empty string or list of strings`);
  return values as string[];
}

/** Every value of a plain list of strings, in file order. */
export function shippedValues(name: string): string[] {
  return shippedList(name).flatMap(valuesOfEntry);
}

/** A string field every entry of a structured list must have. */
export function requiredText(entry: ListEntry, field: string): string {
  const value = entry.fields[field];
  if (typeof value !== 'string' || value === '') throw new Error(`${entry.where}: needs a non-empty "${field}"`);
  return value;
}
