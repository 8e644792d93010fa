// The fake KFP server must answer in the shapes of the real API: its answers are checked against
// the swagger definitions in ../shared/schemas/kfp-api, and every key it writes must be one the
// definition names (swagger does not forbid extras, so a misspelt key would otherwise pass).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { kfpV1Routes, kfpV2Routes } from '../../src/testing/fake-job-apis/kfp.js';
import { startFakeJobApi, type FakeJobApi } from '../../src/testing/fake-job-apis/server.js';
import { requiresShared, sharedAvailable, sharedPath } from '../../src/testing/shared.js';

type Definitions = Record<string, { properties?: Record<string, { $ref?: string; items?: { $ref?: string } }> }>;

const fixture = {
  pipelines: [{ pipeline_id: 'pl-1', display_name: 'p', name: 'p', created_at: '2026-01-04T00:00:00Z', namespace: 'kubeflow-user' }],
  versions: { 'pl-1': [{ pipeline_id: 'pl-1', pipeline_version_id: 'v-1', display_name: 'v1', created_at: '2026-01-04T00:00:00Z', pipeline_spec: { pipelineInfo: { name: 'p' } } }] },
  runs: [{ run_id: 'r-1', display_name: 'r', experiment_id: 'e', created_at: '2026-01-05T10:00:00Z', state: 'RUNNING', pipeline_spec: { pipelineInfo: { name: 'p' } }, service_account: 'pipeline-runner' }],
  recurringRuns: [{ recurring_run_id: 'rr-1', display_name: 'rr', created_at: '2026-01-05T10:00:00Z', status: 'ENABLED', pipeline_spec: {} }],
  experiments: [{ experiment_id: 'e', display_name: 'Default', created_at: '2026-01-01T00:00:00Z' }],
};

const v1fixture = {
  pipelines: [{ id: 'p-1', name: 'legacy', created_at: '2021-04-01T00:00:00Z' }],
  templates: { 'p-1': 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n' },
  runs: [{ id: 'r-1', name: 'run', created_at: '2021-04-01T00:00:00Z', status: 'Running', pipeline_spec: { workflow_manifest: '{}' } }],
  jobs: [{ id: 'j-1', name: 'job', created_at: '2021-04-01T00:00:00Z', enabled: true, pipeline_spec: { workflow_manifest: '{}' } }],
  experiments: [{ id: 'e-1', name: 'Default', created_at: '2021-04-01T00:00:00Z' }],
};

const servers: FakeJobApi[] = [];
after(async () => Promise.all(servers.map((s) => s.close())));

function validatorFor(version: 'v2beta1' | 'v1beta1') {
  const swagger = JSON.parse(readFileSync(sharedPath('schemas', 'kfp-api', version, 'kfp_api_single_file.swagger.json'), 'utf8')) as { definitions: Definitions };
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its default export arrives as the module object under ESM.
  const addFormats = (addFormatsModule as unknown as { default: (a: Ajv) => void }).default;
  addFormats(ajv);
  for (const format of ['int64', 'int32', 'uint64', 'double', 'float', 'byte']) ajv.addFormat(format, true);
  return {
    definitions: swagger.definitions,
    check(definition: string, body: unknown) {
      const validate = ajv.compile({ $ref: `#/definitions/${definition}`, definitions: swagger.definitions });
      assert.ok(validate(body), `${definition}: ${ajv.errorsText(validate.errors)}`);
    },
  };
}

/** Every key of the list answer and of each item is a property the swagger names. */
function assertKnownKeys(definitions: Definitions, definition: string, body: Record<string, unknown>): void {
  const properties = definitions[definition]?.properties ?? {};
  for (const key of Object.keys(body)) assert.ok(key in properties, `${definition} has no property "${key}"`);
  for (const [key, value] of Object.entries(body)) {
    const itemRef = properties[key]?.items?.$ref;
    if (!itemRef || !Array.isArray(value)) continue;
    const itemDefinition = itemRef.replace('#/definitions/', '');
    for (const item of value as Record<string, unknown>[]) for (const itemKey of Object.keys(item)) assert.ok(itemKey in (definitions[itemDefinition]?.properties ?? {}), `${itemDefinition} has no property "${itemKey}"`);
  }
}

describe('the fake KFP server answers in the swagger\'s shapes', requiresShared(), () => {
  test('v2beta1 lists', async () => {
    if (!sharedAvailable) return;
    const api = await startFakeJobApi(kfpV2Routes(fixture));
    servers.push(api);
    const { definitions, check } = validatorFor('v2beta1');
    for (const [path, definition] of [
      ['/apis/v2beta1/pipelines', 'v2beta1ListPipelinesResponse'],
      ['/apis/v2beta1/pipelines/pl-1/versions', 'v2beta1ListPipelineVersionsResponse'],
      ['/apis/v2beta1/runs', 'v2beta1ListRunsResponse'],
      ['/apis/v2beta1/recurringruns', 'v2beta1ListRecurringRunsResponse'],
      ['/apis/v2beta1/experiments', 'v2beta1ListExperimentsResponse'],
    ] as const) {
      const body = (await (await fetch(`${api.url}${path}`)).json()) as Record<string, unknown>;
      check(definition, body);
      assertKnownKeys(definitions, definition, body);
    }
  });

  test('v1beta1 lists and templates', async () => {
    if (!sharedAvailable) return;
    const api = await startFakeJobApi(kfpV1Routes(v1fixture));
    servers.push(api);
    const { definitions, check } = validatorFor('v1beta1');
    for (const [path, definition] of [
      ['/apis/v1beta1/pipelines', 'apiListPipelinesResponse'],
      ['/apis/v1beta1/pipelines/p-1/templates', 'apiGetTemplateResponse'],
      ['/apis/v1beta1/runs', 'apiListRunsResponse'],
      ['/apis/v1beta1/jobs', 'apiListJobsResponse'],
      ['/apis/v1beta1/experiments', 'apiListExperimentsResponse'],
    ] as const) {
      const body = (await (await fetch(`${api.url}${path}`)).json()) as Record<string, unknown>;
      check(definition, body);
      assertKnownKeys(definitions, definition, body);
    }
  });
});
