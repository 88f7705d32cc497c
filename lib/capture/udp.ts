// Finds the UDP datagram in a captured frame: link layers tcpdump and tshark
// produce on Linux (Ethernet with VLAN tags, Linux cooked v1/v2, raw IP,
// loopback), then IPv4 or IPv6 (extension headers walked), then UDP.
// IP fragments are not reassembled: a fragmented datagram is skipped.
import { ipv4Text, ipv6Text } from '../ip-address';

export interface UdpDatagram {
  readonly source: string;
  readonly destination: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Buffer;
}

// LINKTYPE_* values (tcpdump.org/linktypes.html).
const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LOOP = 108;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;
const LINKTYPE_IPV6 = 229;
const LINKTYPE_LINUX_SLL2 = 276;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
const IPPROTO_UDP = 17;

function udp(frame: Buffer, off: number, end: number, source: string, destination: string): UdpDatagram | undefined {
  if (off + 8 > end) return undefined;
  const length = frame.readUInt16BE(off + 4);
  if (length < 8 || off + length > end) return undefined;
  return {
    source,
    destination,
    sourcePort: frame.readUInt16BE(off),
    destinationPort: frame.readUInt16BE(off + 2),
    payload: frame.subarray(off + 8, off + length),
  };
}

function ipv4(frame: Buffer, off: number): UdpDatagram | undefined {
  if (off + 20 > frame.length || frame[off]! >> 4 !== 4) return undefined;
  const ihl = (frame[off]! & 0x0f) * 4;
  const total = frame.readUInt16BE(off + 2);
  const fragment = frame.readUInt16BE(off + 6);
  if (ihl < 20 || total < ihl || off + total > frame.length) return undefined;
  if ((fragment & 0x3fff) !== 0) return undefined; // MF set or non-zero offset
  if (frame[off + 9] !== IPPROTO_UDP) return undefined;
  return udp(frame, off + ihl, off + total, ipv4Text(frame, off + 12), ipv4Text(frame, off + 16));
}

function ipv6(frame: Buffer, off: number): UdpDatagram | undefined {
  if (off + 40 > frame.length || frame[off]! >> 4 !== 6) return undefined;
  const end = off + 40 + frame.readUInt16BE(off + 4);
  if (end > frame.length) return undefined;
  let next = frame[off + 6]!;
  let p = off + 40;
  // Hop-by-hop, routing and destination options: skip; a fragment header: give up.
  for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60); hops++) {
    if (p + 8 > end) return undefined;
    next = frame[p]!;
    p += (frame[p + 1]! + 1) * 8;
  }
  if (next !== IPPROTO_UDP) return undefined;
  return udp(frame, p, end, ipv6Text(frame, off + 8), ipv6Text(frame, off + 24));
}

function byEthertype(frame: Buffer, type: number, off: number): UdpDatagram | undefined {
  if (type === ETHERTYPE_IPV4) return ipv4(frame, off);
  if (type === ETHERTYPE_IPV6) return ipv6(frame, off);
  return undefined;
}

function byVersion(frame: Buffer, off: number): UdpDatagram | undefined {
  const version = (frame[off] ?? 0) >> 4;
  return version === 4 ? ipv4(frame, off) : version === 6 ? ipv6(frame, off) : undefined;
}

/** The UDP datagram a frame carries, or undefined (not UDP, fragmented, truncated, other link type). */
export function udpDatagram(linkType: number, frame: Buffer): UdpDatagram | undefined {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let off = 12;
      if (off + 2 > frame.length) return undefined;
      let type = frame.readUInt16BE(off);
      while (ETHERTYPE_VLAN.includes(type) && off + 6 <= frame.length) {
        off += 4;
        type = frame.readUInt16BE(off);
      }
      return byEthertype(frame, type, off + 2);
    }
    case LINKTYPE_LINUX_SLL:
      return frame.length < 16 ? undefined : byEthertype(frame, frame.readUInt16BE(14), 16);
    case LINKTYPE_LINUX_SLL2:
      return frame.length < 20 ? undefined : byEthertype(frame, frame.readUInt16BE(0), 20);
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return byVersion(frame, 0);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return byVersion(frame, 4);
    default:
      return undefined;
  }
}
