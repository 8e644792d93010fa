import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { KfguardConfig } from '../core/config-types.js';
import { DEFAULT_CONFIG } from '../core/config-types.js';
import { parsePath } from '../core/path.js';
import type { Rule } from '../core/rule.js';
import { errorMessage } from '../core/errors.js';
import { fileOriginOf, type InputError, type RuleError, type ScannedObject } from '../core/types.js';
import { decodeText } from '../sources/decode.js';
import type { ManifestSourceOptions } from '../sources/manifest.js';
import { evaluateManifests } from '../scan.js';
import type { GeneratedFor } from './generated-text.js';
import { kustomizeOverlay } from './kustomize-overlay.js';
import { planFixes, type PlannedFix, type UnfixableFinding } from './plan.js';
import type { RuleEditUnit } from './kustomize-overlay.js';
import { DEFAULT_FIX_OPTIONS, type FixOptions } from './types.js';
import { EditableYamlFile, type TextChange } from './yaml-file.js';

const BOM = '\uFEFF';

export interface FixRunOptions extends ManifestSourceOptions {
  readonly rules: readonly Rule[];
  readonly config?: KfguardConfig;
  readonly fixOptions?: FixOptions;
  /** Destination of fixed copies and kustomize overlays; without it plain files are fixed where they are. */
  readonly outDir?: string;
  readonly today?: string;
}

export interface OutputFile {
  readonly path: string;
  /** The directory this write must stay inside, with no symbolic link below it (see cli/write-inside.ts). */
  readonly root: string;
  /** The file's current content, or undefined when the file is new. */
  readonly before: string | undefined;
  readonly content: string;
  readonly changes: readonly TextChange[];
}

export interface FixRunResult {
  readonly fixes: readonly PlannedFix[];
  readonly unfixable: readonly UnfixableFinding[];
  readonly outputs: readonly OutputFile[];
  readonly errors: readonly InputError[];
  readonly ruleErrors: readonly RuleError[];
  readonly notes: readonly string[];
}

type EditableInput = { kind: 'yaml'; path: string } | { kind: 'kustomize'; dir: string };
type InputKind = EditableInput | { kind: 'unsupported'; reason: string };

/** What one file (or kustomize directory) receives: edits to its objects, and the fixes whose new objects it holds. */
interface FileWork {
  readonly units: RuleEditUnit[];
  readonly fixes: PlannedFix[];
}

function inputOf(target: ScannedObject, cwd: string): InputKind {
  const origin = fileOriginOf(target.origin);
  if (!origin) return { kind: 'unsupported', reason: `objects from ${target.origin.kind} sources are not files; apply the remediation by hand` };
  switch (origin.reader) {
    case 'stdin':
      return { kind: 'unsupported', reason: 'stdin cannot be edited; save it to a file and run fix on the file' };
    case 'archive':
      return { kind: 'unsupported', reason: 'objects inside archives are not edited' };
    case 'kustomize':
      return { kind: 'kustomize', dir: resolve(cwd, origin.path ?? origin.file) };
    case 'file':
      break;
  }
  const file = origin.path ?? origin.file;
  if (extname(file).toLowerCase() === '.json') return { kind: 'unsupported', reason: 'JSON manifests are not rewritten; apply the remediation by hand' };
  if (origin.document === undefined) return { kind: 'unsupported', reason: 'no source text to edit' };
  return { kind: 'yaml', path: resolve(cwd, file) };
}

function objectKey(object: { readonly kind: string; readonly metadata?: { readonly name?: string; readonly namespace?: string } }): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

function isInside(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * `DIR/<path relative to cwd>`, or `DIR/<basename>` for paths outside the working directory; a
 * name already taken by another output gets `-2`, `-3`... before its extension, so two inputs
 * with the same base name never overwrite each other.
 */
function outputPath(outDir: string, cwd: string, path: string, taken: Set<string>): string {
  const rel = relative(cwd, path);
  const wanted = rel === '' ? join(outDir, basename(path)) : rel.startsWith('..') || isAbsolute(rel) ? join(outDir, basename(path)) : join(outDir, rel);
  const extension = extname(wanted);
  let candidate = wanted;
  for (let n = 2; taken.has(candidate); n++) candidate = `${wanted.slice(0, wanted.length - extension.length)}-${n}${extension}`;
  taken.add(candidate);
  return candidate;
}

/**
 * Where an in-place write may go: inside the input argument (file or directory) the file was found
 * under. A file reached some other way (a symlink the reader followed) has no root and is not written.
 */
function inPlaceRoot(inputs: readonly string[], path: string, cwd: string): string | undefined {
  for (const input of inputs) {
    if (input === path) return checkedFrom(dirname(input), cwd);
    if (isInside(input, path)) return checkedFrom(input, cwd);
  }
  return undefined;
}

/**
 * Below the working directory, every component is checked, not only those under the argument: a
 * shell glob (`manifests/DIR/x.yaml`) expands through a committed directory symlink just as a walk
 * would, and the symlink is the repository author's, not the user's.
 */
function checkedFrom(root: string, cwd: string): string {
  return isInside(cwd, root) ? cwd : root;
}

async function readText(path: string): Promise<{ text: string; bom: boolean }> {
  const bytes = await readFile(path);
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new Error(`${path}: ${decoded.message}`);
  return { text: decoded.text, bom: bytes.toString('utf8').startsWith(BOM) };
}

/** Scans, plans a patch per fixable finding and renders every file the fix would write. Writes nothing. */
export async function runFix(options: FixRunOptions): Promise<FixRunResult> {
  const config = options.config ?? DEFAULT_CONFIG;
  const { collected, findings, ruleErrors } = await evaluateManifests({ ...options, config });
  const planned = planFixes(findings, collected.objects, options.fixOptions ?? DEFAULT_FIX_OPTIONS);

  const unfixable: UnfixableFinding[] = [...planned.unfixable];
  const yamlWork = new Map<string, FileWork>();
  const kustomizeWork = new Map<string, FileWork>();
  const workFor = (input: EditableInput): FileWork => {
    const [map, key] = input.kind === 'yaml' ? [yamlWork, input.path] : [kustomizeWork, input.dir];
    const work = map.get(key) ?? { units: [], fixes: [] };
    map.set(key, work);
    return work;
  };
  const fixes: PlannedFix[] = [];
  for (const fix of planned.fixes) {
    const inputs = fix.units.map((unit) => inputOf(unit.target, options.cwd));
    const unsupported = inputs.find((input) => input.kind === 'unsupported');
    if (unsupported?.kind === 'unsupported') {
      unfixable.push({ finding: fix.finding, reason: unsupported.reason });
      continue;
    }
    fixes.push(fix);
    fix.units.forEach((unit, i) => {
      const input = inputs[i];
      if (input && input.kind !== 'unsupported') workFor(input).units.push({ ...unit, ruleId: fix.finding.ruleId });
    });
    const main = inputs[0];
    if (main && main.kind !== 'unsupported') workFor(main).fixes.push(fix);
  }

  const existing = new Set(collected.objects.map((o) => objectKey(o.object)));
  const notes = new Set<string>();
  const createsOf = (group: readonly PlannedFix[]): GeneratedFor[] => {
    const created: GeneratedFor[] = [];
    for (const fix of group) {
      fix.plan.notes.forEach((note) => notes.add(note));
      for (const object of fix.plan.creates) {
        const key = objectKey(object.object);
        if (existing.has(key)) continue;
        existing.add(key);
        created.push({ object, ruleId: fix.finding.ruleId });
      }
    }
    return created;
  };

  const outputs: OutputFile[] = [];
  const editErrors: InputError[] = [];
  const taken = new Set<string>();
  const inputs = (options.paths.length > 0 ? options.paths : ['.']).map((path) => resolve(options.cwd, path));
  const failed = new Set<PlannedFix>();
  const notWritable = (path: string, group: readonly PlannedFix[]): void => {
    const reason = 'it was reached outside the paths given on the command line (through a symbolic link?)';
    editErrors.push({ file: relative(options.cwd, path) || path, message: `not edited: ${reason}` });
    for (const fix of group) {
      failed.add(fix);
      unfixable.push({ finding: fix.finding, reason: `its file is not written: ${reason}` });
    }
  };
  for (const [path, work] of yamlWork) {
    let rendered: { text: string; content: string; changes: readonly TextChange[] } | undefined;
    try {
      rendered = renderFixedFile(await readText(path), work, createsOf);
    } catch (error) {
      // A file fix cannot edit safely is left untouched and named; the other files are still fixed.
      const reason = /Expected YAML collection|alias/i.test(errorMessage(error))
        ? 'the fields to change go through YAML aliases (*name), which fix does not rewrite; apply the remediation by hand'
        : errorMessage(error);
      editErrors.push({ file: relative(options.cwd, path) || path, message: `not edited: ${reason}` });
      for (const fix of work.fixes) {
        failed.add(fix);
        // The reason is printed once, with the input errors; repeating it here doubled it per finding.
        unfixable.push({ finding: fix.finding, reason: `its file could not be edited (see the input error for ${relative(options.cwd, path) || path})` });
      }
      continue;
    }
    if (!rendered) continue;
    const root = options.outDir ?? inPlaceRoot(inputs, path, options.cwd);
    if (root === undefined) {
      notWritable(path, work.fixes);
      continue;
    }
    const destination = options.outDir === undefined ? path : outputPath(options.outDir, options.cwd, path, taken);
    outputs.push({ path: destination, root, before: rendered.text, content: rendered.content, changes: rendered.changes });
  }
  for (const [dir, work] of kustomizeWork) {
    // In place, the overlay is a sibling of the directory it patches, so its root is that directory's parent.
    const root = options.outDir ?? (inPlaceRoot(inputs, dir, options.cwd) === undefined ? undefined : checkedFrom(dirname(dir), options.cwd));
    if (root === undefined) {
      notWritable(dir, work.fixes);
      continue;
    }
    const overlayDir =
      options.outDir === undefined ? `${dir}-kfguard-fix` : kustomizeWork.size === 1 ? options.outDir : outputPath(options.outDir, options.cwd, dir, taken);
    for (const file of kustomizeOverlay(dir, overlayDir, work.units, createsOf(work.fixes))) {
      outputs.push({ path: join(overlayDir, file.name), root, before: undefined, content: file.content, changes: [{ startLine: 1, before: '', after: file.content }] });
    }
  }
  return { fixes: fixes.filter((fix) => !failed.has(fix)), unfixable, outputs, errors: [...collected.errors, ...editErrors], ruleErrors, notes: [...notes] };
}

/**
 * The file with its edits applied, line endings kept: a file written with CRLF stays CRLF. Files
 * with lone CR line breaks are refused, since a YAML edit there would join or comment out lines.
 */
function renderFixedFile(
  input: { text: string; bom: boolean },
  work: FileWork,
  createsOf: (group: readonly PlannedFix[]) => GeneratedFor[],
): { text: string; content: string; changes: readonly TextChange[] } | undefined {
  const { text, bom } = input;
  if (/\r(?!\n)/.test(text)) throw new Error('it uses lone carriage returns as line breaks; convert it to LF line endings first');
  const crlf = text.includes('\r\n') && !/(?<!\r)\n/.test(text);
  const file = new EditableYamlFile(text);
  for (const unit of work.units) {
    const origin = fileOriginOf(unit.target.origin);
    if (origin?.document) file.edit(origin.document.start, parsePath(origin.pathPrefix ?? ''), unit.edits);
  }
  for (const created of createsOf(work.fixes)) file.append(created);
  if (!file.changed) return undefined;
  const body = file.render();
  return { text, content: (bom ? BOM : '') + (crlf ? body.replace(/\r?\n/g, '\r\n') : body), changes: file.changes() };
}
