// Valid but unusual datagrams our encoder would never produce: reserved bits
// and fields set, TLV attributes, a critical bit on a known payload, unknown
// TS and gateway identity types. RFC 7296 says reserved fields MUST be
// ignored on receipt: we accept them, and keep them, so re-encoding is exact.
import { bytes, cat, messageBytes, notifyBody, proposalBytes, transformBytes, u16, u8 } from '../support/ike-bytes';

export interface UnusualCase {
  readonly name: string;
  readonly slug: string;
  readonly datagram: Buffer;
}

function reservedEverywhere(): Buffer {
  const proposal = proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 4, 31)]);
  proposal[1] = 0x5a; // proposal RESERVED
  proposal[8 + 1] = 0x11; // transform RESERVED (octet 1)
  proposal[8 + 5] = 0x22; // transform RESERVED (octet 5)
  return messageBytes([
    { type: 33, body: proposal },
    { type: 34, body: cat(u16(31), u16(0xbeef), bytes(32)) },
    { type: 35, body: cat(u8(2), Buffer.from([1, 2, 3]), Buffer.from('a.example')) },
    { type: 39, body: cat(u8(2), Buffer.from([4, 5, 6]), bytes(32)) },
    { type: 44, body: cat(u8(1), Buffer.from([7, 8, 9]), u8(7), u8(0), u16(16), u16(0), u16(65535), bytes(8)) },
    { type: 47, body: cat(u8(1), Buffer.from([10, 11, 12]), u16(0x8001), u16(0)) },
  ]);
}

export const tlvAttributes = cat(u16(0x0011), u16(3), Buffer.from([1, 2, 3]), u16(0x800e), u16(128));

export const unusualCases: readonly UnusualCase[] = [
  {
    name: 'reserved header flag bits and a minor version survive',
    slug: 'header-reserved-flags-minor-version',
    datagram: messageBytes([{ type: 40, body: bytes(32) }], { flags: 0x08 | 0x01 | 0x80, version: 0x25 }),
  },
  {
    name: 'reserved bits after the critical bit survive',
    slug: 'payload-reserved-bits',
    datagram: messageBytes([{ type: 40, body: bytes(32), flags: 0x7f }]),
  },
  {
    name: 'a critical bit on a known payload is accepted and kept (RFC 7296 §2.5)',
    slug: 'critical-known-payload',
    datagram: messageBytes([{ type: 40, body: bytes(32), critical: true }]),
  },
  {
    name: 'reserved octets of proposals, transforms, KE, ID, AUTH, TS and CP survive',
    slug: 'reserved-octets-everywhere',
    datagram: reservedEverywhere(),
  },
  {
    name: 'a transform attribute in TLV form stays TLV',
    slug: 'tlv-attribute',
    datagram: messageBytes([{ type: 33, body: proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 1, 12, tlvAttributes)]) }]),
  },
  {
    name: 'an unknown traffic selector type is kept raw',
    slug: 'unknown-ts-type',
    datagram: messageBytes([{ type: 44, body: cat(u8(1), u8(0), u16(0), u8(9), u8(0), u16(12), bytes(8)) }]),
  },
  {
    name: 'a REDIRECT with an unassigned gateway identity type is kept',
    slug: 'redirect-unassigned-gw-type',
    datagram: messageBytes([{ type: 41, body: notifyBody(16407, cat(u8(200), u8(3), bytes(3))) }], { flags: 0x20 }),
  },
  {
    name: 'a non-first encrypted fragment (Next Payload 0) survives',
    slug: 'skf-second-fragment',
    datagram: messageBytes([{ type: 53, body: cat(u16(2), u16(2), bytes(40)), next: 0 }], { exchangeType: 35 }),
  },
  {
    name: 'an SK payload with no inner payloads (an empty INFORMATIONAL) survives',
    slug: 'sk-empty-informational',
    datagram: messageBytes([{ type: 46, body: bytes(28), next: 0 }], { exchangeType: 37, messageId: 5 }),
  },
  {
    name: 'a message with no payloads at all survives',
    slug: 'no-payloads',
    datagram: messageBytes([]),
  },
  {
    name: 'an unknown non-critical payload between known ones is skipped and kept',
    slug: 'unknown-payload-between',
    datagram: messageBytes([{ type: 40, body: bytes(32) }, { type: 13, body: bytes(20) }, { type: 43, body: bytes(16) }]),
  },
  {
    name: 'notify SPI and protocol of a Child SA notify survive',
    slug: 'rekey-sa-notify',
    datagram: messageBytes([{ type: 41, body: notifyBody(16393, Buffer.alloc(0), bytes(4), 3) }], { exchangeType: 36 }),
  },
];
