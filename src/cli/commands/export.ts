import { stringify } from 'yaml';
import { loadConfig } from '../../config/load.js';
import { CONFIG_VOCABULARY } from '../config.js';
import { UsageError } from '../../core/errors.js';
import { minerOptionsOf } from '../../threat/miner-options.js';
import { vapManifests, type VapAction } from '../../vap/policies.js';
import { parseCommandArgs, stringOption } from '../args.js';
import { EXPORT_HELP, EXPORT_VAP_HELP } from '../help.js';
import { EXIT_CLEAN, EXIT_ERROR, type CliIo } from '../io.js';
import { nearestWords } from '../../core/nearest.js';

const ACTIONS: Readonly<Record<string, readonly VapAction[]>> = { enforce: ['Deny'], warn: ['Warn', 'Audit'], audit: ['Audit'] };

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  // Not asked for, help is a usage error: stderr and exit 2 (as for `kfguard` alone).
  if (sub === undefined) {
    io.stderr(EXPORT_HELP);
    return EXIT_ERROR;
  }
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(EXPORT_HELP);
    return EXIT_CLEAN;
  }
  if (sub === 'vap') return exportVap(rest, io);
  throw new UsageError(`unknown export "${sub}"`, nearestWords(sub, ['vap']).length > 0 ? 'did you mean `kfguard export vap`? (exports: vap)' : 'exports: vap');
}

async function exportVap(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('export vap', argv, {
    mode: { type: 'string' },
    'exclude-namespace': { type: 'string', multiple: true },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(EXPORT_VAP_HELP);
    return EXIT_CLEAN;
  }
  const mode = stringOption(values.mode) ?? 'enforce';
  const actions = ACTIONS[mode];
  if (!actions) throw new UsageError(`invalid --mode "${mode}"`, `use one of: ${Object.keys(ACTIONS).join(', ')}`);
  const excluded = (values['exclude-namespace'] as string[] | undefined) ?? ['kube-system'];
  const configFile = stringOption(values.config);
  // Only an explicit file: the policies go to a cluster, not to whatever repository this runs in.
  const config = configFile === undefined ? undefined : (await loadConfig({ explicit: configFile, cwd: io.cwd, ...CONFIG_VOCABULARY })).config;
  const extensions = config ? minerOptionsOf(config) : undefined;
  const objects = vapManifests({ actions, excludeNamespaces: excluded, ...(extensions ? { extensions } : {}) });
  io.stdout(objects.map((object) => `---\n${stringify(object, { lineWidth: 0 })}`).join(''));
  return EXIT_CLEAN;
}
