import { SEVERITIES } from '../core/severity.js';
import { CATEGORIES } from '../core/types.js';
import { FORMATTERS } from '../report/formats.js';
import { ALL_RULES } from '../rules/index.js';
import { documentedFlags, type DocumentedFlag } from './help-flags.js';
import {
  AUDIT_HELP,
  COMPLETION_HELP,
  EXPLAIN_HELP,
  EXPORT_HELP,
  EXPORT_VAP_HELP,
  FIX_HELP,
  HELP_HELP,
  HUNT_HELP,
  PROBE_HELP,
  RULES_HELP,
  SCAN_HELP,
  SNAPSHOT_HELP,
  WEBHOOK_CERTS_HELP,
  WEBHOOK_HELP,
  WEBHOOK_MANIFESTS_HELP,
  WEBHOOK_SERVE_HELP,
  WATCH_HELP,
} from './help.js';

/** What a command's positional arguments are, for completion. */
export type PositionalKind = 'paths' | 'rule' | 'shell' | 'command' | 'none';

export interface CommandNode {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly positional: PositionalKind;
  readonly subcommands?: readonly CommandNode[];
}

/**
 * Every command and subcommand with its help text; help, `help COMMAND` and completion read it.
 * Help texts live in `help.ts`, never in a command's module: completion must not load what
 * commands load lazily (undici, client-node, prom-client).
 */
export const COMMAND_TREE: readonly CommandNode[] = [
  { name: 'scan', summary: 'scan manifests, stdin or the live cluster', help: SCAN_HELP, positional: 'paths' },
  { name: 'snapshot', summary: 'write the cluster objects kfguard reads, Secret values removed', help: SNAPSHOT_HELP, positional: 'none' },
  { name: 'watch', summary: 'keep watching the live cluster; stream finding changes', help: WATCH_HELP, positional: 'none' },
  { name: 'probe', summary: 'ask URLs whether dashboards and job APIs answer without credentials', help: PROBE_HELP, positional: 'none' },
  { name: 'audit', summary: 'hunt in Kubernetes audit logs', help: AUDIT_HELP, positional: 'paths' },
  { name: 'hunt', summary: 'read a job API (KFP, Argo, Ray) and scan what it ran', help: HUNT_HELP, positional: 'none' },
  { name: 'rules', summary: 'list every rule', help: RULES_HELP, positional: 'none' },
  { name: 'explain', summary: 'describe one rule', help: EXPLAIN_HELP, positional: 'rule' },
  { name: 'fix', summary: 'patch fixable findings', help: FIX_HELP, positional: 'paths' },
  {
    name: 'webhook',
    summary: 'admission webhook',
    help: WEBHOOK_HELP,
    positional: 'none',
    subcommands: [
      { name: 'serve', summary: 'run the validating admission webhook', help: WEBHOOK_SERVE_HELP, positional: 'none' },
      { name: 'certs', summary: 'write a CA and a serving certificate', help: WEBHOOK_CERTS_HELP, positional: 'none' },
      { name: 'manifests', summary: 'print the objects that install the webhook', help: WEBHOOK_MANIFESTS_HELP, positional: 'none' },
    ],
  },
  {
    name: 'export',
    summary: 'print ValidatingAdmissionPolicies (CEL)',
    help: EXPORT_HELP,
    positional: 'none',
    subcommands: [{ name: 'vap', summary: 'ValidatingAdmissionPolicies for what CEL can express', help: EXPORT_VAP_HELP, positional: 'none' }],
  },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish)', help: COMPLETION_HELP, positional: 'shell' },
  { name: 'help', summary: 'show help for a command', help: HELP_HELP, positional: 'command' },
];

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function commandNamed(name: string): CommandNode | undefined {
  return COMMAND_TREE.find((node) => node.name === name);
}

/** The words a value of `flag` can be, or 'file' when it names a file or directory. */
export function flagValues(command: string, flag: DocumentedFlag): readonly string[] | 'file' | undefined {
  if (flag.value === undefined) return undefined;
  switch (flag.long) {
    case 'format':
      return command === 'rules' ? ['text', 'json', 'markdown'] : Object.keys(FORMATTERS);
    case 'fail-on':
      return [...SEVERITIES, 'none'];
    case 'deny-severity':
      return SEVERITIES;
    case 'rule':
    case 'skip-rule':
      return ALL_RULES.map((rule) => rule.meta.id);
    case 'category':
      return CATEGORIES;
    case 'mode':
      return ['enforce', 'warn', 'audit'];
    case 'failure-policy':
      return ['fail', 'ignore'];
    default:
      return /FILE|DIR|PATH/.test(flag.value) ? 'file' : [];
  }
}

export function positionalValues(kind: PositionalKind): readonly string[] | 'file' {
  switch (kind) {
    case 'paths':
      return 'file';
    case 'rule':
      return ALL_RULES.map((rule) => rule.meta.id);
    case 'shell':
      return SHELLS;
    case 'command':
      return COMMAND_TREE.map((node) => node.name);
    case 'none':
      return [];
  }
}

/** The commands completion distinguishes: top-level ones, and `webhook serve` style pairs. */
export function leafCommands(): { key: string; node: CommandNode; flags: DocumentedFlag[] }[] {
  return COMMAND_TREE.flatMap((node) => [
    { key: node.name, node, flags: documentedFlags(node.help) },
    ...(node.subcommands ?? []).map((sub) => ({ key: `${node.name} ${sub.name}`, node: sub, flags: documentedFlags(sub.help) })),
  ]);
}
