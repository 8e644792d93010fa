import { UsageError } from '../core/errors.js';
import type { Rule } from '../core/rule.js';
import type { KfguardConfig } from '../core/config-types.js';
import type { ClusterProgress, ClusterSource } from '../sources/cluster/cluster-source.js';
import { listOption, stringOption, type ParsedArgs } from './args.js';
import type { CliIo } from './io.js';

/** Flags shared by `scan --cluster` and `snapshot`. */
export const CLUSTER_OPTIONS = {
  cluster: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n', multiple: true },
  'all-namespaces': { type: 'boolean', short: 'A' },
} as const;

export const CLUSTER_HELP = `      --cluster              scan the live cluster of the current kubeconfig context instead of files
      --kubeconfig FILE      kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, then the
                             pod's service account)
      --context NAME         kubeconfig context to use (default: the current context)
  -n, --namespace NS         list only namespace NS (repeatable; cluster-scoped kinds are skipped)
  -A, --all-namespaces       list every namespace (the default)
`;

/** Whether any cluster flag was given; they are refused without --cluster (or outside `snapshot`). */
export function clusterFlagsGiven(values: ParsedArgs['values']): boolean {
  return ['kubeconfig', 'context', 'namespace', 'all-namespaces'].some((flag) => values[flag] !== undefined);
}

/**
 * The cluster source for these flags. Its module (and @kubernetes/client-node behind it) is loaded
 * only here, so file scans never pay for it.
 */
export async function clusterSourceFor(values: ParsedArgs['values'], rules: readonly Rule[], config: KfguardConfig, io: CliIo): Promise<ClusterSource> {
  // `-n a,a` or `-n a -n a`: each namespace once, so nothing is listed (and judged) twice.
  const namespaces = [...new Set(listOption(values.namespace))];
  if (namespaces.length > 0 && values['all-namespaces'] === true) throw new UsageError('--namespace and --all-namespaces exclude each other');
  const { ClusterSource } = await import('../sources/cluster/cluster-source.js');
  const kubeconfig = stringOption(values.kubeconfig);
  const context = stringOption(values.context);
  return new ClusterSource({
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    env: io.env,
    ...(io.serviceAccountRoot === undefined ? {} : { serviceAccountRoot: io.serviceAccountRoot }),
    // Rules switched off in the config need nothing listed.
    rules: rules.filter((rule) => config.rules[rule.meta.id]?.enabled !== false),
    namespaces,
    ...(io.stderrIsTty === true ? { onProgress: progressLine(io) } : {}),
  });
}

/** Objects redrawn in the scanning line at most once per this many: a redraw per object would cost more than judging many. */
const SCANNED_REDRAW_EVERY = 500;

/**
 * The second half of the progress line of `scan --cluster`: objects judged, once listing is done.
 * Nothing when stderr is not a terminal.
 */
export function scanProgressFor(io: CliIo): { onObjectJudged?: (judged: number, total: number) => void } {
  if (io.stderrIsTty !== true) return {};
  const write = io.stderrRaw ?? io.stderr;
  return {
    onObjectJudged: (judged, total) => {
      if (judged % SCANNED_REDRAW_EVERY !== 0 && judged !== total) return;
      write(`\r\u001b[2Kkfguard: scanned ${judged}/${total} objects`);
      if (judged === total) write('\r\u001b[2K');
    },
  };
}

/** The listing half of the progress line, rewritten in place; only on a terminal, so logs and CI output stay clean. */
function progressLine(io: CliIo): (progress: ClusterProgress) => void {
  // Counts only: nothing from the cluster reaches the unescaped writer.
  const write = io.stderrRaw ?? io.stderr;
  return ({ listsDone, listsTotal, objects }) => {
    write(`\r\u001b[2Kkfguard: listed ${listsDone}/${listsTotal} resources, ${objects} objects`);
    if (listsDone === listsTotal) write('\r\u001b[2K');
  };
}
