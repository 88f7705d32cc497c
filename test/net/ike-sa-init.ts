// IKE_SA_INIT requests as a client sends them, and the fast path's answers
// taken apart, written out byte by byte (RFC 7296 §3, RFC 5685 §8) so these
// tests do not depend on the code under test.
import { randomBytes } from 'node:crypto';
import { addressToBytes } from '../../lib/ip-address';

export const PAYLOAD = { SA: 33, KE: 34, NONCE: 40, NOTIFY: 41, VENDOR_ID: 43 } as const;
export const NOTIFY = { COOKIE: 16390, REDIRECT_SUPPORTED: 16406, REDIRECT: 16407, REDIRECTED_FROM: 16408 } as const;
export const IKE_SA_INIT = 34;

export interface SaInitOptions {
  readonly spi?: Buffer;
  readonly nonce?: Buffer;
  /** Announce RFC 5685 support with N(REDIRECT_SUPPORTED) (default true). */
  readonly redirectSupported?: boolean;
  /** Send N(REDIRECTED_FROM, address) instead (a client that was redirected here). */
  readonly redirectedFrom?: string;
  /** N(COOKIE) as the first payload (RFC 7296 §2.6). */
  readonly cookie?: Buffer;
  readonly messageId?: number;
  readonly responderSpi?: Buffer;
  readonly flags?: number;
  readonly exchange?: number;
}

interface Payload {
  readonly type: number;
  readonly body: Buffer;
}

const u16 = (v: number): Buffer => Buffer.of((v >> 8) & 0xff, v & 0xff);
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};

function notify(type: number, data: Buffer = Buffer.alloc(0)): Payload {
  return { type: PAYLOAD.NOTIFY, body: Buffer.concat([Buffer.of(0, 0), u16(type), data]) };
}

function addressBytes(address: string): { type: number; bytes: Buffer } {
  // RFC 5685 §4 gateway identity types: 1 IPv4, 2 IPv6.
  const bytes = addressToBytes(address);
  return { type: bytes.length === 4 ? 1 : 2, bytes };
}

// SA: one IKE proposal, AES-GCM-16-256 / PRF-HMAC-SHA2-256 / X25519.
const SA_BODY = Buffer.from(
  [
    '00000024', '01010003', // last proposal, 36 octets; #1, IKE, no SPI, 3 transforms
    '0300000c', '01000014', '800e0100', // ENCR AES-GCM-16, key length 256
    '03000008', '02000005', // PRF HMAC-SHA2-256
    '00000008', '0400001f', // KE group 31 (Curve25519)
  ].join(''),
  'hex',
);

export function chain(payloads: readonly Payload[]): { first: number; bytes: Buffer } {
  const parts: Buffer[] = [];
  payloads.forEach((p, i) => {
    const next = payloads[i + 1]?.type ?? 0;
    parts.push(Buffer.concat([Buffer.of(next, 0), u16(p.body.length + 4), p.body]));
  });
  return { first: payloads[0]?.type ?? 0, bytes: Buffer.concat(parts) };
}

export function header(spiI: Buffer, spiR: Buffer, next: number, exchange: number, flags: number, messageId: number, length: number): Buffer {
  return Buffer.concat([spiI, spiR, Buffer.of(next, 0x20, exchange, flags), u32(messageId), u32(length)]);
}

/** A client's IKE_SA_INIT request with a fresh SPI and nonce unless given. */
export function saInitRequest(options: SaInitOptions = {}): { datagram: Buffer; spi: Buffer; nonce: Buffer } {
  const spi = options.spi ?? randomBytes(8);
  const nonce = options.nonce ?? randomBytes(32);
  const payloads: Payload[] = [];
  if (options.cookie !== undefined) payloads.push(notify(NOTIFY.COOKIE, options.cookie));
  payloads.push({ type: PAYLOAD.SA, body: SA_BODY });
  payloads.push({ type: PAYLOAD.KE, body: Buffer.concat([u16(31), u16(0), randomBytes(32)]) });
  payloads.push({ type: PAYLOAD.NONCE, body: nonce });
  if (options.redirectedFrom !== undefined) {
    const a = addressBytes(options.redirectedFrom);
    payloads.push(notify(NOTIFY.REDIRECTED_FROM, Buffer.concat([Buffer.of(a.type, a.bytes.length), a.bytes])));
  } else if (options.redirectSupported ?? true) {
    payloads.push(notify(NOTIFY.REDIRECT_SUPPORTED));
  }
  const c = chain(payloads);
  const hdr = header(spi, options.responderSpi ?? Buffer.alloc(8), c.first, options.exchange ?? IKE_SA_INIT, options.flags ?? 0x08, options.messageId ?? 0, 28 + c.bytes.length);
  return { datagram: Buffer.concat([hdr, c.bytes]), spi, nonce };
}

export interface Answer {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  readonly exchange: number;
  readonly flags: number;
  readonly messageId: number;
  readonly notifies: readonly { type: number; data: Buffer }[];
  readonly payloadTypes: readonly number[];
}

/** Takes an answer apart, checking every length on the way; throws on anything malformed. */
export function parseAnswer(datagram: Buffer): Answer {
  if (datagram.length < 28) throw new Error(`answer of ${datagram.length} octets is shorter than the IKE header`);
  const length = datagram.readUInt32BE(24);
  if (length !== datagram.length) throw new Error(`header length ${length} != datagram ${datagram.length}`);
  if (datagram[17] !== 0x20) throw new Error(`version 0x${datagram[17]?.toString(16)} is not 2.0`);
  let next = datagram[16] ?? 0;
  let at = 28;
  const notifies: { type: number; data: Buffer }[] = [];
  const payloadTypes: number[] = [];
  while (next !== 0) {
    if (at + 4 > datagram.length) throw new Error('payload header runs past the end');
    const len = datagram.readUInt16BE(at + 2);
    if (len < 4 || at + len > datagram.length) throw new Error(`payload length ${len} at ${at} is wrong`);
    payloadTypes.push(next);
    if (next === PAYLOAD.NOTIFY) {
      const spiSize = datagram[at + 5] ?? 0;
      notifies.push({ type: datagram.readUInt16BE(at + 6), data: datagram.subarray(at + 8 + spiSize, at + len) });
    }
    next = datagram[at] ?? 0;
    at += len;
  }
  if (at !== datagram.length) throw new Error(`${datagram.length - at} octets after the last payload`);
  return {
    spiI: datagram.subarray(0, 8),
    spiR: datagram.subarray(8, 16),
    exchange: datagram[18] ?? 0,
    flags: datagram[19] ?? 0,
    messageId: datagram.readUInt32BE(20),
    notifies,
    payloadTypes,
  };
}

/** REDIRECT notification data (RFC 5685 §8.2): the new gateway and the copied nonce. */
export function parseRedirect(data: Buffer): { gateway: string; identType: number; nonce: Buffer } {
  const identType = data[0] ?? 0;
  const identLength = data[1] ?? 0;
  const ident = data.subarray(2, 2 + identLength);
  let gateway: string;
  if (identType === 1 && identLength === 4) gateway = [...ident].join('.');
  else if (identType === 2 && identLength === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(ident.readUInt16BE(i).toString(16));
    gateway = groups.join(':');
  } else throw new Error(`gateway identity type ${identType} length ${identLength} unexpected`);
  return { gateway, identType, nonce: data.subarray(2 + identLength) };
}
