// IP addresses as the engine's metadata holds them (16 octets, network order,
// IPv4 in the first 4) to and from their text forms. Text is made only on
// demand (logs, show commands, the slow path), never per packet natively.
import { isIPv4, isIPv6 } from 'node:net';
import { IkelbError } from '../errors';

/** Writes `text` (IPv4 or IPv6) into `out[offset .. offset+16)`; returns the family. */
export function writeAddress(text: string, out: Uint8Array, offset = 0): 4 | 6 {
  out.fill(0, offset, offset + 16);
  if (isIPv4(text)) {
    const parts = text.split('.');
    for (let i = 0; i < 4; i++) out[offset + i] = Number(parts[i]);
    return 4;
  }
  if (!isIPv6(text)) throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `'${text}' is not an IP address`);
  let body = text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    body = `${body.slice(0, lastColon + 1)}${(((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16)}:${(((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  for (const g of headGroups) groups.push(parseInt(g, 16));
  if (rest !== undefined) for (let i = 0; i < missing; i++) groups.push(0);
  for (const g of restGroups) groups.push(parseInt(g, 16));
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? 0;
    out[offset + 2 * i] = g >> 8;
    out[offset + 2 * i + 1] = g & 0xff;
  }
  return 6;
}

/** Text form of the address at `bytes[offset ..]`: dotted quad, or RFC 5952 IPv6. */
export function formatAddress(bytes: Uint8Array, offset: number, family: 4 | 6): string {
  if (family === 4) return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));
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

/** The family of an address text, or undefined when it is none. */
export function addressFamily(text: string): 4 | 6 | undefined {
  return isIPv4(text) ? 4 : isIPv6(text) ? 6 : undefined;
}
