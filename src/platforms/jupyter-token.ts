import { asArray, asRecord, asString } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { referencedObject, storedValuesOf, volumeConfigReferences } from '../k8s/env-resolution.js';
import type { Inventory } from '../core/inventory.js';
import { commandWords, findFlags, mentions, splitWords } from '../k8s/command-line.js';
import type { ContainerRef } from '../k8s/workloads.js';

/** Traitlets that hold the login token of Jupyter Notebook (classic) and Jupyter Server. */
const TOKEN_TRAITS = ['NotebookApp.token', 'ServerApp.token', 'IdentityProvider.token'];
/** `c.ServerApp.token = ''` in a Python config file or an inline `python -c`. */
const CONFIG_EMPTY_TOKEN = /c\.(NotebookApp|ServerApp|IdentityProvider)\.token\s*=\s*(''|"")/;
/** Env vars the common notebook images splice into the server's command line. */
const ARGUMENT_ENV_VARS = ['NOTEBOOK_ARGS', 'JUPYTER_ARGS', 'NOTEBOOK_ARGUMENTS'];

export interface EmptyTokenSetting {
  readonly path: string;
  /** What was written, with no secret in it: an empty token is the absence of a secret. */
  readonly written: string;
}

/** Every place in a container (or a ConfigMap it mounts) that starts Jupyter with an empty token. */
export function emptyTokenSettings(site: ContainerRef, object: K8sObject, inventory: Inventory): EmptyTokenSetting[] {
  const found: EmptyTokenSetting[] = [];
  // A flag word is a substring of its argument, so arguments naming no trait need no splitting.
  if (mentions(site.container, TOKEN_TRAITS)) {
    for (const use of findFlags(commandWords(site.container, site.path), TOKEN_TRAITS)) {
      if (use.value === '') found.push({ path: use.path, written: use.written });
    }
  }
  for (const field of ['command', 'args'] as const) {
    asArray(site.container[field]).forEach((raw, i) => {
      if (typeof raw === 'string' && CONFIG_EMPTY_TOKEN.test(raw)) {
        found.push({ path: joinPath(site.path, field, i), written: CONFIG_EMPTY_TOKEN.exec(raw)?.[0] ?? '' });
      }
    });
  }
  asArray(site.container.env).forEach((raw, i) => {
    const entry = asRecord(raw);
    const name = asString(entry?.name);
    const value = asString(entry?.value);
    if (!name || value === undefined || !ARGUMENT_ENV_VARS.includes(name)) return;
    const words = splitWords(value).map((word) => ({ word, path: joinPath(site.path, 'env', i, 'value') }));
    for (const use of findFlags(words, TOKEN_TRAITS)) {
      if (use.value === '') found.push({ path: use.path, written: `${name}: ${use.written}` });
    }
  });
  found.push(...mountedConfigSettings(site, object, inventory));
  return found;
}

/** Jupyter config files mounted from ConfigMaps (directly or projected) into this container. */
function mountedConfigSettings(site: ContainerRef, object: K8sObject, inventory: Inventory): EmptyTokenSetting[] {
  // Built on the first ConfigMap volume: most pods mount none (Secrets and service-account tokens).
  let mounted: Set<string | undefined> | undefined;
  const found: EmptyTokenSetting[] = [];
  for (const ref of volumeConfigReferences(site.holder.spec.volumes, joinPath(site.holder.path, 'volumes'))) {
    if (ref.kind !== 'ConfigMap' || !ref.volume) continue;
    mounted ??= new Set(asArray(site.container.volumeMounts).map((m) => asString(asRecord(m)?.name)));
    if (!mounted.has(ref.volume.name)) continue;
    const configMap = referencedObject(inventory, 'ConfigMap', object.metadata?.namespace, ref.name);
    for (const { key, value } of configMap ? storedValuesOf(configMap) : []) {
      if (CONFIG_EMPTY_TOKEN.test(value)) {
        found.push({ path: ref.volume.path, written: `ConfigMap ${ref.name} key ${key}: ${CONFIG_EMPTY_TOKEN.exec(value)?.[0] ?? ''}` });
      }
    }
  }
  return found;
}
