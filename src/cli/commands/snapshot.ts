import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { collect } from '../../core/source.js';
import { selectRules } from '../../core/select-rules.js';
import { newSnapshot } from '../../k8s/inventory.js';
import { ALL_RULES } from '../../rules/index.js';
import { GAP_PREFIX, snapshotHeaderLine } from '../../sources/snapshot-header.js';
import { listOption, parseCommandArgs, stringOption } from '../args.js';
import { CLUSTER_OPTIONS, clusterSourceFor } from '../cluster-flags.js';
import { limitInlining } from '../inlining-budget.js';
import { loadCliConfig } from '../config.js';
import { SNAPSHOT_HELP } from '../help.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';

const SNAPSHOT_OPTIONS = {
  output: { type: 'string', short: 'o' },
  rule: { type: 'string', multiple: true },
  'skip-rule': { type: 'string', multiple: true },
  category: { type: 'string', multiple: true },
  config: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  ...CLUSTER_OPTIONS,
} as const;

/**
 * `kfguard snapshot -o FILE`: what a cluster scan lists, as multi-document YAML for offline scans
 * and incident tickets. Secret values are removed (keys kept); nothing else is changed.
 */
export async function snapshotCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot', argv, SNAPSHOT_OPTIONS);
  if (values.help) {
    io.stdout(SNAPSHOT_HELP);
    return EXIT_CLEAN;
  }
  const output = stringOption(values.output);
  if (output === undefined) throw new UsageError('snapshot needs -o FILE', 'run `kfguard snapshot --help` for usage');
  if (positionals.length > 0) throw new UsageError(`snapshot reads the live cluster and takes no PATH (got ${positionals.join(' ')})`);
  const rules = selectRules(ALL_RULES, { only: listOption(values.rule), skip: listOption(values['skip-rule']), categories: listOption(values.category) });
  const config = await loadCliConfig(stringOption(values.config), io);
  limitInlining(io.setV8Flags, io.env);
  const source = await clusterSourceFor(values, rules, config, io);
  await collect([source], newSnapshot());
  const { objects, coverage, context } = source.result;
  const { withoutSecretValues } = await import('../../sources/cluster/sanitise.js');
  const header = [
    snapshotHeaderLine(context, new Date()),
    '# Secret values removed (keys kept). Scan it with: kfguard scan FILE',
    ...coverage.map((gap) => `${GAP_PREFIX}${gap.reason.replace(/[\r\n]+/g, ' ')}`),
  ];
  const documents = objects.map((object) => stringify(withoutSecretValues(object), { lineWidth: 0 }));
  const text = `${header.join('\n')}\n${documents.map((d) => `---\n${d}`).join('')}`;
  // `-o -` is stdout, as `-` is stdin for `scan`: `kfguard snapshot -o - | kfguard scan -`, or
  // straight into a ticket; a file named `-` in the working directory is never what was meant.
  if (output === '-') io.stdout(text);
  else await io.writeFile(resolve(io.cwd, output), text);
  if (values.quiet !== true) {
    io.stderr(`kfguard: ${objects.length} object(s) from context ${context} written to ${output === '-' ? 'stdout' : output}${coverage.length > 0 ? `; ${coverage.length} gap(s) named in its header` : ''}\n`);
  }
  return EXIT_CLEAN;
}
