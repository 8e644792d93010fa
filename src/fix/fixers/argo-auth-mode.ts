import { planOf, type Fixer, type ObjectEdit } from '../types.js';
import { isEmptyChange, listEdits } from './args-rewrite.js';
import { segmentsOf, stringItems, targetContainers } from './targets.js';

const FLAG = /^--?auth-mode(?:=(.*))?$/;
/** `--auth-mode=server` or `--auth-mode server` inside a longer string (a `sh -c` script). */
const INLINE_SERVER_MODE = /--?auth-mode(?:=|\s+)(['"]?)server\1(?=\s|$|;|&)/g;
const SAFE_MODES = new Set(['client', 'sso']);

interface AuthModeFlag {
  readonly index: number;
  /** Index of a separate value element (`--auth-mode`, `server`), if any. */
  readonly valueIndex?: number;
  readonly mode: string;
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

function authModeFlags(args: readonly string[]): AuthModeFlag[] {
  const flags: AuthModeFlag[] = [];
  args.forEach((arg, index) => {
    const match = FLAG.exec(arg.trim());
    if (!match) return;
    if (match[1] !== undefined) flags.push({ index, mode: unquote(match[1]) });
    else if (args[index + 1] !== undefined) flags.push({ index, valueIndex: index + 1, mode: unquote(args[index + 1] ?? '') });
  });
  return flags;
}

function listChange(values: readonly string[]): { replace: Map<number, string>; remove: Set<number>; flags: number } {
  const flags = authModeFlags(values);
  const keepsSafeMode = flags.some((f) => SAFE_MODES.has(f.mode));
  const replace = new Map<number, string>();
  const remove = new Set<number>();
  flags
    .filter((f) => f.mode === 'server')
    .forEach((flag, i) => {
      if (i === 0 && !keepsSafeMode) replace.set(flag.index, '--auth-mode=client');
      else remove.add(flag.index);
      if (flag.valueIndex !== undefined) remove.add(flag.valueIndex);
    });
  values.forEach((value, i) => {
    if (replace.has(i) || remove.has(i)) return;
    const rewritten = value.replace(INLINE_SERVER_MODE, '--auth-mode=client');
    if (rewritten !== value) replace.set(i, rewritten);
  });
  return { replace, remove, flags: flags.length + values.filter((v) => /--?auth-mode/.test(v)).length };
}

/**
 * Argo Server `--auth-mode=server` answers every request with the server's own service account.
 * `client` makes callers present their own Kubernetes token; `sso` is kept when already configured.
 */
export const argoAuthModeFixer: Fixer = {
  summary: 'set Argo Server --auth-mode=client',
  plan({ object, finding }) {
    const edits: ObjectEdit[] = [];
    for (const site of targetContainers(object, finding)) {
      let mentions = 0;
      for (const list of ['command', 'args'] as const) {
        const { replace, remove, flags } = listChange(stringItems(site.container[list]));
        mentions += flags;
        const change = { replace, remove, append: [] };
        if (!isEmptyChange(change)) edits.push(...listEdits([...segmentsOf(site.path), list], change));
      }
      // Argo before v3 defaulted to server mode, so a flagged container without the flag gets it explicitly.
      if (mentions === 0) edits.push({ op: 'append', path: [...segmentsOf(site.path), 'args'], value: '--auth-mode=client' });
    }
    return edits.length > 0 ? planOf({ edits }) : undefined;
  },
};
