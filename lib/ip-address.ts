// IP addresses between text and octets, in one place for every area (config,
// codec, dissector, data plane, CLB wire format, traffic selectors).
// Parsing is strict (RFC 4291 §2.2 for IPv6; dotted quads without leading
// zeros, which IOS reads as decimal and others as octal); text output is
// canonical (RFC 5952 for IPv6), so one address always compares equal as a
// string.

/** Parses dotted IPv4 from text[start, end) into out[at..at+4); false if it is not one. */
function parseIpv4Into(text: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 /* '.' */ : text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return false; // no leading zeros (octal look-alikes)
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else if (c === 46 && digits > 0 && index < 4) {
      out[at + index++] = octet;
      octet = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return index === 4;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 text (RFC 4291 §2.2, with an optional trailing dotted IPv4) into out[at..at+16). */
function parseIpv6Into(text: string, out: Uint8Array, at: number): boolean {
  const words: number[] = [];
  let gap = -1; // index in words where '::' stands
  let i = 0;
  const n = text.length;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  } else if (text.startsWith(':')) {
    return false;
  }
  while (i < n) {
    let j = i;
    let value = 0;
    let digits = 0;
    while (j < n) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      j++;
    }
    // A dotted IPv4 tail takes the last two words.
    if (j < n && text.charCodeAt(j) === 46) {
      if (words.length > 6) return false;
      const tail = new Uint8Array(4);
      if (!parseIpv4Into(text, i, n, tail, 0)) return false;
      words.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      break;
    }
    if (digits === 0 || digits > 4) return false;
    words.push(value);
    if (words.length > 8) return false;
    if (j === n) break;
    if (text.charCodeAt(j) !== 58) return false;
    if (j + 1 < n && text.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return false;
      gap = words.length;
      i = j + 2;
    } else {
      if (j + 1 === n) return false; // trailing single ':'
      i = j + 1;
    }
  }
  if (gap < 0 ? words.length !== 8 : words.length > 7) return false;
  const fill = gap < 0 ? 0 : 8 - words.length;
  for (let k = 0, w = 0; k < 8; k++) {
    const v = gap >= 0 && k >= gap && k < gap + fill ? 0 : (words[w++] ?? 0);
    out[at + 2 * k] = v >> 8;
    out[at + 2 * k + 1] = v & 0xff;
  }
  return true;
}

/** Strips an IPv6 zone (`fe80::1%eth0`): the zone names a link, not part of the address. */
function withoutZone(text: string): string {
  const zone = text.indexOf('%');
  return zone >= 0 ? text.slice(0, zone) : text;
}

/** The family of an address text (a zone is allowed on IPv6), or undefined when it is none. */
export function addressFamily(text: string): 4 | 6 | undefined {
  if (parseIpv4Into(text, 0, text.length, new Uint8Array(4), 0)) return 4;
  return parseIpv6Into(withoutZone(text), new Uint8Array(16), 0) ? 6 : undefined;
}

/** The 4 or 16 octets of an address text of the given family (or of either), or undefined if it is not one. */
export function parseAddress(text: string, family?: 4 | 6): Buffer | undefined {
  if (family !== 6) {
    const v4 = Buffer.alloc(4);
    if (parseIpv4Into(text, 0, text.length, v4, 0)) return v4;
    if (family === 4) return undefined;
  }
  const v6 = Buffer.alloc(16);
  return parseIpv6Into(withoutZone(text), v6, 0) ? v6 : undefined;
}

/** The 4 or 16 octets of an address text; throws RangeError on anything that is not an IP literal. */
export function addressToBytes(text: string): Buffer {
  const bytes = parseAddress(text);
  if (bytes === undefined) throw new RangeError(`'${text}' is not an IP address`);
  return bytes;
}

/**
 * Writes an address text into `out[offset .. offset+16)` the way the data plane's
 * metadata holds it (IPv4 in the first 4 octets, the rest zero); the family, or
 * undefined (out untouched) when the text is not an address.
 */
// Parsed here first so a failed parse leaves `out` untouched; one per process (synchronous use only):
// writeAddress runs several times per handshake (NAT detection, send staging).
const writeScratch = new Uint8Array(16);

export function writeAddress(text: string, out: Uint8Array, offset = 0): 4 | 6 | undefined {
  const scratch = writeScratch;
  let family: 4 | 6;
  if (parseIpv4Into(text, 0, text.length, scratch, 0)) family = 4;
  else if (parseIpv6Into(withoutZone(text), scratch, 0)) family = 6;
  else return undefined;
  out.set(scratch, offset);
  return family;
}

export function ipv4Text(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text of the 16 octets at `bytes[offset ..]`. */
export function ipv6Text(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));
  // RFC 5952 §4.2.2-4.2.3: the longest run of two or more zero groups becomes '::' (the first on a tie).
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
  // RFC 5952 §4.3: lower case, no leading zeros.
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Text of 4 or 16 address octets. */
export function bytesToAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return ipv4Text(bytes);
  if (bytes.length === 16) return ipv6Text(bytes);
  throw new RangeError(`an IP address has 4 or 16 octets, not ${bytes.length}`);
}

/** Text of the address at `bytes[offset ..]` of the given family. */
export function formatAddress(bytes: Uint8Array, offset: number, family: 4 | 6): string {
  return family === 4 ? ipv4Text(bytes, offset) : ipv6Text(bytes, offset);
}

/** The canonical text of an address (RFC 5952 for IPv6), e.g. for table keys. */
export function canonicalAddress(text: string): string {
  return bytesToAddress(addressToBytes(text));
}

/** Orders IPv4 before IPv6, then numerically. */
export function compareAddresses(a: string, b: string): number {
  const x = addressToBytes(a);
  const y = addressToBytes(b);
  return x.length - y.length || Buffer.compare(x, y);
}
