import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routePrefixOf } from '../../src/exposure/route-prefix.js';

describe('routePrefixOf: the literal prefix of a door path, as the target catalogue reads it', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['/pipeline', '/pipeline/'],
    ['/pipeline/', '/pipeline/'],
    ['/pipeline(/|$)(.*)', '/pipeline/'],
    ['/api/model_registry/.*', '/api/model_registry/'],
    ['/ml_metadata/*', '/ml_metadata/'],
    ['/', '/'],
    ['/(.*)', '/'],
    ['(.*)', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [path, prefix] of cases) {
    it(`${String(path)} → ${String(prefix)}`, () => assert.equal(routePrefixOf(path), prefix));
  }
});
