// Traffic selectors (RFC 7296 §3.13.1) and the responder's narrowing
// (RFC 7296 §2.9): the responder answers with the intersection of what the
// initiator proposed and what its policy allows; an empty intersection is
// TS_UNACCEPTABLE. Addresses are kept as bytes (4 or 16), compared as
// unsigned big-endian numbers.
import { allocRetained } from '../arena';
import { addressToBytes, bytesToAddress } from '../ip-address';

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

/** A selector for one host address (all protocols and ports). */
export function hostSelector(address: string): TrafficSelector {
  const bytes = addressToBytes(address);
  return { type: bytes.length === 4 ? TsType.IPV4_ADDR_RANGE : TsType.IPV6_ADDR_RANGE, protocol: 0, startPort: 0, endPort: 65535, startAddress: bytes, endAddress: bytes };
}

/** A selector for a prefix, e.g. subnetSelector('198.51.100.0', 24). */
export function subnetSelector(address: string, prefixLength: number): TrafficSelector {
  const start = addressToBytes(address);
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
  let portsFrom = startPort;
  let portsTo = endPort;
  if (opaque(a) || opaque(b)) {
    if (!(opaque(a) || anyPorts(a)) || !(opaque(b) || anyPorts(b))) return undefined;
    portsFrom = 65535;
    portsTo = 0;
  } else if (startPort > endPort) return undefined;
  const startAddress = Buffer.compare(a.startAddress, b.startAddress) >= 0 ? a.startAddress : b.startAddress;
  const endAddress = Buffer.compare(a.endAddress, b.endAddress) <= 0 ? a.endAddress : b.endAddress;
  if (Buffer.compare(startAddress, endAddress) > 0) return undefined;
  return { type: a.type, protocol: a.protocol !== 0 ? a.protocol : b.protocol, startPort: portsFrom, endPort: portsTo, startAddress, endAddress };
}

function opaque(ts: TrafficSelector): boolean {
  return ts.startPort === 65535 && ts.endPort === 0;
}

function anyPorts(ts: TrafficSelector): boolean {
  return ts.startPort === 0 && ts.endPort === 65535;
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
  return `${bytesToAddress(ts.startAddress)}/${ts.startPort} - ${bytesToAddress(ts.endAddress)}/${ts.endPort}${proto}`;
}

/** strongSwan-style compact text: `192.0.2.0/24`, `10.0.0.1/32[udp/500]`, or a range. */
export function selectorCidr(ts: TrafficSelector): string {
  const bits = ts.startAddress.length * 8;
  let prefix = -1;
  for (let p = 0; p <= bits; p++) {
    const candidate = subnetSelector(bytesToAddress(ts.startAddress), p);
    if (candidate.startAddress.equals(ts.startAddress) && candidate.endAddress.equals(ts.endAddress)) {
      prefix = p;
      break;
    }
  }
  const range = prefix >= 0 ? `${bytesToAddress(ts.startAddress)}/${prefix}` : `${bytesToAddress(ts.startAddress)}..${bytesToAddress(ts.endAddress)}`;
  if (ts.protocol === 0 && anyPorts(ts)) return range;
  const ports = anyPorts(ts) ? '' : ts.startPort === ts.endPort ? `/${ts.startPort}` : `/${ts.startPort}-${ts.endPort}`;
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
