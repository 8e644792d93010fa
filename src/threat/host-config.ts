import { asArray, asRecord, asString } from '../core/object.js';
import { joinPath } from '../core/path.js';
import type { K8sObject } from '../core/types.js';
import { hostCommandsOf, hostFilesOf, isMachineConfig, isStaticPodManifest, MAX_HOST_FILE_BYTES } from '../k8s/machine-config.js';
import { isParameterizedTemplate } from '../k8s/openshift-template.js';
import { capDataPoolSignals, foundMinerConfig, pythonWithoutCommentsAndDocstrings } from './precision.js';
import { cutShort, type ScanState } from './scan-queue.js';
import { scanArgv, scanRaw, scanScript } from './text-scan.js';

/** Host files that run: cron tables and scripts. */
const CRON_PATH = /^\/(?:etc\/cron|var\/spool\/cron)/;
/** A static Pod the kubelet reads is judged as a Pod (its containers); one it cannot read is judged as text. */
const MAX_STATIC_POD_CHARS = 64 * 1024;

/**
 * What a node configuration or a template runs outside container specs: a MachineConfig's systemd
 * units (judged as commands) and the files it writes (scripts as scripts, the rest as data), and an
 * OpenShift Template's parameter values (also substituted into its objects' containers, read here
 * as well so that no bound on the substitution hides one).
 */
export function scanHostConfig(object: K8sObject, state: ScanState): void {
  if (isMachineConfig(object)) {
    for (const command of hostCommandsOf(object)) {
      scanArgv(command.argv.map((text, i) => ({ text, site: { where: `${command.where} word ${i}`, path: command.path } })), '', state);
    }
    for (const file of hostFilesOf(object)) {
      const site = { where: `host file ${file.hostPath}`, path: file.path };
      if (file.text === undefined) {
        if (file.unread !== undefined && !/fetched by the node/.test(file.unread)) cutShort(state, `host file ${file.hostPath} was not read: ${file.unread} (limit ${MAX_HOST_FILE_BYTES} bytes)`);
        continue;
      }
      // A static Pod's containers are judged by the container scan (workloads.ts reads it as a Pod).
      if (isStaticPodManifest(file) && file.text.length <= MAX_STATIC_POD_CHARS && !file.text.includes('\u0000')) continue;
      const from = state.signals.length;
      if (/^#!.*python/.test(file.text)) scanRaw(pythonWithoutCommentsAndDocstrings(file.text), site, '', state);
      else if (file.text.startsWith('#!') || CRON_PATH.test(file.hostPath) || /\.(?:sh|bash)$/.test(file.hostPath) || isStaticPodManifest(file)) scanScript(file.text, site, '', state);
      else {
        scanRaw(file.text, site, '', state);
        if (!foundMinerConfig(state, from)) capDataPoolSignals(state, from);
      }
    }
  }
  if (isParameterizedTemplate(object)) {
    asArray(object.parameters).forEach((raw, i) => {
      const parameter = asRecord(raw);
      const name = asString(parameter?.name) ?? `#${i}`;
      for (const key of ['value', 'from']) {
        const text = asString(parameter?.[key]);
        if (text === undefined || text === '') continue;
        const from = state.signals.length;
        const site = { where: `template parameter "${name}" ${key}`, path: joinPath('parameters', i, key) };
        // One word is a value (a name, an image, a host), not a command: where it is substituted
        // into a command, the substituted container is judged. A value with spaces may be a script.
        if (/\s/.test(text.trim())) scanScript(text, site, '', state);
        else scanRaw(text, site, '', state);
        if (!foundMinerConfig(state, from)) capDataPoolSignals(state, from);
      }
    });
  }
}
