// PRF HMAC-SHA2-256/384/512 (RFC 4868) and prf+ (RFC 7296 §2.13). Cheap:
// these run inline on the JavaScript thread.
import { check, cryptoNative } from './native';

/** IKEv2 Transform Type 2 IDs (IANA; RFC 4868 §6). */
export const PrfId = {
  HMAC_SHA2_256: 5,
  HMAC_SHA2_384: 6,
  HMAC_SHA2_512: 7,
} as const;
export type PrfId = (typeof PrfId)[keyof typeof PrfId];

/** Hash algorithm IDs (RFC 7427 §4, IANA "Hash Algorithm Identifiers"). */
export const HashId = {
  SHA1: 1,
  SHA2_256: 2,
  SHA2_384: 3,
  SHA2_512: 4,
} as const;
export type HashId = (typeof HashId)[keyof typeof HashId];

const hashLengths: Record<HashId, number> = { 1: 20, 2: 32, 3: 48, 4: 64 };
const prfHash: Record<PrfId, HashId> = { 5: 2, 6: 3, 7: 4 };

export function isPrfId(value: number): value is PrfId {
  return value === 5 || value === 6 || value === 7;
}

/** Output length of the PRF, which is also its key length for HMAC-SHA2 (RFC 4868 §2.1.2). */
export function prfLength(prf: PrfId): number {
  return hashLengths[prfHash[prf]];
}

export function hashLength(hash: HashId): number {
  return hashLengths[hash];
}

export type ByteInput = Uint8Array | readonly Uint8Array[];

export function joinBytes(data: ByteInput): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return Buffer.concat(data as Uint8Array[]);
}

/** HMAC(key, data) with a full-length output. */
export function hmac(hash: HashId, key: Uint8Array, data: ByteInput): Buffer {
  const out = Buffer.alloc(hashLengths[hash]);
  check(cryptoNative().hmac(hash, key, joinBytes(data), out), 'hmac');
  return out;
}

/**
 * A plain digest of data, synchronous and without Node's Hash object (NAT
 * detection hashes four short inputs per handshake, RFC 7296 §2.23). The
 * output comes from Node's Buffer pool: the native call overwrites all of it
 * or throws.
 */
export function digest(hash: HashId, data: ByteInput): Buffer {
  const out = Buffer.allocUnsafe(hashLengths[hash]);
  check(cryptoNative().digest(hash, joinBytes(data), out), 'digest');
  return out;
}

/** prf(key, data) (RFC 7296 §2.13). */
export function prf(id: PrfId, key: Uint8Array, data: ByteInput): Buffer {
  return hmac(prfHash[id], key, data);
}

/** prf+(key, seed) truncated to `length` octets (at most 255 PRF blocks, RFC 7296 §2.13). */
export function prfPlus(id: PrfId, key: Uint8Array, seed: ByteInput, length: number): Buffer {
  const out = Buffer.alloc(length);
  check(cryptoNative().prfPlus(id, key, joinBytes(seed), out), 'prf+');
  return out;
}
