// Reads packet capture files: classic pcap (either byte order, micro- or
// nanosecond timestamps) and pcapng (what tshark and dumpcap write by
// default). Only what ikelb decode needs: each packet's link type,
// timestamp and captured bytes. Every length is checked against the file.
import { IkelbError } from '../errors';

export interface CapturedPacket {
  /** 1-based frame number, as tshark and Wireshark count. */
  readonly frame: number;
  /** Seconds since the epoch. */
  readonly time: number;
  /** LINKTYPE_* of the interface it was captured on. */
  readonly linkType: number;
  readonly data: Buffer;
}

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/**
 * True when the buffer starts like a pcap file (magic, then version 2.4) or
 * a pcapng file (Section Header Block with its byte-order magic). Checking
 * more than the magic matters: an IKE SPI may well start with a1b2c3d4.
 */
export function isCapture(buf: Buffer): boolean {
  if (buf.length < 12) return false;
  const be = buf.readUInt32BE(0);
  if (be === PCAPNG_SHB) {
    return buf.readUInt32LE(8) === PCAPNG_BYTE_ORDER_MAGIC || buf.readUInt32BE(8) === PCAPNG_BYTE_ORDER_MAGIC;
  }
  if (buf.length < 24) return false;
  const magics = [PCAP_MAGIC_US, PCAP_MAGIC_NS];
  if (magics.includes(be)) return buf.readUInt16BE(4) === 2 && buf.readUInt16BE(6) === 4;
  if (magics.includes(buf.readUInt32LE(0))) return buf.readUInt16LE(4) === 2 && buf.readUInt16LE(6) === 4;
  return false;
}

function bad(what: string): IkelbError {
  return new IkelbError('IKELB_ERR_CAPTURE', `not a readable capture file: ${what}`);
}

function readPcap(buf: Buffer): CapturedPacket[] {
  if (buf.length < 24) throw bad('pcap header truncated');
  const magicBe = buf.readUInt32BE(0);
  const little = magicBe !== PCAP_MAGIC_US && magicBe !== PCAP_MAGIC_NS;
  const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const magic = u32(0);
  const fraction = magic === PCAP_MAGIC_NS ? 1e9 : 1e6;
  const linkType = u32(20) & 0x0fffffff;
  const packets: CapturedPacket[] = [];
  let off = 24;
  while (off < buf.length) {
    if (off + 16 > buf.length) throw bad(`record header of frame ${packets.length + 1} truncated at offset ${off}`);
    const seconds = u32(off);
    const sub = u32(off + 4);
    const caplen = u32(off + 8);
    if (off + 16 + caplen > buf.length) throw bad(`frame ${packets.length + 1} runs past the end of the file`);
    packets.push({
      frame: packets.length + 1,
      time: seconds + sub / fraction,
      linkType,
      data: buf.subarray(off + 16, off + 16 + caplen),
    });
    off += 16 + caplen;
  }
  return packets;
}

interface NgInterface {
  linkType: number;
  /** Timestamp units per second. */
  resolution: number;
}

function readPcapng(buf: Buffer): CapturedPacket[] {
  const packets: CapturedPacket[] = [];
  let interfaces: NgInterface[] = [];
  let little = true;
  let off = 0;
  while (off < buf.length) {
    if (off + 12 > buf.length) throw bad(`block header truncated at offset ${off}`);
    const type = buf.readUInt32LE(off);
    if (type === PCAPNG_SHB) {
      // A section starts: its byte-order magic tells how to read the rest.
      const bom = buf.readUInt32LE(off + 8);
      if (bom === PCAPNG_BYTE_ORDER_MAGIC) little = true;
      else if (buf.readUInt32BE(off + 8) === PCAPNG_BYTE_ORDER_MAGIC) little = false;
      else throw bad('pcapng byte-order magic missing');
      interfaces = [];
    }
    const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    const u16 = (o: number) => (little ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
    const blockType = u32(off);
    const length = u32(off + 4);
    if (length < 12 || length % 4 !== 0 || off + length > buf.length) {
      throw bad(`block at offset ${off} has length ${length}`);
    }
    const body = off + 8;
    const end = off + length - 4;
    if (blockType === 1) {
      // Interface Description Block: link type, then options (if_tsresol = 9).
      let resolution = 1e6;
      let o = body + 8;
      while (o + 4 <= end) {
        const code = u16(o);
        const len = u16(o + 2);
        if (code === 0) break;
        if (code === 9 && len >= 1 && o + 4 < end) {
          const v = buf[o + 4] ?? 6;
          resolution = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + Math.ceil(len / 4) * 4;
      }
      interfaces.push({ linkType: u16(body), resolution });
    } else if (blockType === 6) {
      // Enhanced Packet Block.
      if (body + 20 > end) throw bad(`packet block at offset ${off} truncated`);
      const iface = interfaces[u32(body)];
      if (iface === undefined) throw bad(`packet block at offset ${off} names an unknown interface`);
      const ts = u32(body + 4) * 2 ** 32 + u32(body + 8);
      const caplen = u32(body + 12);
      if (body + 20 + caplen > end) throw bad(`packet at offset ${off} runs past its block`);
      packets.push({
        frame: packets.length + 1,
        time: ts / iface.resolution,
        linkType: iface.linkType,
        data: buf.subarray(body + 20, body + 20 + caplen),
      });
    } else if (blockType === 3) {
      // Simple Packet Block: interface 0, no timestamp.
      const iface = interfaces[0];
      if (iface === undefined) throw bad(`simple packet block at offset ${off} without an interface`);
      const caplen = Math.min(u32(body), end - body - 4);
      packets.push({ frame: packets.length + 1, time: 0, linkType: iface.linkType, data: buf.subarray(body + 4, body + 4 + caplen) });
    }
    off += length;
  }
  return packets;
}

/** Every packet of a pcap or pcapng capture. Throws IkelbError IKELB_ERR_CAPTURE if the file is malformed. */
export function readCapture(buf: Buffer): CapturedPacket[] {
  if (!isCapture(buf)) throw bad('no pcap or pcapng header');
  return buf.readUInt32BE(0) === PCAPNG_SHB ? readPcapng(buf) : readPcap(buf);
}
