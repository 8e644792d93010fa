import type { ShellCommand } from '../shell.js';
import { commandName } from '../shell.js';
import { decodeBase32, decodeBase64, decodeHex, inflate, isLetterCipher, reverseLines, rot13, translate, type Compression } from './codecs.js';
import { interpretEscapes } from './escapes.js';

/**
 * `echo X | base64 -d | rev | tr 'a-z' 'n-za-m' | sh`: the text a pipeline hands to its last
 * command, computed by applying each filter the way the tool would. Layers compose in the order
 * the pipeline runs them, and each becomes a step of the evidence.
 */

export interface PipelineOutput {
  /** What the printer printed (or the here-string held), as written. */
  readonly input: string;
  /** The filters applied, in order: `base64`, `rev`, `rot13`, `tr 'a-m' 'n-z'`, `gzip`. */
  readonly steps: readonly string[];
  readonly output: string;
  /** True when every filter up to the pipeline's last command was understood. */
  readonly complete: boolean;
}

/** Bytes one pipeline may produce; the caller also draws them from the object's budget. */
export interface OutputAllowance {
  take(bytes: number): boolean;
  readonly remainingBytes: number;
}

type Filter = (input: Buffer, allowance: OutputAllowance) => Buffer | undefined;

interface KnownFilter {
  readonly step: string;
  readonly apply: Filter;
}

const SHELL_LIKE = /^(?:sh|bash|ash|dash|zsh|ksh|busybox|python[\d.]*|perl|ruby|node|php|eval|source|\.|xargs)$/;

/** Each pipeline in `commands` that starts with a printer and goes through at least one decoding filter. */
export function pipelineOutputs(commands: readonly ShellCommand[], allowance: OutputAllowance): PipelineOutput[] {
  const outputs: PipelineOutput[] = [];
  for (let i = 0; i < commands.length; i++) {
    const first = commands[i] as ShellCommand;
    // Only a printer piped onward, or a here-string, starts a pipeline worth computing.
    if (!commands[i + 1]?.piped && !first.words.includes('<<<')) continue;
    const start = producerOf(first);
    if (start === undefined) continue;
    let data: Buffer = Buffer.from(start.text, 'utf8');
    const steps = [...start.steps];
    let complete = true;
    let j = start.filter ? i : i + 1;
    for (; j < commands.length; j++) {
      const command = commands[j] as ShellCommand;
      if (j > i && !command.piped) break;
      const name = commandName(command.words[0] ?? '');
      if (SHELL_LIKE.test(name)) break;
      const filter = filterOf(command.words);
      if (filter === undefined) {
        complete = false;
        break;
      }
      if (filter === 'pass') continue;
      const next = filter.apply(data, allowance);
      if (next === undefined) {
        complete = false;
        break;
      }
      data = next;
      // Case changes and deleted newlines change the text without hiding it: applied, not named.
      if (filter.step !== '') steps.push(filter.step);
    }
    i = Math.max(i, j - 1);
    if (steps.length === 0) continue;
    outputs.push({ input: start.text, steps, output: data.toString('utf8'), complete });
  }
  return outputs;
}

interface Producer {
  readonly text: string;
  readonly steps: readonly string[];
  /** True when the first command is itself a filter reading a here-string (`base64 -d <<< X`). */
  readonly filter: boolean;
}

function producerOf(command: ShellCommand): Producer | undefined {
  const words = command.words;
  const name = commandName(words[0] ?? '');
  const hereString = words.indexOf('<<<');
  if (hereString > 0 && words[hereString + 1] !== undefined) {
    return { text: words[hereString + 1] as string, steps: [], filter: true };
  }
  if (name === 'echo' || name === 'printf') return printed(words);
  return undefined;
}

/**
 * What `echo` or `printf` prints. `printf` reads escapes in its format and in `%b` arguments,
 * `echo -e` in its arguments; `printf '%s\n' A B` prints A and B on lines of their own.
 */
export function printed(words: readonly string[]): Producer {
  const isPrintf = commandName(words[0] ?? '') === 'printf';
  let args = words.slice(1);
  let escapes = isPrintf;
  if (!isPrintf) {
    while (args[0] !== undefined && /^-[neE]+$/.test(args[0])) {
      if (args[0].includes('e')) escapes = true;
      args = args.slice(1);
    }
  }
  let text: string;
  if (isPrintf && args[0] !== undefined && args.length > 1 && /%[sb]/.test(args[0])) {
    const rest = args.slice(1);
    text = /%b/.test(args[0]) ? rest.map((a) => interpretEscapes(a).text).join('\n') : rest.join('\n');
  } else {
    text = args.join(' ');
  }
  const interpreted = escapes ? interpretEscapes(text) : { text: text.replace(/\\n/g, '\n'), changed: false };
  return { text: interpreted.text, steps: interpreted.changed ? [`${isPrintf ? 'printf' : 'echo -e'} escapes`] : [], filter: false };
}

/** What one pipeline stage does to its input, 'pass' for stages that change nothing, undefined for unknown ones. */
function filterOf(words: readonly string[]): KnownFilter | 'pass' | undefined {
  const name = commandName(words[0] ?? '');
  const args = words.slice(1).filter((w) => w !== '<<<');
  const flags = args.filter((w) => w.startsWith('-'));
  const decodeFlag = flags.some((f) => f === '--decode' || /^-[a-zA-Z]*[dD]/.test(f));
  switch (name) {
    case 'cat':
      return args.length === 0 || args.every((a) => a === '-') ? 'pass' : undefined;
    case 'base64':
      return decodeFlag ? { step: 'base64', apply: (b) => decodeBase64(b.toString('latin1')) } : undefined;
    case 'base32':
      return decodeFlag ? { step: 'base32', apply: (b) => decodeBase32(b.toString('latin1')) } : undefined;
    case 'basenc':
      return decodeFlag ? basencFilter(flags) : undefined;
    case 'openssl':
      return opensslFilter(args);
    case 'xxd':
      return flags.some((f) => /^-[a-z]*r/.test(f)) && flags.some((f) => /^-(?:[a-z]*p|ps|plain)/.test(f) || f === '-postscript')
        ? { step: 'hex', apply: (b) => decodeHex(b.toString('latin1')) }
        : undefined;
    case 'rev':
      return args.length === 0 ? { step: 'rev', apply: (b) => Buffer.from(reverseLines(b.toString('utf8'))) } : undefined;
    case 'tr':
      return trFilter(args);
    case 'gunzip':
    case 'zcat':
      return compressionFilter('gzip');
    case 'gzip':
      return decodeFlag ? compressionFilter('gzip') : undefined;
    case 'zlib-flate':
      return args.includes('-uncompress') ? compressionFilter('zlib') : undefined;
    default:
      return undefined;
  }
}

function basencFilter(flags: readonly string[]): KnownFilter | undefined {
  if (flags.includes('--base64') || flags.includes('--base64url')) return { step: 'base64', apply: (b) => decodeBase64(b.toString('latin1').replace(/-/g, '+').replace(/_/g, '/')) };
  if (flags.includes('--base32')) return { step: 'base32', apply: (b) => decodeBase32(b.toString('latin1')) };
  if (flags.includes('--base16')) return { step: 'hex', apply: (b) => decodeHex(b.toString('latin1')) };
  return undefined;
}

/** `openssl base64 -d`, `openssl enc -d -a`, `openssl enc -base64 -d -A`, `openssl zlib -d`. */
function opensslFilter(args: readonly string[]): KnownFilter | undefined {
  if (!args.includes('-d')) return undefined;
  if (args[0] === 'base64' || (args[0] === 'enc' && (args.includes('-a') || args.includes('-base64')) && !args.some((a) => /^-(?:aes|des|k|pass|K)/.test(a)))) {
    return { step: 'base64', apply: (b) => decodeBase64(b.toString('latin1')) };
  }
  if (args[0] === 'zlib') return compressionFilter('zlib');
  return undefined;
}

function compressionFilter(kind: Compression): KnownFilter {
  return {
    step: kind,
    apply: (b, allowance) => {
      const out = inflate(b, kind, allowance.remainingBytes);
      return out instanceof Buffer ? out : undefined;
    },
  };
}

/** `tr 'A-Za-z' 'N-ZA-Mn-za-m'` (rot13), any other letter cipher, and `tr -d SET`. Case changes are not a layer. */
function trFilter(args: readonly string[]): KnownFilter | undefined {
  if (args[0] === '-d' && args[1] !== undefined && args.length === 2) {
    const set = args[1];
    return { step: '', apply: (b) => Buffer.from(deleteChars(b.toString('utf8'), set)) };
  }
  const [set1, set2] = args;
  if (args.length !== 2 || set1 === undefined || set2 === undefined || set1.startsWith('-')) return undefined;
  const cipher = isLetterCipher(set1, set2);
  const probe = translate('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', set1, set2);
  const step = !cipher ? '' : probe === rot13('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') || probe === rot13('abcdefghijklmnopqrstuvwxyz') + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' ? 'rot13' : `tr '${set1}' '${set2}'`;
  return {
    step: step.length > 48 ? `${step.slice(0, 47)}…` : step,
    apply: (b) => {
      const out = translate(b.toString('utf8'), set1, set2);
      return out === undefined ? undefined : Buffer.from(out);
    },
  };
}

function deleteChars(text: string, set: string): string {
  const chars = new Set(set.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r'));
  let out = '';
  for (const c of text) if (!chars.has(c)) out += c;
  return out;
}
