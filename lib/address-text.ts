// IP address octets as text (RFC 5952 form for IPv6), for dissector output.

export function ipv4Text(b: Uint8Array, offset = 0): string {
  return `${b[offset]}.${b[offset + 1]}.${b[offset + 2]}.${b[offset + 3]}`;
}

export function ipv6Text(b: Uint8Array, offset = 0): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push((((b[offset + 2 * i] ?? 0) << 8) | (b[offset + 2 * i + 1] ?? 0)).toString(16));
  // RFC 5952 §4.2: compress the longest run (of two or more) of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Parses dotted IPv4 from text[start, end) into out[at..at+4); false if it is not one. */
function parseIpv4(text: string, start: number, end: number, out: Buffer, at: number): boolean {
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

/** Parses IPv6 text (RFC 4291 §2.2, with an optional trailing dotted IPv4) into 16 octets. */
function parseIpv6(text: string): Buffer | undefined {
  const out = Buffer.alloc(16);
  const words: number[] = [];
  let gap = -1; // index in words where '::' stands
  let i = 0;
  const n = text.length;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  } else if (text.startsWith(':')) {
    return undefined;
  }
  while (i < n) {
    // A dotted IPv4 tail takes the last two words.
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
    if (j < n && text.charCodeAt(j) === 46) {
      if (words.length > 6) return undefined;
      const tail = Buffer.alloc(4);
      if (!parseIpv4(text, i, n, tail, 0)) return undefined;
      words.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      i = n;
      break;
    }
    if (digits === 0 || digits > 4) return undefined;
    words.push(value);
    if (words.length > 8) return undefined;
    if (j === n) {
      i = n;
      break;
    }
    if (text.charCodeAt(j) !== 58) return undefined;
    if (j + 1 < n && text.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return undefined;
      gap = words.length;
      i = j + 2;
    } else {
      if (j + 1 === n) return undefined; // trailing single ':'
      i = j + 1;
    }
  }
  if (gap < 0 ? words.length !== 8 : words.length > 7) return undefined;
  const fill = gap < 0 ? 0 : 8 - words.length;
  for (let k = 0, w = 0; k < 8; k++) {
    const v = gap >= 0 && k >= gap && k < gap + fill ? 0 : (words[w++] ?? 0);
    out[2 * k] = v >> 8;
    out[2 * k + 1] = v & 0xff;
  }
  return out;
}

/** The 4 or 16 octets of an IPv4 / IPv6 address in text form, or undefined if it is not one. */
export function addressBytes(text: string, family: 4 | 6): Buffer | undefined {
  if (family === 6) return parseIpv6(text);
  const out = Buffer.alloc(4);
  return parseIpv4(text, 0, text.length, out, 0) ? out : undefined;
}
