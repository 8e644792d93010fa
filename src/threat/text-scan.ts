import { redactUrlCredentials } from '../core/redact.js';
import { isPrivateAddress } from '../core/private-address.js';
import { decodeEmbeddedText, shorten, type DecodedText } from './decode.js';
import { decodeAnsiCQuoting } from './decoders/escapes.js';
import { oneLinerDecoded } from './decoders/one-liners.js';
import { pipelineOutputs, printed } from './decoders/pipeline.js';
import { pythonDecodedExpressions } from './decoders/python-expr.js';
import { substitutedExecCalls } from './decoders/python-vars.js';
import { followedScripts } from './decoders/script-files.js';
import { dropperHostOf, fetchesOnlyTrustedInstallers, isTrustedInstaller } from './droppers.js';
import type { Indicators } from './indicators.js';
import { compromisedPins } from './packages.js';
import { shellWithoutComments } from './precision.js';
import { pythonCommands } from './python-calls.js';
import { drainRemembered, readRememberedUnit } from './scan-memo.js';
import { CUT_SHORT, SCAN_LIMITS, cutShort, enqueue, signal, type ArgvElement, type ArgvUnit, type DecodedUnit, type RawUnit, type ScanState, type ScriptUnit, type TextUnit } from './scan-queue.js';
import { commandName, commandWords, expandAssignments, inlineScriptIndex, isPython, isShell, parseShell, shellScriptIndexes, type ShellCommand } from './shell.js';
import type { Site } from './signals.js';
import { matchWallet, shortWallet } from './wallets.js';

/** Commands whose output piped into a shell means the script was hidden: decoders and `rev`. */
const DECODERS = /^(?:base64|base32|basenc|openssl|xxd|rev|gunzip|zcat|zlib-flate)$/;
const RAW_IPV4_URL = /^(?:https?|ftp):\/\/(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/|$)/i;
const URL_IN_WORD = /^(?:https?|ftp):\/\/[^\s"'`]+$/i;
/** A URL right after a quote, as Python and Perl write them: `'https://…'`. */
const QUOTED_URL = /['"](?:https?|ftp):\/\/[^\s"'`]{1,2000}/gi;
/** `source <(curl …)`, `bash <(wget …)`: a shell reads a download through process substitution. */
const PROCESS_SUBSTITUTION_RUN = /(?:^|[\s;&|({])(?:source|\.|(?:ba|da|z|k)?sh)\s+<\(\s*(?:curl|wget)\b/;
/** `exec(urlopen(u).read())`, `exec(requests.get(u).text)`: Python runs code it just downloaded. */
const PYTHON_EXEC_DOWNLOAD = /\b(?:exec|eval)\s*\([^\n]{0,200}?(?:\b(?:urlopen|urlretrieve|requests\.get|httpx\.get)\b|\.get\(\s*['"]https?:\/\/)/;
/** Perl one-liners that fetch with LWP or HTTP::Tiny and run the result. */
const PERL_DOWNLOAD_EXEC = /\b(?:LWP::Simple|LWP::UserAgent|HTTP::Tiny|getstore)\b[\s\S]{0,300}?\b(?:system|exec)\s*[("']/;
/** Where unpacked downloads usually land; `/usr/bin/tool` after `tar x` is not the download. */
const DROPPED_BINARY = /^(?:\.{1,2}\/|\/tmp\/|\/var\/tmp\/|\/dev\/shm\/|\$\{?HOME\}?\/|~\/|[\w.-]+\/)/;
/** `urllib.parse` (quoting) and `urllib.error` download nothing; `urllib` and `urllib.request` can. */
const PYTHON_DOWNLOAD = /\b(?:urllib(?:\.request)?\b(?!\.(?:parse|error)\b)|urlretrieve|urlopen|requests\.get|wget\.download)\b/;
const PYTHON_EXEC = /\b(?:os\.system|os\.popen|os\.exec\w*|subprocess\.(?:run|call|Popen|check_call|check_output))\s*\(/;
/** An in-cluster Service by its one-label name with a port (`model-cache:443`). */
const SERVICE_HOST_PORT = /^(?:stratum[\w+.-]*:\/\/)?(?:[^@/\s]+@)?([a-z][a-z0-9-]{0,62}):(\d{2,5})$/;
const HOST_PORT = /^(?:[a-z][\w+.-]*:\/\/)?(?:[^@/\s]+@)?([A-Za-z0-9.-]+\.[A-Za-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})(?:\/.*)?$/;
/**
 * Nanominer config lines. `[^\S\n\r\u2028\u2029]` is `\s` without line breaks: a leading `^\s*`
 * under the m flag ran from every line start across all following blank lines, quadratic on a
 * script of empty lines. Any line `^\s*` reached by crossing breaks also starts a line of its own,
 * so the matches are the same.
 */
const NANOMINER_SECTION = /^[^\S\n\r\u2028\u2029]*\[[A-Za-z0-9]+\][^\S\n\r\u2028\u2029]*$/m;
const NANOMINER_WALLET = /^[^\S\n\r\u2028\u2029]*wallet\s*=\s*(\S+)/im;
const NANOMINER_POOL = /^[^\S\n\r\u2028\u2029]*(?:pool\d+|coin|rigName)\s*=/im;

/** A container's command and args, with everything found inside them. */
export function scanArgv(argv: readonly ArgvElement[], layer: string, state: ScanState): void {
  if (argv.length > 0) drainRemembered(state, { kind: 'argv', argv, layer, depth: 0 }, readUnit);
}

/** A shell script the object holds (a ConfigMap key, a workflow parameter), with everything inside it. */
export function scanScript(text: string, site: Site, layer: string, state: ScanState): void {
  drainRemembered(state, { kind: 'script', text, site, layer, depth: 0 }, readUnit);
}

/** Text searched without command structure (env values, Python, configs), with everything inside it. */
export function scanRaw(text: string, site: Site, layer: string, state: ScanState): void {
  drainRemembered(state, { kind: 'raw', text, site, layer, depth: 0 }, readUnit);
}

/** Reads one unit of the queue; text found inside it is queued, never read here. */
function readUnit(unit: TextUnit, state: ScanState): void {
  switch (unit.kind) {
    case 'argv':
      readArgv(unit, state);
      return;
    case 'command':
      analyzeCommands([{ words: commandWords(unit.words), piped: false }], () => unit.site, unit.layer, state, unit.depth, true);
      return;
    default:
      readRememberedUnit(state, unit, readTextUnit);
  }
}

function readTextUnit(unit: ScriptUnit | RawUnit | DecodedUnit, state: ScanState): void {
  if (unit.kind === 'script') readScript(unit.text, unit.site, unit.layer, state, unit.depth);
  else if (unit.kind === 'raw') readRaw(unit.text, unit.site, unit.layer, state, unit.depth);
  else readScript(unit.decoded.text, unit.site, decodedLayer(unit.layer, unit.decoded.encoding, unit.depth), state, unit.depth);
}

const LAYER_LABEL = /(?:^|, )([^,]+) layer \d+$/;

/**
 * The label of a decoded layer: every step from the object's own text to it, in order
 * (`base64 → rev → rot13 layer 1`). A nested layer extends its parent's chain, a repeated step is
 * named once (`base64 layer 2`: base64 in base64), and a variable resolution stays in front.
 */
function decodedLayer(parentLayer: string, encoding: string, depth: number): string {
  const parent = LAYER_LABEL.exec(parentLayer);
  const outer = parent ? parentLayer.slice(0, parent.index) : parentLayer;
  const steps = [...(parent ? (parent[1] as string).split(' → ') : []), ...encoding.split(' → ')].filter((step, i, all) => i === 0 || step !== all[i - 1]);
  const label = `${steps.join(' → ')} layer ${depth}`;
  return outer === '' ? label : `${outer}, ${label}`;
}

/** An inline `sh -c` script in argv is read as a script, anything else as one command. */
function readArgv({ argv, layer, depth }: ArgvUnit, state: ScanState): void {
  const words = argv.map((a) => a.text);
  const scripts = shellScriptIndexes(words);
  if (!isPython(words[0] as string)) {
    // `nsenter -t 1 -m -- /tmp/x`, `sudo -u nobody /tmp/x`: judge the launched command.
    const launched = commandWords(words);
    const offset = words.length - launched.length;
    const isSuffix = launched.length > 0 && launched.every((word, i) => word === words[offset + i]);
    const siteAt = (i: number): Site => (isSuffix ? argv[offset + i] : undefined)?.site ?? argv[0]!.site;
    // Inline scripts are read below with their own sites, so they are not followed from here.
    analyzeCommands([{ words: launched.length > 0 ? launched : words, piped: false }], siteAt, layer, state, depth, false);
    // `su -c SCRIPT` and `tmux new -d 'CMD'` come back as `sh -c SCRIPT`.
    if (!isSuffix && launched[1] === '-c' && launched[2] !== undefined) enqueue(state, { kind: 'script', text: launched[2], site: argv[0]!.site, layer, depth });
  }
  argv.forEach((element, i) => {
    enqueue(state, { kind: scripts.has(i) ? 'script' : 'raw', text: element.text, site: element.site, layer, depth });
  });
}

/** A shell script: its commands, its `$( … )` bodies, what its pipelines decode, and everything `readRaw` finds. */
function readScript(whole: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const text = withinTextCap(whole, site, state);
  const script = parseShell(text);
  analyzeCommands(script.commands, () => site, layer, state, depth, true);
  queuePipelines(script.commands, site, layer, state, depth);
  queueFollowedScripts(text, site, layer, state, depth);
  // Top-level bodies are disjoint parts of the text, so reading them all stays linear.
  for (const body of script.substitutions) {
    const commands = parseShell(body).commands;
    analyzeCommands(commands, () => site, layer, state, depth, true);
    queuePipelines(commands, site, layer, state, depth);
  }
  if (PROCESS_SUBSTITUTION_RUN.test(text)) signal(state, 'download-exec', 'shell runs <(download)', site, layer);
  // Comments run nothing: a pool domain in a comment is no signal (precision.ts).
  readRaw(shellWithoutComments(text), site, layer, state, depth);
  const ansiC = decodeAnsiCQuoting(text);
  if (ansiC !== undefined) queueLayer(state, { encoding: 'ANSI-C quoting', sample: shorten(/\$'[^']*'?/.exec(text)?.[0] ?? "$'…'"), text: ansiC }, site, layer, depth);
  const expanded = expandAssignments(text, script.assignments, SCAN_LIMITS.maxLayerChars);
  if (expanded === undefined) return;
  // Kept to its cap, never dropped: what was built is read, and the cut is reported.
  if (expanded.clipped) cutShort(state, CUT_SHORT.length, site);
  enqueue(state, { kind: 'script', text: expanded.text, site, layer: withLayer(layer, 'after expanding shell variables'), depth: depth + 1 });
}

function withLayer(layer: string, label: string): string {
  return layer === '' ? label : `${layer}, ${label}`;
}

/** `echo X | base64 -d | rev | sh`: what each pipeline of printed text decodes to is read as a layer. */
function queuePipelines(commands: readonly ShellCommand[], site: Site, layer: string, state: ScanState, depth: number): void {
  if (commands.length < 1) return;
  for (const output of pipelineOutputs(commands, state.budget)) {
    queueLayer(state, { encoding: output.steps.join(' → '), sample: shorten(output.input), text: output.output }, site, layer, depth);
  }
}

/** Scripts written to a file and then run, and heredocs fed to an interpreter, are read as layers. */
function queueFollowedScripts(text: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const { followed, exhausted } = followedScripts(text, state.budget);
  if (exhausted) cutShort(state, CUT_SHORT.files, site);
  for (const found of followed) queueLayer(state, { encoding: found.steps.join(' → '), sample: shorten(found.source), text: found.text }, site, layer, depth);
}

/** Queues a layer a decoder built, paying for its text; over the byte budget it is reported, not read. */
function queueLayer(state: ScanState, decoded: DecodedText, site: Site, layer: string, depth: number): void {
  const text = decoded.text.length > SCAN_LIMITS.maxLayerChars ? decoded.text.slice(0, SCAN_LIMITS.maxLayerChars) : decoded.text;
  if (text !== decoded.text) cutShort(state, CUT_SHORT.length, site);
  if (!state.budget.take(text.length)) {
    cutShort(state, CUT_SHORT.bytes, site);
    return;
  }
  enqueue(state, { kind: 'decoded', decoded: text === decoded.text ? decoded : { ...decoded, text }, site, layer, depth: depth + 1 });
}

/**
 * Indicators that need no command structure: URLs, pool hosts, known strings, configs and encoded
 * payloads. Patterns run over overlapping slices of the whole text (linear time, any length);
 * decoders see the whole text at once, so a payload longer than a slice is decoded whole.
 */
function readRaw(whole: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const text = withinTextCap(whole, site, state);
  const { sliceChars, sliceOverlap } = SCAN_LIMITS;
  for (let start = 0; start < text.length || start === 0; start += sliceChars - sliceOverlap) {
    const end = Math.min(text.length, start + sliceChars);
    scanSlice(start === 0 && end === text.length ? text : text.slice(start, end), site, layer, state, depth);
    if (end >= text.length) break;
    if (state.budget.timeUp()) {
      cutShort(state, CUT_SHORT.time, site);
      break;
    }
  }
  scanMinerConfig(text, site, layer, state);
  // Interpreter decodes first: a payload both reach is then named by the call that decodes it (`python bytes.fromhex`).
  queueInterpreterDecodes(text, site, layer, state, depth);
  queueDecoded(text, site, layer, state, depth);
}

/** The text up to the hard cap; a longer text is reported (an `unexamined` signal), never silently cut. */
function withinTextCap(text: string, site: Site, state: ScanState): string {
  if (text.length <= SCAN_LIMITS.maxTextChars) return text;
  cutShort(state, CUT_SHORT.text, site);
  return text.slice(0, SCAN_LIMITS.maxTextChars);
}

function scanSlice(text: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const { indicators } = state;
  for (const match of text.matchAll(indicators.stratumUrl)) {
    if (!/[A-Za-z0-9]/.test(match[0].slice(match[0].indexOf('://') + 3))) continue;
    signal(state, 'stratum-url', shorten(redactUrlCredentials(match[0]), 80), site, layer);
    checkEndpoint(match[0], site, layer, state, false);
  }
  if (text.includes('.')) scanPoolHosts(text, site, layer, state);
  const padded = ` ${text}`;
  for (const needle of indicators.commandLineSubstrings) {
    if (padded.includes(needle)) signal(state, 'sigma-string', needle.trim(), site, layer);
  }
  const pythonRunsDownload = PYTHON_EXEC_DOWNLOAD.test(text) || (PYTHON_DOWNLOAD.test(text) && PYTHON_EXEC.test(text));
  if (PYTHON_EXEC_DOWNLOAD.test(text)) signal(state, 'download-exec', 'Python exec() of downloaded code', site, layer);
  else if (pythonRunsDownload) signal(state, 'download-exec', 'Python download then os.system/subprocess', site, layer);
  // Python names its URLs in string literals: the ones it may fetch and run are judged like a curl's.
  if (pythonRunsDownload) for (const url of text.match(QUOTED_URL) ?? []) judgeDownloadUrl(url.slice(1), site, layer, state);
  if (PERL_DOWNLOAD_EXEC.test(text)) signal(state, 'download-exec', 'Perl download then system/exec', site, layer);
  for (const { pin, entry } of compromisedPins(text)) signal(state, 'compromised-package', `${entry.name} ${pin.version} (${entry.ecosystem})`, site, layer);
  queuePythonCommands(text, site, layer, state, depth);
}

/** Strings Python, perl and awk code builds (`'…'[::-1]`, `codecs.decode`, `pack("H*")`, `printf "%c"`) are read as layers. */
function queueInterpreterDecodes(text: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const python = pythonDecodedExpressions(text, Math.min(state.budget.remainingBytes, SCAN_LIMITS.maxLayerChars));
  if (python.exhausted) cutShort(state, CUT_SHORT.python, site);
  for (const found of python.decoded) queueLayer(state, { encoding: `python ${found.steps.join(' → ')}`, sample: shorten(found.source), text: found.text }, site, layer, depth);
  // `s = b64decode('…'); exec(s)`: the variables a call runs, put in place and evaluated the same way.
  const substituted = substitutedExecCalls(text, Math.min(state.budget.remainingBytes, SCAN_LIMITS.maxLayerChars));
  if (substituted.exhausted) cutShort(state, CUT_SHORT.python, site);
  for (const call of substituted.calls) {
    const inCall = pythonDecodedExpressions(call.text, Math.min(state.budget.remainingBytes, SCAN_LIMITS.maxLayerChars));
    if (inCall.exhausted) cutShort(state, CUT_SHORT.python, site);
    for (const found of inCall.decoded) queueLayer(state, { encoding: `python variable ${call.names.join(' + ')} → ${found.steps.join(' → ')}`, sample: shorten(found.source), text: found.text }, site, layer, depth);
  }
  for (const found of oneLinerDecoded(text)) {
    if (found.truncated) cutShort(state, CUT_SHORT.oneLiner, site);
    queueLayer(state, { encoding: found.step, sample: shorten(found.source), text: found.text }, site, layer, depth);
  }
}

/** What `os.system("…")` and `subprocess.Popen([…])` in Python text run is read as commands. */
function queuePythonCommands(text: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const { commands, exhausted } = pythonCommands(text);
  if (exhausted) cutShort(state, CUT_SHORT.calls, site);
  for (const command of commands) {
    if ('script' in command) enqueue(state, { kind: 'script', text: command.script, site, layer, depth: depth + 1 });
    else if (command.argv.length > 0) enqueue(state, { kind: 'command', words: command.argv, site, layer, depth: depth + 1 });
  }
}

function queueDecoded(text: string, site: Site, layer: string, state: ScanState, depth: number): void {
  const { decoded, stops } = decodeEmbeddedText(text, state.budget, SCAN_LIMITS.maxLayerChars);
  for (const stop of stops) cutShort(state, CUT_SHORT[stop], site);
  for (const layerText of decoded) enqueue(state, { kind: 'decoded', decoded: layerText, site, layer, depth: depth + 1 });
}

const poolHostPatterns = new WeakMap<Indicators, RegExp>();

function scanPoolHosts(text: string, site: Site, layer: string, state: ScanState): void {
  let pattern = poolHostPatterns.get(state.indicators);
  if (!pattern) {
    const domains = state.indicators.poolDomains.map((d) => d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // A host right after a `%XX` escape starts after the escape's digits (`%20xmr.2miners.com` is `xmr.2miners.com`).
    pattern = new RegExp(`(?:(?<![\\w.%-])|(?<=%[0-9A-Fa-f]{2}))(?:[a-z0-9-]+\\.)*(?:${domains.join('|')})(?![\\w-])`, 'gi');
    poolHostPatterns.set(state.indicators, pattern);
  }
  for (const match of text.matchAll(pattern)) {
    // `https://api.nanopool.org/…` reads a pool's website or API; miners connect without HTTP.
    const inWebUrl = /https?:\/\/$/i.test(text.slice(Math.max(0, (match.index ?? 0) - 8), match.index));
    signal(state, inWebUrl ? 'pool-web' : 'pool-host', match[0].toLowerCase(), site, layer);
  }
}

/** A pool endpoint from a pool flag or Stratum URL: its host, its port and a wallet in its user part. */
function checkEndpoint(value: string, site: Site, layer: string, state: ScanState, fromPoolFlag: boolean): void {
  const userInfo = /^[a-z][\w+.-]*:\/\/([^@/\s]+)@/i.exec(value)?.[1];
  if (userInfo) {
    const wallet = matchWallet(userInfo.split(':')[0] ?? userInfo);
    if (wallet) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, site, layer);
  }
  const hostPort = HOST_PORT.exec(value);
  if (fromPoolFlag && hostPort && state.indicators.poolPorts.has(Number(hostPort[2]))) {
    signal(state, 'pool-port', `${hostPort[1]}:${hostPort[2]}`, site, layer);
  }
}

/** An XMRig pool entry inside any text (`echo '{…}' > c.json`, a here-doc): url and user together. */
const INLINE_POOL = /"pools"\s*:\s*\[\s*\{[^\]]{0,400}?"(?:url|user)"\s*:\s*"([^"]*)"[^\]]{0,400}?"(?:url|user)"\s*:\s*"([^"]*)"/;

function scanInlineMinerConfig(text: string, site: Site, layer: string, state: ScanState): void {
  const inline = INLINE_POOL.exec(text);
  if (!inline) return;
  signal(state, 'miner-config', 'XMRig JSON (pools with url and user) written by a script', site, layer);
  for (const value of [inline[1], inline[2]]) {
    const wallet = value === undefined ? undefined : matchWallet(value);
    if (wallet) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, site, layer);
  }
}

/** Keys a proxy or miner config names its upstream pool by (xmrig-proxy: `upstream`), and its login by. */
const CONFIG_ENDPOINT_KEYS = ['upstream', 'url', 'pool', 'server'] as const;
const CONFIG_LOGIN_KEYS = ['user', 'wallet', 'login'] as const;

/**
 * A flat JSON config that names a pool endpoint (`host:port`, never a web URL) and logs in with a
 * distinctive wallet, whatever its other keys: xmrig-proxy's `{"upstream": …, "user": <wallet>}`,
 * read with `--config` by a renamed binary. The config form of a miner command line.
 */
function scanPoolLoginConfig(text: string, site: Site, layer: string, state: ScanState): void {
  if (!/"(?:user|wallet|login)"\s*:/.test(text)) return;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return;
  }
  if (!isRecordLike(config)) return;
  const endpointKey = CONFIG_ENDPOINT_KEYS.find((key) => typeof config[key] === 'string' && minerEndpoint(config[key]) !== undefined);
  if (endpointKey === undefined) return;
  for (const key of CONFIG_LOGIN_KEYS) {
    const value = config[key];
    const wallet = typeof value === 'string' ? matchWallet(value) : undefined;
    if (!wallet?.distinctive) continue;
    signal(state, 'miner-config', `pool login JSON ("${endpointKey}" endpoint and a ${wallet.format} wallet)`, site, layer);
    signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, site, layer);
    return;
  }
}

function scanMinerConfig(text: string, site: Site, layer: string, state: ScanState): void {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !text.includes('"pools"')) {
    scanPoolLoginConfig(trimmed, site, layer, state);
    return;
  }
  if (!trimmed.startsWith('{') && text.includes('"pools"')) {
    scanInlineMinerConfig(text, site, layer, state);
    return;
  }
  if (trimmed.startsWith('{') && text.includes('"pools"')) {
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch {
      return;
    }
    if (config === null || typeof config !== 'object') return;
    const record = config as Record<string, unknown>;
    const pools = Array.isArray(record.pools) ? record.pools : [];
    const minerKeys = ['donate-level', 'randomx', 'cpu', 'cuda', 'opencl'].filter((k) => k in record);
    const poolLogins = pools.some((pool) => isRecordLike(pool) && typeof pool.url === 'string' && typeof pool.user === 'string');
    if (pools.length === 0 || (minerKeys.length === 0 && !poolLogins)) return;
    signal(state, 'miner-config', `XMRig JSON (pools${minerKeys.length > 0 ? `, ${minerKeys.join(', ')}` : ' with url and user'})`, site, layer);
    for (const pool of pools) {
      const user = pool !== null && typeof pool === 'object' ? (pool as Record<string, unknown>).user : undefined;
      const wallet = typeof user === 'string' ? matchWallet(user) : undefined;
      if (wallet) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, site, layer);
    }
    return;
  }
  if (NANOMINER_SECTION.test(text) && NANOMINER_POOL.test(text)) {
    const walletValue = NANOMINER_WALLET.exec(text)?.[1];
    if (walletValue === undefined) return;
    signal(state, 'miner-config', 'nanominer INI (wallet, pool)', site, layer);
    const wallet = matchWallet(walletValue);
    if (wallet) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, site, layer);
  }
}

function isRecordLike(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface Download {
  readonly url: string;
  readonly output?: string;
}

/** What earlier commands of a script fetched and prepared, to spot a later command running it. */
interface Fetched {
  readonly downloads: Download[];
  readonly executable: Set<string>;
  unpacked: boolean;
}

/**
 * Walks simple commands in order, tracking downloads, unpacking and `chmod +x` to spot
 * download-then-execute. With `follow`, scripts nested in `sh -c '…'`, `eval "…"` and
 * `echo … | sh` are queued one level deeper.
 */
function analyzeCommands(commands: readonly ShellCommand[], siteAt: (wordIndex: number) => Site, layer: string, state: ScanState, depth: number, follow: boolean): void {
  const fetched: Fetched = { downloads: [], executable: new Set(), unpacked: false };
  let previous: string | undefined;
  let previousWords: readonly string[] = [];
  for (const command of commands) {
    const first = command.words[0] as string;
    const name = commandName(first);
    const pipedFrom = command.piped ? previous : undefined;
    if (state.indicators.downloaders.has(name)) fetched.downloads.push(...readDownloads(command.words, siteAt, layer, state));
    if (pipedFrom !== undefined && (isShell(first) || isPython(first))) {
      // A well-known installer from its own project's domain is how that project is installed.
      if (state.indicators.downloaders.has(pipedFrom) && !fetchesOnlyTrustedInstallers(previousWords, state.indicators)) signal(state, 'download-exec', `${pipedFrom} | ${name}`, siteAt(0), layer);
      else if (DECODERS.test(pipedFrom)) signal(state, 'obfuscation', `${pipedFrom} decode | ${name}`, siteAt(0), layer);
    }
    if (follow && pipedFrom !== undefined && PRINTERS.has(pipedFrom) && (isShell(first) || name === 'crontab')) {
      const output = printed(previousWords);
      const text = name === 'crontab' ? withoutCronSchedule(output.text) : output.text;
      // Printed through escapes (`printf '\x78…' | sh`), it is a decoded layer, queued by queuePipelines.
      if (output.text !== '' && output.steps.length === 0) enqueue(state, { kind: 'script', text, site: siteAt(0), layer, depth: depth + 1 });
    }
    const chain = runOfFetched(command, name, pipedFrom, fetched, state.indicators);
    if (chain !== undefined) signal(state, 'download-exec', chain, siteAt(0), layer);
    if (follow) queueNestedScript(command.words, name, siteAt, layer, state, depth);
    if (isMinerBinary(name, state.indicators)) signal(state, 'miner-binary', name, siteAt(0), layer);
    if (!state.indicators.notMiners.has(name)) scanFlags(command.words, siteAt, layer, state);
    previous = name;
    previousWords = command.words;
  }
}

const PRINTERS = new Set(['echo', 'printf']);

/** `* * * * * /tmp/x` → `/tmp/x`: a cron line's command. */
function withoutCronSchedule(line: string): string {
  return line.replace(/^\s*(?:@\w+|(?:\S+\s+){5})/, '');
}

/** Records what `command` prepares, and names the chain when it runs something fetched before. */
function runOfFetched(command: ShellCommand, name: string, pipedFrom: string | undefined, fetched: Fetched, indicators: Indicators): string | undefined {
  const first = command.words[0] as string;
  const downloaded = fetched.downloads.length > 0 || (pipedFrom !== undefined && indicators.downloaders.has(pipedFrom));
  if (downloaded && isUnpack(name, command.words)) fetched.unpacked = true;
  const interpreter = isShell(first) || isPython(first);
  if (name === 'chmod') {
    markExecutable(command.words, fetched.executable);
    return undefined;
  }
  if (fetched.downloads.length > 0 && fetched.executable.has(name) && first.includes('/')) return `download, chmod +x, run ${first}`;
  if (fetched.unpacked && DROPPED_BINARY.test(first) && !indicators.notMiners.has(name) && !indicators.buildSteps.has(name) && !interpreter) return `download, unpack, run ${first}`;
  if (interpreter && pipedFrom === undefined) {
    const target = command.words.slice(1).find((w) => !w.startsWith('-'));
    const saved = fetched.downloads.find((d) => d.output !== undefined && target !== undefined && commandName(d.output) === commandName(target));
    if (saved && !isTrustedInstaller(saved.url, indicators)) return `download, then ${name} ${target}`;
  }
  const fetcher = substitutedDownloader(first, indicators);
  return fetcher === undefined ? undefined : `$(${fetcher} …) run as a command`;
}

/** `tar xzf`, `tar -x`, `unzip`, `gunzip`: what turns a download into files to run. */
function isUnpack(name: string, words: readonly string[]): boolean {
  if (name === 'unzip' || name === 'gunzip' || name === '7z') return true;
  return name === 'tar' && words.slice(1).some((w) => /^-?[A-Za-z]*x[A-Za-z]*$/.test(w) || w === '--extract');
}

/** For a command word `$(curl …)` or `` `wget …` ``: the downloader, whose output then runs. */
function substitutedDownloader(word: string, indicators: Indicators): string | undefined {
  if (!word.startsWith('$(') && !word.startsWith('`')) return undefined;
  const body = word.startsWith('$(') ? word.slice(2, -1) : word.slice(1, -1);
  // `until $(curl -s URL > /dev/null)`: output sent elsewhere leaves nothing to run (a readiness wait).
  if (body.includes('>')) return undefined;
  const words = parseShell(body).commands[0]?.words ?? [];
  const fetcher = words[0];
  if (fetcher === undefined || !indicators.downloaders.has(commandName(fetcher))) return undefined;
  const savesToFile = words.some((w, i) => /^(?:-[A-Za-z]*[oO]|--output(?:-document)?)$/.test(w) && words[i + 1] !== undefined && words[i + 1] !== '-');
  return savesToFile ? undefined : commandName(fetcher);
}

/** `bash -c 'SCRIPT'`, `python -c 'CODE'` and `eval "SCRIPT"` inside a script are read as well. */
function queueNestedScript(words: readonly string[], name: string, siteAt: (i: number) => Site, layer: string, state: ScanState, depth: number): void {
  if (name === 'eval' && words.length > 1) {
    enqueue(state, { kind: 'script', text: words.slice(1).join(' '), site: siteAt(1), layer, depth: depth + 1 });
    return;
  }
  const index = inlineScriptIndex(words);
  if (index === -1) return;
  const kind = isPython(words[0] as string) ? 'raw' : 'script';
  enqueue(state, { kind, text: words[index] as string, site: siteAt(index), layer, depth: depth + 1 });
}

/** `xmrig`, `xmrig.exe`, and the names releases ship under: `xmrig-notls`, `cpuminer-avx2`, `SRBMiner-MULTI`. */
function isMinerBinary(name: string, indicators: Indicators): boolean {
  const base = name.replace(/\.(?:exe|sh|bin|out)$/, '');
  if (indicators.minerBinaries.has(name) || indicators.minerBinaries.has(base)) return true;
  for (let i = 4; i < base.length; i++) {
    if ((base[i] === '-' || base[i] === '_') && indicators.minerBinaries.has(base.slice(0, i))) return true;
  }
  return false;
}

function readDownloads(words: readonly string[], siteAt: (i: number) => Site, layer: string, state: ScanState): Download[] {
  const found: Download[] = [];
  let output: string | undefined;
  words.forEach((word, i) => {
    // `-o FILE`, also at the end of combined flags (`curl -sSLo FILE`).
    if (/^(?:-[A-Za-z]*[oO]|--output|--output-document)$/.test(word) && words[i + 1] !== undefined && !URL_IN_WORD.test(words[i + 1] as string)) {
      output = words[i + 1];
    }
  });
  words.forEach((word, i) => {
    if (!URL_IN_WORD.test(word)) return;
    const file = judgeDownloadUrl(word, siteAt(i), layer, state);
    found.push({ url: word, output: output ?? (file || undefined) });
  });
  return found;
}

/**
 * Signals for a URL something downloads (a miner release, a raw IP address). Returns the URL's
 * file name, which later commands may run.
 */
export function judgeDownloadUrl(url: string, site: Site, layer: string, state: ScanState): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0] ?? '';
  const file = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const project = state.indicators.minerProjects.find((p) => url.toLowerCase().includes(`github.com/${p}/`));
  const binary = [...state.indicators.minerBinaries].find((b) => file === b || file.startsWith(`${b}-`) || file.startsWith(`${b}_`) || file.startsWith(`${b}.`));
  const shown = redactUrlCredentials(url);
  if (project || binary) signal(state, 'miner-download', shorten(shown, 100), site, layer);
  const ip = RAW_IPV4_URL.exec(url)?.[1];
  // In-cluster and private addresses (a MinIO Service IP) are where ordinary jobs fetch from.
  if (ip !== undefined && !isPrivateAddress(ip)) signal(state, 'raw-ip-download', shorten(shown, 80), site, layer);
  const dropper = dropperHostOf(url, state.indicators);
  if (dropper) signal(state, 'dropper-host', `${dropper.label} ${dropper.host}`, site, layer);
  return file;
}

function markExecutable(words: readonly string[], executable: Set<string>): void {
  const modeIndex = words.findIndex((w, i) => i > 0 && (/^[ugoa]*\+[rwxX]*x/.test(w) || /^0?[0-7]?[1357][0-7]{0,2}$/.test(w)));
  if (modeIndex === -1) return;
  words.slice(modeIndex + 1).forEach((w) => executable.add(commandName(w)));
}

/** Miner flags, and the values of pool, user and algorithm flags. */
function scanFlags(words: readonly string[], siteAt: (i: number) => Site, layer: string, state: ScanState): void {
  const { indicators } = state;
  let endpoint: { readonly value: string; readonly site: Site } | undefined;
  let walletFormat: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    if (!word.startsWith('-')) continue;
    const eq = word.indexOf('=');
    const flag = eq === -1 ? word : word.slice(0, eq);
    const value = eq === -1 ? words[i + 1] : word.slice(eq + 1);
    const valueSite = siteAt(eq === -1 ? i + 1 : i);
    if (indicators.strongFlags.has(flag.toLowerCase())) signal(state, 'miner-flag', flag, siteAt(i), layer);
    if (value === undefined || value.startsWith('-')) continue;
    if (indicators.poolFlags.has(flag)) {
      checkEndpoint(value, valueSite, layer, state, true);
      const hostPort = minerEndpoint(value);
      if (hostPort !== undefined) endpoint ??= { value: hostPort, site: valueSite };
    }
    if (indicators.userFlags.has(flag)) {
      const wallet = matchWallet(value);
      if (wallet) signal(state, 'wallet', `${wallet.format} ${shortWallet(wallet.wallet)}`, valueSite, layer);
      if (wallet?.distinctive) walletFormat ??= wallet.format;
    }
    if (indicators.algoFlags.has(flag) && indicators.miningAlgorithms.has(value.toLowerCase())) {
      signal(state, 'mining-algorithm', `${flag} ${value}`, valueSite, layer);
    }
  }
  // Whatever the binary is called and whether or not the pool is listed: a pool endpoint and a wallet
  // in one command line is how every miner is started. Plain-hex wallets (EVM, Iron Fish) are left
  // out: a node RPC `host:8545` and a contract address are an ordinary web3 command line.
  if (endpoint !== undefined && walletFormat !== undefined) signal(state, 'miner-command-line', `${endpoint.value} with a ${walletFormat} wallet`, endpoint.site, layer);
}

/**
 * `host:port` or `stratum+tcp://host:port` as a pool flag's value; web URLs (`--url https://api:443`)
 * are not pool endpoints. A one-label name (`relay:443`) is an in-cluster Service, which can forward
 * to a pool (an ExternalName Service, a proxy): it counts here, where only a wallet beside it makes
 * the command line a miner's.
 */
function minerEndpoint(value: string): string | undefined {
  if (/^[a-z][\w+.-]*:\/\//i.test(value) && !/^stratum/i.test(value)) return undefined;
  const hostPort = HOST_PORT.exec(value) ?? SERVICE_HOST_PORT.exec(value);
  return hostPort ? `${hostPort[1]}:${hostPort[2]}` : undefined;
}

/**
 * An environment value that starts with `-` (`EXTRA_ARGS='--cpu-no-yield --donate-level=0'`) is
 * arguments an entrypoint passes on: its miner, pool, user and algorithm flags are read as a
 * command line's.
 */
export function scanArgumentText(text: string, site: Site, layer: string, state: ScanState): void {
  const words = text.trim().split(/\s+/);
  if (words.length > 0 && words[0]!.startsWith('-')) scanFlags(['', ...words], () => site, layer, state);
}
