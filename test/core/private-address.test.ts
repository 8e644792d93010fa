import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress } from '../../src/core/private-address.js';

describe('isPrivateAddress', () => {
  const cases: readonly [string, boolean][] = [
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.128.0.1', false],
    ['8.8.8.8', false],
    ['203.0.113.7', false],
    ['10.0.0.0/8', true],
    ['::1', true],
    ['fe80::1', true],
    ['febf::1', true],
    ['fd12:3456::1', true],
    ['fc00::1', true],
    ['2001:4860:4860::8888', false],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['::ffff:169.254.169.254', true],
    ['fd00::/8', true],
    ['not-an-address', false],
    ['', false],
    ['999.1.1.1', false],
  ];
  for (const [address, expected] of cases) {
    it(`${address || '(empty)'} is ${expected ? 'private' : 'not private'}`, () => assert.equal(isPrivateAddress(address), expected));
  }
});
