// Compiles the IOS config (lib/config) into the IKE policy the state
// machines run on: algorithm names become transform IDs, PSKs Buffers,
// trustpoint files loaded keys and trust stores, `ip local pool`s live
// AddressPools (one per pool, shared by every profile naming it).
import { readFileSync } from 'node:fs';
import { ENCRYPTION, ESP_ENCRYPTION, ESP_INTEGRITY, INTEGRITY, PRF } from '../config/algorithms';
import type { AuthMethod, Identity as ConfigIdentity, IdentityMatch, Ikev2Profile, IkelbConfig, Ipv4Pool, Keyring, Proposal, Trustpoint } from '../config/model';
import { IkelbError } from '../errors';
import { AddressPool } from './address-pool';
import { IdType } from './constants';
import { loadCertificates, loadPrivateKey, trustFrom, type CertHandle } from './crypto-adapter';
import { addressIdentity, emailIdentity, fqdnIdentity, keyIdIdentity } from './identity';
import { defaultHalfOpenTimeoutMs, defaultRetransmit, type EspProposalPolicy, type Identity, type IkePolicy, type IkeProposalPolicy, type LocalAuth, type ProfilePolicy, type PskLookup, type RemoteAuthKind } from './policy';
import { addressToBytes, writeAddress } from '../ip-address';
import { anyIpv4, anyIpv6 } from './traffic-selectors';

export function ikeProposalFrom(p: Proposal): IkeProposalPolicy {
  return {
    name: p.name,
    encryption: p.encryption.map((e) => ({ id: ENCRYPTION[e].transformId, keyLength: ENCRYPTION[e].keyLength })),
    integrity: p.integrity.map((i) => INTEGRITY[i].transformId),
    prf: p.prf.map((f) => PRF[f].transformId),
    groups: p.groups.map(Number),
  };
}

/** The proposals of every `crypto ikev2 policy` in order (the built-in default when none). */
export function ikeProposalsFrom(config: IkelbConfig): IkeProposalPolicy[] {
  const seen = new Set<string>();
  const out: IkeProposalPolicy[] = [];
  for (const policy of config.ikev2.policies) {
    for (const p of policy.proposals) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      out.push(ikeProposalFrom(p));
    }
  }
  if (out.length === 0) for (const p of config.ikev2.proposals) out.push(ikeProposalFrom(p));
  return out;
}

function localIdentity(id: ConfigIdentity | null): Identity | undefined {
  if (id === null) return undefined;
  switch (id.type) {
    case 'address':
      return addressIdentity(id.address);
    case 'fqdn':
      return fqdnIdentity(id.value);
    case 'email':
      return emailIdentity(id.value);
    case 'key-id':
      return keyIdIdentity(id.value);
    case 'dn':
      // Filled in from the certificate's subject (auth.ts ownIdentity).
      return { idType: IdType.ID_DER_ASN1_DN, data: Buffer.alloc(0), text: 'DN' };
  }
}

/** Octets of the config's network addresses, parsed once: keyring and identity matches run per IKE_AUTH. */
const networkOctets = new Map<string, Buffer>();

function inPrefix(bytes: Uint8Array, network: string, prefixLength: number): boolean {
  let net = networkOctets.get(network);
  if (net === undefined) networkOctets.set(network, (net = addressToBytes(network)));
  if (net.length !== bytes.length) return false;
  for (let bit = 0; bit < prefixLength; bit++) {
    const mask = 0x80 >> (bit & 7);
    if (((bytes[bit >> 3] as number) & mask) !== ((net[bit >> 3] as number) & mask)) return false;
  }
  return true;
}

/** `match identity remote ...` / keyring `identity ...` against an IKE identity (RFC 7296 §3.5). */
export function identityMatches(m: IdentityMatch, id: Identity): boolean {
  switch (m.type) {
    case 'any':
      return true;
    case 'address': {
      const want = m.family === 4 ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR;
      return id.idType === want && inPrefix(id.data, m.address, m.prefixLength);
    }
    case 'fqdn': {
      if (id.idType !== IdType.ID_FQDN) return false;
      const name = id.data.toString('latin1').toLowerCase();
      const value = m.value.toLowerCase();
      return m.domain ? name === value || name.endsWith(`.${value}`) : name === value;
    }
    case 'email': {
      if (id.idType !== IdType.ID_RFC822_ADDR) return false;
      const text = id.data.toString('latin1').toLowerCase();
      const value = m.value.toLowerCase();
      return m.domain ? text.endsWith(`@${value}`) : text === value;
    }
    case 'key-id':
      return id.idType === IdType.ID_KEY_ID && id.data.toString('utf8') === m.value;
  }
}

// The peer's address octets for the lookup below (synchronous): runs twice per IKE_AUTH with keyrings.
const peerAddress = new Uint8Array(16);
const peerAddress4 = peerAddress.subarray(0, 4);

/** The keyring entry for a peer: identity entries first, then the longest address match (IOS keyring lookup). */
function keyringEntry(keyring: Keyring, peer: PskLookup): Keyring['peers'][number] | undefined {
  if (peer.id !== undefined) {
    const byId = keyring.peers.find((p) => p.identity !== null && identityMatches(p.identity, peer.id as Identity));
    if (byId !== undefined) return byId;
  }
  const family = writeAddress(peer.address, peerAddress);
  if (family === undefined) return undefined;
  const bytes = family === 4 ? peerAddress4 : peerAddress;
  let best: Keyring['peers'][number] | undefined;
  let bestLength = -1;
  for (const p of keyring.peers) {
    const a = p.address;
    if (a === null) continue;
    if (inPrefix(bytes, a.address, a.prefixLength) && a.prefixLength > bestLength) {
      best = p;
      bestLength = a.prefixLength;
    }
  }
  return best;
}

function pskLookup(profile: Ikev2Profile, direction: 'local' | 'remote'): (peer: PskLookup) => Buffer | undefined {
  const methods: readonly AuthMethod[] = direction === 'local' ? [profile.authenticationLocal] : profile.authenticationRemote;
  const explicit = methods.find((m): m is Extract<AuthMethod, { method: 'pre-share' }> => m.method === 'pre-share' && m.key !== null);
  if (explicit !== undefined && explicit.key !== null) {
    const key = explicit.key.bytes();
    return () => key;
  }
  const keyring = profile.keyring;
  if (keyring === null) return () => undefined;
  // Each entry's key as octets, made once (like the profile's explicit key above), not per IKE_AUTH.
  const keys = new Map<Keyring['peers'][number], Buffer | undefined>();
  for (const entry of keyring.peers) {
    const secret = direction === 'local' ? (entry.preSharedKey.local ?? entry.preSharedKey.remote) : (entry.preSharedKey.remote ?? entry.preSharedKey.local);
    keys.set(entry, secret === null ? undefined : secret.bytes());
  }
  return (peer) => {
    const entry = keyringEntry(keyring, peer);
    return entry === undefined ? undefined : keys.get(entry);
  };
}

function readFile(file: string, what: string, trustpoint: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new IkelbError('IKELB_ERR_CONFIG', `pki trustpoint ${trustpoint}: cannot read ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function signingAuth(profile: Ikev2Profile): LocalAuth {
  const tp = profile.trustpoints.find((t) => t.use !== 'verify' && t.trustpoint.privateKeyFile !== null && t.trustpoint.certificateFile !== null)?.trustpoint;
  if (tp === undefined) throw new IkelbError('IKELB_ERR_CONFIG', `crypto ikev2 profile ${profile.name}: signature authentication needs a pki trustpoint with a certificate file and a private-key file`);
  const key = loadPrivateKey(readFile(tp.privateKeyFile as string, 'private key', tp.name));
  const [certificate, ...chain] = loadCertificates(readFile(tp.certificateFile as string, 'certificate', tp.name));
  if (certificate === undefined) throw new IkelbError('IKELB_ERR_CONFIG', `pki trustpoint ${tp.name}: ${tp.certificateFile} holds no certificate`);
  return { kind: 'signature', key, certificate, chain };
}

function trustOf(trustpoints: readonly Trustpoint[]): ReturnType<typeof trustFrom> | undefined {
  const anchors: CertHandle[] = [];
  for (const tp of trustpoints) for (const f of tp.caCertificateFiles) anchors.push(...loadCertificates(readFile(f, 'CA certificate', tp.name)));
  return anchors.length === 0 ? undefined : trustFrom(anchors);
}

export function profileFrom(config: IkelbConfig, profile: Ikev2Profile, pools: Map<string, AddressPool>): ProfilePolicy {
  const remoteAuth: RemoteAuthKind[] = [];
  for (const m of profile.authenticationRemote) {
    const kind: RemoteAuthKind = m.method === 'pre-share' ? 'psk' : 'signature';
    if (!remoteAuth.includes(kind)) remoteAuth.push(kind);
  }
  const localAuth: LocalAuth = profile.authenticationLocal.method === 'pre-share' ? { kind: 'psk' } : signingAuth(profile);
  const trust = remoteAuth.includes('signature') ? trustOf(profile.trustpoints.filter((t) => t.use !== 'sign').map((t) => t.trustpoint)) : undefined;
  const authorization = profile.authorization.find((a) => a.policy.ipv4Pool !== null || a.policy.dns.length > 0)?.policy;
  const poolConfig: Ipv4Pool | null = authorization?.ipv4Pool ?? null;
  let pool: AddressPool | undefined;
  if (poolConfig !== null) {
    pool = pools.get(poolConfig.name);
    if (pool === undefined) {
      pool = new AddressPool(poolConfig.name, poolConfig.ranges);
      pools.set(poolConfig.name, pool);
    }
  }
  const child = profile.childSa;
  const esp: EspProposalPolicy[] = child.transformSets.map((ts) => ({
    name: ts.name,
    encryption: { id: ESP_ENCRYPTION[ts.encryption].transformId, keyLength: ts.keyLength },
    integrity: ts.integrity === null ? undefined : ESP_INTEGRITY[ts.integrity].transformId,
    mode: ts.mode,
  }));
  const matchLocal = profile.matchAddressLocal;
  const redirectOnAuth = profile.redirectGatewayAuth || config.ikev2.redirect.gateway.auth;
  return {
    name: profile.name,
    matches: (peer, localAddress) => (matchLocal.length === 0 || matchLocal.includes(localAddress)) && profile.matchIdentityRemote.some((m) => identityMatches(m, peer.id)),
    localId: localIdentity(profile.identityLocal),
    localAuth,
    remoteAuth,
    remotePsk: pskLookup(profile, 'remote'),
    localPsk: pskLookup(profile, 'local'),
    trust,
    lifetimeMs: profile.lifetimeSeconds * 1000,
    dpd: profile.dpd === null ? undefined : { intervalMs: profile.dpd.intervalSeconds * 1000, retryMs: profile.dpd.retrySeconds * 1000, periodic: profile.dpd.mode === 'periodic' },
    natKeepaliveMs: profile.natKeepaliveSeconds === null ? undefined : profile.natKeepaliveSeconds * 1000,
    redirectOnAuth,
    cp: { pool, dns: authorization?.dns ?? [], netmask: authorization?.netmask ?? undefined },
    child: {
      proposals: esp,
      lifetimeMs: child.lifetimeSeconds * 1000,
      pfs: child.pfs === null ? undefined : child.pfs === 'ike' ? 'ike' : Number(child.pfs),
      localTs: [anyIpv4, anyIpv6],
      remoteTs: [anyIpv4, anyIpv6],
    },
  };
}

/** The whole IKE policy of a gateway or client config. */
export function policyFromConfig(config: IkelbConfig): IkePolicy {
  const pools = new Map<string, AddressPool>();
  const profiles = config.ikev2.profiles.map((p) => profileFrom(config, p, pools));
  return {
    proposals: ikeProposalsFrom(config),
    profiles,
    cookieThreshold: config.ikev2.cookieChallenge ?? undefined,
    maxHalfOpen: config.ikev2.limits.maxInNegotiationSa ?? undefined,
    maxSa: config.ikev2.limits.maxSa ?? undefined,
    halfOpenTimeoutMs: defaultHalfOpenTimeoutMs,
    retransmit: defaultRetransmit,
    redirectClient: config.ikev2.redirect.client.enabled,
  };
}
