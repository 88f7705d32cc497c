// IP addresses as octets and back, for the CLB wire format and for ordering
// members by address (the LLG's last tie-break). Text output is canonical
// (RFC 5952 for IPv6) so the same address always compares equal as a string.
import { isIP } from 'node:net';

/** 4 or 16 octets; throws RangeError on anything that is not an IP literal. */
export function addressToBytes(address: string): Buffer {
  const family = isIP(address);
  if (family === 4) return Buffer.from(address.split('.').map(Number));
  if (family === 6) return ipv6ToBytes(address);
  throw new RangeError(`'${address}' is not an IP address`);
}

export function bytesToAddress(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length === 16) return ipv6ToText(bytes);
  throw new RangeError(`an IP address has 4 or 16 octets, not ${bytes.length}`);
}

/** The canonical text of an address (RFC 5952 for IPv6), e.g. for table keys. */
export function canonicalAddress(address: string): string {
  return bytesToAddress(addressToBytes(address));
}

/** Orders IPv4 before IPv6, then numerically. */
export function compareAddresses(a: string, b: string): number {
  const x = addressToBytes(a);
  const y = addressToBytes(b);
  return x.length - y.length || Buffer.compare(x, y);
}

function ipv6ToBytes(address: string): Buffer {
  let text = address;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const out = Buffer.alloc(16);
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes the last two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${(((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16)}:${(((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function ipv6ToText(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  // RFC 5952 §4.2: compress the longest run of two or more zero groups (the first on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
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
