import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangesReach } from '../../src/exposure/reach.js';
import { parseRange, rangeCoverage } from '../../src/exposure/source-ranges.js';

const levelOf = (...ranges: string[]): string => rangesReach('LoadBalancer', ranges).level;

describe('source ranges: the union is judged by address math', () => {
  it('two IPv4 halves cover the internet', () => {
    assert.equal(levelOf('0.0.0.0/1', '128.0.0.0/1'), 'anywhere');
    assert.deepEqual(rangesReach('LoadBalancer', ['0.0.0.0/1', '128.0.0.0/1']).caveats, ['together the ranges admit every public address']);
  });
  it('one half alone is broad, not anywhere', () => assert.equal(levelOf('0.0.0.0/1'), 'broad'));
  it('four quarters, or every public block without the private ones, cover the internet', () => {
    assert.equal(levelOf('0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'), 'anywhere');
    assert.equal(levelOf('1.0.0.0/8', '2.0.0.0/7', '4.0.0.0/6', '8.0.0.0/5', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/3'), 'anywhere');
    // Missing 1.0.0.0/8: not every public address.
    assert.equal(levelOf('2.0.0.0/7', '4.0.0.0/6', '8.0.0.0/5', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/3'), 'broad');
  });
  it('IPv4-mapped IPv6 ::ffff:0:0/96 is all of IPv4', () => {
    assert.equal(levelOf('::ffff:0:0/96'), 'anywhere');
    assert.equal(levelOf('::ffff:0.0.0.0/97', '128.0.0.0/1'), 'anywhere', 'mapped and plain halves add up');
    assert.equal(levelOf('::ffff:10.0.0.0/104'), 'narrow', 'a mapped private /8 is private');
  });
  it('IPv6 halves, ::/0 and 2000::/3 cover the internet', () => {
    assert.equal(levelOf('::/1', '8000::/1'), 'anywhere');
    assert.equal(levelOf('::/0'), 'anywhere');
    assert.equal(levelOf('2000::/3'), 'anywhere');
    assert.equal(levelOf('8000::/1'), 'narrow', 'no global unicast address is in 8000::/1');
    assert.equal(levelOf('2001:db8::/32'), 'narrow', 'documentation prefix');
    assert.equal(levelOf('2a00::/16'), 'broad');
  });
  it('private and small public ranges are narrow; a public /8 is broad', () => {
    assert.equal(levelOf('10.0.0.0/8', '192.168.0.0/16'), 'narrow');
    assert.equal(levelOf('203.0.113.7'), 'narrow');
    assert.equal(levelOf('198.51.99.0/24'), 'narrow');
    assert.equal(levelOf('8.0.0.0/8'), 'broad');
    assert.equal(levelOf('8.8.0.0/16'), 'broad');
    assert.equal(levelOf('8.8.0.0/17'), 'narrow');
  });
  it('leading zeros are decimal, as Kubernetes reads them (ipaddr.js alone reads octal)', () => {
    assert.deepEqual(parseRange('010.0.0.0/8').interval, parseRange('10.0.0.0/8').interval);
    const reach = rangesReach('LoadBalancer', ['010.0.0.0/8']);
    assert.equal(reach.level, 'narrow');
    assert.match(reach.caveats[0] ?? '', /leading zeros.*decimal \(10\.0\.0\.0\)/);
  });
  it('host bits are ignored and spaces trimmed', () => {
    assert.equal(levelOf(' 0.0.0.1/0 '), 'anywhere');
  });
  it('entries that do not parse are named; when none parses the list is judged absent', () => {
    for (const bad of ['garbage', '0x0.0.0.0/0', '4294967295/0', '1.2.3.256/8', '::/129', 'fe80::%eth0/64', '10.0.0.0/x']) {
      const reach = rangesReach('LoadBalancer', [bad]);
      assert.equal(reach.level, 'anywhere', bad);
      assert.match(reach.caveats.join('\n'), /not an IP range|prefix/, bad);
    }
    const mixed = rangesReach('LoadBalancer', ['garbage', '10.0.0.0/8']);
    assert.equal(mixed.level, 'narrow');
    assert.match(mixed.caveats[0] ?? '', /"garbage" is not an IP range/);
  });
  it('counts public addresses once when plain and mapped ranges overlap', () => {
    const coverage = rangeCoverage(['8.0.0.0/8', '::ffff:8.0.0.0/104']);
    assert.equal(coverage.publicIPv4, 1n << 24n);
    assert.equal(coverage.coversInternet, false);
  });
});
