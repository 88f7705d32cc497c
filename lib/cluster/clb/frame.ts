// One frame of the CLB channel (docs/CLB-PROTOCOL.md has the byte diagram):
//
//   0       2       3       4               8                       16
//   | length | ver  | type  |   member id    |    sequence number     | payload ... | MAC (32) |
//
// All integers big-endian. `length` counts the whole frame, itself and the MAC
// included. The MAC is HMAC-SHA256 over every byte before it, so the header
// (type, member id, sequence) is authenticated along with the payload.
import { macLength, computeMac, macMatches } from './keys';

export const protocolVersion = 1;
export const headerLength = 16;
export const minFrameLength = headerLength + macLength;
/** Largest frame accepted; our biggest payload is a few dozen octets. */
export const maxFrameLength = 1024;
export const maxPayloadLength = maxFrameLength - minFrameLength;

export const MessageType = {
  /** subordinate → primary, first frame: the subordinate's nonce (open key). */
  open: 1,
  /** primary → subordinate: the primary's nonce (first frame under the session key). */
  challenge: 2,
  /** subordinate → primary, every `slave hello` ms: address, priority, capabilities. */
  hello: 3,
  /** subordinate → primary, every `slave update` ms: sessions and loads. */
  load: 4,
  /** primary → subordinate, answer to each HELLO: accepted, and the cluster's view. */
  primaryInfo: 5,
  /** either way, before closing on purpose: why. */
  goodbye: 6,
} as const;

export type MessageTypeName = keyof typeof MessageType;
export type MessageTypeCode = (typeof MessageType)[MessageTypeName];

const typeNames = new Map<number, MessageTypeName>(Object.entries(MessageType).map(([name, code]) => [code, name as MessageTypeName]));

export function messageTypeName(code: number): MessageTypeName | undefined {
  return typeNames.get(code);
}

export interface FrameHeader {
  readonly version: number;
  readonly type: number;
  readonly memberId: number;
  readonly sequence: number;
}

/** Builds a complete frame and MACs it with key. */
export function sealFrame(key: Buffer, type: MessageTypeCode, memberId: number, sequence: number, payload: Buffer): Buffer {
  if (payload.length > maxPayloadLength) throw new RangeError(`CLB payload of ${payload.length} octets exceeds ${maxPayloadLength}`);
  const length = minFrameLength + payload.length;
  const frame = Buffer.alloc(length);
  frame.writeUInt16BE(length, 0);
  frame.writeUInt8(protocolVersion, 2);
  frame.writeUInt8(type, 3);
  frame.writeUInt32BE(memberId >>> 0, 4);
  frame.writeBigUInt64BE(BigInt(sequence), 8);
  payload.copy(frame, headerLength);
  computeMac(key, frame.subarray(0, length - macLength)).copy(frame, length - macLength);
  return frame;
}

/** Reads the header of a frame whose length the reader already checked. */
export function frameHeader(frame: Buffer): FrameHeader {
  const sequence = frame.readBigUInt64BE(8);
  return {
    version: frame.readUInt8(2),
    type: frame.readUInt8(3),
    memberId: frame.readUInt32BE(4),
    // Beyond 2^53 frames no connection lives; clamp so comparisons stay exact.
    sequence: sequence > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(sequence),
  };
}

export function framePayload(frame: Buffer): Buffer {
  return frame.subarray(headerLength, frame.length - macLength);
}

/** True when the frame's MAC verifies under key (constant-time comparison). */
export function frameMacMatches(key: Buffer, frame: Buffer): boolean {
  return macMatches(key, frame.subarray(0, frame.length - macLength), frame.subarray(frame.length - macLength));
}
