import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CGROUP_LIMIT_FILES, containerMemoryLimit, heapLimitAdvice, oldSpaceFor, parseCgroupLimit } from '../../src/watch/memory-limit.js';

const MB = 2 ** 20;
const GIB = 1024 * MB;

/** A reader over a fake /sys/fs/cgroup: absent files throw as readFileSync does. */
function files(entries: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = entries[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

/** As node answers where it cannot tell: the files decide. */
const containerMemoryLimitFrom = (read: (path: string) => string): number | undefined => containerMemoryLimit(read, 0);

describe('the container memory limit of kfguard watch', () => {
  test("node's own answer first: a limit, or none", () => {
    assert.equal(containerMemoryLimit(files({}), GIB), GIB);
    assert.equal(containerMemoryLimit(files({ '/sys/fs/cgroup/memory.max': '536870912' }), 2 ** 64), undefined);
    assert.equal(containerMemoryLimit(files({ '/sys/fs/cgroup/memory.max': '536870912' }), 0), 512 * MB);
  });

  test('cgroup v2: memory.max in bytes, or "max"', () => {
    assert.equal(parseCgroupLimit('1073741824\n'), GIB);
    assert.equal(parseCgroupLimit('max\n'), undefined);
    assert.equal(containerMemoryLimitFrom(files({ '/sys/fs/cgroup/memory.max': '1073741824\n' })), GIB);
    assert.equal(containerMemoryLimitFrom(files({ '/sys/fs/cgroup/memory.max': 'max\n' })), undefined);
  });

  test("cgroup v1: memory.limit_in_bytes, with the kernel's unlimited value", () => {
    const v1 = CGROUP_LIMIT_FILES[1];
    assert.equal(containerMemoryLimitFrom(files({ [v1]: '536870912\n' })), 512 * MB);
    assert.equal(containerMemoryLimitFrom(files({ [v1]: '9223372036854771712\n' })), undefined);
    assert.equal(parseCgroupLimit('9223372036854710272'), undefined, 'unlimited on 64 KiB pages');
  });

  test('v2 decides where both exist; absent files and junk are no limit', () => {
    assert.equal(containerMemoryLimitFrom(files({ '/sys/fs/cgroup/memory.max': 'max', [CGROUP_LIMIT_FILES[1]]: '536870912' })), undefined);
    assert.equal(containerMemoryLimitFrom(files({})), undefined);
    for (const junk of ['', '-1', '0', '1e9', '12 MB']) assert.equal(parseCgroupLimit(junk), undefined, junk);
  });

  test('advice only when V8\'s heap limit does not fit the container', () => {
    assert.equal(oldSpaceFor(GIB), 768);
    assert.equal(oldSpaceFor(512 * MB), 320);
    assert.equal(oldSpaceFor(4 * GIB), 3072);
    // What node 20 picks in a 1 GiB cgroup (measured: 524 MB): half the container left unused.
    assert.match(heapLimitAdvice(GIB, 524 * MB) ?? '', /limited to 524 MB of the container's 1024 MB.*--max-old-space-size=768/);
    // Raised as the Deployment does: fits.
    assert.equal(heapLimitAdvice(GIB, 780 * MB), undefined);
    // Over the limit: the kernel, not V8, would stop it.
    assert.match(heapLimitAdvice(GIB, 4144 * MB) ?? '', /kernel would stop the watch/);
    assert.equal(heapLimitAdvice(undefined, 4144 * MB), undefined);
  });
});
