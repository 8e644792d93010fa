import { UsageError } from '../../core/errors.js';
import { nearestWords } from '../../core/nearest.js';
import { parseCommandArgs } from '../args.js';
import { COMMAND_TREE, flagValues, leafCommands, positionalValues, SHELLS } from '../command-tree.js';
import { COMPLETION_HELP } from '../help.js';
import { EXIT_CLEAN, type CliIo } from '../io.js';
import type { DocumentedFlag } from '../help-flags.js';

/**
 * `kfguard completion bash|zsh|fish`: prints a completion script built from the command tree and
 * the flag tables of the help texts, so it offers exactly what the help documents, plus rule ids,
 * categories, formats and severities from the code.
 */
export function completionCommand(argv: readonly string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs('completion', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(COMPLETION_HELP);
    return EXIT_CLEAN;
  }
  const [shell, ...extra] = positionals;
  if (shell === undefined || extra.length > 0) throw new UsageError('completion takes one shell: bash, zsh or fish', 'e.g. `kfguard completion bash > ~/.local/share/bash-completion/completions/kfguard`');
  if (shell === 'bash') io.stdout(bashScript());
  else if (shell === 'zsh') io.stdout(zshScript());
  else if (shell === 'fish') io.stdout(fishScript());
  else {
    const near = nearestWords(shell, SHELLS);
    throw new UsageError(`no completion for shell "${shell}"`, near.length > 0 ? `did you mean ${near.join(' or ')}?` : `shells: ${SHELLS.join(', ')}`);
  }
  return EXIT_CLEAN;
}

const withSubcommands = (): string =>
  COMMAND_TREE.filter((node) => node.subcommands !== undefined)
    .map((node) => node.name)
    .join('|');
const topLevel = (): string => COMMAND_TREE.map((node) => node.name).join(' ');
const flagWords = (flags: readonly DocumentedFlag[]): string =>
  flags.flatMap((flag) => [`--${flag.long}`, ...(flag.short === undefined ? [] : [`-${flag.short}`])]).join(' ');
const flagPattern = (key: string, flag: DocumentedFlag): string =>
  [`"${key}|--${flag.long}"`, ...(flag.short === undefined ? [] : [`"${key}|-${flag.short}"`])].join('|');

/** `case` arms shared by bash and zsh: `"scan|--format") <words or files>;;`. */
function valueArms(words: (list: string) => string, files: string): string[] {
  const arms: string[] = [];
  for (const { key, flags } of leafCommands()) {
    for (const flag of flags) {
      const values = flagValues(key, flag);
      if (values === undefined) continue;
      const action = values === 'file' ? files : words(values.join(' '));
      arms.push(`    ${flagPattern(key, flag)}) ${action}; return ;;`);
    }
  }
  return arms;
}

function positionalArms(words: (list: string) => string, files: string): string[] {
  return leafCommands().flatMap(({ key, node }) => {
    if (node.subcommands !== undefined) return [`    "${key}") ${words(node.subcommands.map((s) => s.name).join(' '))} ;;`];
    const values = positionalValues(node.positional);
    if (values === 'file') return [`    "${key}") ${files} ;;`];
    return values.length > 0 ? [`    "${key}") ${words(values.join(' '))} ;;`] : [];
  });
}

function flagArms(words: (list: string) => string): string[] {
  return leafCommands().map(({ key, flags }) => `    "${key}") ${words(flagWords(flags))} ;;`);
}

function bashScript(): string {
  const words = (list: string): string => `COMPREPLY=($(compgen -W "${list}" -- "$cur"))`;
  // compgen prints one name a line: split on newlines only, or "with space.yaml" becomes two candidates.
  const files = "local IFS=$'\\n'; COMPREPLY=($(compgen -f -- \"$cur\"))";
  return `# bash completion for kfguard. Install: kfguard completion bash > ~/.local/share/bash-completion/completions/kfguard
_kfguard() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} key=\${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then ${words(topLevel())}; return; fi
  case "$key" in ${withSubcommands()}) if [ "$COMP_CWORD" -gt 2 ]; then key="$key \${COMP_WORDS[2]}"; fi ;; esac
  case "$key|$prev" in
${valueArms(words, files).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case "$key" in
${flagArms(words).join('\n')}
    esac
    return
  fi
  case "$key" in
${positionalArms(words, files).join('\n')}
  esac
}
complete -o filenames -o bashdefault -F _kfguard kfguard
`;
}

function zshScript(): string {
  const words = (list: string): string => `compadd -- ${list}`;
  const files = '_files';
  return `#compdef kfguard
# zsh completion for kfguard. Install: kfguard completion zsh > "\${fpath[1]}/_kfguard"
_kfguard() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} key=\${words[2]}
  if (( CURRENT == 2 )); then ${words(topLevel())}; return; fi
  case "$key" in ${withSubcommands()}) if (( CURRENT > 3 )); then key="$key \${words[3]}"; fi ;; esac
  case "$key|$prev" in
${valueArms(words, files).join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case "$key" in
${flagArms(words).join('\n')}
    esac
    return
  fi
  case "$key" in
${positionalArms(words, files).join('\n')}
  esac
}
if [[ \${funcstack[1]} == _kfguard ]]; then _kfguard "$@"; else compdef _kfguard kfguard; fi
`;
}

/** fish quotes: single quotes, with \\ and ' escaped. */
const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(): string {
  const lines = ['# fish completion for kfguard. Install: kfguard completion fish > ~/.config/fish/completions/kfguard.fish', 'complete -c kfguard -f'];
  for (const node of COMMAND_TREE) lines.push(`complete -c kfguard -n __fish_use_subcommand -a ${node.name} -d ${fishQuote(node.summary)}`);
  for (const { key, node, flags } of leafCommands()) {
    const [command, sub] = key.split(' ');
    const condition = sub === undefined
      ? `__fish_seen_subcommand_from ${command}`
      : `__fish_seen_subcommand_from ${command}; and __fish_seen_subcommand_from ${sub}`;
    if (node.subcommands !== undefined) {
      const names = node.subcommands.map((s) => s.name).join(' ');
      lines.push(`complete -c kfguard -n ${fishQuote(`${condition}; and not __fish_seen_subcommand_from ${names}`)} -a ${fishQuote(names)}`);
    }
    for (const flag of flags) {
      const values = flagValues(key, flag);
      const parts = [`complete -c kfguard -n ${fishQuote(condition)} -l ${flag.long}`];
      if (flag.short !== undefined) parts.push(`-s ${flag.short}`);
      if (values === 'file') parts.push('-r -F');
      else if (values !== undefined) parts.push(values.length > 0 ? `-x -a ${fishQuote(values.join(' '))}` : '-x');
      if (flag.description !== '') parts.push(`-d ${fishQuote(flag.description)}`);
      lines.push(parts.join(' '));
    }
    const positional = node.subcommands === undefined ? positionalValues(node.positional) : [];
    if (positional === 'file') lines.push(`complete -c kfguard -n ${fishQuote(condition)} -F`);
    else if (positional.length > 0) lines.push(`complete -c kfguard -n ${fishQuote(condition)} -a ${fishQuote(positional.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}
