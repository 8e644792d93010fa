import type { Severity } from '../core/severity.js';
import { SEVERITIES } from '../core/severity.js';
import { requiredText, shippedList, type ListEntry } from '../data/list-file.js';
import type { TargetFamily } from './types.js';

/** One entry of `data/lists/exposure-targets.yaml`, its patterns compiled. */
export interface TargetEntry {
  readonly family: TargetFamily;
  readonly label: string;
  readonly images: readonly RegExp[];
  readonly commands?: RegExp;
  readonly labels: readonly string[];
  readonly labelKeys: readonly string[];
  readonly configMaps?: RegExp;
  readonly routes?: RegExp;
  readonly names?: RegExp;
  /** `namespace/name` of Services or workloads whose bare name is too generic (`kubeflow/dashboard`). */
  readonly qualifiedNames: readonly string[];
  readonly ports: readonly number[];
  readonly ceiling?: Severity;
  readonly why?: string;
  readonly loginSurface: boolean;
  /** The ports alone identify it, for a Service none of whose workloads is scanned. */
  readonly portAlone: boolean;
  /** A match on names alone needs one of `ports` when the backend's ports are known. */
  readonly namesNeedPort: boolean;
  readonly source: string;
}

const FAMILIES: readonly TargetFamily[] = ['kubeflow', 'sensitive', 'ray'];

function pattern(entry: ListEntry, field: string): RegExp | undefined {
  const raw = entry.fields[field];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw new Error(`${entry.where}: "${field}" must be a regular expression`);
  try {
    return new RegExp(raw);
  } catch (error) {
    throw new Error(`${entry.where}: "${field}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

function strings(entry: ListEntry, field: string): string[] {
  const raw = entry.fields[field] ?? [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string' || v === '')) throw new Error(`${entry.where}: "${field}" must be a list of strings`);
  return raw as string[];
}

function parseEntry(entry: ListEntry): TargetEntry {
  const family = requiredText(entry, 'family') as TargetFamily;
  if (!FAMILIES.includes(family)) throw new Error(`${entry.where}: "family" must be one of ${FAMILIES.join(', ')}`);
  const labels = strings(entry, 'labels');
  if (labels.some((l) => !/^[^=]+=[^=]*$/.test(l))) throw new Error(`${entry.where}: "labels" entries are key=value`);
  const ports = entry.fields.ports ?? [];
  if (!Array.isArray(ports) || ports.some((p) => typeof p !== 'number' || !Number.isInteger(p))) throw new Error(`${entry.where}: "ports" must be a list of port numbers`);
  const ceiling = entry.fields.ceiling;
  if (ceiling !== undefined && !SEVERITIES.includes(ceiling as Severity)) throw new Error(`${entry.where}: "ceiling" must be a severity`);
  if (ceiling !== undefined && typeof entry.fields.why !== 'string') throw new Error(`${entry.where}: a "ceiling" needs a "why"`);
  if (entry.fields.portAlone === true && ports.length === 0) throw new Error(`${entry.where}: "portAlone" needs "ports"`);
  if (entry.fields.namesNeedPort === true && ports.length === 0) throw new Error(`${entry.where}: "namesNeedPort" needs "ports"`);
  const images = strings(entry, 'images').map((source) => new RegExp(source));
  const qualifiedNames = strings(entry, 'qualifiedNames');
  const parsed: TargetEntry = {
    family,
    label: requiredText(entry, 'label'),
    images,
    labels,
    labelKeys: strings(entry, 'labelKeys'),
    qualifiedNames,
    ports: ports as number[],
    loginSurface: entry.fields.loginSurface === true,
    portAlone: entry.fields.portAlone === true,
    namesNeedPort: entry.fields.namesNeedPort === true,
    source: entry.source,
    ...optional('commands', pattern(entry, 'commands')),
    ...optional('configMaps', pattern(entry, 'configMaps')),
    ...optional('routes', pattern(entry, 'routes')),
    ...optional('names', pattern(entry, 'names')),
    ...optional('ceiling', ceiling as Severity | undefined),
    ...optional('why', entry.fields.why as string | undefined),
  };
  if (images.length === 0 && !parsed.names && parsed.labels.length === 0 && parsed.labelKeys.length === 0 && !parsed.commands) {
    throw new Error(`${entry.where}: needs at least one image, name, label or command mark`);
  }
  return parsed;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

let catalogue: readonly TargetEntry[] | undefined;

/** The shipped target catalogue, read and checked on first use. */
export function loadTargetCatalogue(): readonly TargetEntry[] {
  catalogue ??= shippedList('exposure-targets').map(parseEntry);
  return catalogue;
}
