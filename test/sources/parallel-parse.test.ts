import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseYamlStreamParallel } from '../../src/sources/parallel-parse.js';
import { slimDocument } from '../../src/sources/slim.js';
import { DEFAULT_PARSE_LIMITS, parseYamlStream } from '../../src/sources/yaml-documents.js';
import { requiresShared, sharedPath } from '../../src/testing/shared.js';

describe('two-thread parsing', requiresShared(), () => {
  test('gives exactly the documents, indexes, lines and errors of the single-thread parser', async () => {
    const install = readFileSync(sharedPath('corpus', 'kubeflow', 'kubeflow-example-install.yaml'), 'utf8');
    // A broken document in the worker's half must still be reported with its line.
    const text = `${install}\n---\nbroken: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after-broken}\n`;
    const sequential = parseYamlStream(text);
    const parallel = await parseYamlStreamParallel(text, DEFAULT_PARSE_LIMITS);
    assert.equal(parallel.documents.length, sequential.documents.length);
    assert.deepEqual(parallel.errors, sequential.errors);
    assert.equal(parallel.errors.length, 1);
    parallel.documents.forEach((doc, i) => {
      const expected = sequential.documents[i]!;
      assert.equal(doc.index, expected.index);
      assert.equal(doc.document.startLine, expected.document.startLine);
      assert.deepEqual(slimDocument(doc.value), slimDocument(expected.value));
    });
  });
});
