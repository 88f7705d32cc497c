// Wireshark as the second opinion on our bytes: wrap datagrams in
// Ethernet/IP/UDP and write a pcap, dissect it with `tshark -T json`, and pick
// fields by their Wireshark names; or capture live on a lab host's interface.
//
//   const packets = await dissect([ikePacket(bytes)]);          // UDP 500, 192.0.2.1 -> 192.0.2.2
//   field(packets[0], 'isakmp.exchangetype')                         // '34'
//   fields(packets[0], 'isakmp.notify.msgtype')                  // ['16388', '16389', '16430', '16406']
//   await dissect([ikePacket(bytes, { sport: 4500, dport: 4500 })])   // non-ESP marker added
//   await dissect([hsrpPacket(bytes)]);  field(p, 'hsrp.priority')    // UDP 1985 to 224.0.0.2, TTL 1
//   writePcap('/tmp/x.pcap', [udpPacket({ payload, src: '2001:db8::1', dst: '2001:db8::2', dport: 500 })]);
//
//   const cap = await startCapture(host, { iface: 'eth0', filter: 'udp port 500', count: 2, durationMs: 5000 });
//   ... traffic ...
//   const seen = await cap.packets();   // waits for count or duration, then dissects
//
// Field names are Wireshark's display-filter names (`tshark -G fields`; tshark 4.0 says
// isakmp.exchangetype, not the older isakmp.exchtype); values are the strings tshark
// prints (numbers in decimal, flags as '0x..', SPIs as '01:02:..'). Payloads of one type
// repeated in a message (several notifies) come back as several values: tshark runs with
// --no-duplicate-keys, so repeated keys become arrays and fields() flattens them.
// On UDP 4500 tshark's udpencap dissector strips the non-ESP marker and hands the
// rest to isakmp; SK payload contents stay opaque (headers only).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Host } from './netns';
import type { Proc } from './proc';
import { runOk } from './run';

export interface UdpPacketSpec {
  /** The UDP payload (for port 4500 without the non-ESP marker; see nonEspMarker). */
  readonly payload: Buffer;
  /** IPv4 or IPv6; default 192.0.2.1 -> 192.0.2.2 (2001:db8::1 -> 2001:db8::2 if the other is IPv6). */
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  /** Prefix 4 zero octets (RFC 3948 non-ESP marker). Default: when either port is 4500. */
  readonly nonEspMarker?: boolean;
  /** IPv4 TTL / IPv6 hop limit; default 64. */
  readonly ttl?: number;
  /** Default 02:00:00:00:00:01 / 02:00:00:00:00:02, or the multicast MAC of dst. */
  readonly srcMac?: string;
  readonly dstMac?: string;
  /** Capture timestamp in ms since the epoch; default: packet index in ms. */
  readonly timeMs?: number;
}

/** One dissected frame: `layers` is tshark's `_source.layers` (protocol name -> tree). */
export interface DissectedPacket {
  readonly layers: Record<string, unknown>;
  /** Protocol stack as tshark names it, e.g. ['eth', 'ethertype', 'ip', 'udp', 'isakmp']. */
  readonly protocols: readonly string[];
}

const IKE_PORT = 500; // RFC 7296 §2
const NAT_T_PORT = 4500; // RFC 3948 §2.2
const HSRP_PORT = 1985; // RFC 2281 §5
const HSRP_V1_GROUP = '224.0.0.2'; // RFC 2281 §5 (all routers)
const HSRP_V2_GROUP = '224.0.0.102'; // Cisco HSRP v2

/** An IKE datagram: UDP 500 -> 500 unless ports say otherwise. */
export function ikePacket(payload: Buffer, spec: Partial<UdpPacketSpec> = {}): UdpPacketSpec {
  return { sport: IKE_PORT, dport: IKE_PORT, ...spec, payload };
}

/** An HSRP datagram: UDP 1985 to 224.0.0.2 (v1) or 224.0.0.102 (v2), TTL 1. */
export function hsrpPacket(payload: Buffer, spec: Partial<UdpPacketSpec> & { version?: 1 | 2 } = {}): UdpPacketSpec {
  const { version = 1, ...rest } = spec;
  return { sport: HSRP_PORT, dport: HSRP_PORT, ttl: 1, dst: version === 2 ? HSRP_V2_GROUP : HSRP_V1_GROUP, src: '192.0.2.1', ...rest, payload };
}

export function udpPacket(spec: UdpPacketSpec): UdpPacketSpec {
  return spec;
}

/** Ethernet + IPv4/IPv6 + UDP (checksums filled in) around the payload. */
export function buildFrame(spec: UdpPacketSpec): Buffer {
  const v6 = isIP(spec.src ?? '') === 6 || isIP(spec.dst ?? '') === 6;
  const src = spec.src ?? (v6 ? '2001:db8::1' : '192.0.2.1');
  const dst = spec.dst ?? (v6 ? '2001:db8::2' : '192.0.2.2');
  if (isIP(src) !== isIP(dst)) throw new Error(`src ${src} and dst ${dst} are of different families`);
  const sport = spec.sport ?? IKE_PORT;
  const dport = spec.dport ?? IKE_PORT;
  const marker = spec.nonEspMarker ?? (sport === NAT_T_PORT || dport === NAT_T_PORT);
  const payload = marker ? Buffer.concat([Buffer.alloc(4), spec.payload]) : spec.payload;
  const ttl = spec.ttl ?? 64;

  const udp = Buffer.alloc(8 + payload.length);
  udp.writeUInt16BE(sport, 0);
  udp.writeUInt16BE(dport, 2);
  udp.writeUInt16BE(udp.length, 4);
  payload.copy(udp, 8);
  const srcBytes = ipBytes(src);
  const dstBytes = ipBytes(dst);
  const pseudo = Buffer.alloc(v6 ? 40 : 12);
  if (v6) {
    srcBytes.copy(pseudo, 0);
    dstBytes.copy(pseudo, 16);
    pseudo.writeUInt32BE(udp.length, 32);
    pseudo[39] = 17;
  } else {
    srcBytes.copy(pseudo, 0);
    dstBytes.copy(pseudo, 4);
    pseudo[9] = 17;
    pseudo.writeUInt16BE(udp.length, 10);
  }
  const sum = checksum(Buffer.concat([pseudo, udp]));
  udp.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);

  let ip: Buffer;
  if (v6) {
    ip = Buffer.alloc(40);
    ip.writeUInt32BE(0x60000000, 0);
    ip.writeUInt16BE(udp.length, 4);
    ip[6] = 17;
    ip[7] = ttl;
    srcBytes.copy(ip, 8);
    dstBytes.copy(ip, 24);
  } else {
    ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udp.length, 2);
    ip.writeUInt16BE(0x4000, 6); // DF
    ip[8] = ttl;
    ip[9] = 17;
    srcBytes.copy(ip, 12);
    dstBytes.copy(ip, 16);
    ip.writeUInt16BE(checksum(ip), 10);
  }
  const eth = Buffer.alloc(14);
  macBytes(spec.dstMac ?? multicastMac(dst) ?? '02:00:00:00:00:02').copy(eth, 0);
  macBytes(spec.srcMac ?? '02:00:00:00:00:01').copy(eth, 6);
  eth.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
  return Buffer.concat([eth, ip, udp]);
}

/** Writes a classic pcap (Ethernet link type) with one frame per packet. */
export function writePcap(file: string, packets: readonly UdpPacketSpec[]): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const records = packets.map((p, i) => {
    const frame = buildFrame(p);
    const timeMs = p.timeMs ?? i;
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(timeMs / 1000), 0);
    rec.writeUInt32LE(Math.round((timeMs % 1000) * 1000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  writeFileSync(file, Buffer.concat([header, ...records]));
}

export interface DissectOptions {
  /** tshark -d rules, e.g. ['udp.port==5000,isakmp']. */
  readonly decodeAs?: readonly string[];
  /** Display filter (-Y). */
  readonly filter?: string;
  /** tshark -o preferences, e.g. { 'udp.check_checksum': 'TRUE' }. */
  readonly preferences?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Dissects a capture file, or packets written to a temporary pcap first. */
export async function dissect(input: string | readonly UdpPacketSpec[], options: DissectOptions = {}): Promise<DissectedPacket[]> {
  let file: string;
  let scratch: string | undefined;
  if (typeof input === 'string') {
    file = input;
  } else {
    scratch = mkdtempSync(path.join(tmpdir(), 'ikelb-tshark-'));
    file = path.join(scratch, 'packets.pcap');
    writePcap(file, input);
  }
  try {
    const args = ['-n', '-r', file, '-T', 'json', '--no-duplicate-keys'];
    for (const rule of options.decodeAs ?? []) args.push('-d', rule);
    if (options.filter !== undefined) args.push('-Y', options.filter);
    for (const [key, value] of Object.entries(options.preferences ?? {})) args.push('-o', `${key}:${value}`);
    const { stdout } = await runOk('tshark', args, { timeoutMs: options.timeoutMs ?? 30_000 });
    const frames = JSON.parse(stdout.trim() === '' ? '[]' : stdout) as { _source: { layers: Record<string, unknown> } }[];
    return frames.map((f) => {
      const layers = f._source.layers;
      const protos = fields({ layers, protocols: [] }, 'frame.protocols')[0] ?? '';
      return { layers, protocols: protos.split(':') };
    });
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every value of a field anywhere in the packet's tree, in tshark's order. */
export function fields(packet: DissectedPacket, name: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === name) collect(value);
        else walk(value);
      }
    }
  };
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) collect(v);
    else walk(value);
  };
  walk(packet.layers);
  return out;
}

/** The first value of a field, or undefined. */
export function field(packet: DissectedPacket, name: string): string | undefined {
  return fields(packet, name)[0];
}

/** The first value of a field as a number (decimal or 0x hex); throws if absent. */
export function numField(packet: DissectedPacket, name: string): number {
  const value = field(packet, name);
  if (value === undefined) throw new Error(`field ${name} not in packet (${packet.protocols.join(':')})`);
  return Number(value);
}

export interface CaptureOptions {
  /** Interface inside the host; default 'eth0'. */
  readonly iface?: string;
  /** Capture filter (BPF), e.g. 'udp port 500'. */
  readonly filter?: string;
  /** Stop after this many packets. */
  readonly count?: number;
  /** Stop after this long (whole seconds, rounded up; required so no capture runs forever). */
  readonly durationMs: number;
  readonly decodeAs?: readonly string[];
}

export interface Capture {
  readonly proc: Proc;
  readonly file: string;
  /** Waits until count or duration is reached, then dissects what was captured. */
  packets(): Promise<DissectedPacket[]>;
  /** Stops now (SIGINT, dumpcap writes what it has) and dissects. */
  stop(): Promise<DissectedPacket[]>;
}

/** Live capture with dumpcap inside a lab host; resolves once capturing has started. */
export async function startCapture(host: Host, options: CaptureOptions): Promise<Capture> {
  const iface = options.iface ?? 'eth0';
  const file = path.join(host.lab.dir, `${host.name}-${iface}-${Date.now()}.pcapng`);
  const args = ['-i', iface, '-w', file, '-a', `duration:${Math.max(1, Math.ceil(options.durationMs / 1000))}`];
  if (options.count !== undefined) args.push('-c', String(options.count));
  if (options.filter !== undefined) args.push('-f', options.filter);
  const proc = host.spawn(`dumpcap-${iface}`, 'dumpcap', args);
  await proc.waitForOutput(/Capturing on/, 10_000);
  const decode = options.decodeAs === undefined ? {} : { decodeAs: options.decodeAs };
  const finish = async (): Promise<DissectedPacket[]> => {
    const status = await proc.exited;
    if (status.code !== 0 && status.signal === null) throw new Error(`dumpcap failed (${status.code}): ${proc.tail()}`);
    return dissect(file, decode);
  };
  return {
    proc,
    file,
    packets: finish,
    stop: async () => {
      proc.signal('SIGINT');
      return finish();
    },
  };
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  if (isIP(address) !== 6) throw new Error(`not an IP address: ${address}`);
  const [head = '', tail] = address.split('::');
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const buf = Buffer.alloc(16);
  all.forEach((w, i) => buf.writeUInt16BE(w, i * 2));
  return buf;
}

function macBytes(mac: string): Buffer {
  const parts = mac.split(/[:.-]/).join('');
  if (!/^[0-9a-f]{12}$/i.test(parts)) throw new Error(`not a MAC address: ${mac}`);
  return Buffer.from(parts, 'hex');
}

/** RFC 1112 §6.4 / RFC 2464 §7 multicast MAC, or undefined for unicast. */
function multicastMac(dst: string): string | undefined {
  const b = ipBytes(dst);
  if (b.length === 4 && ((b[0] ?? 0) & 0xf0) === 0xe0) {
    return `01:00:5e:${hex((b[1] ?? 0) & 0x7f)}:${hex(b[2] ?? 0)}:${hex(b[3] ?? 0)}`;
  }
  if (b.length === 16 && b[0] === 0xff) return `33:33:${[12, 13, 14, 15].map((i) => hex(b[i] ?? 0)).join(':')}`;
  return undefined;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** RFC 1071 Internet checksum. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2 === 1) sum += (data[data.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
