// The one config object the rest of ikelb reads. Produced by parseConfig()
// after validation: every default filled in, every reference resolved to the
// object it names, deeply frozen. Secrets are Secret objects (masked when
// printed; reveal() to use). Defaults are listed in lib/config/defaults.ts with
// their sources and documented per command in docs/CONFIG.md.
import type { DhGroup, EncryptionAlgorithm, EspEncryption, EspIntegrity, IntegrityAlgorithm, PrfAlgorithm } from './algorithms';
import type { Secret } from './secret';

export interface IkelbConfig {
  /** The file name given to the parser (diagnostics use it). */
  readonly file: string;
  /** `hostname`. Default "Router" (IOS). */
  readonly hostname: string;
  /** `interface` blocks in file order. */
  readonly interfaces: readonly InterfaceConfig[];
  /** Every HSRP group of every interface in file order (the same objects as under interfaces). */
  readonly standbyGroups: readonly StandbyGroup[];
  readonly ikev2: Ikev2Config;
  readonly ipsec: IpsecConfig;
  readonly pki: PkiConfig;
  readonly pools: PoolsConfig;
  readonly aaa: AaaConfig;
}

// ---------------------------------------------------------------- interfaces

export interface Ipv4Interface {
  readonly address: string;
  readonly mask: string;
  readonly prefixLength: number;
}

export interface Ipv6Interface {
  /** RFC 5952 text. */
  readonly address: string;
  readonly prefixLength: number;
}

export interface InterfaceConfig {
  /** Linux interface name (at most 15 characters). */
  readonly name: string;
  readonly line: number;
  /** `description`. Default none. */
  readonly description: string | null;
  /** `shutdown`. Default false: a running-config lists `shutdown` only for a shut interface (IOS). */
  readonly shutdown: boolean;
  /** `ip address A.B.C.D MASK`. Default none. */
  readonly ipv4: Ipv4Interface | null;
  /** `ip address A.B.C.D MASK secondary`, in order. */
  readonly ipv4Secondary: readonly Ipv4Interface[];
  /** `ipv6 address X:X::X/len`, in order. */
  readonly ipv6: readonly Ipv6Interface[];
  readonly standby: InterfaceStandby;
}

export interface InterfaceStandby {
  /** `standby version 1|2`. Default 1 (IOS, RFC 2281). */
  readonly version: 1 | 2;
  /** `standby use-bia`: the active router keeps its burned-in MAC instead of the virtual MAC. Default false (IOS). */
  readonly useBia: boolean;
  readonly groups: readonly StandbyGroup[];
}

/** One HSRP group (RFC 2281 v1 or Cisco v2). */
export interface StandbyGroup {
  /** The interface the group runs on. */
  readonly interface: string;
  /** Group number: 0-255 for v1, 0-4095 for v2. Default 0 when a `standby` command names none (IOS). */
  readonly group: number;
  /** Line of the group's first `standby` command. */
  readonly line: number;
  /** The interface's `standby version`. */
  readonly version: 1 | 2;
  /** `standby [g] name`. Default `hsrp-<interface>-<group>` (IOS). */
  readonly name: string;
  /** The interface's primary IPv4 address: the group's own address (the tie-breaker of RFC 2281 §6). */
  readonly localAddress: string;
  /** `standby [g] ip A.B.C.D`. null: `standby ip` without address, or none, learns the VIP from the active router (IOS). */
  readonly virtualIp: string | null;
  /** `standby [g] ip A.B.C.D secondary`. */
  readonly secondaryVirtualIps: readonly string[];
  /** `standby [g] priority`. Default 100 (RFC 2281 §5). */
  readonly priority: number;
  readonly preempt: StandbyPreempt;
  /** `standby [g] timers [msec] H [msec] D`, in milliseconds. Default hello 3000, hold 10000 (RFC 2281 §5). */
  readonly timers: { readonly helloMs: number; readonly holdMs: number };
  /** `standby [g] authentication ...`. Default text "cisco" (RFC 2281 §5). */
  readonly authentication: StandbyAuthentication;
  /** `standby [g] unicast-peer A.B.C.D` (ikelb extension): send to these addresses instead of the multicast group. Empty: multicast (RFC 2281). */
  readonly unicastPeers: readonly string[];
  /** The interface's `standby use-bia`. */
  readonly useBia: boolean;
}

export interface StandbyPreempt {
  /** `standby [g] preempt`. Default false (RFC 2281 §5). */
  readonly enabled: boolean;
  /** `preempt delay minimum N` (or `preempt delay N`), seconds. Default 0 (IOS). */
  readonly delayMinimumSeconds: number;
  /** `preempt delay reload N`, seconds. Default 0 (IOS). */
  readonly delayReloadSeconds: number;
  /** `preempt delay sync N`, seconds. Default 0 (IOS). */
  readonly delaySyncSeconds: number;
}

export type StandbyAuthentication =
  /** Cleartext, at most 8 octets (RFC 2281 §5). */
  | { readonly mode: 'text'; readonly key: Secret }
  /** Cisco v2 MD5 authentication TLV keyed with the key-string. */
  | { readonly mode: 'md5'; readonly key: Secret };

// ---------------------------------------------------------------- IKEv2

export interface Ikev2Config {
  /** `crypto ikev2 listen ...` (ikelb extension). Default: 0.0.0.0 and :: on UDP 500 and 4500. */
  readonly listen: readonly ListenEndpoint[];
  /** `crypto ikev2 cookie-challenge N`: demand cookies above N half-open SAs; 0 always (ikelb extension). Default null: never (IOS). */
  readonly cookieChallenge: number | null;
  readonly limits: Ikev2Limits;
  /** `crypto ikev2 dpd`. Default null: no DPD (IOS). Profiles may override. */
  readonly dpd: Dpd | null;
  /** `crypto ikev2 nat keepalive N` seconds. Default null: none (IOS). Profiles may override. */
  readonly natKeepaliveSeconds: number | null;
  /** `crypto ikev2 window N`: requests in flight (RFC 7296 §2.3). Default 5 (IOS). */
  readonly windowSize: number;
  /** `crypto ikev2 fragmentation [mtu N]` (RFC 7383). Default off, MTU 576 (IOS). */
  readonly fragmentation: { readonly enabled: boolean; readonly mtu: number };
  /** `crypto ikev2 proposal`, plus ikelb's built-in `default` when none of that name is configured. */
  readonly proposals: readonly Proposal[];
  /** `crypto ikev2 policy`; when none is configured, the built-in policy `default` (match any, proposal default) as in IOS. */
  readonly policies: readonly Policy[];
  readonly keyrings: readonly Keyring[];
  readonly profiles: readonly Ikev2Profile[];
  /** `crypto ikev2 authorization policy` (CP address assignment). */
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly redirect: RedirectConfig;
  readonly reconnect: ReconnectConfig;
  /** `crypto ikev2 cluster`. null when not configured. */
  readonly cluster: ClusterConfig | null;
  /** `crypto ikev2 client flexvpn` blocks (initiator side). */
  readonly clients: readonly FlexvpnClient[];
}

export interface ListenEndpoint {
  /** Bind address; 0.0.0.0 or :: for every address. */
  readonly address: string;
  readonly family: 4 | 6;
  /** IKE port. Default 500 (RFC 7296 §2). */
  readonly port: number;
  /** NAT-T port (non-ESP marker). Default 4500 (RFC 3948 §2.2). */
  readonly natTPort: number;
  /** 0 for the built-in default. */
  readonly line: number;
}

export interface Ikev2Limits {
  /** `crypto ikev2 limit max-in-negotiation-sa N`. Default null: no limit (IOS). */
  readonly maxInNegotiationSa: number | null;
  /** Direction the limit counts: `incoming`, `outgoing` or both (IOS: both when not given). */
  readonly maxInNegotiationDirection: 'both' | 'incoming' | 'outgoing';
  /** `crypto ikev2 limit max-sa N`. Default null: no limit (IOS). */
  readonly maxSa: number | null;
}

export interface Dpd {
  /** Seconds of silence before a liveness check (10-3600). */
  readonly intervalSeconds: number;
  /** Seconds between retries (2-60). */
  readonly retrySeconds: number;
  /** `on-demand`: check only when sending without hearing back; `periodic`: every interval. */
  readonly mode: 'on-demand' | 'periodic';
}

export interface Proposal {
  readonly name: string;
  /** 0 for the built-in default. */
  readonly line: number;
  readonly builtIn: boolean;
  /** Preference order as written. */
  readonly encryption: readonly EncryptionAlgorithm[];
  /** Empty for AEAD proposals (IOS forbids integrity with GCM). */
  readonly integrity: readonly IntegrityAlgorithm[];
  /** Preference order. Default for CBC proposals: the integrity algorithms' hashes (IOS). */
  readonly prf: readonly PrfAlgorithm[];
  readonly groups: readonly DhGroup[];
  /** True for AES-GCM proposals. */
  readonly aead: boolean;
}

export interface Policy {
  readonly name: string;
  readonly line: number;
  readonly builtIn: boolean;
  /** Proposals in preference order. */
  readonly proposals: readonly Proposal[];
  /** `match address local`: the policy applies to IKE arriving at these addresses. Empty: any (IOS). */
  readonly matchAddressLocal: readonly string[];
}

export type AddressMatch =
  | { readonly family: 4; readonly address: string; readonly mask: string; readonly prefixLength: number }
  | { readonly family: 6; readonly address: string; readonly prefixLength: number };

export interface Keyring {
  readonly name: string;
  readonly line: number;
  readonly peers: readonly KeyringPeer[];
}

export interface KeyringPeer {
  readonly name: string;
  readonly line: number;
  readonly description: string | null;
  /** `address A.B.C.D [MASK]` / `address X:X::X/len`. A host address without mask matches that address only. */
  readonly address: AddressMatch | null;
  /** `hostname NAME`: the peer's name, used by an initiator to pick the key. */
  readonly hostname: string | null;
  /** `identity ...`: matched against the peer's IKE identity. */
  readonly identity: IdentityMatch | null;
  /** `pre-shared-key [local|remote] KEY`; a key without local/remote is both. */
  readonly preSharedKey: { readonly local: Secret | null; readonly remote: Secret | null };
}

/** An IKE identity this side sends (RFC 7296 §3.5). */
export type Identity =
  | { readonly type: 'address'; readonly family: 4 | 6; readonly address: string }
  | { readonly type: 'fqdn'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'key-id'; readonly value: string }
  /** The subject DN of the local certificate. */
  | { readonly type: 'dn' };

/** A rule matched against a peer's identity. `domain` matches every name under that domain. */
export type IdentityMatch =
  | { readonly type: 'any' }
  | ({ readonly type: 'address' } & AddressMatch)
  | { readonly type: 'fqdn'; readonly domain: boolean; readonly value: string }
  | { readonly type: 'email'; readonly domain: boolean; readonly value: string }
  | { readonly type: 'key-id'; readonly value: string };

export type AuthMethod =
  /** key null: the key comes from the profile's keyring. */
  | { readonly method: 'pre-share'; readonly key: Secret | null }
  | { readonly method: 'rsa-sig' }
  | { readonly method: 'ecdsa-sig' };

export interface ProfileTrustpoint {
  readonly trustpoint: Trustpoint;
  /** `pki trustpoint NAME [sign|verify]`. Default both (IOS). */
  readonly use: 'sign' | 'verify' | 'both';
}

export interface ProfileAuthorization {
  /** `aaa authorization group psk|cert list LIST [POLICY]`: which peers (by auth method) it serves. */
  readonly scope: 'psk' | 'cert';
  /** The AAA method list (always `local` authorization in ikelb). */
  readonly list: string;
  readonly policy: AuthorizationPolicy;
}

export interface Ikev2Profile {
  readonly name: string;
  readonly line: number;
  /** `match identity remote ...`; at least one (IOS). */
  readonly matchIdentityRemote: readonly IdentityMatch[];
  /** `match identity local ...`. Empty: any. */
  readonly matchIdentityLocal: readonly IdentityMatch[];
  /** `match address local A.B.C.D`. Empty: any. */
  readonly matchAddressLocal: readonly string[];
  /** `identity local ...`. null: the local IP address (IOS default). */
  readonly identityLocal: Identity | null;
  /** `authentication local ...`; exactly one (IOS). */
  readonly authenticationLocal: AuthMethod;
  /** `authentication remote ...`; one or more, any of them accepted. */
  readonly authenticationRemote: readonly AuthMethod[];
  /** `keyring local NAME`. */
  readonly keyring: Keyring | null;
  /** `pki trustpoint NAME [sign|verify]`. */
  readonly trustpoints: readonly ProfileTrustpoint[];
  /** `lifetime N` of the IKE SA in seconds (120-86400). Default 86400 (IOS). */
  readonly lifetimeSeconds: number;
  /** Effective DPD: the profile's `dpd`, else `crypto ikev2 dpd`, else null. */
  readonly dpd: Dpd | null;
  /** Effective NAT keepalive: the profile's `nat keepalive`, else the global one, else null. */
  readonly natKeepaliveSeconds: number | null;
  /** Redirect in IKE_AUTH after the peer authenticated (RFC 5685 §6): the profile's `redirect gateway auth` or the global `crypto ikev2 redirect gateway auth`. Default false. */
  readonly redirectGatewayAuth: boolean;
  /** `aaa authorization group ...` (CP address assignment). */
  readonly authorization: readonly ProfileAuthorization[];
  /** The CHILD_SA parameters: the `crypto ipsec profile` whose `set ikev2-profile` names this profile, else the built-in `default`. */
  readonly childSa: IpsecProfile;
}

export interface AuthorizationPolicy {
  readonly name: string;
  readonly line: number;
  readonly builtIn: boolean;
  /** `pool NAME`: IPv4 addresses for INTERNAL_IP4_ADDRESS. */
  readonly ipv4Pool: Ipv4Pool | null;
  /** `ipv6 pool NAME`: prefixes for INTERNAL_IP6_ADDRESS. */
  readonly ipv6Pool: Ipv6Pool | null;
  /** `dns A [B]`: INTERNAL_IP4_DNS / INTERNAL_IP6_DNS. */
  readonly dns: readonly string[];
  /** `netmask MASK`: INTERNAL_IP4_NETMASK. */
  readonly netmask: string | null;
}

export interface RedirectConfig {
  readonly client: {
    /** `crypto ikev2 redirect client`: send REDIRECT_SUPPORTED and follow redirects (RFC 5685 §5). Default false (IOS). */
    readonly enabled: boolean;
    /** `max-redirects N` (1-255). Default 5 (IOS). */
    readonly maxRedirects: number;
  };
  readonly gateway: {
    /** `crypto ikev2 redirect gateway init`: redirect in IKE_SA_INIT (RFC 5685 §4). Default false. */
    readonly init: boolean;
    /** `crypto ikev2 redirect gateway auth`: redirect in IKE_AUTH for every profile. Default false. */
    readonly auth: boolean;
    /** `crypto ikev2 redirect gateway static ...` (ikelb extension): targets the fast path uses until the cluster drives it. */
    readonly staticTargets: readonly RedirectTarget[];
  };
}

export interface RedirectTarget {
  readonly address: string;
  readonly family: 4 | 6;
  /** `capacity N`: sessions the target takes, the denominator of its projected load. Default 10000 (ikelb). */
  readonly capacity: number;
  readonly line: number;
}

export interface ReconnectKey {
  readonly id: 1 | 2;
  readonly active: boolean;
  readonly key: Secret;
  readonly line: number;
}

export interface ReconnectConfig {
  /** `crypto ikev2 reconnect key 1|2 [active] KEY`. */
  readonly keys: readonly ReconnectKey[];
  /** The one active key (validated: exactly one when keys exist). null when no keys. */
  readonly active: ReconnectKey | null;
}

export interface ClusterConfig {
  readonly line: number;
  /** `no shutdown` / `shutdown`. Default true (ikelb; IOS ships it shut, see docs/CONFIG.md). */
  readonly enabled: boolean;
  /** `standby-group NAME`, resolved: its active router is the CLB primary. */
  readonly standbyGroup: StandbyGroup;
  /** `port N`: TCP port the primary listens on. Default 2000 (IOS). */
  readonly port: number;
  /** `holdtime MS`: a member silent this long is dead. Default 3000 (IOS). */
  readonly holdtimeMs: number;
  readonly primary: {
    /** `master|primary overload-limit PCT`: a member at or above it is skipped. Default 95. */
    readonly overloadLimitPercent: number;
    /** `master|primary weight crypto-load N` (0-100). Default 100 (IOS). */
    readonly cryptoLoadWeight: number;
    /** `master|primary weight system-load N` (0-100). Default 100 (IOS). */
    readonly systemLoadWeight: number;
  };
  readonly subordinate: {
    /** `slave|subordinate hello MS`. Default 1000. */
    readonly helloMs: number;
    /** `slave|subordinate update MS`: load report interval. Default 1000 (ikelb). */
    readonly updateMs: number;
    /** `slave|subordinate max-session N`: the denominator of crypto load. Default 10000 (ikelb). */
    readonly maxSessions: number;
    /** `slave|subordinate priority N` (1-255): LLG tie-breaker, higher wins. Default 1. */
    readonly priority: number;
  };
  /** HMAC key of the CLB channel, at least 8 characters (ikelb: Cisco's channel is plain). */
  readonly secret: Secret;
  /** Where the secret came from: the cluster's `authentication key-string` (or `secret`) or the standby group's md5 key-string. */
  readonly secretSource: 'cluster' | 'standby-group';
  /** `member ADDRESS` (ikelb extension, repeatable): the only gateways that may join. Empty: any that holds the secret. */
  readonly allowedMembers: readonly string[];
}

export interface FlexvpnPeer {
  /** `peer N ...` sequence number 1-10: tried in this order. */
  readonly index: number;
  readonly host: { readonly type: 'address'; readonly family: 4 | 6; readonly address: string } | { readonly type: 'fqdn'; readonly value: string };
  /** `port N` (ikelb extension): IKE port of the peer. Default 500. A redirect keeps it (RFC 5685 carries no port). */
  readonly port: number;
  /** `nat-t-port N` (ikelb extension). Default 4500. */
  readonly natTPort: number;
  readonly line: number;
}

export interface FlexvpnClient {
  readonly name: string;
  readonly line: number;
  /** Peers in index order. */
  readonly peers: readonly FlexvpnPeer[];
  /** `client connect profile NAME`: the IKEv2 profile to initiate with. */
  readonly profile: Ikev2Profile;
  /** `peer reactivate`: go back to a higher-priority peer when it returns. Default false (IOS). */
  readonly peerReactivate: boolean;
  /** `connect auto|manual|track`. Default auto (IOS). */
  readonly connect: 'auto' | 'manual' | 'track';
}

// ---------------------------------------------------------------- IPsec

export interface IpsecConfig {
  /** `crypto ipsec transform-set`, plus the built-ins of the `default` profile. */
  readonly transformSets: readonly TransformSet[];
  /** `crypto ipsec profile`, plus the built-in `default` (used by profiles no ipsec profile names). */
  readonly profiles: readonly IpsecProfile[];
}

export interface TransformSet {
  readonly name: string;
  readonly line: number;
  readonly builtIn: boolean;
  readonly encryption: EspEncryption;
  /** Key length in bits. Default 128 (IOS) when `esp-gcm` / `esp-aes` has none. */
  readonly keyLength: number;
  /** null for esp-gcm (AEAD). */
  readonly integrity: EspIntegrity | null;
  /** `mode tunnel|transport`. Default tunnel (IOS). */
  readonly mode: 'tunnel' | 'transport';
}

export interface IpsecProfile {
  readonly name: string;
  readonly line: number;
  readonly builtIn: boolean;
  /** `set transform-set A [B ...]`, preference order. */
  readonly transformSets: readonly TransformSet[];
  /** `set ikev2-profile NAME` (validated to exist). */
  readonly ikev2ProfileName: string | null;
  /** `set security-association lifetime seconds N`. Default 3600 (IOS). */
  readonly lifetimeSeconds: number;
  /** `set security-association lifetime kilobytes N|disable`. Default 4608000 (IOS); null when disabled. */
  readonly lifetimeKilobytes: number | null;
  /** `set pfs groupN`: a KE in CREATE_CHILD_SA. `ike`: `set pfs` without group, the IKE SA's group. Default null (IOS). */
  readonly pfs: DhGroup | 'ike' | null;
}

// ---------------------------------------------------------------- PKI, pools, AAA

export interface PkiConfig {
  readonly trustpoints: readonly Trustpoint[];
}

export interface Trustpoint {
  readonly name: string;
  readonly line: number;
  /** `certificate file PATH` (ikelb extension): absolute path of this side's PEM certificate. */
  readonly certificateFile: string | null;
  /** `private-key file PATH` (ikelb extension): absolute path of the PEM private key. */
  readonly privateKeyFile: string | null;
  /** Key type found in the private key file (checked at parse time). */
  readonly privateKeyType: 'rsa' | 'ec' | 'ed25519' | null;
  /** `ca-certificate file PATH` (ikelb extension, repeatable): trusted CA certificates. */
  readonly caCertificateFiles: readonly string[];
  /** `crl file PATH` (ikelb extension). */
  readonly crlFile: string | null;
  /** `revocation-check none|crl`. Default none (ikelb; IOS crl, see docs/CONFIG.md). */
  readonly revocationCheck: 'none' | 'crl';
  /** `subject-name X.500-NAME`. */
  readonly subjectName: string | null;
}

export interface PoolsConfig {
  /** `ip local pool`. */
  readonly ipv4: readonly Ipv4Pool[];
  /** `ipv6 local pool`. */
  readonly ipv6: readonly Ipv6Pool[];
}

export interface Ipv4Pool {
  readonly name: string;
  readonly line: number;
  /** One range per `ip local pool NAME START [END]` line, in order. */
  readonly ranges: readonly { readonly start: string; readonly end: string; readonly size: number; readonly line: number }[];
}

export interface Ipv6Pool {
  readonly name: string;
  readonly line: number;
  readonly prefix: string;
  readonly prefixLength: number;
  /** Length of the prefix handed to each client. */
  readonly assignedLength: number;
}

export interface AaaConfig {
  /** `aaa new-model`. Default false (IOS); accepted for FlexVPN familiarity, ikelb authorizes locally either way. */
  readonly newModel: boolean;
  /** `aaa authorization network LIST local`: the method lists profiles may name. */
  readonly authorizationNetworkLists: readonly string[];
}
