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
