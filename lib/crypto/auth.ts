// AUTH payload data (RFC 7296 §2.15, §3.8): pre-shared keys inline (cheap),
// signatures on the crypto pool. Signature methods: 14 (RFC 7427 digital
// signature: RSA PKCS#1 v1.5 or RSASSA-PSS with SHA2-256/384/512, ECDSA with
// SHA2-256/384/512) and, for peers without RFC 7427, the classic 1 (RSA,
// PKCS#1 v1.5 with SHA-1) and 9/10 (ECDSA P-256/SHA-256, P-384/SHA-384 with
// r | s, RFC 4754).
import { IkelbError } from '../errors';
import { bufferOrThrow, check, cryptoNative } from './native';
import type { PrivateKey, PublicKey } from './certs';
import { type CryptoPool, defaultPool } from './pool';
import { HashId, type PrfId, prfLength } from './prf';

/** IKEv2 Authentication Method (IANA; RFC 7296 §3.8, RFC 4754, RFC 7427). */
export const AuthMethod = {
  RSA_SIGNATURE: 1,
  SHARED_KEY_MIC: 2,
  ECDSA_SHA256_P256: 9,
  ECDSA_SHA384_P384: 10,
  DIGITAL_SIGNATURE: 14,
} as const;
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];
export type SignatureAuthMethod = 1 | 9 | 10 | 14;

/** SIGNATURE_HASH_ALGORITHMS notify type (RFC 7427 §4). */
export const SIGNATURE_HASH_ALGORITHMS = 16431;

/** The octets both sides sign or MAC (RFC 7296 §2.15). */
export interface AuthContext {
  readonly prf: PrfId;
  /** The whole IKE_SA_INIT message this side sent (RealMessage1 or RealMessage2). */
  readonly realMessage: Uint8Array;
  /** The peer's nonce data (NonceRData for the initiator, NonceIData for the responder). */
  readonly peerNonce: Uint8Array;
  /** SK_pi when computing the initiator's AUTH, SK_pr for the responder's. */
  readonly skP: Uint8Array;
  /** The ID payload of the side being authenticated, without its 4-octet generic header. */
  readonly idPayloadBody: Uint8Array;
}

/** SignedOctets = RealMessage | NonceData | prf(SK_p, RestOfIDPayload). */
export function signedOctets(c: AuthContext): Buffer {
  return bufferOrThrow(cryptoNative().signedOctets(c.prf, c.realMessage, c.peerNonce, c.skP, c.idPayloadBody), 'signed octets');
}

/** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets) (method 2). */
export function pskAuth(c: AuthContext, psk: Uint8Array): Buffer {
  const out = Buffer.alloc(prfLength(c.prf));
  check(cryptoNative().pskAuth(c.prf, psk, c.realMessage, c.peerNonce, c.skP, c.idPayloadBody, out), 'PSK AUTH');
  return out;
}

/** Constant-time check of the peer's PSK AUTH data. */
export function verifyPskAuth(c: AuthContext, psk: Uint8Array, received: Uint8Array): boolean {
  const status = cryptoNative().pskVerify(c.prf, psk, c.realMessage, c.peerNonce, c.skP, c.idPayloadBody, received);
  if (status === 7) return false;
  check(status, 'PSK AUTH verification');
  return true;
}

// ------------------------------------------------------ signature algorithms

/** Hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4; 5 = Identity, RFC 8420). */
export const SignatureHash = {
  SHA1: 1,
  SHA2_256: 2,
  SHA2_384: 3,
  SHA2_512: 4,
  IDENTITY: 5,
} as const;

/** What we announce in SIGNATURE_HASH_ALGORITHMS: the hashes we verify with method 14. */
export const SUPPORTED_SIGNATURE_HASHES: readonly number[] = [SignatureHash.SHA2_256, SignatureHash.SHA2_384, SignatureHash.SHA2_512];

export function encodeSignatureHashAlgorithms(hashes: readonly number[] = SUPPORTED_SIGNATURE_HASHES): Buffer {
  const out = Buffer.alloc(2 * hashes.length);
  hashes.forEach((h, i) => out.writeUInt16BE(h, 2 * i));
  return out;
}

/** Notify data to a list of 16-bit hash IDs; an odd length is IKELB_ERR_DECODE. */
export function decodeSignatureHashAlgorithms(data: Uint8Array): number[] {
  if (data.length % 2 !== 0) {
    throw new IkelbError('IKELB_ERR_DECODE', `SIGNATURE_HASH_ALGORITHMS data has odd length ${data.length}`);
  }
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 2) out.push(((data[i] as number) << 8) | (data[i + 1] as number));
  return out;
}

export interface SignatureScheme {
  readonly method: SignatureAuthMethod;
  /** Method 14 only (methods 1, 9, 10 fix their hash). */
  readonly hash: HashId;
  /** Method 14 with an RSA key: RSASSA-PSS rather than PKCS#1 v1.5. */
  readonly pss: boolean;
}

/**
 * The scheme to sign with. If the peer sent SIGNATURE_HASH_ALGORITHMS, method
 * 14 with the hash matching the key's strength when the peer offers it, else
 * the strongest common one (RSA uses PSS only when `rsaPss` is asked for:
 * PKCS#1 v1.5 is what every peer verifies). Without the notify, the classic
 * method of the key: 1 for RSA, 9 for P-256, 10 for P-384.
 */
export function chooseSignatureScheme(
  key: PrivateKey,
  peerHashes: readonly number[] | undefined,
  options: { readonly rsaPss?: boolean } = {},
): SignatureScheme {
  if (peerHashes === undefined) {
    if (key.type === 'rsa') return { method: 1, hash: HashId.SHA1, pss: false };
    if (key.type === 'ecdsa-p256') return { method: 9, hash: HashId.SHA2_256, pss: false };
    return { method: 10, hash: HashId.SHA2_384, pss: false };
  }
  const preferred: HashId = key.type === 'ecdsa-p384' ? HashId.SHA2_384 : HashId.SHA2_256;
  const order: HashId[] = [preferred, HashId.SHA2_512, HashId.SHA2_384, HashId.SHA2_256];
  const hash = order.find((h) => peerHashes.includes(h));
  if (hash === undefined) {
    throw new IkelbError('IKELB_ERR_AUTH_ALGORITHM', `no common signature hash (peer offers ${peerHashes.join(', ') || 'none'})`);
  }
  return { method: 14, hash, pss: key.type === 'rsa' && options.rsaPss === true };
}

export interface SignedAuth {
  readonly method: SignatureAuthMethod;
  readonly authData: Buffer;
}

/** Signs SignedOctets on the pool; the AUTH payload carries `method` and `authData`. */
export async function signAuth(
  key: PrivateKey,
  scheme: SignatureScheme,
  octets: Uint8Array,
  pool: CryptoPool = defaultPool(),
): Promise<SignedAuth> {
  // RSA signature = modulus length; ECDSA DER <= 2 * 49 + 8; plus the method 14 AlgorithmIdentifier.
  const out = Buffer.alloc(Math.ceil(key.bits / 8) + 256);
  const n = await pool.runWithLength((done) =>
    pool.submitSign(key.handle, scheme.method, scheme.hash, scheme.pss, octets, out, done),
  );
  return { method: scheme.method, authData: out.subarray(0, n) };
}

/** Inline variant of signAuth (blocks the JS thread: tests and tools only). */
export function signAuthSync(key: PrivateKey, scheme: SignatureScheme, octets: Uint8Array): SignedAuth {
  const result = cryptoNative().signAuth(key.handle, scheme.method, scheme.hash, scheme.pss, octets);
  return { method: scheme.method, authData: bufferOrThrow(result, 'AUTH signature') };
}

/**
 * Verifies the peer's AUTH with its certificate's public key on the pool.
 * Resolves true/false; rejects with IKELB_ERR_AUTH_ALGORITHM when the method
 * or RFC 7427 AlgorithmIdentifier is unsupported or does not fit the key.
 */
export async function verifyAuth(
  key: PublicKey,
  method: number,
  authData: Uint8Array,
  octets: Uint8Array,
  pool: CryptoPool = defaultPool(),
): Promise<boolean> {
  try {
    await pool.run((done) => pool.submitVerify(key.handle, method, authData, octets, done));
    return true;
  } catch (err) {
    if (err instanceof IkelbError && err.code === 'IKELB_ERR_AUTH_SIGNATURE') return false;
    throw err;
  }
}

/** Inline variant of verifyAuth. */
export function verifyAuthSync(key: PublicKey, method: number, authData: Uint8Array, octets: Uint8Array): boolean {
  const status = cryptoNative().verifyAuth(key.handle, method, authData, octets);
  if (status === 7) return false;
  check(status, 'AUTH verification');
  return true;
}

/** The RFC 7427 AlgorithmIdentifier DER we send for a key and scheme (method 14). */
export function signatureAlgorithmIdentifier(key: PrivateKey, scheme: SignatureScheme): Buffer {
  return bufferOrThrow(
    cryptoNative().signatureAlgorithmIdentifier(key.handle, scheme.method, scheme.hash, scheme.pss),
    'AlgorithmIdentifier',
  );
}
