// Hand-built IKE datagrams for tests: raw bytes, independent of our encoder,
// so malformed input can be exactly what a hostile peer would send.
export interface RawPayloadSpec {
  /** This payload's type (written into the previous Next Payload field). */
  readonly type: number;
  readonly body: Buffer;
  readonly critical?: boolean;
  /** Octet 1 as a whole (overrides critical). */
  readonly flags?: number;
  /** Payload Length as written (default: 4 + body). */
  readonly length?: number;
  /** Next Payload as written (default: the next spec's type, 0 for the last; SK: its inner type). */
  readonly next?: number;
}

export interface RawHeaderSpec {
  readonly spiI?: string;
  readonly spiR?: string;
  readonly exchangeType?: number;
  readonly flags?: number;
  readonly messageId?: number;
  /** Version octet (default 0x20: IKEv2.0). */
  readonly version?: number;
  /** Length field as written (default: the real length). */
  readonly length?: number;
  /** First payload type as written (default: the first spec's type). */
  readonly nextPayload?: number;
}

export const SPI_I = '0011223344556677';
export const SPI_R = '0000000000000000';

export function chainBytes(payloads: readonly RawPayloadSpec[]): Buffer {
  return Buffer.concat(
    payloads.map((p, i) => {
      const h = Buffer.alloc(4);
      h[0] = p.next ?? payloads[i + 1]?.type ?? 0;
      h[1] = p.flags ?? (p.critical === true ? 0x80 : 0);
      h.writeUInt16BE(p.length ?? 4 + p.body.length, 2);
      return Buffer.concat([h, p.body]);
    }),
  );
}

export function messageBytes(payloads: readonly RawPayloadSpec[], header: RawHeaderSpec = {}): Buffer {
  const body = chainBytes(payloads);
  const h = Buffer.alloc(28);
  Buffer.from(header.spiI ?? SPI_I, 'hex').copy(h, 0);
  Buffer.from(header.spiR ?? SPI_R, 'hex').copy(h, 8);
  h[16] = header.nextPayload ?? payloads[0]?.type ?? 0;
  h[17] = header.version ?? 0x20;
  h[18] = header.exchangeType ?? 34;
  h[19] = header.flags ?? 0x08;
  h.writeUInt32BE(header.messageId ?? 0, 20);
  h.writeUInt32BE(header.length ?? 28 + body.length, 24);
  return Buffer.concat([h, body]);
}

export const u8 = (v: number): Buffer => Buffer.of(v & 0xff);
export const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
};
export const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};
export const bytes = (n: number, fill = 0xab): Buffer => Buffer.alloc(n, fill);
export const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

/** A transform substructure: last (0/3), type, id, attribute bytes. */
export function transformBytes(last: number, type: number, id: number, attributes: Buffer = Buffer.alloc(0), length?: number): Buffer {
  return cat(u8(last), u8(0), u16(length ?? 8 + attributes.length), u8(type), u8(0), u16(id), attributes);
}

/** A proposal substructure: last (0/2), number, protocol, spi, transforms (count announced = given or actual). */
export function proposalBytes(
  last: number,
  number: number,
  protocol: number,
  spi: Buffer,
  transforms: readonly Buffer[],
  opts: { announced?: number; length?: number; spiSize?: number } = {},
): Buffer {
  const body = Buffer.concat(transforms);
  return cat(
    u8(last),
    u8(0),
    u16(opts.length ?? 8 + spi.length + body.length),
    u8(number),
    u8(protocol),
    u8(opts.spiSize ?? spi.length),
    u8(opts.announced ?? transforms.length),
    spi,
    body,
  );
}

/** An IKE SA proposal with AES-GCM-16/256, PRF-HMAC-SHA2-256 and the given DH group. */
export function ikeProposal(dhGroup = 31): Buffer {
  return proposalBytes(0, 1, 1, Buffer.alloc(0), [
    transformBytes(3, 1, 20, cat(u16(0x800e), u16(256))),
    transformBytes(3, 2, 5),
    transformBytes(0, 4, dhGroup),
  ]);
}

/** A notify body: protocol, spi, type, data. */
export function notifyBody(type: number, data: Buffer = Buffer.alloc(0), spi: Buffer = Buffer.alloc(0), protocol = 0): Buffer {
  return cat(u8(protocol), u8(spi.length), u16(type), spi, data);
}
