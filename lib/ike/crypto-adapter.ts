// The IkeCrypto port over lib/crypto (native OpenSSL): DH and signatures on
// the crypto pool's worker threads, prf+/SK/PSK inline. Certificates, keys
// and trust stores cross the port as small handle objects that carry the
// lib/crypto object inside.
import { createHash } from 'node:crypto';
import { allocRetained } from '../arena';
import {
  Certificate,
  chooseSignatureScheme,
  deriveChildKeymatInto,
  deriveIkeSaKeys,
  deriveRekeyedIkeSaKeys,
  deriveSharedSecret,
  digest,
  generateKeyPair,
  HashId,
  isSupportedDhGroup,
  PrivateKey,
  prfLength,
  pskAuth,
  randomBytes,
  respond,
  respondWithIkeSaKeys,
  defaultPool,
  signAuth,
  signedOctets,
  skKeyLengths,
  TrustStore,
  verifyAuth,
  verifyPskAuth,
  type CryptoPool,
  type DhGroup,
  type EncrId,
  type IkeSaKeys,
  type IntegId,
  type PrfId,
  SkContext,
  ikeSaKeyMaterialLength,
  type SkTransforms,
} from '../crypto';
import { IkelbError } from '../errors';
import {
  InvalidPeerPublicValue,
  type CertificateHandle,
  type ChainCheck,
  type DhPair,
  type DhResponse,
  type IkeCrypto,
  type IkeSaKeyMaterial,
  type PrivateKeyHandle,
  type SkCtx,
  type SkSizes,
  type TrustStore as TrustStorePort,
} from './crypto-port';
import type { IkeAlgorithms } from './ike-sa';

/** A certificate as the IKE core sees it, with the lib/crypto object inside. */
export class CertHandle implements CertificateHandle {
  readonly der: Buffer;
  readonly subject: string;
  constructor(readonly cert: Certificate) {
    this.der = cert.der;
    this.subject = cert.x509.subject.replace(/\n/g, ', ');
  }
}

export class KeyHandle implements PrivateKeyHandle {
  readonly kind: 'rsa' | 'ecdsa-p256' | 'ecdsa-p384';
  constructor(readonly key: PrivateKey) {
    this.kind = key.type;
  }
}

export class TrustHandle implements TrustStorePort {
  readonly caKeyHashes: Buffer;
  readonly store: TrustStore;
  constructor(anchors: readonly Certificate[]) {
    this.store = new TrustStore(anchors);
    // CERTREQ data: SHA-1 of each anchor's SubjectPublicKeyInfo (RFC 7296 §3.7).
    this.caKeyHashes = Buffer.concat(anchors.map((c) => createHash('sha1').update(c.x509.publicKey.export({ type: 'spki', format: 'der' })).digest()));
  }
}

/** Loads a trustpoint's pieces from PEM/DER text for a policy. */
export function loadPrivateKey(pem: Buffer | string): KeyHandle {
  return new KeyHandle(PrivateKey.fromPem(pem));
}

export function loadCertificates(data: Buffer | string): CertHandle[] {
  return Certificate.parse(data).map((c) => new CertHandle(c));
}

export function trustFrom(certificates: readonly CertHandle[]): TrustHandle {
  return new TrustHandle(certificates.map((c) => c.cert));
}

/**
 * An IKE SA's keys as the core holds them: one lib/crypto IkeSaKeys (one
 * Buffer with both SK contexts, SK_d, SK_pi, SK_pr) and nothing per SA
 * beyond it (prototype methods, SK_p views made on demand).
 */
/**
 * An IKE SA's keys as the SA keeps them for its life: the one material Buffer
 * (SK context i->r | r->i | SK_d | SK_pi | SK_pr, see lib/crypto/keys.ts) and
 * the PRF, nothing else. The SK contexts and keys are views made when asked
 * for (a message or a CHILD SA, not per packet in a hot loop): holding the
 * IkeSaKeys with its two SkContext objects and their Buffer views cost about
 * 370 octets per SA at 100,000 SAs. The GCM IV counter lives in the context
 * bytes, so a fresh view continues where the last one stopped.
 */
class AdapterKeys implements IkeSaKeyMaterial {
  private readonly material: Buffer;
  private readonly prf: PrfId;
  constructor(keys: IkeSaKeys) {
    this.material = keys.material;
    this.prf = keys.prf;
  }
  private context(index: 0 | 1): SkContext {
    const n = (ikeSaKeyMaterialLength(this.prf) - 3 * prfLength(this.prf)) / 2;
    return new SkContext(this.material.subarray(index * n, (index + 1) * n));
  }
  private key(index: 0 | 1 | 2): Buffer {
    const n = prfLength(this.prf);
    const start = ikeSaKeyMaterialLength(this.prf) - (3 - index) * n;
    return this.material.subarray(start, start + n);
  }
  get ctxIR(): SkCtx {
    return this.context(0);
  }
  get ctxRI(): SkCtx {
    return this.context(1);
  }
  get skD(): Buffer {
    return this.key(0);
  }
  get skPi(): Buffer {
    return this.key(1);
  }
  get skPr(): Buffer {
    return this.key(2);
  }
  wipeAuthKeys(): void {
    this.skPi.fill(0);
    this.skPr.fill(0);
  }
  wipe(): void {
    this.material.fill(0);
  }
}

function transforms(a: { encr: number; keyLength: number; integ: number }): SkTransforms {
  return { encr: a.encr as EncrId, keyBits: a.keyLength as 128 | 256, integ: a.integ as IntegId };
}

export function createCryptoAdapter(pool?: CryptoPool): IkeCrypto {
  const scratch = new Int32Array(4);
  const keyLengthCache = new Map<number, { readonly encr: number; readonly integ: number }>();
  return {
    dhSupported: (group) => isSupportedDhGroup(group),

    async dhRespond(group, peerPublic): Promise<DhResponse> {
      try {
        const r = await respond(group as DhGroup, peerPublic, pool);
        return { publicValue: r.publicValue, shared: r.sharedSecret };
      } catch (err) {
        if (err instanceof IkelbError && err.code === 'IKELB_ERR_DH_PEER_PUBLIC') throw new InvalidPeerPublicValue(group, err.message);
        throw err;
      }
    },

    dhRespondWithKeys(group, peerPublic, a: IkeAlgorithms, ni, nr, spiI, spiR) {
      return new Promise((resolve, reject) => {
        respondWithIkeSaKeys(group as DhGroup, peerPublic, { prf: a.prf as PrfId, sk: transforms(a), nonceI: ni, nonceR: nr, spiI, spiR }, pool ?? defaultPool(), (err, r) => {
          if (r !== undefined) resolve({ publicValue: r.publicValue, keys: new AdapterKeys(r.keys) });
          else if (err !== null && err.code === 'IKELB_ERR_DH_PEER_PUBLIC') reject(new InvalidPeerPublicValue(group, err.message));
          else reject(err ?? new Error('DH response failed'));
        });
      });
    },

    async dhGenerate(group): Promise<DhPair> {
      const pair = await generateKeyPair(group as DhGroup, pool);
      return { group, publicValue: pair.publicValue, privateBlob: pair.privateKey };
    },

    async dhDerive(pair, peerPublic): Promise<Buffer> {
      try {
        return await deriveSharedSecret({ group: pair.group as DhGroup, publicValue: pair.publicValue, privateKey: pair.privateBlob }, peerPublic, pool);
      } catch (err) {
        if (err instanceof IkelbError && err.code === 'IKELB_ERR_DH_PEER_PUBLIC') throw new InvalidPeerPublicValue(pair.group, err.message);
        throw err;
      }
    },

    prfLength: (prf) => prfLength(prf as PrfId),

    deriveIkeSaKeys(a: IkeAlgorithms, ni, nr, shared, spiI, spiR, oldSkD): IkeSaKeyMaterial {
      const input = { prf: a.prf as PrfId, sk: transforms(a), nonceI: ni, nonceR: nr, spiI, spiR, sharedSecret: shared };
      return new AdapterKeys(oldSkD === undefined ? deriveIkeSaKeys(input) : deriveRekeyedIkeSaKeys({ ...input, oldSkD }));
    },

    deriveChildKeymat(prf, skD, shared, ni, nr, encrKeyLength, integKeyLength): Buffer {
      // Derived straight into a long-lived slab (lib/arena.ts): no ArrayBuffer of its own, no copy to wipe.
      const keymat = allocRetained(2 * (encrKeyLength + integKeyLength));
      deriveChildKeymatInto(prf as PrfId, skD, shared, ni, nr, keymat);
      return keymat;
    },

    keyLengths(encr, keyBits, integ) {
      // Asked once per CHILD SA, always about the few configured sets: answered from a small cache.
      const key = (encr * 65536 + keyBits) * 65536 + integ; // three 16-bit transform values: exact in a double
      let lengths = keyLengthCache.get(key);
      if (lengths === undefined) {
        lengths = Object.freeze(skKeyLengths(transforms({ encr, keyLength: keyBits, integ })));
        if (keyLengthCache.size < 64) keyLengthCache.set(key, lengths);
      }
      return lengths;
    },

    skSealedSizes(ctx: SkCtx, plaintextLength): SkSizes {
      const s = (ctx as SkContext).sizes(plaintextLength);
      return { iv: s.ivLength, padding: s.paddingLength, icv: s.icvLength, payload: s.payloadLength };
    },

    skProtect(ctx: SkCtx, message, skOffset, plaintextLength): void {
      (ctx as SkContext).protect(message, skOffset, plaintextLength);
    },

    skUnprotect(ctx: SkCtx, message, skOffset) {
      if ((ctx as SkContext).tryUnprotect(message, skOffset, scratch) !== 0) return undefined;
      return { offset: scratch[0] as number, length: scratch[1] as number };
    },

    pskAuth: (prf, psk, realMessage, peerNonce, skP, idBody) => pskAuth({ prf: prf as PrfId, realMessage, peerNonce, skP, idPayloadBody: idBody }, psk),
    pskVerify: (prf, psk, realMessage, peerNonce, skP, idBody, received) =>
      verifyPskAuth({ prf: prf as PrfId, realMessage, peerNonce, skP, idPayloadBody: idBody }, psk, received),
    signedOctets: (prf, realMessage, peerNonce, skP, idBody) => signedOctets({ prf: prf as PrfId, realMessage, peerNonce, skP, idPayloadBody: idBody }),

    async sign(key: PrivateKeyHandle, peerHashes, octets) {
      const k = (key as KeyHandle).key;
      let scheme;
      try {
        scheme = chooseSignatureScheme(k, peerHashes);
      } catch {
        scheme = chooseSignatureScheme(k, undefined); // no common RFC 7427 hash: the key's classic method
      }
      const signed = await signAuth(k, scheme, octets, pool);
      return { method: signed.method, data: signed.authData };
    },

    async verify(cert: CertificateHandle, method, authData, octets): Promise<boolean> {
      try {
        return await verifyAuth((cert as CertHandle).cert.publicKey(), method, authData, octets, pool);
      } catch (err) {
        if (err instanceof IkelbError && (err.code === 'IKELB_ERR_AUTH_ALGORITHM' || err.code === 'IKELB_ERR_AUTH_SIGNATURE')) return false;
        throw err;
      }
    },

    parseCertificate(der): CertificateHandle | undefined {
      try {
        return new CertHandle(Certificate.fromDer(der));
      } catch {
        return undefined;
      }
    },

    async verifyChain(store: TrustStorePort, leaf, intermediates): Promise<ChainCheck> {
      try {
        await (store as TrustHandle).store.verify((leaf as CertHandle).cert, intermediates.map((c) => (c as CertHandle).cert), pool === undefined ? {} : { pool });
        return { ok: true };
      } catch (err) {
        return { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },

    certMatchesIdentity: (cert, idType, idData) => (cert as CertHandle).cert.matchesIdentity(idType, idData),
    certSubjectDer: (cert) => (cert as CertHandle).cert.subjectDer(),

    sha1(parts): Buffer {
      // A synchronous native one-shot (no Hash object, no provider dispatch): NAT-D hashes run four times per handshake.
      return digest(HashId.SHA1, parts.length === 1 ? (parts[0] as Buffer) : parts);
    },

    random: (length) => randomBytes(length),
  };
}
