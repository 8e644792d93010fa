import ipaddr from 'ipaddr.js';

/**
 * Address math for source allow-lists (`loadBalancerSourceRanges`, ingress allow-list
 * annotations): parses each CIDR with ipaddr.js and asks what the *union* admits, so a list split
 * into halves (`0.0.0.0/1, 128.0.0.0/1`) or written in IPv4-mapped IPv6 (`::ffff:0:0/96`) is seen
 * for what it is. Every address lives in one 128-bit space: IPv4 `a.b.c.d/p` is the mapped
 * `::ffff:a.b.c.d/(96+p)` (RFC 4291 §2.5.5.2), the form dual-stack load balancers match IPv4
 * clients in.
 */

export interface RangeCoverage {
  /** Every public IPv4 address, or every global-unicast IPv6 address, is admitted. */
  readonly coversInternet: boolean;
  /** Public IPv4 addresses admitted (mapped and plain counted once). */
  readonly publicIPv4: bigint;
  /** Global-unicast IPv6 addresses admitted. */
  readonly publicIPv6: bigint;
  /** Entries that are not CIDRs Kubernetes would accept, with why. */
  readonly invalid: readonly string[];
  /** Entries read differently from how they look (leading zeros read as decimal, as Kubernetes does). */
  readonly notes: readonly string[];
}

interface Interval {
  readonly start: bigint;
  readonly end: bigint;
}

const MAPPED_BASE = 0xffffn << 32n;
const STRICT_IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_SPACE: Interval = { start: MAPPED_BASE, end: MAPPED_BASE + (1n << 32n) - 1n };
/** Global unicast, the part of IPv6 the internet routes (RFC 4291 §2.4, IANA IPv6 address space). */
const IPV6_INTERNET: Interval = { start: 0x2n << 124n, end: (0x4n << 124n) - 1n };

/**
 * IPv4 blocks no internet client comes from: "this network", RFC 1918, CGNAT, loopback, link-local,
 * IETF protocol assignments and documentation nets, benchmarking, multicast and reserved.
 * https://www.iana.org/assignments/iana-ipv4-special-registry/ · https://www.rfc-editor.org/rfc/rfc6890
 */
const NON_PUBLIC_IPV4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
].map((cidr) => {
  const parsed = parseRange(cidr);
  if (!parsed.interval) throw new Error(`bad built-in range ${cidr}`);
  return parsed.interval;
});

/** Unique-local and documentation IPv6 blocks inside 2000::/3 are not routed either. */
const NON_PUBLIC_IPV6 = ['2001:db8::/32'].map((cidr) => parseRange(cidr).interval as Interval);

interface ParsedRange {
  readonly interval?: Interval;
  readonly error?: string;
  readonly note?: string;
}

function toBigInt(bytes: readonly number[]): bigint {
  return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/**
 * One entry as Kubernetes reads it: surrounding spaces trimmed (the API server allows them for
 * historical reasons), IPv4 octets decimal even with leading zeros (Go's sloppy parser; ipaddr.js
 * alone would read `010` as octal 8), a bare address as a single host, host bits ignored.
 */
export function parseRange(raw: string): ParsedRange {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  let note: string | undefined;
  let normalized = address;
  const v4 = STRICT_IPV4.exec(address);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return { error: `"${raw}" is not an IP range (an octet is over 255)` };
    normalized = octets.join('.');
    if (normalized !== address) note = `"${raw}" has leading zeros; Kubernetes reads them as decimal (${normalized})`;
  } else if (!address.includes(':')) {
    return { error: `"${raw}" is not an IP range` };
  }
  if (!ipaddr.isValid(normalized) || normalized.includes('%')) return { error: `"${raw}" is not an IP range` };
  const parsed = ipaddr.parse(normalized);
  const isV4 = parsed.kind() === 'ipv4';
  const width = isV4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return { error: `"${raw}" has no valid prefix length` };
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefix > width) return { error: `"${raw}" has a prefix longer than ${width} bits` };
  const value = isV4 ? MAPPED_BASE | toBigInt(parsed.toByteArray()) : toBigInt(parsed.toByteArray());
  const hostBits = BigInt(width - prefix);
  const start = (value >> hostBits) << hostBits;
  const interval = { start, end: start + (1n << hostBits) - 1n };
  return note ? { interval, note } : { interval };
}

function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end + 1n) {
      if (next.end > last.end) merged[merged.length - 1] = { start: last.start, end: next.end };
    } else {
      merged.push(next);
    }
  }
  return merged;
}

/** The parts of `space` that `covered` (merged) leaves out. */
function gaps(space: Interval, covered: readonly Interval[]): Interval[] {
  const result: Interval[] = [];
  let cursor = space.start;
  for (const part of covered) {
    if (part.end < cursor || part.start > space.end) continue;
    if (part.start > cursor) result.push({ start: cursor, end: part.start - 1n });
    cursor = part.end + 1n;
    if (cursor > space.end) return result;
  }
  if (cursor <= space.end) result.push({ start: cursor, end: space.end });
  return result;
}

function size(intervals: readonly Interval[]): bigint {
  return intervals.reduce((sum, i) => sum + (i.end - i.start + 1n), 0n);
}

/** Public addresses of `space` inside the merged `covered` list. */
function publicCovered(space: Interval, covered: readonly Interval[], nonPublic: readonly Interval[]): bigint {
  const excluded = merge([...nonPublic, ...gaps(space, covered)]);
  return size(gaps(space, excluded));
}

/** What the union of `ranges` admits. */
export function rangeCoverage(ranges: readonly string[]): RangeCoverage {
  const intervals: Interval[] = [];
  const invalid: string[] = [];
  const notes: string[] = [];
  for (const raw of ranges) {
    const parsed = parseRange(raw);
    if (parsed.error) invalid.push(parsed.error);
    if (parsed.note) notes.push(parsed.note);
    if (parsed.interval) intervals.push(parsed.interval);
  }
  const covered = merge(intervals);
  const publicIPv4 = publicCovered(IPV4_SPACE, covered, NON_PUBLIC_IPV4);
  const publicIPv6 = publicCovered(IPV6_INTERNET, covered, NON_PUBLIC_IPV6);
  const allPublicIPv4 = size(gaps(IPV4_SPACE, merge(NON_PUBLIC_IPV4)));
  const allPublicIPv6 = size(gaps(IPV6_INTERNET, merge(NON_PUBLIC_IPV6)));
  return { coversInternet: publicIPv4 === allPublicIPv4 || publicIPv6 === allPublicIPv6, publicIPv4, publicIPv6, invalid, notes };
}
