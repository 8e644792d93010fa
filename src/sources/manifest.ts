import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { withoutServerBookkeeping } from '../core/bookkeeping.js';
import { errorMessage, KnownError } from '../core/errors.js';
import type { CoverageEntry, FileOrigin, FileReader, FileScannedObject, InputError, InputStats } from '../core/types.js';
import { isArchivePath, readArchive } from './archive.js';
import { unreadDocumentSchemasOnce } from './crd-schema-once.js';
import { decodeText } from './decode.js';
import { documentToObjects } from './documents-to-objects.js';
import { unrenderedChartFiles } from './helm-unrendered.js';
import { salvageReading } from './salvage-reading.js';
import { helmOnPath, KUSTOMIZATION_FILES, renderHelmChart, renderKustomize } from './kustomize.js';
import { readKustomization } from './kustomize-references.js';
import { discoverKustomizations, IGNORED_DIRECTORIES } from './kustomize-discovery.js';
import { defaultRenderConcurrency, RenderAhead } from './render-ahead.js';
import { hasPipelineHeader, KFP_PACKAGE_HEADER } from './recognizers.js';
import { snapshotContextOf, snapshotGapsOf } from './snapshot-header.js';
import { DEFAULT_PARSE_LIMITS, formatBytes, parseYamlStream, type ParseLimits } from './yaml-documents.js';

export interface ManifestSourceOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly readStdin: (maxBytes: number) => Promise<Buffer>;
  readonly env?: NodeJS.ProcessEnv;
  readonly limits?: Partial<ManifestLimits>;
  /** Refuse kustomizations with remote bases instead of fetching them (`--offline`). */
  readonly offline?: boolean;
  /** Sees each file's text before it is parsed, so slow work on it can start on another thread. */
  readonly onText?: (text: string) => void;
  /** Kustomize renders run at once, ahead of the traversal (1: one at a time). Default: one per core, at least 2. */
  readonly renderConcurrency?: number;
}

export interface ManifestLimits extends ParseLimits {
  readonly maxFileBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  ...DEFAULT_PARSE_LIMITS,
  // Below V8's longest string (just under 512 Mi characters), so a file that passes always decodes.
  maxFileBytes: 256 * 1024 * 1024,
};

export interface CollectResult {
  readonly objects: FileScannedObject[];
  readonly errors: InputError[];
  readonly stats: InputStats;
  /** Gaps a kfguard snapshot file names in its header: what the live cluster refused to list. */
  readonly coverage?: readonly CoverageEntry[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** kfguard's own settings are not manifests. */
const IGNORED_FILES = new Set(['.kfguard.yaml', '.kfguard.yml']);

/** Reads files, directories, kustomize directories and stdin into Kubernetes objects with provenance. */
export async function collectManifests(options: ManifestSourceOptions): Promise<CollectResult> {
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const renders = new RenderAhead((dir) => renderKustomize(dir, options.env), options.renderConcurrency ?? defaultRenderConcurrency());
  const collector = new Collector(options, renders);
  // The look-ahead walk runs beside the traversal, so the first render starts at once.
  const lookAhead = lookAheadRenders(options, paths, renders).catch(() => undefined);
  try {
    for (const path of paths) await collector.addArgument(path);
  } finally {
    renders.close();
  }
  await lookAhead;
  return collector.result();
}

/** Names to `renders`, in traversal order, the kustomize directories the traversal will render. */
async function lookAheadRenders(options: ManifestSourceOptions, paths: readonly string[], renders: RenderAhead): Promise<void> {
  if ((options.renderConcurrency ?? 2) <= 1) return;
  const discovery = { offline: options.offline ?? false, helm: await helmOnPath(options.env), stopped: () => renders.isClosed };
  for (const path of paths) {
    if (path === '-') continue;
    const absolute = resolve(options.cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) await discoverKustomizations(absolute, (dir) => renders.expect(dir), discovery);
  }
}

/** How one input is named in reports, and what read it. */
interface InputName {
  readonly label: string;
  readonly reader: FileReader;
  readonly path?: string;
  readonly archiveMember?: string;
}

function originBase(input: InputName): Pick<FileOrigin, 'kind' | 'reader' | 'file' | 'path' | 'archiveMember'> {
  return {
    kind: 'file',
    reader: input.reader,
    file: input.label,
    ...(input.path !== undefined ? { path: input.path } : {}),
    ...(input.archiveMember !== undefined ? { archiveMember: input.archiveMember } : {}),
  };
}

class Collector {
  private readonly objects: FileScannedObject[] = [];
  private readonly errors: InputError[] = [];
  private readonly seenFiles = new Set<string>();
  private files = 0;
  private documents = 0;
  private skippedFiles = 0;
  private skippedDocuments = 0;
  private rendered = 0;
  private unreferencedFiles = 0;
  private readonly notRendered: { path: string; reason: string }[] = [];
  private readonly coverage: CoverageEntry[] = [];
  private readonly limits: ManifestLimits;

  constructor(
    private readonly options: ManifestSourceOptions,
    private readonly renders: RenderAhead,
  ) {
    this.limits = { ...DEFAULT_MANIFEST_LIMITS, ...options.limits };
  }

  result(): CollectResult {
    return {
      objects: this.objects,
      errors: this.errors,
      stats: {
        files: this.files,
        documents: this.documents,
        skipped: this.skippedFiles + this.skippedDocuments,
        skippedFiles: this.skippedFiles,
        skippedDocuments: this.skippedDocuments,
        rendered: this.rendered,
        unreferencedFiles: this.unreferencedFiles,
        notRendered: this.notRendered,
      },
      ...(this.coverage.length > 0 ? { coverage: this.coverage } : {}),
    };
  }

  async addArgument(path: string): Promise<void> {
    if (path === '-') {
      await this.addStdin();
      return;
    }
    const absolute = resolve(this.options.cwd, path);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      this.fail(this.display(absolute), describeFsError(error));
      return;
    }
    if (info.isDirectory()) await this.addDirectory(absolute, []);
    else await this.addFile(absolute, true);
  }

  private async addStdin(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await this.options.readStdin(this.limits.maxFileBytes);
    } catch (error) {
      this.fail('<stdin>', `cannot read stdin: ${errorMessage(error)}`);
      return;
    }
    this.files++;
    await this.addBytes({ label: '<stdin>', reader: 'stdin' }, bytes);
  }

  /** `covered`: paths a kustomize render already read, which are not scanned again as plain files. */
  private async addDirectory(dir: string, ancestors: readonly string[], covered: ReadonlySet<string> = new Set()): Promise<void> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      this.fail(this.display(dir), describeFsError(error));
      return;
    }
    if (ancestors.includes(real)) {
      this.fail(this.display(dir), `symlink loop: ${this.display(dir)} leads back to ${this.display(real)}; not followed`);
      return;
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      this.fail(this.display(dir), describeFsError(error));
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    const kustomization = KUSTOMIZATION_FILES.find((name) => names.has(name));
    let skip = covered;
    if (kustomization) {
      skip = new Set([...covered, ...(await this.addKustomization(dir, kustomization))]);
    } else if (names.has('Chart.yaml')) {
      if (await this.addHelmChart(dir)) return;
      // Templates are Go templates, not YAML: never parsed, never a syntax error.
      skip = new Set([...covered, join(dir, 'templates')]);
    }
    const inKustomization = kustomization !== undefined || covered.size > 0;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(dir, entry.name);
      if (skip.has(child) || (kustomization && entry.name === kustomization)) continue;
      if (inKustomization && entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) this.unreferencedFiles++;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRECTORIES.has(entry.name)) await this.addDirectory(child, [...ancestors, real], skip);
      } else if (entry.isSymbolicLink()) {
        await this.addSymlink(child, [...ancestors, real]);
      } else if (IGNORED_FILES.has(entry.name)) {
        continue;
      } else if (entry.isFile()) {
        await this.addFile(child, false);
      } else {
        this.skippedFiles++;
      }
    }
  }

  private async addSymlink(link: string, ancestors: readonly string[]): Promise<void> {
    let info;
    try {
      info = await stat(link);
    } catch (error) {
      this.fail(this.display(link), describeFsError(error));
      return;
    }
    if (info.isDirectory()) await this.addDirectory(link, ancestors);
    else await this.addFile(link, false);
  }

  /**
   * Renders a kustomize directory and returns the paths its render already covers, so the caller
   * scans every other file there as a plain manifest (`kubectl apply -f dir/` would apply them).
   * A `Component`, a refused remote base or a failed render covers nothing: the whole directory is
   * then scanned as plain files, with the reason recorded.
   */
  private async addKustomization(dir: string, file: string): Promise<ReadonlySet<string>> {
    const display = this.display(dir);
    const info = await readKustomization(dir, file);
    if (info.isComponent) {
      this.notRendered.push({ path: display, reason: 'kind: Component is rendered only by the kustomization that includes it; its files are scanned as plain manifests' });
      return new Set();
    }
    if (this.options.offline && info.remote.length > 0) {
      const reason = `remote bases refused (--offline): ${info.remote.join(', ')}; the local files are scanned as plain manifests`;
      this.notRendered.push({ path: display, reason });
      this.fail(display, reason);
      return new Set();
    }
    let rendered: string;
    try {
      rendered = await this.renders.take(dir);
    } catch (error) {
      const reason = `${errorMessage(error)}; the directory's files are scanned as plain manifests instead`;
      this.notRendered.push({ path: display, reason });
      this.fail(display, reason);
      return new Set();
    }
    this.files++;
    this.rendered++;
    await this.addText({ label: `${display} (kustomize)`, reader: 'kustomize', path: display }, rendered);
    return info.references;
  }

  /**
   * A Helm chart: rendered with `helm template` when helm is installed. Otherwise it is not scanned
   * (an input error, so no report says it passes), its templates are never parsed as YAML, and
   * their raw text still goes to the threat search.
   */
  private async addHelmChart(dir: string): Promise<boolean> {
    const display = this.display(dir);
    if (!(await helmOnPath(this.options.env))) {
      const reason = 'Helm chart not rendered: install helm or render it yourself (helm template … | kfguard scan -); its templates were only searched as raw text for threats';
      this.notRendered.push({ path: display, reason });
      this.fail(display, reason);
      await this.searchUnrenderedChart(dir);
      return false;
    }
    try {
      const rendered = await renderHelmChart(dir, this.options.env);
      this.files++;
      this.rendered++;
      await this.addText({ label: `${display} (helm)`, reader: 'kustomize', path: display }, rendered);
      return true;
    } catch (error) {
      this.notRendered.push({ path: display, reason: errorMessage(error) });
      this.fail(display, errorMessage(error));
      return false;
    }
  }

  /** Each template and values file of a chart that was not rendered, as a stand-in holding its raw text (core/unread-document.ts). */
  private async searchUnrenderedChart(dir: string): Promise<void> {
    const { files, left } = await unrenderedChartFiles(dir);
    if (left > 0) this.fail(this.display(dir), `${left} more template files of this chart were not searched (limit ${files.length})`);
    for (const path of files) {
      const display = this.display(path);
      const bytes = await this.read(path, display);
      if (!bytes) continue;
      const decoded = decodeText(bytes);
      if (!decoded.ok) continue;
      const text = decoded.text;
      const input: InputName = { label: display, reader: 'file', path: display };
      const value = unreadDocumentSchemasOnce(display, 'Helm template not rendered (helm is not installed)', text, salvageReading(text));
      this.objects.push({ object: value as unknown as FileScannedObject['object'], origin: { ...originBase(input), documentIndex: 0, line: 1, document: { text, start: 0, end: text.length, startLine: 1 }, unread: true } });
    }
  }

  private async addFile(path: string, explicit: boolean): Promise<void> {
    if (!explicit && !MANIFEST_EXTENSIONS.has(extname(path).toLowerCase()) && !isArchivePath(path) && !(await startsWithPipelineHeader(path))) {
      this.skippedFiles++;
      return;
    }
    const display = this.display(path);
    try {
      const real = await realpath(path);
      if (this.seenFiles.has(real)) return;
      this.seenFiles.add(real);
    } catch (error) {
      this.fail(display, describeFsError(error));
      return;
    }
    const bytes = await this.read(path, display);
    if (!bytes) return;
    this.files++;
    if (isArchivePath(path)) await this.addArchive(display, bytes);
    else await this.addBytes({ label: display, reader: 'file', path: display }, bytes);
  }

  /** A pipeline package: each YAML/JSON member is read like a file named `archive!member`. */
  private async addArchive(display: string, bytes: Buffer): Promise<void> {
    let contents;
    try {
      contents = readArchive(display, bytes);
    } catch (error) {
      this.errors.push(archiveError(display, errorMessage(error)));
      return;
    }
    for (const problem of contents.problems) this.errors.push(archiveError(display, problem.message));
    const seen = new Map<string, number>();
    for (const member of contents.members) {
      // A name can appear twice: readers disagree on which copy counts (one takes the first, an
      // extraction keeps the last), so every copy is read and judged under its own label.
      const copy = (seen.get(member.name) ?? 0) + 1;
      seen.set(member.name, copy);
      const label = copy === 1 ? `${display}!${member.name}` : `${display}!${member.name} (copy ${copy})`;
      const input: InputName = { label, reader: 'archive', path: display, archiveMember: member.name };
      await this.addBytes(input, member.bytes);
    }
  }

  private async read(path: string, display: string): Promise<Buffer | undefined> {
    let fd: number | undefined;
    try {
      // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. Reading
      // synchronously spares one thread-pool round trip per chunk, which adds up on big installs.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const info = fstatSync(fd);
      if (!info.isFile()) {
        this.fail(display, 'not a regular file (device, socket or FIFO); not read');
        return undefined;
      }
      if (info.size > this.limits.maxFileBytes) {
        this.fail(display, `file is ${formatBytes(info.size)}, over the ${formatBytes(this.limits.maxFileBytes)} limit`);
        return undefined;
      }
      return readFileSync(fd);
    } catch (error) {
      this.fail(display, describeFsError(error));
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private async addBytes(input: InputName, bytes: Buffer): Promise<void> {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      this.errors.push(withPosition({ file: input.label, message: decoded.message }, decoded.line, decoded.column));
      return;
    }
    await this.addText(input, decoded.text);
  }

  /** `.json` or not, the text is read as kubectl reads it: a JSON stream when it starts with `{`, else YAML. */
  private async addText(input: InputName, text: string): Promise<void> {
    this.options.onText?.(text);
    this.addYaml(input, text);
  }

  private addYaml(input: InputName, text: string): void {
    const display = input.label;
    const snapshotOf = snapshotContextOf(text);
    const base = { ...originBase(input), ...(snapshotOf !== undefined ? { snapshotOf } : {}) };
    // The live scan's gaps stand in a scan of its snapshot; named with the file they came from.
    for (const reason of snapshotGapsOf(text)) this.coverage.push({ ruleId: '*', source: 'cluster', reason: `${reason} (snapshot ${display})` });
    const { documents, errors } = parseYamlStream(text, this.limits, withoutServerBookkeeping);
    for (const error of errors) {
      this.errors.push(withPosition({ file: display, message: error.message }, error.line, error.column));
    }
    this.documents += errors.length;
    for (const parsed of documents) {
      if (parsed.refused) {
        // Counted with the errors above; the stand-in only carries the raw text to the threat search.
        this.objects.push({ object: parsed.value as FileScannedObject['object'], origin: { ...base, documentIndex: parsed.index, line: parsed.document.startLine, document: parsed.document, unread: true } });
        continue;
      }
      this.addDocument(parsed.value, {
        ...base,
        documentIndex: parsed.index,
        line: parsed.document.startLine,
        document: parsed.document,
        ...(parsed.pathPrefix ? { pathPrefix: parsed.pathPrefix } : {}),
        ...(parsed.readingNotes ? { readingNotes: parsed.readingNotes, readingStakes: parsed.readingStakes ?? 'high' } : {}),
      });
    }
  }

  private addDocument(value: unknown, origin: FileOrigin): void {
    this.documents++;
    const { objects, skipped } = documentToObjects(value, origin);
    if (skipped) this.skippedDocuments++;
    for (const object of objects) this.objects.push(object);
  }

  private fail(file: string, message: string): void {
    this.errors.push({ file, message });
  }

  /**
   * The path as reports show it, relative to the working directory when inside it. Control
   * characters stay as they are: each format escapes them by its own structure (JSON escapes, SARIF
   * percent-encoding, terminal-safe text), so a report still names the real file.
   */
  private display(path: string): string {
    const rel = relative(this.options.cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }
}

/** Archive messages start with `archive` or `archive!member`; that part becomes the error's file. */
function archiveError(display: string, message: string): InputError {
  const split = message.indexOf(': ');
  const where = split === -1 ? '' : message.slice(0, split);
  return where.startsWith(display) ? { file: where, message: message.slice(split + 2) } : { file: display, message };
}

/** Reads only the first bytes: a KFP package may carry any extension (or none). */
async function startsWithPipelineHeader(path: string): Promise<boolean> {
  let handle;
  try {
    // stat first: opening a FIFO would block until a writer appears.
    if (!(await stat(path)).isFile()) return false;
    handle = await open(path, 'r');
    const start = Buffer.alloc(KFP_PACKAGE_HEADER.length + 3);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return hasPipelineHeader(start.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

function withPosition(error: InputError, line?: number, column?: number): InputError {
  if (line === undefined) return error;
  return column === undefined ? { ...error, line } : { ...error, line, column };
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; cannot read';
    case 'ELOOP':
      return 'symlink loop; too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    default:
      return error instanceof KnownError ? error.message : `cannot read: ${errorMessage(error)}`;
  }
}

