import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files of a Helm chart that kfguard cannot render (helm is not installed): its templates
 * (Go templates, not YAML) and values files. They are never parsed as manifests, but their raw
 * text is searched for threat indicators (a miner in a chart must not vanish with the render), so
 * they are listed here, in a stable order, bounded so a huge tree cannot stall the scan.
 */
export const MAX_UNRENDERED_CHART_FILES = 2_000;
const VALUES_FILE = /^values[^/]*\.ya?ml$/i;

export interface UnrenderedChartFiles {
  readonly files: readonly string[];
  /** Files past MAX_UNRENDERED_CHART_FILES, not searched. */
  readonly left: number;
}

export async function unrenderedChartFiles(chartDir: string): Promise<UnrenderedChartFiles> {
  const files: string[] = [];
  let left = 0;
  const add = (path: string): void => {
    if (files.length < MAX_UNRENDERED_CHART_FILES) files.push(path);
    else left++;
  };
  for (const entry of await entriesOf(chartDir)) if (entry.isFile() && VALUES_FILE.test(entry.name)) add(join(chartDir, entry.name));
  // Subcharts under charts/ are charts of their own, met (and noted) when the walk reaches them.
  const pending = [join(chartDir, 'templates')];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    for (const entry of await entriesOf(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) add(path);
    }
  }
  return { files, left };
}

async function entriesOf(dir: string) {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}
