import { commandName, isPython, isShell, parseShell, type ShellCommand } from '../shell.js';
import { hereDocumentsAsStrings } from './heredocs.js';
import { pipelineOutputs, printed, type OutputAllowance } from './pipeline.js';

/**
 * Scripts a script writes and then runs: `echo X | base64 -d > /tmp/x; sh /tmp/x`,
 * `cat > f <<'EOF' … EOF; bash f`, `printf … > f && chmod +x f && ./f`, `… | tee f; . f`, and
 * heredocs fed to a shell or interpreter (`sh <<EOF`, `rev <<'EOF' | sh`). What each file holds
 * is tracked in command order (a later write replaces it, `>>` appends, `cp`/`mv` copy it) and
 * followed where it is run. Nothing is executed: the contents are literal or decoded text.
 */

export interface FollowedScript {
  readonly text: string;
  /** Decoding steps, then how the text got to run: `base64 → file /tmp/x run by sh`. */
  readonly steps: readonly string[];
  /** What the attacker wrote, for evidence. */
  readonly source: string;
}

export interface FollowedScripts {
  readonly followed: FollowedScript[];
  /** True when the file or run caps were reached: the rest was not followed (reported, never silent). */
  readonly exhausted: boolean;
}

interface Content {
  readonly text: string;
  readonly steps: readonly string[];
  readonly source: string;
}

interface Plumbed {
  readonly words: string[];
  readonly piped: boolean;
  /** Files written by `>`, `>>` or `tee`. */
  readonly writes: { readonly file: string; readonly append: boolean }[];
  /** `< FILE`. */
  readonly inputFile?: string;
  /** `<<< TEXT`, also a rewritten heredoc. */
  readonly hereString?: string;
}

const MAX_FILES = 64;
const MAX_FOLLOWED = 64;
const RUNNERS = /^(?:source|\.|perl|ruby|node|php)$/;
const WRITE = /^(\d?)(>>?|>\|)(.*)$/;
const READ = /^0?<(?!<)(.*)$/;

/** Undefined-free: an empty list when the script writes no file it runs and feeds no heredoc. */
export function followedScripts(script: string, allowance: OutputAllowance): FollowedScripts {
  const heredocs = hereDocumentsAsStrings(script);
  if (heredocs === undefined && !/>|\btee\b/.test(script)) return { followed: [], exhausted: false };
  const commands = parseShell(heredocs?.text ?? script).commands.map(plumb);
  const files = new Map<string, Content>();
  const followed: FollowedScript[] = [];
  let exhausted = false;
  const follow = (found: FollowedScript): void => {
    if (followed.length >= MAX_FOLLOWED) exhausted = true;
    else followed.push(found);
  };
  let grouped: Content | undefined;
  for (let start = 0; start < commands.length; ) {
    let end = start + 1;
    while (end < commands.length && (commands[end] as Plumbed).piped) end++;
    const pipeline = commands.slice(start, end);
    start = end;
    const asWritten = pipeline[0] as Plumbed;
    const first = withFileOperandAsInput(asWritten, files);
    pipeline[0] = first;
    const input = inputOf(first, files, heredocs?.bodies) ?? (first.words[0] === '}' ? grouped : undefined);
    // A heredoc, here-string or `< FILE` is read by the first command itself; `cat FILE` and a printer produce it.
    const readsItself = first.hereString !== undefined || first.inputFile !== undefined;
    let data = input ?? (isPrinter(first) ? printedContent(first) : undefined);
    // `{ echo X; } | rev`: what a group printed is piped on from its closing brace.
    grouped = isPrinter(first) && pipeline.length === 1 && first.writes.length === 0 ? printedContent(first) : undefined;
    const from = input !== undefined && readsItself ? 0 : 1;
    if (data !== undefined && from === 1) data = written(data, first, files, () => (exhausted = true));
    for (let k = from; data !== undefined && k < pipeline.length; k++) {
      const command = pipeline[k] as Plumbed;
      const runner = runnerOf(command.words);
      if (runner !== undefined) {
        // `echo X | sh` and `echo X | base64 -d | sh` are followed by text-scan and the pipeline decoder already.
        if (input !== undefined && stdinScript(command.words)) follow({ text: data.text, steps: [...data.steps, `read by ${runner}`], source: data.source });
        break;
      }
      data = filtered(data, command, allowance);
      if (data !== undefined) data = written(data, command, files, () => (exhausted = true));
    }
    if (pipeline.length === 1) {
      copyFile(asWritten.words, files);
      const run = runOfFile(asWritten, files);
      if (run !== undefined) follow({ text: run.content.text, steps: [...run.content.steps, `file ${shown(run.file)} run by ${run.runner}`], source: run.content.source });
    }
  }
  return { followed, exhausted };
}

/** Redirections taken out of a command's words, and what they name. */
function plumb(command: ShellCommand): Plumbed {
  const words: string[] = [];
  const writes: { file: string; append: boolean }[] = [];
  let inputFile: string | undefined;
  let hereString: string | undefined;
  const source = command.words;
  for (let i = 0; i < source.length; i++) {
    const word = source[i] as string;
    if (word === '<<<') {
      hereString = source[++i] ?? '';
      continue;
    }
    const write = WRITE.exec(word);
    if (write) {
      const target = write[3] !== '' ? (write[3] as string) : (source[++i] ?? '');
      // `2>&1`, `2>/dev/null`: stderr and duplications hold no script.
      if ((write[1] === '' || write[1] === '1') && !target.startsWith('&') && target !== '/dev/null') writes.push({ file: normalized(target), append: write[2] === '>>' });
      continue;
    }
    const read = i > 0 ? READ.exec(word) : null;
    if (read) {
      inputFile = normalized(read[1] !== '' ? (read[1] as string) : (source[++i] ?? ''));
      continue;
    }
    words.push(word);
  }
  if (commandName(words[0] ?? '') === 'tee') {
    for (const file of words.slice(1).filter((w) => !w.startsWith('-'))) writes.push({ file: normalized(file), append: words.includes('-a') || words.includes('--append') });
  }
  return { words, piped: command.piped, writes, ...(inputFile !== undefined ? { inputFile } : {}), ...(hereString !== undefined ? { hereString } : {}) };
}

/** Records what a command writes to its files (`>>` appends); returns the data unchanged. */
function written(data: Content, command: Plumbed, files: Map<string, Content>, full: () => void): Content {
  for (const write of command.writes) {
    if (!files.has(write.file) && files.size >= MAX_FILES) {
      full();
      continue;
    }
    const before = write.append ? files.get(write.file) : undefined;
    files.set(write.file, before ? { text: `${before.text}\n${data.text}`, steps: [...new Set([...before.steps, ...data.steps])], source: before.source } : data);
  }
  return data;
}

function printedContent(command: Plumbed): Content {
  const out = printed(command.words);
  return { text: out.text, steps: out.steps, source: out.text };
}

/** A file name as a step of the evidence: layer labels are split at commas and arrows. */
function shown(file: string): string {
  const plain = file.replace(/,|→/g, ' ');
  return plain.length > 60 ? `${plain.slice(0, 59)}…` : plain;
}

/** `./x` and `x` are one file; `$HOME/x` and `~/x` too. */
function normalized(file: string): string {
  return file.replace(/^\.\//, '').replace(/^(?:\$\{?HOME\}?|~)\//, '~/');
}

function isPrinter(command: Plumbed): boolean {
  const name = commandName(command.words[0] ?? '');
  return name === 'echo' || name === 'printf';
}

/** `rev FILE`, `base64 -d FILE`: a filter reading a file written before reads it as `< FILE`. */
function withFileOperandAsInput(command: Plumbed, files: ReadonlyMap<string, Content>): Plumbed {
  const name = commandName(command.words[0] ?? '');
  const last = command.words[command.words.length - 1];
  if (command.words.length < 2 || last === undefined || last.startsWith('-') || name === 'cat' || runnerOf(command.words) !== undefined) return command;
  if (command.inputFile !== undefined || command.hereString !== undefined || !files.has(normalized(last))) return command;
  return { ...command, words: command.words.slice(0, -1), inputFile: normalized(last) };
}

/** What the first command reads: a here-string, `< FILE` or `cat FILE` of a file written before. */
function inputOf(first: Plumbed, files: ReadonlyMap<string, Content>, heredocBodies: ReadonlySet<string> | undefined): Content | undefined {
  if (first.hereString !== undefined) return { text: first.hereString, steps: [heredocBodies?.has(first.hereString) ? 'heredoc' : 'here-string'], source: first.hereString };
  if (first.inputFile !== undefined) {
    const content = files.get(first.inputFile);
    return content ? { ...content, steps: [...content.steps, `file ${shown(first.inputFile)}`] } : undefined;
  }
  if (commandName(first.words[0] ?? '') === 'cat' && first.words.length === 2) {
    const file = normalized(first.words[1] as string);
    const content = files.get(file);
    return content ? { ...content, steps: [...content.steps, `file ${shown(file)}`] } : undefined;
  }
  return undefined;
}

/** One filter applied to `data` the way the pipeline decoder applies it; undefined once a stage is not understood. */
function filtered(data: Content, command: Plumbed, allowance: OutputAllowance): Content | undefined {
  const name = commandName(command.words[0] ?? '');
  if (name === 'tee' || (name === 'cat' && command.words.length === 1)) return data;
  const [output] = pipelineOutputs([{ words: ['echo', data.text], piped: false }, { words: command.words, piped: true }], allowance);
  if (output === undefined || !output.complete) return undefined;
  return { text: output.output, steps: [...data.steps, ...output.steps], source: data.source };
}

/** The interpreter a command is, when it reads its script from stdin or from its first argument. */
function runnerOf(words: readonly string[]): string | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const name = commandName(first);
  if (isShell(first) || isPython(first) || RUNNERS.test(name)) return name;
  return undefined;
}

/** `sh`, `sh -s`, `python3 -`, `bash -x`: no script argument, so the script is stdin. */
function stdinScript(words: readonly string[]): boolean {
  const operands = words.slice(1).filter((w) => !w.startsWith('-') || w === '-');
  return operands.length === 0 || operands[0] === '-';
}

/** `cp A B`, `mv A B`, `install -m 755 A B`: the copy holds what A held. */
function copyFile(words: readonly string[], files: Map<string, Content>): void {
  const name = commandName(words[0] ?? '');
  if (name !== 'cp' && name !== 'mv' && name !== 'install') return;
  const operands = words.slice(1).filter((w) => !w.startsWith('-') && !/^[0-7]{3,4}$/.test(w));
  if (operands.length !== 2) return;
  const content = files.get(normalized(operands[0] as string));
  if (content) files.set(normalized(operands[1] as string), content);
}

/** `sh f`, `bash -x f`, `. f`, `source f`, `python3 f`, `sh < f`, `./f`, `/tmp/f`: a written file run. */
function runOfFile(command: Plumbed, files: ReadonlyMap<string, Content>): { file: string; runner: string; content: Content } | undefined {
  const first = command.words[0];
  if (first === undefined || files.size === 0) return undefined;
  const runner = runnerOf(command.words);
  if (runner !== undefined) {
    const operand = command.words.slice(1).find((w) => !w.startsWith('-'));
    const file = operand === undefined ? undefined : normalized(operand);
    const content = file === undefined ? undefined : files.get(file);
    return content && file !== undefined ? { file, runner, content } : undefined;
  }
  const file = normalized(first);
  const content = first.includes('/') ? files.get(file) : undefined;
  return content ? { file, runner: 'exec', content } : undefined;
}
