import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isRecord } from '../core/object.js';
import { indicatorDataDir } from './indicators.js';

/**
 * Known-compromised package versions (`data/indicators/compromised-packages.yaml`) pinned in text a
 * step runs or installs from: `pip install ultralytics==8.3.41`, a requirements line, KFP's
 * `packages_to_install`, `conda install ultralytics=8.3.41`, `npm i ua-parser-js@0.7.29`. Only exact
 * pins count: a range never resolves to a yanked version.
 */

export type Ecosystem = 'pypi' | 'npm' | 'conda';

export interface CompromisedPackage {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly versions: ReadonlySet<string>;
  readonly source: string;
}

export interface PackagePin {
  readonly name: string;
  readonly version: string;
  readonly ecosystem: Ecosystem;
}

const ECOSYSTEMS: readonly Ecosystem[] = ['pypi', 'npm', 'conda'];

export function loadCompromisedPackages(file = join(indicatorDataDir(), 'compromised-packages.yaml')): readonly CompromisedPackage[] {
  const doc = yaml.load(readFileSync(file, 'utf8'));
  const entries = isRecord(doc) && Array.isArray(doc.compromisedPackages) ? doc.compromisedPackages : [];
  return entries.map((raw, i) => {
    const where = `${file} compromisedPackages[${i}]`;
    if (!isRecord(raw) || typeof raw.name !== 'string' || !Array.isArray(raw.value) || typeof raw.source !== 'string' || !raw.source.startsWith('https://')) {
      throw new Error(`${where}: needs "name", a "value" list of versions and a "source" https URL`);
    }
    if (!ECOSYSTEMS.includes(raw.ecosystem as Ecosystem)) throw new Error(`${where}: "ecosystem" must be one of ${ECOSYSTEMS.join(', ')}`);
    const ecosystem = raw.ecosystem as Ecosystem;
    return { ecosystem, name: normalName(raw.name, ecosystem), versions: new Set(raw.value.map(String)), source: raw.source };
  });
}

/** PyPI names compare case-insensitively with `-`, `_` and `.` alike (PEP 503); npm names are lowercase. */
function normalName(name: string, ecosystem: Ecosystem): string {
  return ecosystem === 'npm' ? name.toLowerCase() : name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * `name[extras]==1.2.3`, `name===1.2.3`, `name=1.2.3` (conda), `name@1.2.3` (npm), with optional
 * quotes around; a name starts at a word boundary that is not part of a path or another name.
 */
const PIN = /(?<![\w.@/-])(@[a-z0-9][\w.-]*\/)?([A-Za-z0-9][\w.-]{0,100})(?:\[[^\]\s]{0,100}\])?\s{0,3}(===?|=|@)\s{0,3}v?([0-9][0-9A-Za-z.+!-]{0,40})/g;

/** Every exact pin in `text`, read the way pip, conda and npm read their specifiers. */
export function packagePins(text: string): PackagePin[] {
  const pins: PackagePin[] = [];
  for (const match of text.matchAll(PIN)) {
    const [, scope = '', rawName = '', operator = '', rawVersion = ''] = match;
    const version = rawVersion.replace(/[.,;:)\]'"]+$/, '');
    const ecosystem: Ecosystem = operator === '@' ? 'npm' : operator === '=' ? 'conda' : 'pypi';
    pins.push({ name: normalName(`${scope}${rawName}`, ecosystem), version, ecosystem });
  }
  return pins;
}

let shipped: readonly CompromisedPackage[] | undefined;
const gates = new WeakMap<readonly CompromisedPackage[], RegExp>();

/** One case-insensitive regex naming every listed package, `-`, `_` and `.` alike. */
function nameGate(packages: readonly CompromisedPackage[]): RegExp {
  let gate = gates.get(packages);
  if (!gate) {
    const names = packages.map((p) => p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/-/g, '[-_.]'));
    gate = names.length === 0 ? /(?!)/ : new RegExp(names.join('|'), 'i');
    gates.set(packages, gate);
  }
  return gate;
}

/** The compromised packages pinned in `text`, each once, with the entry that lists it. */
export function compromisedPins(text: string, packages: readonly CompromisedPackage[] = (shipped ??= loadCompromisedPackages())): { pin: PackagePin; entry: CompromisedPackage }[] {
  if (!/[=@]/.test(text)) return [];
  // Cheap gate: the pin regex runs only on text that names a listed package at all.
  if (!nameGate(packages).test(text)) return [];
  const found = new Map<string, { pin: PackagePin; entry: CompromisedPackage }>();
  for (const pin of packagePins(text)) {
    // conda-forge recipes build from the PyPI release, so a conda pin of a listed PyPI version is read alike.
    const entry = packages.find((p) => (p.ecosystem === pin.ecosystem || (pin.ecosystem === 'conda' && p.ecosystem === 'pypi')) && p.name === normalName(pin.name, p.ecosystem) && p.versions.has(pin.version));
    if (entry) found.set(`${entry.ecosystem}:${entry.name}@${pin.version}`, { pin, entry });
  }
  return [...found.values()];
}
