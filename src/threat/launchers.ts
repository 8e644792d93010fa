/**
 * Commands that start another command: `sudo -u nobody ./x`, `nsenter -t 1 -m -- ./x`,
 * `taskset -c 0-3 ./x`, `screen -dmS s ./x`, `su -c 'script'`. A miner started through one is
 * still the miner, so the launched command is what gets judged.
 */

interface Launcher {
  /** Options that take the next word as their value. */
  readonly valueOptions: readonly string[];
  /** Plain arguments before the command (chroot's new root, taskset's mask). */
  readonly leadingArguments?: number;
  /** The command is one script string after this option (`su -c SCRIPT`). */
  readonly scriptOption?: string;
  /** After options, the rest is one command given as a single string (`tmux new -d 'cmd'`). */
  readonly subcommands?: readonly string[];
}

const LAUNCHERS: Readonly<Record<string, Launcher>> = {
  sudo: { valueOptions: ['-u', '-g', '-h', '-p', '-C', '-r', '-t', '-U', '-D'] },
  doas: { valueOptions: ['-u', '-C'] },
  nsenter: { valueOptions: ['-t', '--target', '-S', '--setuid', '-G', '--setgid', '-w', '--wd', '-r', '--root'] },
  chroot: { valueOptions: ['--userspec', '--groups'], leadingArguments: 1 },
  taskset: { valueOptions: [], leadingArguments: 1 },
  stdbuf: { valueOptions: ['-i', '-o', '-e'] },
  cpulimit: { valueOptions: ['-l', '--limit', '-p', '--pid', '-e', '--exe', '-c', '--cpu'] },
  'systemd-run': { valueOptions: ['-p', '--property', '-u', '--unit', '--slice', '-E', '--setenv', '--uid', '--gid', '--nice', '-M', '--machine', '-H', '--host', '--description', '--working-directory'] },
  xargs: { valueOptions: ['-I', '-n', '-P', '-L', '-s', '-d', '-E', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file'] },
  busybox: { valueOptions: [] },
  screen: { valueOptions: ['-S', '-c', '-L', '-Logfile', '-T', '-e', '-h', '-p', '-r', '-x'] },
  exec: { valueOptions: ['-a'] },
  flock: { valueOptions: ['-w', '-E', '--timeout', '--conflict-exit-code'], leadingArguments: 1, scriptOption: '-c' },
  su: { valueOptions: ['-s', '--shell', '-g', '--group', '-G'], scriptOption: '-c' },
  runuser: { valueOptions: ['-u', '-s', '--shell', '-g', '-G'], scriptOption: '-c' },
  tmux: { valueOptions: ['-s', '-n', '-c', '-t', '-x', '-y', '-e', '-F'], subcommands: ['new', 'new-session', 'new-window', 'neww', 'split-window', 'splitw'] },
};

const LOADER = /^ld(?:-linux[\w.-]*|-musl[\w.-]*)?\.so(?:\.\d+)?$/;
const LOADER_LAUNCHER: Launcher = { valueOptions: ['--argv0', '--library-path', '--preload', '--audit'] };

function launcherOf(name: string): Launcher | undefined {
  return LAUNCHERS[name] ?? (LOADER.test(name) ? LOADER_LAUNCHER : undefined);
}

/**
 * The words of the command `words` launches, or undefined when `words` is no launcher. A script
 * string (`su -c '…'`, `tmux new -d '…'`) comes back as `sh -c SCRIPT`, which the caller reads as a
 * nested script.
 */
export function launchedCommand(words: readonly string[], name: string): string[] | undefined {
  const launcher = launcherOf(name);
  if (!launcher) return undefined;
  let i = 1;
  if (launcher.subcommands) {
    if (!launcher.subcommands.includes(words[1] ?? '')) return undefined;
    i = 2;
  }
  let leading = launcher.leadingArguments ?? 0;
  while (i < words.length) {
    const word = words[i] as string;
    if (word === '--') {
      i++;
      break;
    }
    if (launcher.scriptOption !== undefined && word === launcher.scriptOption) {
      const script = words[i + 1];
      return script === undefined ? undefined : ['sh', '-c', script];
    }
    if (word.startsWith('-') && word.length > 1) {
      i += takesValue(word, launcher.valueOptions) ? 2 : 1;
      continue;
    }
    // `su user -c …`: a user name before the script option.
    if (launcher.scriptOption !== undefined && words.slice(i + 1).includes(launcher.scriptOption)) {
      i++;
      continue;
    }
    if (leading > 0) {
      leading--;
      i++;
      continue;
    }
    break;
  }
  const rest = words.slice(i);
  if (rest.length === 0) return undefined;
  // `tmux new -d 'cmd with args'`, `screen -dm 'cmd'`: one word holding a whole command.
  if (rest.length === 1 && /\s/.test(rest[0] as string)) return ['sh', '-c', rest[0] as string];
  return rest;
}

/** `-u` with a value, also at the end of combined flags (`-dmS NAME`); `--opt=value` carries its own. */
function takesValue(word: string, valueOptions: readonly string[]): boolean {
  if (word.includes('=')) return false;
  if (valueOptions.includes(word)) return true;
  return !word.startsWith('--') && word.length > 2 && valueOptions.includes(`-${word.slice(-1)}`);
}
