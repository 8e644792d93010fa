import { asArray, asRecord, asString, describeObject } from '../../core/object.js';
import { joinPath } from '../../core/path.js';
import { defineRule, type Violation } from '../../core/rule.js';
import { appendedList, ruleOptionsOf } from '../../core/rule-options.js';
import { defaultSecretKeys } from '../../platforms/object-store-defaults.js';
import { containersOf } from '../../k8s/workloads.js';
import { ANY_KIND, OBJECT_ONLY, OBJECT_SOURCES } from '../rule-defaults.js';
import { storedValuesOf } from '../../k8s/env-resolution.js';

const RULE_ID = 'object-store-default-credentials';

/** `rules.object-store-default-credentials.options`: more secret keys to treat as published defaults. */
interface ObjectStoreOptions {
  readonly defaultSecretKeys?: readonly string[];
}
/** Only keys that hold the secret half of a credential are compared, so a user name never matches. */
const SECRET_KEY_NAME = /secret|password|passwd|pass$|pwd/i;

export default defineRule({
  meta: {
    id: RULE_ID,
    title: 'MinIO or SeaweedFS object store uses the published default credentials',
    severity: 'high',
    category: 'authentication',
    description:
      "A Secret key or a container env var that holds an object-store secret key (`secretkey`, `MINIO_SECRET_KEY`, `MINIO_ROOT_PASSWORD`, `AWS_SECRET_ACCESS_KEY` …) still has a published default: Kubeflow Pipelines' `minio` / `minio123` or MinIO's `minioadmin`. Values are decoded in memory and compared; the finding names the Secret, key or env var, never the value.",
    rationale:
      "Kubeflow Pipelines keeps every pipeline's inputs, outputs, models and logs in this object store. With the default credential, any workload that can reach the store's Service (in the stock install an Istio policy admits every mesh client) can read and replace artefacts, for example swap a model that a later step deploys. The defaults are printed in the KFP manifests and docs, so they are the first thing an attacker tries.",
    remediation:
      'Generate a new access key and secret key, store them in the `mlpipeline-minio-artifact` Secret (and the object store\'s own config), and restart the KFP API server and UI so they pick them up. Keep env vars as `secretKeyRef` instead of inline values.',
    references: [
      'https://www.kubeflow.org/docs/components/pipelines/operator-guides/configure-object-store/',
      'https://github.com/kubeflow/pipelines/tree/master/manifests/kustomize/third-party/seaweedfs',
      'https://attack.mitre.org/techniques/T1078/001/',
    ],
    mitre: ['T1078.001', 'T1552', 'MS-TA9005'],
    match: ANY_KIND,
    sources: OBJECT_SOURCES,
    needs: OBJECT_ONLY,
    options: (zod) => zod.strictObject({ defaultSecretKeys: appendedList(zod) }),
  },
  *check(object, ctx): Iterable<Violation> {
    const defaults = defaultSecretKeys(ruleOptionsOf<ObjectStoreOptions>(ctx.config, RULE_ID)?.defaultSecretKeys);
    if (object.kind === 'Secret' && object.apiVersion === 'v1') {
      for (const entry of storedValuesOf(object)) {
        if (!SECRET_KEY_NAME.test(entry.key) || !defaults.has(entry.value.trim())) continue;
        yield {
          message: `${describeObject(object)} key "${entry.key}" holds the documented default object-store secret key.`,
          path: entry.path,
          evidence: [`${entry.path}: documented default value (not shown)`],
          discriminator: entry.key,
        };
      }
      return;
    }
    for (const site of containersOf(object)) {
      for (const [i, raw] of asArray(site.container.env).entries()) {
        const entry = asRecord(raw);
        const name = asString(entry?.name);
        const value = asString(entry?.value);
        if (!name || value === undefined || !SECRET_KEY_NAME.test(name) || !defaults.has(value.trim())) continue;
        const path = joinPath(site.path, 'env', i, 'value');
        yield {
          message: `Container "${site.name}" sets env ${name} inline to the documented default object-store secret key.`,
          path,
          evidence: [`env ${name}: documented default value (not shown)`],
          discriminator: path,
        };
      }
    }
  },
});
