// The IKE datagrams of a capture: UDP to or from port 500, and port 4500
// where RFC 3948 §2.2 puts a 4-octet zero non-ESP marker in front of IKE
// (other 4500 traffic is ESP or a one-octet NAT keepalive, skipped).
import type { CapturedPacket } from './pcap';
import { udpDatagram } from './udp';

export const IKE_PORT = 500;
export const NAT_T_PORT = 4500;

export interface CapturedIkeDatagram {
  readonly frame: number;
  readonly time: number;
  /** "192.0.2.1:500" or "[2001:db8::1]:4500" */
  readonly source: string;
  readonly destination: string;
  /** Whether a non-ESP marker was stripped (UDP 4500). */
  readonly nonEspMarker: boolean;
  readonly datagram: Buffer;
}

function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function ikeDatagrams(packets: readonly CapturedPacket[]): CapturedIkeDatagram[] {
  const out: CapturedIkeDatagram[] = [];
  for (const p of packets) {
    const u = udpDatagram(p.linkType, p.data);
    if (u === undefined) continue;
    const ports = [u.sourcePort, u.destinationPort];
    let datagram = u.payload;
    let nonEspMarker = false;
    if (ports.includes(NAT_T_PORT)) {
      const marked = datagram.length >= 4 && datagram.readUInt32BE(0) === 0;
      if (!marked) continue; // ESP (non-zero SPI) or NAT keepalive (0xff)
      datagram = datagram.subarray(4);
      nonEspMarker = true;
    } else if (!ports.includes(IKE_PORT)) {
      continue;
    }
    out.push({
      frame: p.frame,
      time: p.time,
      source: endpoint(u.source, u.sourcePort),
      destination: endpoint(u.destination, u.destinationPort),
      nonEspMarker,
      datagram,
    });
  }
  return out;
}
