import type { KfguardConfig } from '../core/config-types.js';
import type { RuleMeta } from '../core/rule.js';
import { severityRank } from '../core/severity.js';

/**
 * One line naming the config file a report used and what in it weakens the scan: rules switched
 * off, severities lowered, suppressions, inline ignores honoured on live objects. A reader of the
 * report (a reviewer of a PR comment) sees that a committed `.kfguard.yaml` changed the verdict,
 * not just the verdict.
 */
export function configNote(displayName: string, config: KfguardConfig, rules: readonly RuleMeta[]): string {
  const live = config.liveInlineIgnores;
  const defaults = new Map(rules.map((meta) => [meta.id, meta.severity]));
  const off: string[] = [];
  const lowered: string[] = [];
  for (const [id, settings] of Object.entries(config.rules)) {
    if (settings.enabled === false) off.push(id);
    const standard = defaults.get(id);
    if (settings.severity !== undefined && standard !== undefined && severityRank(settings.severity) < severityRank(standard)) {
      lowered.push(`${id} (${standard} → ${settings.severity})`);
    }
  }
  const parts = [
    ...(off.length > 0 ? [`switches off ${off.sort().join(', ')}`] : []),
    ...(lowered.length > 0 ? [`lowers ${lowered.sort().join(', ')}`] : []),
    ...(config.suppressions.length > 0 ? [`suppresses by ${config.suppressions.length} entr${config.suppressions.length === 1 ? 'y' : 'ies'}`] : []),
    ...(live ? [`honours live objects' own kfguard.io/ignore for ${[...live.categories, ...live.rules].join(', ')} (${live.reason})`] : []),
  ];
  return `config ${displayName} loaded${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}
