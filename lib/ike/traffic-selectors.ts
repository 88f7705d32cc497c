// Traffic selectors (RFC 7296 §3.13.1) and the responder's narrowing
// (RFC 7296 §2.9): the responder answers with the intersection of what the
// initiator proposed and what its policy allows; an empty intersection is
// TS_UNACCEPTABLE. Addresses are kept as bytes (4 or 16), compared as
// unsigned big-endian numbers.
import net from 'node:net';
import { allocRetained } from '../arena';

/** TS Type (RFC 7296 §3.13.1). */
export const TsType = {
  /** RFC 7296 §3.13.1 */
  IPV4_ADDR_RANGE: 7,
  /** RFC 7296 §3.13.1 */
  IPV6_ADDR_RANGE: 8,
} as const;
export type TsType = (typeof TsType)[keyof typeof TsType];

export interface TrafficSelector {
  readonly type: TsType;
  /** IP protocol; 0 = any (RFC 7296 §3.13.1). */
  readonly protocol: number;
  readonly startPort: number;
  readonly endPort: number;
  /** 4 (type 7) or 16 (type 8) octets. */
  readonly startAddress: Buffer;
  readonly endAddress: Buffer;
}

const zeros4 = Buffer.alloc(4);
const ones4 = Buffer.alloc(4, 0xff);
const zeros16 = Buffer.alloc(16);
const ones16 = Buffer.alloc(16, 0xff);

/** Every IPv4 address, every protocol and port. */
export const anyIpv4: TrafficSelector = Object.freeze({ type: TsType.IPV4_ADDR_RANGE, protocol: 0, startPort: 0, endPort: 65535, startAddress: zeros4, endAddress: ones4 });
/** Every IPv6 address, every protocol and port. */
export const anyIpv6: TrafficSelector = Object.freeze({ type: TsType.IPV6_ADDR_RANGE, protocol: 0, startPort: 0, endPort: 65535, startAddress: zeros16, endAddress: ones16 });

/** Octets of an IPv4 or IPv6 address text. */
export function addressBytes(text: string): Buffer {
  const bytes = parseAddress(text);
  if (bytes === undefined) throw new Error(`not an IP address: ${text}`);
  return bytes;
}

/** Octets of an IPv4 or IPv6 address text, undefined when it is neither. */
export function parseAddress(text: string): Buffer | undefined {
  // IPv4 by hand: this runs several times per handshake (NAT-D, keyring, selectors), and
  // net.isIP + split + map + Buffer.from cost about a microsecond each time.
  const v4 = ipv4Bytes(text);
  if (v4 !== undefined) return v4;
  return net.isIP(text) === 6 ? ipv6Bytes(text) : undefined;
}

/** Dotted-quad octets, accepting exactly what net.isIP accepts as IPv4 (no leading zeros, each <= 255). */
function ipv4Bytes(text: string): Buffer | undefined {
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  const out = Buffer.allocUnsafe(4);
  let part = 0;
  let i = 0;
  while (part < 4) {
    const start = i;
    let value = 0;
    while (i < n) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || value > 255 || (digits > 1 && text.charCodeAt(start) === 48)) return undefined;
    out[part++] = value;
    if (part < 4) {
      if (text.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  return i === n ? out : undefined;
}

function ipv6Bytes(text: string): Buffer {
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1).split('.').map(Number);
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    head = text.slice(0, lastColon + 1) + '0';
  }
  const [left = '', right] = head.split('::');
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  let groups = parse(left);
  if (right !== undefined) {
    const r = parse(right);
    groups = [...groups, ...new Array<number>(8 - groups.length - r.length).fill(0), ...r];
  }
  if (tail.length > 0) groups = [...groups.slice(0, 6), ...tail];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g & 0xffff, i * 2));
  return out;
}

/** Text of 4 or 16 address octets (RFC 5952 form for IPv6). */
export function addressText(bytes: Buffer): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  // Longest run of two or more zero groups becomes '::' (RFC 5952 §4.2).
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

/** A selector for one host address (all protocols and ports). */
export function hostSelector(address: string): TrafficSelector {
  const bytes = addressBytes(address);
  return { type: bytes.length === 4 ? TsType.IPV4_ADDR_RANGE : TsType.IPV6_ADDR_RANGE, protocol: 0, startPort: 0, endPort: 65535, startAddress: bytes, endAddress: bytes };
}

/** A selector for a prefix, e.g. subnetSelector('198.51.100.0', 24). */
export function subnetSelector(address: string, prefixLength: number): TrafficSelector {
  const start = addressBytes(address);
  const end = Buffer.from(start);
  for (let bit = prefixLength; bit < start.length * 8; bit++) {
    const octet = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    start[octet] = (start[octet] as number) & ~mask;
    end[octet] = (end[octet] as number) | mask;
  }
  return { type: start.length === 4 ? TsType.IPV4_ADDR_RANGE : TsType.IPV6_ADDR_RANGE, protocol: 0, startPort: 0, endPort: 65535, startAddress: start, endAddress: end };
}

/** The common part of two selectors, or undefined when they do not overlap. */
export function intersect(a: TrafficSelector, b: TrafficSelector): TrafficSelector | undefined {
  if (a.type !== b.type) return undefined;
  if (a.protocol !== 0 && b.protocol !== 0 && a.protocol !== b.protocol) return undefined;
  const startPort = Math.max(a.startPort, b.startPort);
  const endPort = Math.min(a.endPort, b.endPort);
  // OPAQUE ports (start 65535, end 0; RFC 7296 §3.13.1) only intersect with themselves or "any".
  const opaque = (ts: TrafficSelector): boolean => ts.startPort === 65535 && ts.endPort === 0;
  const anyPorts = (ts: TrafficSelector): boolean => ts.startPort === 0 && ts.endPort === 65535;
  let ports: [number, number];
  if (opaque(a) || opaque(b)) {
    if ((opaque(a) || anyPorts(a)) && (opaque(b) || anyPorts(b))) ports = [65535, 0];
    else return undefined;
  } else {
    if (startPort > endPort) return undefined;
    ports = [startPort, endPort];
  }
  const startAddress = Buffer.compare(a.startAddress, b.startAddress) >= 0 ? a.startAddress : b.startAddress;
  const endAddress = Buffer.compare(a.endAddress, b.endAddress) <= 0 ? a.endAddress : b.endAddress;
  if (Buffer.compare(startAddress, endAddress) > 0) return undefined;
  return { type: a.type, protocol: a.protocol !== 0 ? a.protocol : b.protocol, startPort: ports[0], endPort: ports[1], startAddress, endAddress };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: TrafficSelector, inner: TrafficSelector): boolean {
  const common = intersect(outer, inner);
  return common !== undefined && equals(common, inner);
}

export function equals(a: TrafficSelector, b: TrafficSelector): boolean {
  return (
    a.type === b.type &&
    a.protocol === b.protocol &&
    a.startPort === b.startPort &&
    a.endPort === b.endPort &&
    a.startAddress.equals(b.startAddress) &&
    a.endAddress.equals(b.endAddress)
  );
}

/**
 * Narrowing (RFC 7296 §2.9): every non-empty intersection of a proposed
 * selector with an allowed one, without duplicates and without selectors
 * already covered by another result. Empty: TS_UNACCEPTABLE.
 */
export function narrow(proposed: readonly TrafficSelector[], allowed: readonly TrafficSelector[]): TrafficSelector[] {
  const out: TrafficSelector[] = [];
  for (const p of proposed) {
    for (const a of allowed) {
      const common = intersect(p, a);
      if (common === undefined) continue;
      if (out.some((o) => contains(o, common))) continue;
      for (let i = out.length - 1; i >= 0; i--) if (contains(common, out[i] as TrafficSelector)) out.splice(i, 1);
      out.push(common);
    }
  }
  return out;
}

/** IOS-style text: `192.0.2.0/0 - 192.0.2.255/65535` (start address/start port - end address/end port). */
export function selectorText(ts: TrafficSelector): string {
  const proto = ts.protocol === 0 ? '' : ` proto ${ts.protocol}`;
  return `${addressText(ts.startAddress)}/${ts.startPort} - ${addressText(ts.endAddress)}/${ts.endPort}${proto}`;
}

/** strongSwan-style compact text: `192.0.2.0/24`, `10.0.0.1/32[udp/500]`, or a range. */
export function selectorCidr(ts: TrafficSelector): string {
  const bits = ts.startAddress.length * 8;
  let prefix = -1;
  for (let p = 0; p <= bits; p++) {
    const candidate = subnetSelector(addressText(ts.startAddress), p);
    if (candidate.startAddress.equals(ts.startAddress) && candidate.endAddress.equals(ts.endAddress)) {
      prefix = p;
      break;
    }
  }
  const range = prefix >= 0 ? `${addressText(ts.startAddress)}/${prefix}` : `${addressText(ts.startAddress)}..${addressText(ts.endAddress)}`;
  const anyPorts = ts.startPort === 0 && ts.endPort === 65535;
  if (ts.protocol === 0 && anyPorts) return range;
  const ports = anyPorts ? '' : ts.startPort === ts.endPort ? `/${ts.startPort}` : `/${ts.startPort}-${ts.endPort}`;
  return `${range}[${ts.protocol}${ports}]`;
}

/**
 * Two selector lists packed into one small Buffer (Node's pool), for SAs that
 * keep them for their whole life: per selector type, protocol, ports and the
 * address range (14 or 38 octets), after a two-octet count header.
 */
export function packSelectors(local: readonly TrafficSelector[], remote: readonly TrafficSelector[]): Buffer {
  const size = (l: readonly TrafficSelector[]): number => l.reduce((n, ts) => n + 6 + 2 * ts.startAddress.length, 0);
  // Kept for the CHILD SA's life: a long-lived slab (lib/arena.ts).
  const out = allocRetained(2 + size(local) + size(remote));
  out[0] = local.length;
  out[1] = remote.length;
  let o = 2;
  for (const ts of [...local, ...remote]) {
    out[o] = ts.type;
    out[o + 1] = ts.protocol;
    out.writeUInt16BE(ts.startPort, o + 2);
    out.writeUInt16BE(ts.endPort, o + 4);
    ts.startAddress.copy(out, o + 6);
    ts.endAddress.copy(out, o + 6 + ts.startAddress.length);
    o += 6 + 2 * ts.startAddress.length;
  }
  return out;
}

export function unpackSelectors(packed: Buffer): { local: TrafficSelector[]; remote: TrafficSelector[] } {
  const all: TrafficSelector[] = [];
  let o = 2;
  const n = (packed[0] as number) + (packed[1] as number);
  for (let i = 0; i < n; i++) {
    const type = packed[o] as TsType;
    const len = type === TsType.IPV4_ADDR_RANGE ? 4 : 16;
    all.push({
      type,
      protocol: packed[o + 1] as number,
      startPort: packed.readUInt16BE(o + 2),
      endPort: packed.readUInt16BE(o + 4),
      startAddress: packed.subarray(o + 6, o + 6 + len),
      endAddress: packed.subarray(o + 6 + len, o + 6 + 2 * len),
    });
    o += 6 + 2 * len;
  }
  return { local: all.slice(0, packed[0] as number), remote: all.slice(packed[0] as number) };
}
