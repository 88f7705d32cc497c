// What the state machines need from the IKEv2 codec: decode a datagram into
// a header, its plaintext payloads and where SK sits; decode a decrypted SK
// body; encode a plaintext message or a payload chain to go inside SK.
// wire.ts implements it over lib/ike/codec.ts.
import type { Header, Payload } from './payloads';

export interface WireError {
  readonly ok: false;
  /** Stable reason ("PAYLOAD_LENGTH_OVERRUN", ...) for counters. */
  readonly reason: string;
  /** Human text naming the field and offset. */
  readonly detail: string;
  /** The notify a responder would answer with when it may answer (RFC 7296 §3.10.1). */
  readonly notify: number;
}

export interface DecodedDatagram {
  readonly ok: true;
  readonly header: Header;
  /** IKE version octet (RFC 7296 §3.1): major in the high nibble. */
  readonly majorVersion: number;
  /** Payloads outside SK (all of them in IKE_SA_INIT). */
  readonly payloads: readonly Payload[];
  /** Types of every payload outside SK in order, unknown non-critical ones included. */
  readonly types: readonly number[];
  /** The SK payload, when present: its offset in the datagram and the type of its first inner payload. */
  readonly sk?: { readonly offset: number; readonly firstType: number };
}

export interface DecodedInner {
  readonly ok: true;
  readonly payloads: readonly Payload[];
  readonly types: readonly number[];
}

export interface OutHeader {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  readonly exchange: number;
  readonly initiator: boolean;
  readonly response: boolean;
  readonly messageId: number;
}

export interface IkeWire {
  decode(datagram: Buffer): DecodedDatagram | WireError;
  /** Decodes the decrypted content of an SK payload. */
  decodeInner(plaintext: Buffer, firstType: number): DecodedInner | WireError;
  /** A whole unencrypted message (IKE_SA_INIT, and the notify-only answers to it). */
  encode(header: OutHeader, payloads: readonly Payload[]): Buffer;
  /** The payload chain that goes inside SK, and the type of its first payload (0 when empty). */
  encodeChain(payloads: readonly Payload[]): { readonly bytes: Buffer; readonly firstType: number };
}
