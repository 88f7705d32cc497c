// IPv4 and IPv6 address arithmetic for config values: strict parsing,
// canonical text (RFC 5952 for IPv6) and the subnet maths validation needs.

/** The 32-bit value of a dotted quad, or undefined if the text is not one (no leading zeros: IOS would read them as decimal, others as octal). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
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

/** The eight 16-bit groups of an IPv6 address, or undefined if the text is not one. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.includes('%') || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tailV4 = [v4 >>> 16, v4 & 0xffff];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== head.lastIndexOf('::')) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return undefined;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  let groups: number[];
  if (doubleColon >= 0) {
    const left = parseGroups(head.slice(0, doubleColon));
    const right = parseGroups(head.slice(doubleColon + 2));
    if (left === undefined || right === undefined) return undefined;
    const missing = 8 - left.length - right.length - tailV4.length;
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right, ...tailV4];
  } else {
    const all = parseGroups(head);
    if (all === undefined) return undefined;
    groups = [...all, ...tailV4];
  }
  return groups.length === 8 ? groups : undefined;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
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
