import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerEntryUrl } from '../../src/core/worker-url.js';

// The bcrypt prefetch worker never started in the bundle: its path was taken relative to the
// chunk the starting code was split into (dist/chunks/), where no worker entry is emitted.
test('worker entries resolve to the top of dist/ from a split chunk, beside the module otherwise', () => {
  assert.equal(workerEntryUrl('bcrypt-worker', 'file:///app/dist/chunks/chunk-ABC.js').href, 'file:///app/dist/bcrypt-worker.js');
  assert.equal(workerEntryUrl('bcrypt-worker', 'file:///app/dist/kfguard.js').href, 'file:///app/dist/bcrypt-worker.js');
  assert.equal(workerEntryUrl('bcrypt-worker', 'file:///repo/src/bcrypt/bcrypt-prefetch.ts').href, 'file:///repo/src/bcrypt/bcrypt-worker.ts');
});
