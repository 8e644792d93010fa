import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findChromium } from '../../src/testing/find-chromium.js';
import { tempDir } from '../helpers/cli.js';

/** The browser test finds Chromium as users have it (issue 17), not only at /usr/bin/chromium. */
const dir = tempDir('kfguard-chromium-');
after(() => dir.cleanup());

function fakeBinary(...parts: string[]): string {
  const path = join(dir.path, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

test('CHROME_PATH, then PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then PATH', () => {
  const chrome = fakeBinary('env', 'chrome');
  const playwright = fakeBinary('env', 'pw-chromium');
  const onPath = fakeBinary('bin1', 'chromium');
  const PATH = join(dir.path, 'bin1');
  assert.equal(findChromium({ CHROME_PATH: chrome, PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: playwright, PATH }).path, chrome);
  assert.equal(findChromium({ PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: playwright, PATH }).path, playwright);
  assert.equal(findChromium({ PATH }).path, onPath);
});

test('each name on PATH: chromium-browser and google-chrome too, in PATH order', () => {
  const browser = fakeBinary('bin2', 'chromium-browser');
  const google = fakeBinary('bin3', 'google-chrome');
  assert.equal(findChromium({ PATH: join(dir.path, 'bin2') }).path, browser);
  assert.equal(findChromium({ PATH: join(dir.path, 'bin3') }).path, google);
  // `chromium` is preferred over the other names wherever it is on PATH.
  const chromium = fakeBinary('bin4', 'chromium');
  assert.equal(findChromium({ PATH: [join(dir.path, 'bin3'), join(dir.path, 'bin4')].join(':') }).path, chromium);
});

test('a variable naming no executable file is passed over; nothing found says where it looked', () => {
  const plain = join(dir.path, 'not-executable');
  writeFileSync(plain, '');
  const none = findChromium({ CHROME_PATH: plain, PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: join(dir.path, 'missing'), PATH: join(dir.path, 'empty') });
  assert.equal(none.path, undefined);
  assert.match(none.looked, /CHROME_PATH.*google-chrome.*PATH/);
  const directory = fakeBinary('bin5', 'chromium', 'x');
  assert.ok(directory);
  assert.equal(findChromium({ PATH: join(dir.path, 'bin5') }).path, undefined, 'a directory named chromium is no browser');
});
