// The Encrypted (SK) payload (RFC 7296 §3.14) over a whole IKE message buffer:
//
//   IKE header | ... | SK generic header | IV | inner payloads | padding | pad length | ICV
//   ^0                ^skOffset                ^skOffset + plaintextOffset
//
// To send: compute sizes(innerLength), build the message with the IKE header
// length = skOffset + payloadLength and the SK payload length = payloadLength,
// copy the inner payloads to skOffset + plaintextOffset, then protect(). To
// receive: unprotect() verifies the ICV (constant time) and decrypts in place.
//
// An SkContext holds one direction's keys (SK_e with its salt, SK_a) in a
// Buffer the caller can wipe. For AES-GCM it also holds the IV counter: every
// protect() uses the next 64-bit value as the explicit IV (RFC 5282 §3.1), so
// an IV never repeats under a key. Never copy a context to protect with both
// copies. CBC IVs are random (RFC 7296 §3.14).
import { IkelbError } from '../errors';
import { check, cryptoNative } from './native';

/** IKEv2 Transform Type 1 (encryption) IDs supported for the SK payload. */
export const EncrId = {
  AES_CBC: 12,
  AES_GCM_16: 20,
} as const;
export type EncrId = (typeof EncrId)[keyof typeof EncrId];

/** IKEv2 Transform Type 3 (integrity) IDs supported with AES-CBC (RFC 4868). */
export const IntegId = {
  NONE: 0,
  HMAC_SHA2_256_128: 12,
  HMAC_SHA2_384_192: 13,
  HMAC_SHA2_512_256: 14,
} as const;
export type IntegId = (typeof IntegId)[keyof typeof IntegId];

export interface SkTransforms {
  readonly encr: EncrId;
  /** Key Length attribute (RFC 7296 §3.3.5): 128 or 256. */
  readonly keyBits: 128 | 256;
  /** NONE for AES-GCM (an AEAD has no integrity transform, RFC 5282 §8). */
  readonly integ: IntegId;
}

export interface SkKeyLengths {
  /** SK_e length; for GCM key + 4-octet salt (RFC 5282 §7). */
  readonly encr: number;
  /** SK_a length; 0 for GCM. */
  readonly integ: number;
}

export function skKeyLengths(t: SkTransforms): SkKeyLengths {
  const l = cryptoNative().skKeyLengths(t.encr, t.keyBits, t.integ);
  if (l === null) {
    throw new IkelbError(
      'IKELB_ERR_CRYPTO_ARGUMENT',
      `unsupported SK transforms encr ${t.encr}/${t.keyBits} integ ${t.integ}`,
    );
  }
  return { encr: l[0], integ: l[1] };
}

export interface SkSizes {
  readonly ivLength: number;
  readonly paddingLength: number;
  readonly icvLength: number;
  /** Offset of the inner payloads from the start of the SK payload (generic header + IV). */
  readonly plaintextOffset: number;
  /** The whole SK payload (generic header included): the value of its Payload Length field. */
  readonly payloadLength: number;
}

export interface Plaintext {
  /** Offset of the decrypted inner payloads in the message buffer. */
  readonly offset: number;
  readonly length: number;
}

const GENERIC_HEADER = 4;
const scratch = new Int32Array(4);

export class SkContext {
  /** The context bytes (keys, GCM IV counter). Secret. */
  readonly buffer: Buffer;

  /** Wraps an existing context buffer (e.g. a view into an SA's key Buffer). */
  constructor(buffer: Buffer) {
    if (buffer.length !== cryptoNative().constants.skContextLength) {
      throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', 'SK context buffer has the wrong length');
    }
    this.buffer = buffer;
  }

  static create(t: SkTransforms, encKey: Uint8Array, integKey: Uint8Array | null, into?: Buffer): SkContext {
    const buffer = into ?? Buffer.alloc(cryptoNative().constants.skContextLength);
    check(cryptoNative().skContextInit(buffer, t.encr, t.keyBits, t.integ, encKey, integKey), 'SK context');
    return new SkContext(buffer);
  }

  /** Sizes of an SK payload carrying `plaintextLength` octets of inner payloads. */
  sizes(plaintextLength: number): SkSizes {
    check(cryptoNative().skSizes(this.buffer, plaintextLength, scratch), 'SK sizes');
    const iv = scratch[0] as number;
    return {
      ivLength: iv,
      paddingLength: scratch[1] as number,
      icvLength: scratch[2] as number,
      plaintextOffset: GENERIC_HEADER + iv,
      payloadLength: scratch[3] as number,
    };
  }

  /**
   * Encrypts in place: `message` is the whole IKE message (from the IKE header,
   * without a non-ESP marker), exactly skOffset + sizes().payloadLength octets,
   * with both length fields set and the inner payloads in place. Throws
   * IKELB_ERR_CRYPTO_ARGUMENT on an inconsistent layout, IKELB_ERR_SK_IV_EXHAUSTED
   * when the GCM counter is used up.
   */
  protect(message: Uint8Array, skOffset: number, plaintextLength: number): void {
    check(cryptoNative().skProtect(this.buffer, message, skOffset, plaintextLength), 'SK protect');
  }

  /**
   * Verifies and decrypts in place. Throws IKELB_ERR_SK_ICV (integrity check
   * failed; the ciphertext area is wiped) or IKELB_ERR_SK_MALFORMED.
   */
  unprotect(message: Uint8Array, skOffset: number): Plaintext {
    check(cryptoNative().skUnprotect(this.buffer, message, skOffset, scratch), 'SK unprotect');
    return { offset: scratch[0] as number, length: scratch[1] as number };
  }

  /** Like unprotect() but returns the native status (0 = ok) and writes [offset, length] into out: no throw, no allocation. */
  tryUnprotect(message: Uint8Array, skOffset: number, out: Int32Array): number {
    return cryptoNative().skUnprotect(this.buffer, message, skOffset, out);
  }

  /** Messages protected so far with this context (GCM: the next IV). */
  get messagesProtected(): bigint {
    return this.buffer.readBigUInt64BE(cryptoNative().constants.skContextNextIvOffset);
  }

  wipe(): void {
    this.buffer.fill(0);
  }
}
