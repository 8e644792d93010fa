export const MAIN_HELP = `kfguard — finds exposed ML dashboards and crypto-miner workloads in Kubernetes and Kubeflow

Usage:
  kfguard scan [PATH|-]...      scan manifests (files, directories, kustomize directories, stdin)
  kfguard rules                 list every rule
  kfguard explain RULE          describe one rule: why it matters, how to fix it
  kfguard --version             print the version

Run \`kfguard COMMAND --help\` for a command's flags.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
`;

export const SCAN_HELP = `Usage: kfguard scan [PATH|-]... [flags]

Scans YAML and JSON manifests. Directories are walked for *.yaml, *.yml and *.json; a directory
holding kustomization.yaml is rendered with \`kubectl kustomize\` or \`kustomize build\`. "-" reads
stdin. With no PATH, the current directory is scanned.

Flags:
  -f, --format NAME[=FILE]   output format: text (default) or json; repeatable
  -o, --output FILE          write the report to FILE instead of stdout
      --fail-on SEVERITY     exit 1 when a finding is at or above: critical, high (default),
                             medium, low, info, or none (never)
      --rule ID[,ID]         run only these rules (repeatable)
      --skip-rule ID[,ID]    do not run these rules (repeatable)
      --category CAT[,CAT]   run only rules of these categories (repeatable)
  -q, --quiet                list only findings at or above --fail-on, no banner
      --no-color             never colour output (colour is on only when stdout is a TTY)
      --config FILE          settings file (default: .kfguard.yaml found upwards from here)
      --max-doc-size SIZE    refuse YAML documents larger than SIZE (default 16MB)
  -h, --help                 show this help
`;

export const RULES_HELP = `Usage: kfguard rules [--format text|json|markdown]

Lists every rule with its id, severity, category, title and the sources it can judge.
`;

export const EXPLAIN_HELP = `Usage: kfguard explain RULE

Prints a rule's description, why it matters, remediation, references and MITRE ids.
`;
