import { asArray, asRecord, asString } from '../core/object.js';
import type { ContainerRef } from '../k8s/workloads.js';

/** Flags by which a program is told to read its configuration from a file (XMRig `-c`/`--config`, and common spellings). */
const CONFIG_FLAG = /^(?:-c|--config|--config-file|--configfile|--cfg)$/;
const CONFIG_FLAG_WITH_VALUE = /^(?:-c|--config|--config-file|--configfile|--cfg)=(.+)$/;

/**
 * Names of the volumes whose files a container passes to a program as its config file
 * (`--config /etc/worker/config.json` with a volume mounted at `/etc/worker`). A pool host in such
 * a ConfigMap is read by whatever runs, so it counts as a command line would.
 * https://xmrig.com/docs/miner/command-line-options (`-c, --config=FILE`)
 */
export function configVolumeNames(containers: readonly ContainerRef[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const { container } of containers) {
    const paths = configPaths([...asArray(container.command), ...asArray(container.args)]);
    if (paths.length === 0) continue;
    for (const raw of asArray(container.volumeMounts)) {
      const mount = asRecord(raw);
      const name = asString(mount?.name);
      const mountPath = asString(mount?.mountPath)?.replace(/\/+$/, '');
      if (!name || mountPath === undefined) continue;
      if (paths.some((path) => path === mountPath || path.startsWith(`${mountPath}/`))) names.add(name);
    }
  }
  return names;
}

const WORD_BREAK = /[\s;&|'"]+/;

/** Config file paths given on a command line, also inside an inline `sh -c` script (split on blanks). */
function configPaths(argv: readonly unknown[]): string[] {
  // Every config flag holds `-c` (`-c`, `--config`, `--cfg`), so text without it names no config file.
  if (!argv.some((value) => typeof value === 'string' && value.includes('-c'))) return [];
  // A string without `-c` holds no flag, so only its first word can matter (as the value of a flag
  // ending the string before it); splitting it whole was most of this function's cost.
  const words = argv.flatMap((value) => (typeof value !== 'string' ? [] : value.includes('-c') ? value.split(WORD_BREAK) : value.split(WORD_BREAK, 1)));
  const paths: string[] = [];
  words.forEach((word, i) => {
    const joined = CONFIG_FLAG_WITH_VALUE.exec(word)?.[1];
    const next = CONFIG_FLAG.test(word) ? words[i + 1] : undefined;
    for (const path of [joined, next]) if (path !== undefined && path.startsWith('/')) paths.push(path);
  });
  return paths;
}
