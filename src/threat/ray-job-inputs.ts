import yaml from 'js-yaml';
import { asArray, asRecord, asString, isRecord } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { judgeImage } from './images.js';
import { CUT_SHORT, cutShort, signal, type ScanState } from './scan-queue.js';
import { judgeDownloadUrl, scanRaw, scanScript } from './text-scan.js';

/** runtimeEnvYAML longer than this is searched as text only, never parsed (bounded work per object). */
const MAX_RUNTIME_ENV_PARSE_BYTES = 256 * 1024;
/** Metadata entries and pip requirements read at most; more is a cut (reported), never a silent skip. */
const MAX_ENTRIES = 1_000;

/** The first `MAX_ENTRIES` of a list; a longer list cuts the scan short (an entry past the cap could hold the payload). */
function firstEntries<T>(list: readonly T[], state: ScanState): readonly T[] {
  if (list.length > MAX_ENTRIES) cutShort(state, CUT_SHORT.entries);
  return list.slice(0, MAX_ENTRIES);
}

/**
 * What a Ray job runs besides its entrypoint, as the RayJob CRD and the Ray Jobs API
 * (`POST /api/jobs/` body: entrypoint, runtime_env, metadata) carry it:
 * - `runtimeEnvYAML` (the API's `runtime_env`), searched as text, then read: `pip`/`uv` requirements,
 *   `working_dir` and `py_modules` are what Ray downloads and installs before the entrypoint runs,
 *   so a URL there is judged as a download;
 * - `metadata`, free-form strings the submitter chooses: an attacker can stage a payload there
 *   for the entrypoint to read, so each value is searched like a script.
 * https://docs.ray.io/en/latest/ray-core/handling-dependencies.html#api-reference
 * https://docs.ray.io/en/latest/cluster/running-applications/job-submission/api.html
 * https://github.com/ray-project/kuberay/blob/master/ray-operator/apis/ray/v1/rayjob_types.go
 */
export function scanRayJob(object: K8sObject, state: ScanState): void {
  const spec = asRecord(object.spec);
  const entrypoint = asString(spec?.entrypoint);
  if (entrypoint !== undefined) scanScript(entrypoint, { where: 'Ray job entrypoint', path: 'spec.entrypoint' }, '', state);
  const runtimeEnv = asString(spec?.runtimeEnvYAML);
  if (runtimeEnv !== undefined) {
    scanRaw(runtimeEnv, { where: 'Ray job runtimeEnvYAML', path: 'spec.runtimeEnvYAML' }, '', state);
    // Its text is searched whole above; only the URLs and images it names need it parsed.
    if (runtimeEnv.length <= MAX_RUNTIME_ENV_PARSE_BYTES) judgeRuntimeEnvDownloads(parsed(runtimeEnv), state);
    else cutShort(state, CUT_SHORT.runtimeEnv);
  }
  const metadata = asRecord(spec?.metadata);
  if (metadata) {
    for (const [key, value] of firstEntries(Object.entries(metadata), state)) {
      if (typeof value === 'string') scanScript(value, { where: `Ray job metadata "${key}"`, path: joinPath('spec.metadata', key) }, '', state);
    }
  }
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = yaml.load(text, { schema: yaml.JSON_SCHEMA });
    return isRecord(value) ? value : undefined;
  } catch {
    // Unparseable text was already searched as raw text above; KubeRay would refuse it too.
    return undefined;
  }
}

function judgeRuntimeEnvDownloads(env: Record<string, unknown> | undefined, state: ScanState): void {
  if (!env) return;
  const site = (where: string): { where: string; path: string } => ({ where: `Ray job runtime_env ${where}`, path: 'spec.runtimeEnvYAML' });
  const requirements = (value: unknown, where: string): void => {
    // A list of requirements, or {packages: [...]}; a string names a requirements file.
    const packages = Array.isArray(value) ? value : asArray(asRecord(value)?.packages);
    for (const requirement of firstEntries(packages, state)) {
      const url = typeof requirement === 'string' ? urlIn(requirement) : undefined;
      if (url !== undefined) judgeRayDownload(url, site(where), state);
    }
  };
  for (const installer of ['pip', 'uv'] as const) requirements(env[installer], `${installer} requirement`);
  // conda's environment may carry its own pip list: `dependencies: [python=3.10, {pip: [...]}]`.
  for (const dependency of firstEntries(asArray(asRecord(env.conda)?.dependencies), state)) {
    const pip = asRecord(dependency)?.pip;
    if (pip !== undefined) requirements(pip, 'conda pip requirement');
  }
  const workingDir = asString(env.working_dir);
  if (workingDir !== undefined && urlIn(workingDir) !== undefined) judgeRayDownload(workingDir, site('working_dir'), state);
  for (const module of firstEntries(asArray(env.py_modules), state)) {
    if (typeof module === 'string' && urlIn(module) !== undefined) judgeRayDownload(module, site('py_modules entry'), state);
  }
  // The job's worker runs in this image (`image_uri`, or the older `container.image`): judged as
  // a container's image is.
  for (const [image, where] of [
    [asString(env.image_uri), 'image_uri'],
    [asString(asRecord(env.container)?.image), 'container.image'],
  ] as const) {
    const verdict = image === undefined ? undefined : judgeImage(image, state.indicators);
    if (image !== undefined && verdict) signal(state, verdict.kind, verdict.word ? `${image} (says "${verdict.word}")` : image, site(where), '');
  }
}

/**
 * What a runtime_env names, Ray fetches and runs before the entrypoint: pip and uv install it
 * (an sdist's build runs its code), working_dir becomes the job's code, py_modules is imported. So
 * one fetched from a public raw IP or a dropper host is a download-and-run, not only a download
 * (which alone weighs below medium); a URL from anywhere else stays a mere download.
 */
function judgeRayDownload(url: string, site: { where: string; path: string }, state: ScanState): void {
  const before = state.signals.length;
  judgeDownloadUrl(url, site, '', state);
  const fetchedFromDropper = state.signals.slice(before).some((s) => s.kind === 'raw-ip-download' || s.kind === 'dropper-host' || s.kind === 'miner-download');
  if (fetchedFromDropper) signal(state, 'download-exec', 'Ray installs or runs what runtime_env fetches', site, '');
}

/** The URL in a requirement: plain (`https://...`), VCS (`git+https://...`) or PEP 508 (`name @ https://...`). */
function urlIn(requirement: string): string | undefined {
  return /(?:^|@\s*|\+)((?:https?|s3|gs):\/\/\S+)/i.exec(requirement.trim())?.[1];
}
