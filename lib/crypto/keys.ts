// IKE SA and CHILD_SA keys (RFC 7296 §2.14, §2.17, §2.18; RFC 5723 §5.1).
// SKEYSEED is computed and expanded natively in one call and never reaches
// JavaScript. The seven keys of an IKE SA live in one Buffer:
//   SK context i->r | SK context r->i | SK_d | SK_pi | SK_pr
// (SK_ei/SK_ai and SK_er/SK_ar are inside the two SK contexts), so an SA costs
// one allocation and wipe() clears everything.
import { IkelbError } from '../errors';
import { allocRetained } from '../arena';
import { dhLengths, type DhGroup } from './dh';
import { check, cryptoNative } from './native';
import type { CryptoPool } from './pool';
import { type PrfId, prfLength } from './prf';
import { SkContext, type SkTransforms } from './sk';

export interface IkeSaKeyInput {
  readonly prf: PrfId;
  readonly sk: SkTransforms;
  readonly nonceI: Uint8Array;
  readonly nonceR: Uint8Array;
  readonly spiI: Uint8Array;
  readonly spiR: Uint8Array;
}

export type Role = 'initiator' | 'responder';

export interface RoleKeys {
  /** Protects what this side sends (SK_ei/SK_ai for the original initiator). */
  readonly outbound: SkContext;
  /** Unprotects what the peer sends. */
  readonly inbound: SkContext;
  /** This side's SK_p for its own AUTH (SK_pi for the original initiator). */
  readonly ownSkP: Buffer;
  /** The peer's SK_p, to verify its AUTH. */
  readonly peerSkP: Buffer;
}

export class IkeSaKeys {
  readonly prf: PrfId;
  readonly sk: SkTransforms;
  /** All key material of the SA (secret). */
  readonly material: Buffer;
  readonly initiatorToResponder: SkContext;
  readonly responderToInitiator: SkContext;

  constructor(prf: PrfId, sk: SkTransforms, material: Buffer) {
    this.prf = prf;
    this.sk = sk;
    this.material = material;
    const ctxLen = cryptoNative().constants.skContextLength;
    this.initiatorToResponder = new SkContext(material.subarray(0, ctxLen));
    this.responderToInitiator = new SkContext(material.subarray(ctxLen, 2 * ctxLen));
  }

  private key(index: 0 | 1 | 2): Buffer {
    const ctxLen = cryptoNative().constants.skContextLength;
    const n = prfLength(this.prf);
    const start = 2 * ctxLen + index * n;
    return this.material.subarray(start, start + n);
  }

  /** SK_d: keys CHILD_SAs and the next IKE SA. */
  get skD(): Buffer {
    return this.key(0);
  }
  get skPi(): Buffer {
    return this.key(1);
  }
  get skPr(): Buffer {
    return this.key(2);
  }

  forRole(role: Role): RoleKeys {
    const initiator = role === 'initiator';
    return {
      outbound: initiator ? this.initiatorToResponder : this.responderToInitiator,
      inbound: initiator ? this.responderToInitiator : this.initiatorToResponder,
      ownSkP: initiator ? this.skPi : this.skPr,
      peerSkP: initiator ? this.skPr : this.skPi,
    };
  }

  wipe(): void {
    this.material.fill(0);
  }
}

function checkSpi(spi: Uint8Array, name: string): void {
  if (spi.length !== 8) throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', `${name} must be 8 octets`);
}

/** Octets of an IKE SA's key material: two SK contexts | SK_d | SK_pi | SK_pr. */
export function ikeSaKeyMaterialLength(prf: PrfId): number {
  return 2 * cryptoNative().constants.skContextLength + 3 * prfLength(prf);
}

function derive(input: IkeSaKeyInput, sharedSecret: Uint8Array | null, oldSkD: Uint8Array | null, resumption: boolean): IkeSaKeys {
  checkSpi(input.spiI, 'SPIi');
  checkSpi(input.spiR, 'SPIr');
  // One native call: SKEYSEED, prf+ and both SK contexts; the key stream stays in C++.
  // Kept for the SA's life: a long-lived slab, not an ArrayBuffer of its own (lib/arena.ts).
  const material = allocRetained(ikeSaKeyMaterialLength(input.prf));
  check(
    cryptoNative().deriveIkeSaKeyMaterial(input.prf, input.sk.encr, input.sk.keyBits, input.sk.integ, input.nonceI, input.nonceR, sharedSecret, input.spiI, input.spiR, oldSkD, resumption, material),
    'IKE SA key derivation',
  );
  return new IkeSaKeys(input.prf, input.sk, material);
}

/**
 * The IKE_SA_INIT responder's DH and key derivation in one pool job (RFC 7296
 * §1.2, §2.14): validates the peer's KE data, makes a fresh key pair (used for
 * this SA only), derives g^ir and from it SKEYSEED and the seven keys. g^ir
 * never reaches JavaScript. Rejects with IKELB_ERR_DH_PEER_PUBLIC for invalid
 * KE data.
 */
export function respondWithIkeSaKeys(
  group: DhGroup,
  peer: Uint8Array,
  input: IkeSaKeyInput,
  pool: CryptoPool,
  done: (err: IkelbError | null, result: { readonly publicValue: Buffer; readonly keys: IkeSaKeys } | undefined) => void,
): void {
  checkSpi(input.spiI, 'SPIi');
  checkSpi(input.spiR, 'SPIr');
  const publicValue = Buffer.alloc(dhLengths(group).publicLength);
  // Kept for the SA's life: a long-lived slab, not an ArrayBuffer of its own (lib/arena.ts).
  const material = allocRetained(ikeSaKeyMaterialLength(input.prf));
  pool.submitDhRespondKeys(group, peer, { prf: input.prf, encr: input.sk.encr, keyBits: input.sk.keyBits, integ: input.sk.integ, nonceI: input.nonceI, nonceR: input.nonceR, spiI: input.spiI, spiR: input.spiR }, publicValue, material, (err) => {
    if (err !== null) {
      material.fill(0);
      done(err, undefined);
      return;
    }
    done(null, { publicValue, keys: new IkeSaKeys(input.prf, input.sk, material) });
  });
}

/** Keys of a new IKE SA: SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 §2.14). */
export function deriveIkeSaKeys(input: IkeSaKeyInput & { readonly sharedSecret: Uint8Array }): IkeSaKeys {
  return derive(input, input.sharedSecret, null, false);
}

/**
 * Keys of a rekeyed IKE SA: SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr)
 * (RFC 7296 §2.18). `prf` is the new SA's PRF; oldSkD comes from the old SA
 * (whose own PRF keyed it). nonces and SPIs are the CREATE_CHILD_SA's.
 */
export function deriveRekeyedIkeSaKeys(
  input: IkeSaKeyInput & { readonly sharedSecret: Uint8Array; readonly oldSkD: Uint8Array },
): IkeSaKeys {
  return derive(input, input.sharedSecret, input.oldSkD, false);
}

/** Keys of a resumed IKE SA: SKEYSEED = prf(SK_d(old), "Resumption" | Ni | Nr) (RFC 5723 §5.1). */
export function deriveResumedIkeSaKeys(input: IkeSaKeyInput & { readonly oldSkD: Uint8Array }): IkeSaKeys {
  return derive(input, null, input.oldSkD, true);
}

export interface ChildSaKeyInput {
  readonly prf: PrfId;
  readonly skD: Uint8Array;
  readonly nonceI: Uint8Array;
  readonly nonceR: Uint8Array;
  /** g^ir of the CREATE_CHILD_SA's KE exchange (PFS), if any. */
  readonly sharedSecret?: Uint8Array;
  /** ESP encryption key length (GCM: key + 4-octet salt, RFC 4106 §8.1). */
  readonly encrKeyLength: number;
  /** ESP integrity key length (0 for AEAD). */
  readonly integKeyLength: number;
}

export interface ChildSaDirectionKeys {
  readonly encr: Buffer;
  readonly integ: Buffer;
}

export interface ChildSaKeys {
  /** One Buffer holding all four keys (secret). */
  readonly keymat: Buffer;
  /** Keys of the SA carrying initiator -> responder traffic (taken first, RFC 7296 §2.17). */
  readonly initiatorToResponder: ChildSaDirectionKeys;
  readonly responderToInitiator: ChildSaDirectionKeys;
  wipe(): void;
}

/**
 * KEYMAT = prf+(SK_d, [g^ir(new)] | Ni | Nr) (RFC 7296 §2.17) written over all
 * of `out`, for a caller that keeps the keys in its own memory (no Buffer made
 * here). On failure `out` is wiped and an IkelbError thrown.
 */
export function deriveChildKeymatInto(prf: PrfId, skD: Uint8Array, sharedSecret: Uint8Array | undefined, nonceI: Uint8Array, nonceR: Uint8Array, out: Uint8Array): void {
  if (out.length === 0) throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', 'CHILD_SA KEYMAT cannot be empty');
  const status = cryptoNative().deriveChildKeymat(prf, skD, sharedSecret ?? null, nonceI, nonceR, out);
  if (status !== 0) out.fill(0);
  check(status, 'CHILD_SA key derivation');
}

/** KEYMAT = prf+(SK_d, [g^ir(new)] | Ni | Nr), split encryption key first, then integrity (RFC 7296 §2.17). */
export function deriveChildSaKeys(input: ChildSaKeyInput): ChildSaKeys {
  const e = input.encrKeyLength;
  const a = input.integKeyLength;
  if (!Number.isInteger(e) || !Number.isInteger(a) || e < 0 || a < 0 || e + a === 0) {
    throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', 'CHILD_SA key lengths must be non-negative and not both zero');
  }
  const keymat = Buffer.alloc(2 * (e + a));
  check(
    cryptoNative().deriveChildKeymat(input.prf, input.skD, input.sharedSecret ?? null, input.nonceI, input.nonceR, keymat),
    'CHILD_SA key derivation',
  );
  return {
    keymat,
    initiatorToResponder: { encr: keymat.subarray(0, e), integ: keymat.subarray(e, e + a) },
    responderToInitiator: { encr: keymat.subarray(e + a, 2 * e + a), integ: keymat.subarray(2 * e + a, 2 * (e + a)) },
    wipe: () => keymat.fill(0),
  };
}
