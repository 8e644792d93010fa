import { asArray, asRecord, asString, refOf } from '../../core/object.js';
import { getAt, type PathSegment } from '../../core/path.js';
import type { K8sObject } from '../../core/types.js';
import { containersOf } from '../../k8s/workloads.js';
import { planOf, type FixInput, type FixPlan, type Fixer, type ObjectEdit } from '../types.js';
import { pointedContainer, segmentsOf } from './targets.js';

const TOKEN_ENV = 'JUPYTER_TOKEN';
const TRAIT = String.raw`--(?:NotebookApp|ServerApp|IdentityProvider)\.token`;
/** The whole list item is the empty-token flag: `--ServerApp.token=''`, `--ServerApp.token=`. */
const WHOLE_FLAG = new RegExp(String.raw`^${TRAIT}=(?:''|"")?$`);
const BARE_FLAG = new RegExp(String.raw`^${TRAIT}$`);
const EMPTY_VALUE = /^(?:''|"")$/;
/** The flag inside a longer string (a `sh -c` script, `NOTEBOOK_ARGS`), with the space before it. */
const INLINE_FLAG = new RegExp(String.raw`\s*${TRAIT}(?:=(?:''|"")?|\s+(?:''|""))(?=[\s;&'"]|$)`, 'g');
/** `c.ServerApp.token = ''` as a line of a Jupyter config file. */
const CONFIG_LINE = /^[ \t]*c\.(?:NotebookApp|ServerApp|IdentityProvider)\.token\s*=\s*(?:''|"")[ \t]*(?:#.*)?(?:\r?\n|$)/gm;
const VOLUME_PATH = /^(.*)\.volumes\[(\d+)\]$/;

export function tokenSecretName(object: K8sObject): string {
  return `${object.metadata?.name ?? 'notebook'}-jupyter-token`.slice(0, 253);
}

function tokenEnv(secretName: string): Record<string, unknown> {
  return { name: TOKEN_ENV, valueFrom: { secretKeyRef: { name: secretName, key: 'token' } } };
}

/** Removes the empty-token flag at `segments`; Jupyter then reads its token from JUPYTER_TOKEN. */
function flagEdits(object: K8sObject, segments: readonly PathSegment[]): ObjectEdit[] {
  const value = getAt(object, segments);
  if (typeof value !== 'string') return [];
  const index = segments[segments.length - 1];
  const list = segments.slice(0, -1);
  if (typeof index === 'number') {
    if (WHOLE_FLAG.test(value)) return [{ op: 'delete', path: segments }];
    const before = getAt(object, [...list, index - 1]);
    if (EMPTY_VALUE.test(value) && typeof before === 'string' && BARE_FLAG.test(before)) {
      return [
        { op: 'delete', path: segments },
        { op: 'delete', path: [...list, index - 1] },
      ];
    }
  }
  const cleaned = value.replace(INLINE_FLAG, '');
  if (cleaned === value) return [];
  if (cleaned.trim() === '' && typeof index === 'number') return [{ op: 'delete', path: segments }];
  return [{ op: 'set', path: segments, value: cleaned }];
}

function envEdits(containerPath: readonly PathSegment[], env: unknown, secretName: string): ObjectEdit[] {
  const entries = asArray(env);
  const index = entries.findIndex((e) => asString(asRecord(e)?.name) === TOKEN_ENV);
  const existing = asRecord(entries[index]);
  if (existing?.valueFrom !== undefined) return [];
  if (existing) return [{ op: 'set', path: [...containerPath, 'env', index], value: tokenEnv(secretName) }];
  return [{ op: 'append', path: [...containerPath, 'env'], value: tokenEnv(secretName) }];
}

function secretNote(object: K8sObject, secretName: string): string {
  const namespace = object.metadata?.namespace ?? '<namespace>';
  return `create the token Secret before applying: kubectl -n ${namespace} create secret generic ${secretName} --from-literal=token="$(openssl rand -hex 32)"`;
}

/** An empty token in a mounted ConfigMap: the config line goes, the mounting containers get JUPYTER_TOKEN. */
function mountedConfigPlan(input: FixInput, holderPath: string, volumeIndex: number): FixPlan | undefined {
  const { object, lookup } = input;
  const holderSegments = segmentsOf(holderPath);
  const volume = asRecord(getAt(object, [...holderSegments, 'volumes', volumeIndex]));
  const configMapName = asString(asRecord(volume?.configMap)?.name);
  const volumeName = asString(volume?.name);
  if (!configMapName || !volumeName) return undefined;
  const namespace = object.metadata?.namespace;
  const configMap = lookup('ConfigMap', namespace, configMapName);
  const dataEdits: ObjectEdit[] = [];
  for (const [key, value] of Object.entries(asRecord(configMap?.data) ?? {})) {
    if (typeof value !== 'string') continue;
    const cleaned = value.replace(CONFIG_LINE, '');
    if (cleaned !== value) dataEdits.push({ op: 'set', path: ['data', key], value: cleaned });
  }
  if (!configMap || dataEdits.length === 0) return undefined;
  const secretName = tokenSecretName(object);
  const mounting = containersOf(object).filter(
    (site) => site.holder.path === holderPath && asArray(site.container.volumeMounts).some((m) => asRecord(m)?.name === volumeName),
  );
  return planOf({
    edits: mounting.flatMap((site) => envEdits(segmentsOf(site.path), site.container.env, secretName)),
    related: [{ ref: refOf(configMap), edits: dataEdits }],
    notes: [secretNote(object, secretName)],
  });
}

/**
 * Jupyter with an empty token serves a shell to whoever reaches it. The flag goes, and the token
 * comes from a Secret through JUPYTER_TOKEN, which Jupyter reads when no token flag is given.
 */
export const jupyterTokenFixer: Fixer = {
  summary: 'drop the empty Jupyter token and read JUPYTER_TOKEN from a Secret',
  plan(input) {
    const { object, finding } = input;
    if (finding.path === undefined) return undefined;
    const volume = VOLUME_PATH.exec(finding.path);
    if (volume) return mountedConfigPlan(input, volume[1] ?? '', Number(volume[2]));
    const site = pointedContainer(containersOf(object), finding.path);
    if (!site) return undefined;
    const edits = flagEdits(object, segmentsOf(finding.path));
    if (edits.length === 0) return undefined;
    const secretName = tokenSecretName(object);
    return planOf({
      edits: [...edits, ...envEdits(segmentsOf(site.path), site.container.env, secretName)],
      notes: [secretNote(object, secretName)],
    });
  },
};
