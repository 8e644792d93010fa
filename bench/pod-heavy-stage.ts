/**
 * One stage prefix of the pod-heavy scan, run as its own process so its CPU time (every thread,
 * the collector's included, start to exit) compares with the js-yaml baseline process's
 * (bench/baseline-parse.mjs). Bundled and driven by bench/pod-heavy-floor.mjs; each mode does what
 * the one before it does plus one stage, so the differences between modes are the stages' costs.
 *   MODE FILE
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { withoutServerBookkeeping } from '../src/core/bookkeeping.js';
import { collect } from '../src/core/source.js';
import { newSnapshot } from '../src/k8s/inventory.js';
import { ALL_RULES } from '../src/rules/index.js';
import { evaluateManifests } from '../src/scan.js';
import { decodeText } from '../src/sources/decode.js';
import { ManifestSource } from '../src/sources/manifest-source.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../src/sources/yaml-documents.js';

const [mode, file] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: pod-heavy-stage MODE FILE');
// Held to the end, as the scan holds every object: what is kept is what the collector copies.
const kept: unknown[] = [];
const readText = (): string => {
  const decoded = decodeText(readFileSync(file));
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.text;
};
const sourceOptions = { paths: [file], cwd: process.cwd(), readStdin: () => Promise.reject(new Error('no stdin')) };
const MERGE_KEY = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' });
const MANIFEST_SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE_KEY] });

switch (mode) {
  case 'read':
    kept.push(readText().length);
    break;
  case 'yaml-default-drop': // the baseline's own work, in this process
    yaml.loadAll(readText(), () => undefined);
    break;
  case 'yaml-core-drop': // kfguard's schema, each document dropped as parsed
    yaml.loadAll(readText(), () => undefined, { schema: MANIFEST_SCHEMA });
    break;
  case 'yaml-core-keep': // ... and every document kept
    yaml.loadAll(readText(), (doc) => void kept.push(doc), { schema: MANIFEST_SCHEMA });
    break;
  case 'yaml-core-keep-lean': // ... kept without managedFields and workload status
    yaml.loadAll(readText(), (doc) => void kept.push(withoutServerBookkeeping(doc)), { schema: MANIFEST_SCHEMA });
    break;
  case 'stream': // kfguard's reading: kubectl's split, the go-yaml checks, CRD cut, one load per document
    kept.push(parseYamlStream(readText(), DEFAULT_PARSE_LIMITS, withoutServerBookkeeping));
    break;
  case 'collect': // ... plus objects, origins and the snapshot
    kept.push(await collect([new ManifestSource(sourceOptions)], newSnapshot()));
    break;
  case 'guardrails':
  case 'no-miner':
  case 'rules': {
    const rules =
      mode === 'guardrails' ? ALL_RULES.filter((r) => r.meta.category === 'guardrails') : mode === 'no-miner' ? ALL_RULES.filter((r) => r.meta.id !== 'crypto-miner-workload') : ALL_RULES;
    kept.push(await evaluateManifests({ ...sourceOptions, rules }));
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(`${mode} ${kept.length}\n`);
// As the CLI does: exit once the output is written, without tearing the heap down.
process.exit(0);
