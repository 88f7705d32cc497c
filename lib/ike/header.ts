// The fixed IKE header (RFC 7296 §3.1), written in place at the front of a
// message we protect ourselves: the SK payload is encrypted over the whole
// buffer (crypto's SkProtect), so the header must already be final.
//
//   0       8      16    17        18            19     20       24      28
//   | SPIi  | SPIr | Next | Version | Exchange Type | Flags | Message ID | Length |
import { HeaderFlag, PayloadType } from './constants';

export const headerLength = 28;

/** IKEv2 version octet: major 2, minor 0 (RFC 7296 §3.1). */
const version2 = 0x20;

export interface HeaderFields {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  readonly nextPayload: number;
  readonly exchange: number;
  /** We are the original initiator of the IKE SA (I flag). */
  readonly initiator: boolean;
  readonly response: boolean;
  readonly messageId: number;
  readonly length: number;
}

export function writeHeader(buf: Buffer, h: HeaderFields): void {
  h.spiI.copy(buf, 0, 0, 8);
  h.spiR.copy(buf, 8, 0, 8);
  buf[16] = h.nextPayload;
  buf[17] = version2;
  buf[18] = h.exchange;
  buf[19] = (h.initiator ? HeaderFlag.INITIATOR : 0) | (h.response ? HeaderFlag.RESPONSE : 0);
  buf.writeUInt32BE(h.messageId >>> 0, 20);
  buf.writeUInt32BE(h.length, 24);
}

/** The generic header of the SK payload at `offset` (RFC 7296 §3.14). */
export function writeSkHeader(buf: Buffer, offset: number, firstInnerType: number, payloadLength: number): void {
  buf[offset] = firstInnerType;
  buf[offset + 1] = 0;
  buf.writeUInt16BE(payloadLength, offset + 2);
}

export const skPayloadType = PayloadType.SK;
