import { gunzipSync } from 'node:zlib';
import { asArray, asRecord, asString, type JsonRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { WORKLOAD_SHAPES, matchesKind } from './workload-shapes.js';

/**
 * OpenShift MachineConfig: an Ignition config the Machine Config Operator writes onto every node of
 * a pool. Its files land on the host (a Pod manifest in `/etc/kubernetes/manifests` is a static Pod
 * the kubelet runs) and its systemd units run as root on the host. Both run outside any container
 * spec, so they are read here.
 * https://docs.openshift.com/container-platform/4.16/machine_configuration/index.html
 * https://coreos.github.io/ignition/configuration-v3_4/ (storage.files, systemd.units)
 */

export interface HostFile {
  /** Where the node writes it, e.g. `/etc/kubernetes/manifests/x.yaml`. */
  readonly hostPath: string;
  /** The file's text, decoded from its `data:` URL (and gzip); undefined when it could not be read. */
  readonly text: string | undefined;
  /** Why the text could not be read (a remote source, a broken URL, over the size bound). */
  readonly unread?: string;
  /** Field path of the source, e.g. `spec.config.storage.files[2].contents.source`. */
  readonly path: string;
}

export interface HostCommand {
  /** The unit and directive, e.g. `unit "miner.service" ExecStart`. */
  readonly where: string;
  readonly argv: readonly string[];
  readonly path: string;
}

/** A decoded file may be no larger than this; a larger one is reported unread, never dropped silently. */
export const MAX_HOST_FILE_BYTES = 1024 * 1024;
const STATIC_POD_DIR = '/etc/kubernetes/manifests/';
const UNIT_FILE = /^\/(?:etc|usr\/lib|lib|run)\/systemd\/system\/[^/]+\.(?:service|timer|socket|path)(?:\.d\/[^/]+\.conf)?$/;
/** Directives whose value systemd runs as a command line. https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html */
const EXEC_DIRECTIVE = /^(Exec(?:Start|StartPre|StartPost|Condition|Reload|Stop|StopPost))\s*=\s*(.*)$/;

export function isMachineConfig(object: K8sObject): boolean {
  return WORKLOAD_SHAPES.hostConfigs.some((match) => matchesKind(match, object));
}

function ignitionOf(object: K8sObject): { config: JsonRecord; path: string } | undefined {
  const shape = WORKLOAD_SHAPES.hostConfigs.find((match) => matchesKind(match, object));
  if (!shape) return undefined;
  let node: JsonRecord | undefined = object;
  for (const segment of shape.ignitionPath) node = asRecord(node?.[segment]);
  return node ? { config: node, path: shape.ignitionPath.join('.') } : undefined;
}

/** Every file the config writes onto the host (`storage.files[].contents` and `append`), decoded. */
export function hostFilesOf(object: K8sObject): HostFile[] {
  const ignition = ignitionOf(object);
  if (!ignition) return [];
  const files: HostFile[] = [];
  asArray(asRecord(ignition.config.storage)?.files).forEach((raw, i) => {
    const file = asRecord(raw);
    const hostPath = asString(file?.path) ?? '';
    const filePath = joinPath(ignition.path, 'storage', 'files', i);
    const contents = asRecord(file?.contents);
    if (contents) files.push(readContents(contents, hostPath, joinPath(filePath, 'contents')));
    asArray(file?.append).forEach((part, j) => {
      const record = asRecord(part);
      if (record) files.push(readContents(record, hostPath, joinPath(filePath, 'append', j)));
    });
  });
  return files;
}

function readContents(contents: JsonRecord, hostPath: string, path: string): HostFile {
  const source = asString(contents.source);
  // Butane's `inline` compiles to a data URL; some hand-written configs keep it.
  const inline = asString(contents.inline);
  if (source === undefined) return inline === undefined ? { hostPath, text: '', path } : { hostPath, text: inline, path: joinPath(path, 'inline') };
  const sourcePath = joinPath(path, 'source');
  const decoded = decodeDataUrl(source);
  if ('unread' in decoded) return { hostPath, text: undefined, unread: decoded.unread, path: sourcePath };
  let bytes = decoded.bytes;
  if (asString(contents.compression) === 'gzip') {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_HOST_FILE_BYTES });
    } catch (error) {
      return { hostPath, text: undefined, unread: `gzip contents do not inflate within ${MAX_HOST_FILE_BYTES} bytes: ${(error as Error).message}`, path: sourcePath };
    }
  }
  return { hostPath, text: bytes.toString('utf8'), path: sourcePath };
}

/**
 * An RFC 2397 `data:` URL: `data:[type][;base64],payload`. Without `;base64` the payload is
 * percent-encoded. Other schemes (https, s3, tftp) are fetched by the node and cannot be read here.
 * https://www.rfc-editor.org/rfc/rfc2397
 */
export function decodeDataUrl(url: string): { bytes: Buffer } | { unread: string } {
  if (!/^data:/i.test(url)) {
    const scheme = /^([a-z][\w+.-]*):/i.exec(url)?.[1];
    return { unread: scheme ? `contents fetched by the node from a ${scheme} URL` : 'contents source is not a URL' };
  }
  const comma = url.indexOf(',');
  if (comma === -1) return { unread: 'data URL without a comma' };
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if (/;base64$/i.test(meta)) {
    if (payload.length > (MAX_HOST_FILE_BYTES * 4) / 3 + 4) return { unread: `data URL over ${MAX_HOST_FILE_BYTES} bytes` };
    // Ignition decodes the payload after percent-decoding it (vincent-petithory/dataurl).
    return { bytes: Buffer.from(percentDecode(payload).toString('latin1'), 'base64') };
  }
  if (payload.length > MAX_HOST_FILE_BYTES * 3) return { unread: `data URL over ${MAX_HOST_FILE_BYTES} bytes` };
  return { bytes: percentDecode(payload) };
}

/** Percent-decoding that never throws: a `%` not followed by two hex digits stays as written. */
function percentDecode(text: string): Buffer {
  const out: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === 0x25 && i + 2 < raw.length) {
      const hex = raw.toString('latin1', i + 1, i + 3);
      if (/^[0-9a-f]{2}$/i.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    out.push(byte);
  }
  return Buffer.from(out);
}

/** Whether the kubelet runs this host file as a static Pod. */
export function isStaticPodManifest(file: HostFile): boolean {
  return file.hostPath.startsWith(STATIC_POD_DIR);
}

/** The command lines of every systemd unit and drop-in, inline in `systemd.units` or written as unit files. */
export function hostCommandsOf(object: K8sObject): HostCommand[] {
  const ignition = ignitionOf(object);
  if (!ignition) return [];
  const commands: HostCommand[] = [];
  asArray(asRecord(ignition.config.systemd)?.units).forEach((raw, i) => {
    const unit = asRecord(raw);
    const name = asString(unit?.name) ?? `#${i}`;
    const unitPath = joinPath(ignition.path, 'systemd', 'units', i);
    const contents = asString(unit?.contents);
    if (contents !== undefined) commands.push(...unitCommands(contents, `unit "${name}"`, joinPath(unitPath, 'contents')));
    asArray(unit?.dropins).forEach((rawDropin, j) => {
      const dropin = asRecord(rawDropin);
      const text = asString(dropin?.contents);
      if (text !== undefined) commands.push(...unitCommands(text, `unit "${name}" drop-in "${asString(dropin?.name) ?? j}"`, joinPath(unitPath, 'dropins', j, 'contents')));
    });
  });
  for (const file of hostFilesOf(object)) {
    if (file.text !== undefined && UNIT_FILE.test(file.hostPath)) commands.push(...unitCommands(file.text, `unit file ${file.hostPath}`, file.path));
  }
  return commands;
}

/** `ExecStart=` and its kin, with continuation lines joined and systemd's prefixes (`-@+!:`) removed. */
export function unitCommands(text: string, where: string, path: string): HostCommand[] {
  const commands: HostCommand[] = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    const match = EXEC_DIRECTIVE.exec(line.trim());
    if (!match) continue;
    const value = (match[2] as string).replace(/^[-@+!:]+/, '');
    const argv = splitUnitWords(value);
    if (argv.length > 0) commands.push({ where: `${where} ${match[1] as string}`, argv, path });
  }
  return commands;
}

/** systemd splits a command line into words with shell-like double and single quotes and backslashes. */
function splitUnitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
