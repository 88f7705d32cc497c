// Diffie-Hellman for IKEv2 (Transform Type 4): groups 14 (MODP-2048, RFC 3526),
// 19/20 (ECP-256/384, RFC 5903: x | y without the 0x04 prefix) and 31
// (Curve25519, RFC 8031). The peer's KE data is validated before use
// (RFC 7296 §5, RFC 6989, RFC 7748 §6.1): an invalid value is
// IKELB_ERR_DH_PEER_PUBLIC, never a crash.
//
// A private key is an opaque Buffer (private scalar | own public value) that
// the caller keeps between IKE_SA_INIT request and response and wipes with
// wipeDhKeyPair() when done. A responder never sees one: respond() generates,
// derives and forgets the private key inside one native job.
import { IkelbError } from '../errors';
import { check, cryptoNative } from './native';
import { type CryptoPool, defaultPool } from './pool';

export const DhGroup = {
  MODP_2048: 14,
  ECP_256: 19,
  ECP_384: 20,
  CURVE25519: 31,
} as const;
export type DhGroup = (typeof DhGroup)[keyof typeof DhGroup];

export function isSupportedDhGroup(value: number): value is DhGroup {
  return value === 14 || value === 19 || value === 20 || value === 31;
}

export interface DhLengths {
  /** KE payload data length (RFC 7296 §3.4). */
  readonly publicLength: number;
  /** g^ir length. */
  readonly sharedLength: number;
  /** Opaque private key blob length. */
  readonly privateLength: number;
}

const lengthCache = new Map<number, DhLengths>();

export function dhLengths(group: DhGroup): DhLengths {
  let l = lengthCache.get(group);
  if (l === undefined) {
    const raw = cryptoNative().dhLengths(group);
    if (raw === null) throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', `unsupported DH group ${group}`);
    l = Object.freeze({ publicLength: raw[0], sharedLength: raw[1], privateLength: raw[2] });
    lengthCache.set(group, l);
  }
  return l;
}

export interface DhKeyPair {
  readonly group: DhGroup;
  /** Our KE payload data. */
  readonly publicValue: Buffer;
  /** Opaque; secret. Wipe with wipeDhKeyPair(). */
  readonly privateKey: Buffer;
}

export interface DhResponse {
  readonly publicValue: Buffer;
  /** g^ir; secret. */
  readonly sharedSecret: Buffer;
}

function assertGroup(group: number): asserts group is DhGroup {
  if (!isSupportedDhGroup(group)) throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', `unsupported DH group ${group}`);
}

/** Whether a peer's KE data is acceptable for the group (no secret involved). */
export function isValidPeerPublic(group: DhGroup, peer: Uint8Array): boolean {
  assertGroup(group);
  return cryptoNative().dhValidate(group, peer) === 0;
}

/** Throws IKELB_ERR_DH_PEER_PUBLIC when the peer's KE data is not acceptable. */
export function validatePeerPublic(group: DhGroup, peer: Uint8Array): void {
  assertGroup(group);
  check(cryptoNative().dhValidate(group, peer), `DH group ${group} peer public value`);
}

export function wipeDhKeyPair(pair: DhKeyPair): void {
  pair.privateKey.fill(0);
}

// ------------------------------------------------ inline (JS thread) variants

export function generateKeyPairSync(group: DhGroup): DhKeyPair {
  assertGroup(group);
  const l = dhLengths(group);
  const publicValue = Buffer.alloc(l.publicLength);
  const privateKey = Buffer.alloc(l.privateLength);
  check(cryptoNative().dhGenerate(group, publicValue, privateKey), `DH group ${group} key generation`);
  return { group, publicValue, privateKey };
}

export function deriveSharedSecretSync(pair: DhKeyPair, peer: Uint8Array): Buffer {
  const sharedSecret = Buffer.alloc(dhLengths(pair.group).sharedLength);
  check(cryptoNative().dhDerive(pair.group, pair.privateKey, peer, sharedSecret), `DH group ${pair.group} shared secret`);
  return sharedSecret;
}

export function respondSync(group: DhGroup, peer: Uint8Array): DhResponse {
  assertGroup(group);
  const l = dhLengths(group);
  const publicValue = Buffer.alloc(l.publicLength);
  const sharedSecret = Buffer.alloc(l.sharedLength);
  check(cryptoNative().dhRespond(group, peer, publicValue, sharedSecret), `DH group ${group} response`);
  return { publicValue, sharedSecret };
}

// ------------------------------------------------- pool (worker thread) variants

export async function generateKeyPair(group: DhGroup, pool: CryptoPool = defaultPool()): Promise<DhKeyPair> {
  assertGroup(group);
  const l = dhLengths(group);
  const publicValue = Buffer.alloc(l.publicLength);
  const privateKey = Buffer.alloc(l.privateLength);
  await pool.run((done) => pool.submitDhGenerate(group, publicValue, privateKey, done));
  return { group, publicValue, privateKey };
}

export async function deriveSharedSecret(pair: DhKeyPair, peer: Uint8Array, pool: CryptoPool = defaultPool()): Promise<Buffer> {
  const sharedSecret = Buffer.alloc(dhLengths(pair.group).sharedLength);
  await pool.run((done) => pool.submitDhDerive(pair.group, pair.privateKey, peer, sharedSecret, done));
  return sharedSecret;
}

export async function respond(group: DhGroup, peer: Uint8Array, pool: CryptoPool = defaultPool()): Promise<DhResponse> {
  assertGroup(group);
  const l = dhLengths(group);
  const publicValue = Buffer.alloc(l.publicLength);
  const sharedSecret = Buffer.alloc(l.sharedLength);
  await pool.run((done) => pool.submitDhRespond(group, peer, publicValue, sharedSecret, done));
  return { publicValue, sharedSecret };
}
