// Keys and certificates for signature authentication. Private keys come from
// PEM (RSA >= 2048 bits, EC P-256/P-384; PKCS#8 or traditional, optionally
// encrypted); certificates from DER (CERT payload encoding 4) or PEM. Chains
// are verified natively with OpenSSL's X509_STORE (signatures, validity dates,
// CA basic constraints and path length) on the crypto pool. We chose the
// native store over Node's X509Certificate: Node offers per-certificate
// checks only, and re-implementing path validation in TypeScript is how
// verification bugs are born.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

import { IkelbError } from '../errors';
import {
  bufferOrThrow,
  cryptoNative,
  type NativeCertHandle,
  type NativeKeyHandle,
  type NativeStoreHandle,
  statusError,
} from './native';
import { type CryptoPool, defaultPool } from './pool';

export type KeyType = 'rsa' | 'ecdsa-p256' | 'ecdsa-p384';

function keyInfo(handle: NativeKeyHandle): { type: KeyType; bits: number } {
  const info = cryptoNative().keyInfo(handle);
  if (info.type === 'unsupported') {
    throw new IkelbError('IKELB_ERR_AUTH_ALGORITHM', 'unsupported public key type (RSA, EC P-256, EC P-384)');
  }
  return { type: info.type, bits: info.bits };
}

export class PrivateKey {
  readonly handle: NativeKeyHandle;
  readonly type: KeyType;
  readonly bits: number;

  private constructor(handle: NativeKeyHandle) {
    this.handle = handle;
    const info = keyInfo(handle);
    this.type = info.type;
    this.bits = info.bits;
  }

  /** Loads a PEM private key; a wrong passphrase or unsupported key is IKELB_ERR_KEY. */
  static fromPem(pem: string | Uint8Array, passphrase?: string | Uint8Array): PrivateKey {
    const bytes = typeof pem === 'string' ? Buffer.from(pem, 'utf8') : pem;
    const pass = passphrase === undefined ? null : typeof passphrase === 'string' ? Buffer.from(passphrase) : passphrase;
    const [status, result] = cryptoNative().loadPrivateKey(bytes, pass);
    if (status !== 0 || typeof result === 'string') {
      throw statusError(status, 'private key', typeof result === 'string' ? result : undefined);
    }
    return new PrivateKey(result);
  }
}

export class PublicKey {
  readonly handle: NativeKeyHandle;
  readonly type: KeyType;
  readonly bits: number;

  constructor(handle: NativeKeyHandle) {
    this.handle = handle;
    const info = keyInfo(handle);
    this.type = info.type;
    this.bits = info.bits;
  }
}

/** IKEv2 Identification types (RFC 7296 §3.5). */
export const IdType = {
  IPV4_ADDR: 1,
  FQDN: 2,
  RFC822_ADDR: 3,
  IPV6_ADDR: 5,
  DER_ASN1_DN: 9,
  KEY_ID: 11,
} as const;
export type IdType = (typeof IdType)[keyof typeof IdType];

export class Certificate {
  readonly handle: NativeCertHandle;
  private derCache: Buffer | undefined;
  private x509Cache: X509Certificate | undefined;

  private constructor(handle: NativeCertHandle) {
    this.handle = handle;
  }

  /** Every certificate in DER (exactly one) or PEM (one or more) input. */
  static parse(data: string | Uint8Array): Certificate[] {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const [status, result] = cryptoNative().parseCertificates(bytes);
    if (status !== 0 || typeof result === 'string') {
      throw statusError(status, 'certificate', typeof result === 'string' ? result : undefined);
    }
    return result.map((h) => new Certificate(h));
  }

  /** Exactly one certificate, e.g. from a CERT payload (X.509 Certificate - Signature, encoding 4). */
  static fromDer(der: Uint8Array): Certificate {
    const [cert] = Certificate.parse(der);
    return cert as Certificate;
  }

  /** DER encoding (for a CERT payload). */
  get der(): Buffer {
    this.derCache ??= bufferOrThrow(cryptoNative().certDer(this.handle), 'certificate DER');
    return this.derCache;
  }

  /** Node's view of the certificate, for display (subject, issuer, validity, fingerprints). */
  get x509(): X509Certificate {
    this.x509Cache ??= new X509Certificate(this.der);
    return this.x509Cache;
  }

  publicKey(): PublicKey {
    const handle = cryptoNative().certPublicKey(this.handle);
    if (handle === null) throw new IkelbError('IKELB_ERR_CERT', 'the certificate has no usable public key');
    return new PublicKey(handle);
  }

  /** DER of the subject Name: the ID data of an ID_DER_ASN1_DN identity. */
  subjectDer(): Buffer {
    return bufferOrThrow(cryptoNative().certSubjectDer(this.handle), 'certificate subject');
  }

  /**
   * Whether an IKE identity (ID payload type and data, RFC 7296 §3.5) is bound
   * to this certificate (RFC 4945 §3.1): IP addresses, FQDNs and e-mail
   * addresses must appear as an exact subjectAltName (no wildcards, no subject
   * CN fallback); a DN must equal the subject. KEY_ID is never matched.
   */
  matchesIdentity(idType: number, idData: Uint8Array): boolean {
    const native = cryptoNative();
    switch (idType) {
      case IdType.IPV4_ADDR:
        return idData.length === 4 && native.certMatches(this.handle, 3, idData);
      case IdType.IPV6_ADDR:
        return idData.length === 16 && native.certMatches(this.handle, 3, idData);
      case IdType.FQDN:
        return native.certMatches(this.handle, 1, idData);
      case IdType.RFC822_ADDR:
        return native.certMatches(this.handle, 2, idData);
      case IdType.DER_ASN1_DN:
        return native.certMatches(this.handle, 4, idData);
      default:
        return false;
    }
  }

  /** Convenience for configured names: an IP literal, an e-mail address or an FQDN. */
  matchesName(name: string): boolean {
    const ip = isIP(name);
    if (ip === 4) return this.matchesIdentity(IdType.IPV4_ADDR, Buffer.from(name.split('.').map(Number)));
    if (ip === 6) return this.matchesIdentity(IdType.IPV6_ADDR, ipv6Bytes(name));
    if (name.includes('@')) return this.matchesIdentity(IdType.RFC822_ADDR, Buffer.from(name));
    return this.matchesIdentity(IdType.FQDN, Buffer.from(name));
  }
}

function ipv6Bytes(text: string): Buffer {
  const [head = '', tail = ''] = text.split('::');
  const parts = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const h = parts(head);
  const t = text.includes('::') ? parts(tail) : [];
  const groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

export interface ChainOptions {
  /** Verify as of this time instead of now. */
  readonly at?: Date;
  readonly pool?: CryptoPool;
}

/** Trust anchors (CA certificates) against which peer chains are verified. */
export class TrustStore {
  readonly handle: NativeStoreHandle;
  readonly anchors: readonly Certificate[];

  constructor(anchors: readonly Certificate[]) {
    if (anchors.length === 0) throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', 'a trust store needs at least one anchor');
    const handle = cryptoNative().createTrustStore(anchors.map((c) => c.handle));
    if (handle === null) throw new IkelbError('IKELB_ERR_CRYPTO', 'cannot create the certificate store');
    this.handle = handle;
    this.anchors = anchors;
  }

  /**
   * Resolves when `leaf` chains to an anchor through `intermediates` (the
   * peer's other CERT payloads); rejects with IKELB_ERR_CERT_CHAIN naming
   * OpenSSL's reason and depth (expired, unknown issuer, not a CA, ...).
   */
  verify(leaf: Certificate, intermediates: readonly Certificate[] = [], options: ChainOptions = {}): Promise<void> {
    const pool = options.pool ?? defaultPool();
    const at = options.at === undefined ? 0 : Math.floor(options.at.getTime() / 1000);
    return pool.run((done) =>
      pool.submitVerifyChain(this.handle, leaf.handle, intermediates.map((c) => c.handle), at, done),
    );
  }
}
