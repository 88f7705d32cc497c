// IPv4 and IPv6 address arithmetic for config values: strict parsing,
// canonical text (RFC 5952 for IPv6) and the subnet maths validation needs.
// Text <-> octets is lib/ip-address.ts; this file gives config values their numeric forms.
import { ipv4Text, ipv6Text, parseAddress } from '../ip-address';

/** The 32-bit value of a dotted quad, or undefined if the text is not one (no leading zeros: IOS would read them as decimal, others as octal). */
export function parseIpv4(text: string): number | undefined {
  const bytes = parseAddress(text, 4);
  return bytes === undefined ? undefined : bytes.readUInt32BE(0);
}

export function formatIpv4(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return ipv4Text(bytes);
}

/** Prefix length of a contiguous netmask value, or undefined if the mask has holes. */
export function maskToPrefixLength(mask: number): number | undefined {
  const inverted = ~mask >>> 0;
  // A contiguous mask inverted is 2^n - 1: adding one leaves a single bit set.
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  return 32 - Math.log2(inverted + 1);
}

export function prefixLengthToMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function ipv4Network(address: number, prefixLength: number): number {
  return (address & prefixLengthToMask(prefixLength)) >>> 0;
}

export function ipv4InSubnet(address: number, network: number, prefixLength: number): boolean {
  return ipv4Network(address, prefixLength) === ipv4Network(network, prefixLength);
}

/** The eight 16-bit groups of an IPv6 address, or undefined if the text is not one (a config value carries no zone). */
export function parseIpv6(text: string): number[] | undefined {
  if (text.includes('%')) return undefined;
  const bytes = parseAddress(text, 6);
  if (bytes === undefined) return undefined;
  return Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(2 * i));
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(g & 0xffff, 2 * i));
  return ipv6Text(bytes);
}

export function ipv6ToBigInt(groups: readonly number[]): bigint {
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function bigIntToIpv6(value: bigint): number[] {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return groups;
}

/** The first address of an IPv6 prefix. */
export function ipv6Network(value: bigint, prefixLength: number): bigint {
  const hostBits = BigInt(128 - prefixLength);
  return (value >> hostBits) << hostBits;
}
