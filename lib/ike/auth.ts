// The AUTH payload (RFC 7296 §2.15, §3.8) for both roles:
//   InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)
//   ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload)
// with a pre-shared key (method 2: prf(prf(PSK, "Key Pad for IKEv2"), octets))
// or a signature (RFC 7427 method 14, or the classic 1/9/10) whose
// certificate must chain to the profile's trust anchors and carry the
// identity the peer claimed (RFC 4945 §3.1).
import { AuthMethod, CertEncoding, IdType, PayloadType } from './constants';
import type { IkeCore } from './core';
import type { IkeSa } from './ike-sa';
import type { AuthPayload, CertPayload, Payload } from './payloads';
import type { Identity, LocalAuth, ProfilePolicy } from './policy';

const signatureMethods = new Set<number>([AuthMethod.RSA_SIGNATURE, AuthMethod.ECDSA_SHA256_P256, AuthMethod.ECDSA_SHA384_P384, AuthMethod.DIGITAL_SIGNATURE]);

interface AuthInputs {
  readonly prf: number;
  readonly realMessage: Buffer;
  readonly nonce: Buffer;
  readonly skP: Buffer;
}

/** The octets the PEER signed: its own IKE_SA_INIT message, our nonce, its SK_p. */
function peerInputs(sa: IkeSa): AuthInputs {
  const hs = sa.handshake;
  const keys = sa.keys;
  const prf = sa.algorithms?.prf;
  if (hs === undefined || keys === undefined || prf === undefined) throw new Error('AUTH outside a handshake');
  return sa.initiator
    ? { prf, realMessage: hs.initResponse, nonce: hs.ni, skP: keys.skPr }
    : { prf, realMessage: hs.initRequest, nonce: hs.nr, skP: keys.skPi };
}

/** The octets WE sign: our own IKE_SA_INIT message, the peer's nonce, our SK_p. */
function ownInputs(sa: IkeSa): AuthInputs {
  const hs = sa.handshake;
  const keys = sa.keys;
  const prf = sa.algorithms?.prf;
  if (hs === undefined || keys === undefined || prf === undefined) throw new Error('AUTH outside a handshake');
  return sa.initiator
    ? { prf, realMessage: hs.initRequest, nonce: hs.nr, skP: keys.skPi }
    : { prf, realMessage: hs.initResponse, nonce: hs.ni, skP: keys.skPr };
}

/**
 * Verifies the peer's AUTH. Returns undefined when it is valid, else the
 * reason (logged, never sent: the peer only learns AUTHENTICATION_FAILED).
 * A pre-shared key is checked inline and answers at once; a signature needs
 * the worker pool (chain, verify) and answers with a promise.
 */
export function verifyPeerAuth(
  core: IkeCore,
  sa: IkeSa,
  profile: ProfilePolicy,
  peerId: Identity,
  peerIdBody: Buffer,
  auth: AuthPayload,
  certs: readonly CertPayload[],
): string | undefined | Promise<string | undefined> {
  const inputs = peerInputs(sa);
  if (auth.method === AuthMethod.SHARED_KEY_MIC) {
    if (!profile.remoteAuth.includes('psk')) return `profile ${profile.name} does not accept pre-shared key authentication`;
    const psk = profile.remotePsk({ id: peerId, address: sa.remote.address });
    if (psk === undefined) return `no pre-shared key for ${peerId.text}`;
    const ok = core.crypto.pskVerify(inputs.prf, psk, inputs.realMessage, inputs.nonce, inputs.skP, peerIdBody, auth.data);
    return ok ? undefined : 'pre-shared key AUTH does not verify (wrong key?)';
  }
  return verifySignature(core, profile, peerId, peerIdBody, auth, certs, inputs);
}

async function verifySignature(
  core: IkeCore,
  profile: ProfilePolicy,
  peerId: Identity,
  peerIdBody: Buffer,
  auth: AuthPayload,
  certs: readonly CertPayload[],
  inputs: AuthInputs,
): Promise<string | undefined> {
  if (!signatureMethods.has(auth.method)) return `AUTH method ${auth.method} is not supported`;
  if (!profile.remoteAuth.includes('signature')) return `profile ${profile.name} does not accept signature authentication`;
  const trust = profile.trust;
  if (trust === undefined) return `profile ${profile.name} has no trustpoint to verify certificates`;
  const x509 = certs.filter((c) => c.encoding === CertEncoding.X509_SIGNATURE);
  const leafPayload = x509[0];
  if (leafPayload === undefined) return 'no certificate (CERT payload, X.509 signature) sent';
  const leaf = core.crypto.parseCertificate(leafPayload.data);
  if (leaf === undefined) return 'certificate does not parse';
  const intermediates = [];
  for (const c of x509.slice(1)) {
    const parsed = core.crypto.parseCertificate(c.data);
    if (parsed !== undefined) intermediates.push(parsed);
  }
  const chain = await core.crypto.verifyChain(trust, leaf, intermediates);
  if (!chain.ok) return `certificate chain: ${chain.reason ?? 'not trusted'}`;
  if (!core.crypto.certMatchesIdentity(leaf, peerId.idType, peerId.data)) return `certificate ${leaf.subject} is not bound to identity ${peerId.text}`;
  const octets = core.crypto.signedOctets(inputs.prf, inputs.realMessage, inputs.nonce, inputs.skP, peerIdBody);
  const ok = await core.crypto.verify(leaf, auth.method, auth.data, octets);
  return ok ? undefined : 'signature AUTH does not verify';
}

export interface OwnAuth {
  readonly auth: AuthPayload;
  /** CERT payloads to send before AUTH (leaf first). */
  readonly certs: readonly Payload[];
}

const noCerts: readonly Payload[] = [];

/**
 * Our AUTH payload (and certificates) for `ownIdBody`: at once with a
 * pre-shared key (throws when there is none), a promise with a signature.
 */
export function computeOwnAuth(core: IkeCore, sa: IkeSa, profile: ProfilePolicy, ownIdBody: Buffer): OwnAuth | Promise<OwnAuth> {
  const inputs = ownInputs(sa);
  const local = profile.localAuth;
  if (local.kind === 'psk') {
    const key = profile.localPsk({ id: sa.remoteId, address: sa.remote.address });
    if (key === undefined) throw new Error(`profile ${profile.name} has no pre-shared key for ${sa.remote.address}`);
    const data = core.crypto.pskAuth(inputs.prf, key, inputs.realMessage, inputs.nonce, inputs.skP, ownIdBody);
    return { auth: { type: PayloadType.AUTH, method: AuthMethod.SHARED_KEY_MIC, data }, certs: noCerts };
  }
  return sign(core, sa, local, ownIdBody, inputs);
}

async function sign(core: IkeCore, sa: IkeSa, local: Extract<LocalAuth, { kind: 'signature' }>, ownIdBody: Buffer, inputs: AuthInputs): Promise<OwnAuth> {
  const octets = core.crypto.signedOctets(inputs.prf, inputs.realMessage, inputs.nonce, inputs.skP, ownIdBody);
  const hashes = sa.handshake?.peerHashes;
  const signed = await core.crypto.sign(local.key, hashes !== undefined && hashes.length > 0 ? hashes : undefined, octets);
  const certs: Payload[] = [local.certificate, ...local.chain].map((c) => ({ type: PayloadType.CERT, encoding: CertEncoding.X509_SIGNATURE, data: c.der }));
  return { auth: { type: PayloadType.AUTH, method: signed.method, data: signed.data }, certs };
}

/** Our identity for a profile: configured, or the DN of our certificate, or our address. */
export function ownIdentity(core: IkeCore, profile: ProfilePolicy, localAddress: string, fallback: (address: string) => Identity): Identity {
  if (profile.localId !== undefined) {
    if (profile.localId.idType === IdType.ID_DER_ASN1_DN && profile.localId.data.length === 0 && profile.localAuth.kind === 'signature') {
      const der = core.crypto.certSubjectDer(profile.localAuth.certificate);
      return { idType: IdType.ID_DER_ASN1_DN, data: der, text: profile.localAuth.certificate.subject };
    }
    return profile.localId;
  }
  return fallback(localAddress);
}

export function authMethodName(method: number): string {
  switch (method) {
    case AuthMethod.SHARED_KEY_MIC:
      return 'PSK';
    case AuthMethod.RSA_SIGNATURE:
      return 'RSA';
    case AuthMethod.ECDSA_SHA256_P256:
    case AuthMethod.ECDSA_SHA384_P384:
    case AuthMethod.ECDSA_SHA512_P521:
      return 'ECDSA';
    case AuthMethod.DIGITAL_SIGNATURE:
      return 'Digital Signature';
    case 0:
      return 'none';
    default:
      return `method ${method}`;
  }
}
