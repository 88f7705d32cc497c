// IKEv2 wire codec for TypeScript: the typed surface over native/ike/.
// decodeMessage never throws for bad input (it returns { ok: false, error }
// naming the field and offset); encodeMessage throws IkelbError
// IKELB_ERR_ENCODE when a message cannot be encoded or would not decode.
import { IkelbError } from '../errors';
import { decodeError, formatDecodeError } from './codec-errors';
import { codecNative, type NativeDecodeError, type NativeEncodeFailure } from './codec-native';
import type { DecodeError, DecodePayloadsResult, DecodeResult, IkeMessage, Payload } from './message';
import { readMessageTape, readPayloadsTape, writeMessageTape, writePayloadsTape } from './tape';

export { formatDecodeError } from './codec-errors';

export function isEncodeFailure(v: unknown): v is NativeEncodeFailure {
  return typeof v === 'object' && v !== null && 'encodeError' in v;
}

export function encodeFailureMessage(f: NativeEncodeFailure): string {
  switch (f.encodeError) {
    case 'INPUT':
      return `invalid message object: ${f.detail ?? ''}`;
    case 'INVALID':
      return f.decodeError === undefined
        ? 'the encoded message would not decode'
        : `the encoded message would not decode: ${formatDecodeError(f.decodeError)}`;
    case 'FIELD_OVERFLOW':
      return `${f.field ?? '?'}: ${f.value ?? '?'} does not fit its wire field (max ${f.max ?? '?'})`;
    case 'TYPE_MISMATCH':
      return `${f.field ?? '?'}: payload type ${f.value ?? '?'} does not match its body`;
    default:
      return `${f.encodeError} ${f.field ?? ''}`.trim();
  }
}

/** The IkelbError (IKELB_ERR_ENCODE, with .field and .decodeError) for a refused encode. */
export function encodeError(f: NativeEncodeFailure): IkelbError {
  const err = new IkelbError('IKELB_ERR_ENCODE', encodeFailureMessage(f));
  return Object.assign(err, {
    field: f.decodeError?.field ?? f.field,
    decodeError: f.decodeError === undefined ? undefined : decodeError(f.decodeError),
  });
}

// One reusable tape: decoding is synchronous, and the words are read into
// objects before the next call. Real messages need far fewer words than
// octets; the native side reports the exact size when the tape is short, and
// a tape that large is used once, not kept.
const KEPT_TAPE_WORDS = 16384;
let tape = new Uint32Array(4096);

function isWordCount(r: number | NativeDecodeError): r is number {
  return typeof r === 'number';
}

/** Runs a tape decode, retrying once with the size the native side asks for. */
function decodeWithTape(call: (t: Uint32Array) => number | NativeDecodeError): { r: number | NativeDecodeError; words: Uint32Array } {
  let words = tape;
  let r = call(words);
  if (isWordCount(r) && r < 0) {
    words = new Uint32Array(-r);
    if (words.length <= KEPT_TAPE_WORDS) tape = words;
    r = call(words);
  }
  return { r, words };
}

/**
 * The decoded message's byte strings are slices of one copy of the datagram
 * in Node's buffer pool. Nothing an SA keeps for its life points into it
 * (identities, KEYMAT, selectors and cached responses are copied into
 * lib/arena.ts), so a pool slab is pinned only while a handshake runs; an
 * ArrayBuffer of its own per decode cost a malloc, a BackingStore and a
 * sweep by the GC, three times per handshake.
 */
function privateCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafe(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * Decodes one IKE datagram (UDP payload; on port 4500 strip the 4-octet
 * non-ESP marker first). Validates the header, the payload chain and every
 * payload body; the first problem found is the error. Byte strings in the
 * result are slices of one private copy of the datagram (the caller may
 * reuse its buffer).
 */
export function decodeMessage(datagram: Uint8Array): DecodeResult {
  const { r, words } = decodeWithTape((t) => codecNative().decodeMessage(datagram, t));
  if (!isWordCount(r)) return { ok: false, error: decodeError(r) };
  return { ok: true, message: readMessageTape(words.subarray(0, r), privateCopy(datagram)) };
}

/** Like decodeMessage but returns only the error (or null): builds no objects. */
export function validateMessage(datagram: Uint8Array): DecodeError | null {
  const e = codecNative().validateMessage(datagram);
  return e === null ? null : decodeError(e);
}

/**
 * Decodes the payload chain inside a decrypted SK payload. firstPayloadType
 * is the SK's innerNextPayload; baseOffset is added to error offsets.
 */
export function decodePayloads(plaintext: Uint8Array, firstPayloadType: number, baseOffset = 0): DecodePayloadsResult {
  const { r, words } = decodeWithTape((t) => codecNative().decodePayloads(plaintext, firstPayloadType, baseOffset, t));
  if (!isWordCount(r)) return { ok: false, error: decodeError(r) };
  return { ok: true, payloads: readPayloadsTape(words.subarray(0, r), privateCopy(plaintext)) };
}

/** Encodes a message. Throws IkelbError IKELB_ERR_ENCODE (with .field) if it cannot. */
export function encodeMessage(message: IkeMessage): Buffer {
  const { words, blob } = writeMessageTape(message);
  const r = codecNative().encodeMessage(words, blob);
  if (isEncodeFailure(r)) throw encodeError(r);
  return r;
}

/** Encodes a payload chain for an SK payload's plaintext. */
export function encodePayloads(payloads: readonly Payload[]): { firstPayloadType: number; plaintext: Buffer } {
  const { words, blob } = writePayloadsTape(payloads);
  const r = codecNative().encodePayloads(words, blob);
  if (isEncodeFailure(r)) throw encodeError(r);
  return { firstPayloadType: r.firstPayloadType, plaintext: r.buffer };
}

/** Throws IkelbError IKELB_ERR_DECODE with the formatted error: for callers that treat bad input as fatal. */
export function decodeMessageOrThrow(datagram: Uint8Array): IkeMessage {
  const r = decodeMessage(datagram);
  if (!r.ok) throw Object.assign(new IkelbError('IKELB_ERR_DECODE', formatDecodeError(r.error)), { decodeError: r.error });
  return r.message;
}
