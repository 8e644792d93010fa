import ipaddr from 'ipaddr.js';

/**
 * Ranges that never route across the internet, by ipaddr.js range name: RFC 1918 private
 * networks, CGNAT shared space (RFC 6598, `100.64.0.0/10`, which some clusters use for pods),
 * loopback, link-local (cloud metadata lives at `169.254.169.254`) and IPv6 unique-local.
 * https://www.rfc-editor.org/rfc/rfc1918 · https://www.rfc-editor.org/rfc/rfc6598 ·
 * https://www.rfc-editor.org/rfc/rfc3927 · https://www.rfc-editor.org/rfc/rfc4193 ·
 * https://www.rfc-editor.org/rfc/rfc4291
 */
const NON_ROUTED_RANGES: ReadonlySet<string> = new Set(['private', 'carrierGradeNat', 'loopback', 'linkLocal', 'uniqueLocal']);

/**
 * Whether an address (optionally with a `/prefix`) is private, loopback or link-local, IPv4 or
 * IPv6; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries. One
 * meaning serves both callers: an externalIP in these ranges is reachable only from inside the
 * network, and a download from one is an in-cluster fetch (a MinIO Service IP), not a raw-IP
 * download from the internet. Anything that does not parse is not private.
 */
export function isPrivateAddress(address: string): boolean {
  const text = address.split('/')[0]?.trim() ?? '';
  if (!ipaddr.isValid(text)) return false;
  let parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return NON_ROUTED_RANGES.has(parsed.range());
}
