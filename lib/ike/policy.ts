// The IKE policy the state machines run on: the config (lib/config) compiled
// once into numbers and handles (transform IDs, PSKs as Buffers, loaded keys
// and trust stores), so no exchange ever parses a name or touches a file.
// policy-from-config.ts builds it; tests build it directly.
import type { AddressPool } from './address-pool';
import type { CertificateHandle, PrivateKeyHandle, TrustStore } from './crypto-port';
import type { TrafficSelector } from './traffic-selectors';

/** An encryption transform with its key length in bits (RFC 7296 §3.3.5). */
export interface Cipher {
  readonly id: number;
  readonly keyLength: number;
}

/** One configured IKE proposal (`crypto ikev2 proposal`): each list in preference order. */
export interface IkeProposalPolicy {
  readonly name: string;
  readonly encryption: readonly Cipher[];
  /** Empty for AEAD ciphers (RFC 5282 §8). */
  readonly integrity: readonly number[];
  readonly prf: readonly number[];
  readonly groups: readonly number[];
}

/** One ESP proposal (a `crypto ipsec transform-set`). */
export interface EspProposalPolicy {
  readonly name: string;
  readonly encryption: Cipher;
  /** Integrity transform ID; undefined for AEAD. */
  readonly integrity: number | undefined;
  readonly mode: 'tunnel' | 'transport';
}

/** An IKE identity on the wire (RFC 7296 §3.5): type and data, plus its text form. */
export interface Identity {
  readonly idType: number;
  readonly data: Buffer;
  readonly text: string;
}

export type LocalAuth =
  /** The key comes from localPsk() (a profile key or the keyring entry of the peer). */
  | { readonly kind: 'psk' }
  | { readonly kind: 'signature'; readonly key: PrivateKeyHandle; readonly certificate: CertificateHandle; readonly chain: readonly CertificateHandle[] };

export type RemoteAuthKind = 'psk' | 'signature';

export interface DpdPolicy {
  readonly intervalMs: number;
  readonly retryMs: number;
  readonly periodic: boolean;
}

export interface ChildPolicy {
  /** ESP proposals in preference order. */
  readonly proposals: readonly EspProposalPolicy[];
  readonly lifetimeMs: number;
  /** DH group for CREATE_CHILD_SA (PFS); 'ike' = the IKE SA's group; undefined = none. */
  readonly pfs: number | 'ike' | undefined;
  /** What we protect on our side (TSr as responder). */
  readonly localTs: readonly TrafficSelector[];
  /** What the peer may protect (TSi as responder), unless a CP address narrows it. */
  readonly remoteTs: readonly TrafficSelector[];
}

export interface CpPolicy {
  readonly pool: AddressPool | undefined;
  readonly dns: readonly string[];
  readonly netmask: string | undefined;
}

export interface PeerContext {
  readonly id: Identity;
  readonly address: string;
}

/** Who a pre-shared key is looked up for: an initiator does not know the peer's identity yet. */
export interface PskLookup {
  readonly id: Identity | undefined;
  readonly address: string;
}

export interface ProfilePolicy {
  readonly name: string;
  /** Does this profile serve a peer with this identity arriving at this local address? */
  matches(peer: PeerContext, localAddress: string): boolean;
  /** Our identity; undefined: our IP address (IOS default). */
  readonly localId: Identity | undefined;
  readonly localAuth: LocalAuth;
  /** Accepted methods for the peer's AUTH. */
  readonly remoteAuth: readonly RemoteAuthKind[];
  /** PSK expected from a peer (keyring lookup by identity and address); undefined: none. */
  remotePsk(peer: PskLookup): Buffer | undefined;
  /** PSK we authenticate with towards a peer; undefined: none configured. */
  localPsk(peer: PskLookup): Buffer | undefined;
  /** Trust anchors for the peer's certificate. */
  readonly trust: TrustStore | undefined;
  readonly lifetimeMs: number;
  readonly dpd: DpdPolicy | undefined;
  readonly natKeepaliveMs: number | undefined;
  /** `redirect gateway auth` (RFC 5685 §6). */
  readonly redirectOnAuth: boolean;
  readonly cp: CpPolicy;
  readonly child: ChildPolicy;
}

export interface RetransmitPolicy {
  /** First retransmission after this long. */
  readonly timeoutMs: number;
  /** Each further wait is multiplied by this (exponential back-off, RFC 7296 §2.1). */
  readonly base: number;
  /** Retransmissions before the peer is declared dead. */
  readonly tries: number;
}

export interface IkePolicy {
  /** IKE proposals the responder accepts, in preference order (RFC 7296 §2.7). */
  readonly proposals: readonly IkeProposalPolicy[];
  readonly profiles: readonly ProfilePolicy[];
  /** Demand a COOKIE at or above this many half-open SAs (RFC 7296 §2.6); undefined: never. */
  readonly cookieThreshold: number | undefined;
  /** Refuse new IKE_SA_INIT (silently) at this many half-open SAs; undefined: no limit. */
  readonly maxHalfOpen: number | undefined;
  /** Refuse new IKE_SA_INIT at this many IKE SAs; undefined: no limit. */
  readonly maxSa: number | undefined;
  /** A half-open SA not authenticated within this time is deleted (strongSwan: 30 s). */
  readonly halfOpenTimeoutMs: number;
  readonly retransmit: RetransmitPolicy;
  /** Send REDIRECT_SUPPORTED and follow redirects as initiator (RFC 5685 §5). */
  readonly redirectClient: boolean;
}

export const defaultRetransmit: RetransmitPolicy = Object.freeze({ timeoutMs: 2000, base: 1.8, tries: 5 });

/** strongSwan's half-open timeout (charon.half_open_timeout). */
export const defaultHalfOpenTimeoutMs = 30_000;
