// The native crypto module (exports.crypto of the addon, native/napi/crypto.cc):
// the shape lib/crypto relies on, and the mapping of native status numbers to
// IkelbError codes. No other file of lib/crypto loads the addon.
import { type ErrorCode, ErrorCodes, IkelbError } from '../errors';
import { nativeModule } from '../native';

/** Opaque OpenSSL handles (type-tagged N-API externals). */
export type NativeKeyHandle = { readonly __brand: 'ikelb.crypto.key' };
export type NativeCertHandle = { readonly __brand: 'ikelb.crypto.cert' };
export type NativeStoreHandle = { readonly __brand: 'ikelb.crypto.store' };
export type NativePoolHandle = { readonly __brand: 'ikelb.crypto.pool' };

export interface PoolOwner {
  onNativeCompletions(count: number): void;
}

/** Status 0 is success; anything else indexes constants.statusCodes. */
export type NativeStatus = number;

export interface CryptoNative {
  readonly constants: {
    readonly statusCodes: readonly string[];
    readonly statusMessages: readonly string[];
    readonly skContextLength: number;
    readonly skContextNextIvOffset: number;
    readonly spiLength: number;
    readonly maxDhPrivateLength: number;
    /** "ossl_x25519" (OpenSSL's X25519 function, found at run time) or "evp". */
    readonly x25519Backend: string;
  };
  randomFill(out: Uint8Array): NativeStatus;
  hmac(hashId: number, key: Uint8Array, data: Uint8Array, out: Uint8Array): NativeStatus;
  digest(hashId: number, data: Uint8Array, out: Uint8Array): NativeStatus;
  prfPlus(prfId: number, key: Uint8Array, seed: Uint8Array, out: Uint8Array): NativeStatus;
  deriveIkeSaKeys(
    prfId: number,
    nonceI: Uint8Array,
    nonceR: Uint8Array,
    sharedSecret: Uint8Array | null,
    spiI: Uint8Array,
    spiR: Uint8Array,
    oldSkD: Uint8Array | null,
    resumption: boolean,
    out: Uint8Array,
  ): NativeStatus;
  deriveIkeSaKeyMaterial(
    prfId: number,
    encrId: number,
    keyBits: number,
    integId: number,
    nonceI: Uint8Array,
    nonceR: Uint8Array,
    sharedSecret: Uint8Array | null,
    spiI: Uint8Array,
    spiR: Uint8Array,
    oldSkD: Uint8Array | null,
    resumption: boolean,
    out: Uint8Array,
  ): NativeStatus;
  deriveChildKeymat(
    prfId: number,
    skD: Uint8Array,
    sharedSecret: Uint8Array | null,
    nonceI: Uint8Array,
    nonceR: Uint8Array,
    out: Uint8Array,
  ): NativeStatus;
  aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Uint8Array): NativeStatus;
  aesGcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, input: Uint8Array, out: Uint8Array): NativeStatus;
  skKeyLengths(encrId: number, keyBits: number, integId: number): [number, number] | null;
  skContextInit(
    ctx: Uint8Array,
    encrId: number,
    keyBits: number,
    integId: number,
    encKey: Uint8Array,
    integKey: Uint8Array | null,
  ): NativeStatus;
  skSizes(ctx: Uint8Array, plaintextLength: number, out: Int32Array): NativeStatus;
  skProtect(ctx: Uint8Array, message: Uint8Array, skOffset: number, plaintextLength: number): NativeStatus;
  skUnprotect(ctx: Uint8Array, message: Uint8Array, skOffset: number, out: Int32Array): NativeStatus;
  signedOctets(
    prfId: number,
    realMessage: Uint8Array,
    peerNonce: Uint8Array,
    skP: Uint8Array,
    idPayloadBody: Uint8Array,
  ): Buffer | NativeStatus;
  pskAuth(
    prfId: number,
    psk: Uint8Array,
    realMessage: Uint8Array,
    peerNonce: Uint8Array,
    skP: Uint8Array,
    idPayloadBody: Uint8Array,
    out: Uint8Array,
  ): NativeStatus;
  pskVerify(
    prfId: number,
    psk: Uint8Array,
    realMessage: Uint8Array,
    peerNonce: Uint8Array,
    skP: Uint8Array,
    idPayloadBody: Uint8Array,
    received: Uint8Array,
  ): NativeStatus;
  signAuth(key: NativeKeyHandle, method: number, hash: number, pss: boolean, data: Uint8Array): Buffer | NativeStatus;
  verifyAuth(key: NativeKeyHandle, method: number, authData: Uint8Array, data: Uint8Array): NativeStatus;
  signatureAlgorithmIdentifier(key: NativeKeyHandle, method: number, hash: number, pss: boolean): Buffer | NativeStatus;
  loadPrivateKey(pem: Uint8Array, passphrase: Uint8Array | null): [NativeStatus, NativeKeyHandle | string];
  keyInfo(key: NativeKeyHandle): { type: 'rsa' | 'ecdsa-p256' | 'ecdsa-p384' | 'unsupported'; bits: number };
  parseCertificates(data: Uint8Array): [NativeStatus, NativeCertHandle[] | string];
  certPublicKey(cert: NativeCertHandle): NativeKeyHandle | null;
  certDer(cert: NativeCertHandle): Buffer | NativeStatus;
  certSubjectDer(cert: NativeCertHandle): Buffer | NativeStatus;
  certMatches(cert: NativeCertHandle, kind: 1 | 2 | 3 | 4, value: Uint8Array): boolean;
  createTrustStore(certs: readonly NativeCertHandle[]): NativeStoreHandle | null;
  chainErrorString(code: number): string;
  dhLengths(group: number): [number, number, number] | null;
  dhValidate(group: number, peer: Uint8Array): NativeStatus;
  dhGenerate(group: number, publicOut: Uint8Array, privateOut: Uint8Array): NativeStatus;
  dhDerive(group: number, privateBlob: Uint8Array, peer: Uint8Array, sharedOut: Uint8Array): NativeStatus;
  dhRespond(group: number, peer: Uint8Array, publicOut: Uint8Array, sharedOut: Uint8Array): NativeStatus;
  createPool(threads: number, completions: Int32Array, owner: PoolOwner): NativePoolHandle;
  poolThreads(pool: NativePoolHandle): number;
  poolClose(pool: NativePoolHandle): void;
  poolDh(
    pool: NativePoolHandle,
    id: number,
    kind: number,
    group: number,
    privateBlob: Uint8Array | null,
    peer: Uint8Array | null,
    out0: Uint8Array,
    out1: Uint8Array | null,
  ): NativeStatus;
  poolDhRespondKeys(
    pool: NativePoolHandle,
    id: number,
    group: number,
    peer: Uint8Array,
    prfId: number,
    encrId: number,
    keyBits: number,
    integId: number,
    nonceI: Uint8Array,
    nonceR: Uint8Array,
    spiI: Uint8Array,
    spiR: Uint8Array,
    publicOut: Uint8Array,
    materialOut: Uint8Array,
  ): NativeStatus;
  poolSign(
    pool: NativePoolHandle,
    id: number,
    key: NativeKeyHandle,
    method: number,
    hash: number,
    pss: boolean,
    data: Uint8Array,
    out: Uint8Array,
  ): NativeStatus;
  poolVerify(
    pool: NativePoolHandle,
    id: number,
    key: NativeKeyHandle,
    method: number,
    authData: Uint8Array,
    data: Uint8Array,
  ): NativeStatus;
  /** Benchmark baseline only (one napi_async_work per job): bench/crypto. */
  dhRespondAsyncWork(
    group: number,
    peer: Uint8Array,
    publicOut: Uint8Array,
    sharedOut: Uint8Array,
    callback: (status: NativeStatus) => void,
  ): NativeStatus;
  /** Benchmark only: an empty job through the pool / through napi_async_work. */
  /** Wakes idle workers for the jobs submitted since the last call (jobs are queued without a wake-up). */
  poolWake(pool: NativePoolHandle): void;
  poolNoop(pool: NativePoolHandle, id: number): NativeStatus;
  noopAsyncWork(callback: (status: NativeStatus) => void): void;
  /** Benchmark only: CPU ns per key generation and per derivation of `group` in native code. */
  dhCost(group: number, iterations: number): [number, number] | NativeStatus;
  poolVerifyChain(
    pool: NativePoolHandle,
    id: number,
    store: NativeStoreHandle,
    leaf: NativeCertHandle,
    intermediates: readonly NativeCertHandle[],
    atTimeSeconds: number,
  ): NativeStatus;
}

let cached: CryptoNative | undefined;

export function cryptoNative(): CryptoNative {
  cached ??= nativeModule<CryptoNative>('crypto');
  return cached;
}

/** Job kinds of the native pool (native/crypto/jobs.h JobKind). */
export const JobKind = {
  dhGenerate: 1,
  dhDerive: 2,
  dhRespond: 3,
  sign: 4,
  verify: 5,
  verifyChain: 6,
  noop: 7,
  dhRespondKeys: 8,
} as const;

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ErrorCodes, code);
}

/** The IkelbError for a non-zero native status; `what` names the operation. */
export function statusError(status: NativeStatus, what: string, detail?: string): IkelbError {
  const { statusCodes, statusMessages } = cryptoNative().constants;
  const name = statusCodes[status] ?? 'IKELB_ERR_CRYPTO';
  const code: ErrorCode = isErrorCode(name) ? name : 'IKELB_ERR_CRYPTO';
  const message = statusMessages[status] ?? `native status ${status}`;
  return new IkelbError(code, `${what}: ${message}${detail !== undefined && detail !== '' ? ` (${detail})` : ''}`);
}

/** Throws the IkelbError of a non-zero status. */
export function check(status: NativeStatus, what: string): void {
  if (status !== 0) throw statusError(status, what);
}

/** Unwraps a Buffer-or-status result. */
export function bufferOrThrow(result: Buffer | NativeStatus, what: string): Buffer {
  if (typeof result === 'number') throw statusError(result, what);
  return result;
}
