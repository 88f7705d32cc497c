// Every default of the config language, once, with where it comes from.
// "IOS" means Cisco's IOS/IOS XE behaviour for the same command; "ikelb"
// marks a default ikelb chose where IOS has none or where ikelb deviates
// (docs/CONFIG.md says why for each).
import type { DhGroup, EncryptionAlgorithm, EspEncryption, EspIntegrity, PrfAlgorithm } from './algorithms';

/** IOS: a router without `hostname` is called "Router". */
export const HOSTNAME = 'Router';

export const HSRP = {
  /** IOS: `standby version` defaults to 1 (RFC 2281). */
  version: 1 as 1 | 2,
  /** IOS: `standby ip` without a group number configures group 0. */
  group: 0,
  /** RFC 2281 §5: priority 100. */
  priority: 100,
  /** RFC 2281 §5: hellotime 3 s. */
  helloMs: 3000,
  /** RFC 2281 §5: holdtime 10 s. */
  holdMs: 10_000,
  /** RFC 2281 §5 / IOS: preemption off. */
  preempt: false,
  /** IOS: `standby preempt` without `delay` preempts at once. */
  preemptDelaySeconds: 0,
  /** RFC 2281 §5: cleartext authentication data "cisco" (8 octets, zero padded). */
  textAuthentication: 'cisco',
  /** IOS names an unnamed group `hsrp-<interface>-<group>`. */
  name: (interfaceName: string, group: number): string => `hsrp-${interfaceName}-${group}`,
} as const;

/** RFC 2281 §5: text authentication is 8 octets on the wire. */
export const HSRP_TEXT_AUTH_MAX = 8;
/** IOS: an HSRP MD5 key-string is at most 64 characters. */
export const HSRP_MD5_KEY_MAX = 64;

export const CLUSTER = {
  /** ikelb: enabled when configured. IOS ships the cluster `shutdown` until `no shutdown` (see docs/CONFIG.md). */
  enabled: true,
  /** IOS (IKEv2 Load Balancer guide): the primary listens on TCP 2000. */
  port: 2000,
  /** IOS (IKEv2 Load Balancer guide): a member silent for 3000 ms is dead. */
  holdtimeMs: 3000,
  /** IOS (IKEv2 Load Balancer guide, recalled; unverified here): overload at 95 %. */
  overloadLimitPercent: 95,
  /** IOS: crypto-load weight 100. */
  cryptoLoadWeight: 100,
  /** IOS: system-load weight 100. */
  systemLoadWeight: 100,
  /** IOS (recalled; unverified here): subordinates say hello every 1000 ms. */
  helloMs: 1000,
  /** ikelb: subordinates send load every 1000 ms. */
  updateMs: 1000,
  /** ikelb: the denominator of crypto load when `slave max-session` is not set (IOS derives it from the platform). */
  maxSessions: 10_000,
  /** IOS (recalled; unverified here): subordinate priority 1 (range 1-255). */
  priority: 1,
  /** ikelb (no command): the previous LLG target stays chosen while at most this many load points above the best (Cisco ASA: 1 %). */
  hysteresisPercent: 1,
} as const;

/**
 * Accepted ranges of the `crypto ikev2 cluster` settings, [min, max]: the
 * grammar (commands/cluster.ts) and the CLB's own check of its options
 * (lib/cluster/clb/options.ts) read the same numbers.
 */
export const CLUSTER_RANGES = {
  port: [1, 65535],
  holdtimeMs: [100, 180_000],
  overloadLimitPercent: [1, 100],
  weight: [0, 100],
  helloMs: [100, 60_000],
  updateMs: [100, 60_000],
  maxSessions: [1, 10_000_000],
  priority: [1, 255],
} as const satisfies Record<string, readonly [number, number]>;

/** The CLB channel's HMAC key must not be guessable offline (lib/cluster/clb/options.ts: minSecretLength). */
export const CLUSTER_SECRET_MIN = 8;

export const REDIRECT = {
  /** IOS `crypto ikev2 redirect client`: at most 5 redirects (also strongSwan's and libreswan's limit). */
  maxRedirects: 5,
  /** ikelb: capacity of a static redirect target (same unit as `slave max-session`). */
  staticCapacity: CLUSTER.maxSessions,
} as const;

export const IKEV2 = {
  /** IANA / RFC 7296 §2: IKE on UDP 500. */
  port: 500,
  /** RFC 3948 §2.2 / RFC 7296 §2.23: NAT traversal on UDP 4500. */
  natTPort: 4500,
  /** IOS `crypto ikev2 window`: 5 requests in flight. */
  windowSize: 5,
  /** IOS `crypto ikev2 fragmentation`: off; MTU 576 when on without `mtu`. */
  fragmentationMtu: 576,
  /** IOS `lifetime` of an IKEv2 profile: 86400 s. */
  lifetimeSeconds: 86_400,
} as const;

/**
 * ikelb's built-in proposal `default`, used when the config defines no proposal of that
 * name. IOS has a "smart default" proposal too; ikelb's lists only algorithms it
 * implements, strongest first, AEAD only (RFC 8247 §2 "MUST"/"SHOULD" sets).
 */
export const DEFAULT_PROPOSAL: {
  readonly encryption: readonly EncryptionAlgorithm[];
  readonly prf: readonly PrfAlgorithm[];
  readonly groups: readonly DhGroup[];
} = {
  encryption: ['aes-gcm-256', 'aes-gcm-128'],
  prf: ['sha512', 'sha384', 'sha256'],
  groups: [31, 19, 20, 14],
};

export const IPSEC = {
  /** IOS: a transform set is in tunnel mode unless `mode transport`. */
  mode: 'tunnel' as 'tunnel' | 'transport',
  /** IOS: `crypto ipsec security-association lifetime seconds` 3600. */
  lifetimeSeconds: 3600,
  /** IOS: `crypto ipsec security-association lifetime kilobytes` 4608000. */
  lifetimeKilobytes: 4_608_000,
  /** IOS: no PFS unless `set pfs`. */
  pfs: null,
} as const;

/** ikelb's built-in transform set `default` (IOS's smart default transform set is esp-aes esp-sha-hmac; ikelb prefers AEAD). */
export const DEFAULT_TRANSFORM_SETS: readonly {
  readonly name: string;
  readonly encryption: EspEncryption;
  readonly keyLength: number;
  readonly integrity: EspIntegrity | null;
}[] = [
  { name: 'default-gcm256', encryption: 'esp-gcm', keyLength: 256, integrity: null },
  { name: 'default-gcm128', encryption: 'esp-gcm', keyLength: 128, integrity: null },
  { name: 'default-cbc256', encryption: 'esp-aes', keyLength: 256, integrity: 'esp-sha256-hmac' },
];

/** ikelb: certificates are checked against CRLs only when told to (IOS defaults to `revocation-check crl` with CDP fetching, which ikelb does not do). */
export const REVOCATION_CHECK = 'none' as const;

/** IOS `crypto ikev2 client flexvpn`: `connect auto`. */
export const CLIENT_CONNECT = 'auto' as const;
