// IKE SA and CHILD_SA keys (RFC 7296 §2.14, §2.17, §2.18; RFC 5723 §5.1).
// SKEYSEED is computed and expanded natively in one call and never reaches
// JavaScript. The seven keys of an IKE SA live in one Buffer:
//   SK context i->r | SK context r->i | SK_d | SK_pi | SK_pr
// (SK_ei/SK_ai and SK_er/SK_ar are inside the two SK contexts), so an SA costs
// one allocation and wipe() clears everything.
import { IkelbError } from '../errors';
import { check, cryptoNative } from './native';
import { type PrfId, prfLength } from './prf';
import { SkContext, skKeyLengths, type SkTransforms } from './sk';

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

function derive(input: IkeSaKeyInput, sharedSecret: Uint8Array | null, oldSkD: Uint8Array | null, resumption: boolean): IkeSaKeys {
  checkSpi(input.spiI, 'SPIi');
  checkSpi(input.spiR, 'SPIr');
  const native = cryptoNative();
  const sk = skKeyLengths(input.sk);
  const n = prfLength(input.prf);
  // prf+ output order: SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr (RFC 7296 §2.14).
  const stream = Buffer.alloc(n + 2 * sk.integ + 2 * sk.encr + 2 * n);
  try {
    check(
      native.deriveIkeSaKeys(input.prf, input.nonceI, input.nonceR, sharedSecret, input.spiI, input.spiR, oldSkD, resumption, stream),
      'IKE SA key derivation',
    );
    const ctxLen = native.constants.skContextLength;
    const material = Buffer.alloc(2 * ctxLen + 3 * n);
    let at = 0;
    const next = (len: number): Buffer => stream.subarray(at, (at += len));
    const skD = next(n);
    const skAi = next(sk.integ);
    const skAr = next(sk.integ);
    const skEi = next(sk.encr);
    const skEr = next(sk.encr);
    const skPi = next(n);
    const skPr = next(n);
    const integ = (k: Buffer): Buffer | null => (sk.integ === 0 ? null : k);
    SkContext.create(input.sk, skEi, integ(skAi), material.subarray(0, ctxLen));
    SkContext.create(input.sk, skEr, integ(skAr), material.subarray(ctxLen, 2 * ctxLen));
    skD.copy(material, 2 * ctxLen);
    skPi.copy(material, 2 * ctxLen + n);
    skPr.copy(material, 2 * ctxLen + 2 * n);
    return new IkeSaKeys(input.prf, input.sk, material);
  } finally {
    stream.fill(0);
  }
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
