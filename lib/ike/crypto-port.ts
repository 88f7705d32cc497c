// What the state machines need from cryptography, and nothing more. The
// gateway plugs in lib/crypto (native OpenSSL: DH and signatures on a worker
// pool, prf/prf+ and the SK payload on the JavaScript thread) through
// crypto-adapter.ts. Secrets stay in Buffers the SA owns so they can be
// wiped when the SA goes; nothing here ever logs a byte of them.

import type { IkeAlgorithms } from './ike-sa';

export interface DhPair {
  readonly group: number;
  readonly publicValue: Buffer;
  /** Opaque private blob (wiped by the SA when no longer needed). */
  readonly privateBlob: Buffer;
}

export interface DhResponse {
  readonly publicValue: Buffer;
  readonly shared: Buffer;
}

/** Why a DH computation was refused: the peer's public value is invalid (RFC 7296 §5, RFC 6989). */
export class InvalidPeerPublicValue extends Error {
  constructor(readonly group: number, detail: string) {
    super(`invalid KE data for group ${group}: ${detail}`);
    this.name = 'InvalidPeerPublicValue';
  }
}

/** One direction's SK keys (and GCM IV counter): opaque, owned by an IkeSaKeyMaterial. */
export type SkCtx = object;

/** Everything an IKE SA keys with; wipe() clears it all. */
export interface IkeSaKeyMaterial {
  /** Protects initiator -> responder messages (SK_ei, SK_ai). */
  readonly ctxIR: SkCtx;
  /** Protects responder -> initiator messages (SK_er, SK_ar). */
  readonly ctxRI: SkCtx;
  readonly skD: Buffer;
  readonly skPi: Buffer;
  readonly skPr: Buffer;
  /** Zeroes SK_pi and SK_pr once both AUTH payloads are done. */
  wipeAuthKeys(): void;
  wipe(): void;
}

export interface SkSizes {
  readonly iv: number;
  readonly padding: number;
  readonly icv: number;
  /** The whole SK payload, generic header included. */
  readonly payload: number;
}

/** A loaded private key (signature AUTH). */
export interface PrivateKeyHandle {
  readonly kind: 'rsa' | 'ecdsa-p256' | 'ecdsa-p384';
}

/** A parsed X.509 certificate. */
export interface CertificateHandle {
  /** DER bytes (CERT payload encoding 4, RFC 7296 §3.6). */
  readonly der: Buffer;
  /** Subject DN as text, for logs and show output. */
  readonly subject: string;
}

/** Trust anchors (a trustpoint's CA certificates). */
export interface TrustStore {
  /** SHA-1 hashes of the anchors' SubjectPublicKeyInfo (CERTREQ data, RFC 7296 §3.7). */
  readonly caKeyHashes: Buffer;
}

export interface ChainCheck {
  readonly ok: boolean;
  readonly reason?: string;
}

export interface IkeCrypto {
  // ---- Diffie-Hellman (worker pool)
  dhSupported(group: number): boolean;
  /** Responder shortcut: validate the peer's value, make our pair and derive, the private key never leaving native code. */
  dhRespond(group: number, peerPublic: Buffer): Promise<DhResponse>;
  /**
   * Responder's IKE_SA_INIT in one step on the pool: validate the peer's KE,
   * make a fresh key pair, derive g^ir and the IKE SA's keys (RFC 7296 §2.14)
   * — g^ir never reaches JavaScript. Rejects with InvalidPeerPublicValue.
   */
  dhRespondWithKeys(group: number, peerPublic: Buffer, algorithms: IkeAlgorithms, ni: Buffer, nr: Buffer, spiI: Buffer, spiR: Buffer): Promise<{ readonly publicValue: Buffer; readonly keys: IkeSaKeyMaterial }>;
  dhGenerate(group: number): Promise<DhPair>;
  dhDerive(pair: DhPair, peerPublic: Buffer): Promise<Buffer>;

  // ---- key derivation (RFC 7296 §2.14, §2.17, §2.18)
  prfLength(prf: number): number;
  /**
   * The keys of an IKE SA: SKEYSEED = prf(Ni | Nr, g^ir), or prf(SK_d(old),
   * g^ir | Ni | Nr) when `oldSkD` is given (rekey, §2.18), expanded with
   * prf+ over Ni | Nr | SPIi | SPIr (§2.14).
   */
  deriveIkeSaKeys(algorithms: IkeAlgorithms, ni: Buffer, nr: Buffer, shared: Buffer, spiI: Buffer, spiR: Buffer, oldSkD: Buffer | undefined): IkeSaKeyMaterial;
  /** KEYMAT = prf+(SK_d, [g^ir (new)] | Ni | Nr) (§2.17), `2 * (encr + integ)` octets. */
  deriveChildKeymat(prf: number, skD: Buffer, shared: Buffer | undefined, ni: Buffer, nr: Buffer, encrKeyLength: number, integKeyLength: number): Buffer;
  /** Key lengths of an encryption/integrity pair: encr includes the GCM salt (RFC 5282 §7, RFC 4106 §8.1). */
  keyLengths(encr: number, keyBits: number, integ: number): { readonly encr: number; readonly integ: number };

  // ---- SK payload (RFC 7296 §3.14, RFC 5282)
  skSealedSizes(ctx: SkCtx, plaintextLength: number): SkSizes;
  /** Encrypts in place; header and SK lengths already set, plaintext at skOffset + 4 + iv. */
  skProtect(ctx: SkCtx, message: Buffer, skOffset: number, plaintextLength: number): void;
  /** Verifies the ICV (constant time) and decrypts in place; undefined when the ICV or padding is wrong. */
  skUnprotect(ctx: SkCtx, message: Buffer, skOffset: number): { readonly offset: number; readonly length: number } | undefined;

  // ---- AUTH (RFC 7296 §2.15, RFC 7427)
  /** AUTH data for a pre-shared key: prf(prf(PSK, "Key Pad for IKEv2"), SignedOctets). */
  pskAuth(prf: number, psk: Buffer, realMessage: Buffer, peerNonce: Buffer, skP: Buffer, idBody: Buffer): Buffer;
  /** Constant-time check of a received PSK AUTH. */
  pskVerify(prf: number, psk: Buffer, realMessage: Buffer, peerNonce: Buffer, skP: Buffer, idBody: Buffer, received: Buffer): boolean;
  /** SignedOctets = RealMessage | Nonce | prf(SK_p, RestOfIDPayload). */
  signedOctets(prf: number, realMessage: Buffer, peerNonce: Buffer, skP: Buffer, idBody: Buffer): Buffer;
  /**
   * Signs SignedOctets: RFC 7427 method 14 with a hash the peer announced in
   * SIGNATURE_HASH_ALGORITHMS, else the key's classic method (1, 9 or 10).
   */
  sign(key: PrivateKeyHandle, peerHashes: readonly number[] | undefined, signedOctets: Buffer): Promise<{ readonly method: number; readonly data: Buffer }>;
  verify(cert: CertificateHandle, method: number, authData: Buffer, signedOctets: Buffer): Promise<boolean>;

  // ---- certificates
  parseCertificate(der: Buffer): CertificateHandle | undefined;
  verifyChain(store: TrustStore, leaf: CertificateHandle, intermediates: readonly CertificateHandle[]): Promise<ChainCheck>;
  /** Is this IKE identity (RFC 7296 §3.5 type and data) bound to the certificate (RFC 4945 §3.1)? */
  certMatchesIdentity(cert: CertificateHandle, idType: number, idData: Buffer): boolean;
  /** DER subject of a certificate (ID_DER_ASN1_DN data). */
  certSubjectDer(cert: CertificateHandle): Buffer;

  // ---- hashing and randomness
  /** SHA-1, for NAT detection (RFC 7296 §2.23) only. */
  sha1(parts: readonly Buffer[]): Buffer;
  random(length: number): Buffer;
}
