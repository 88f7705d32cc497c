// The mutable record the command handlers fill while the file is read: what
// was written and on which line, nothing defaulted or resolved yet. validate.ts
// checks it as a whole; resolve.ts turns it into the frozen model.
import type { DhGroup, EncryptionAlgorithm, EspEncryption, EspIntegrity, IntegrityAlgorithm, PrfAlgorithm } from './algorithms';
import type { AddressMatch, Dpd, Identity, IdentityMatch } from './model';
import type { Secret } from './secret';

/** A value and the line it was written on. */
export interface At<T> {
  value: T;
  line: number;
}

export const at = <T>(value: T, line: number): At<T> => ({ value, line });

export interface InterfaceDraft {
  name: string;
  line: number;
  description?: string;
  shutdown: boolean;
  ipv4?: At<{ address: string; value: number; mask: string; prefixLength: number }>;
  ipv4Secondary: At<{ address: string; value: number; mask: string; prefixLength: number }>[];
  ipv6: At<{ address: string; prefixLength: number }>[];
  standbyVersion?: At<1 | 2>;
  standbyUseBia: boolean;
  standbyGroups: Map<number, StandbyGroupDraft>;
}

export interface StandbyGroupDraft {
  group: number;
  /** Line of the group's first command. */
  line: number;
  name?: At<string>;
  virtualIp?: At<{ address: string; value: number } | null>;
  secondaryVirtualIps: At<{ address: string; value: number }>[];
  priority?: At<number>;
  preempt?: At<{ minimum: number; reload: number; sync: number }>;
  timers?: At<{ helloMs: number; holdMs: number }>;
  authentication?: At<{ mode: 'text' | 'md5'; key: Secret }>;
  unicastPeers: At<{ address: string; value: number }>[];
}

export interface ProposalDraft {
  name: string;
  line: number;
  encryption: At<EncryptionAlgorithm>[];
  integrity: At<IntegrityAlgorithm>[];
  prf: At<PrfAlgorithm>[];
  groups: At<DhGroup>[];
}

export interface PolicyDraft {
  name: string;
  line: number;
  proposals: At<string>[];
  matchAddressLocal: At<string>[];
}

export interface KeyringDraft {
  name: string;
  line: number;
  peers: Map<string, KeyringPeerDraft>;
}

export interface KeyringPeerDraft {
  name: string;
  line: number;
  description?: string;
  address?: At<AddressMatch>;
  hostname?: At<string>;
  identity?: At<IdentityMatch>;
  localKey?: At<Secret>;
  remoteKey?: At<Secret>;
}

export type AuthMethodDraft =
  | { method: 'pre-share'; key: Secret | null }
  | { method: 'rsa-sig' }
  | { method: 'ecdsa-sig' };

export interface ProfileDraft {
  name: string;
  line: number;
  matchIdentityRemote: At<IdentityMatch>[];
  matchIdentityLocal: At<IdentityMatch>[];
  matchAddressLocal: At<string>[];
  identityLocal?: At<Identity>;
  authenticationLocal?: At<AuthMethodDraft>;
  authenticationRemote: At<AuthMethodDraft>[];
  keyring?: At<string>;
  trustpoints: At<{ name: string; use: 'sign' | 'verify' | 'both' }>[];
  lifetime?: At<number>;
  dpd?: At<Dpd>;
  natKeepalive?: At<number>;
  redirectGatewayAuth?: At<boolean>;
  authorization: At<{ scope: 'psk' | 'cert'; list: string; policy: string | null }>[];
}

export interface AuthorizationPolicyDraft {
  name: string;
  line: number;
  pool?: At<string>;
  ipv6Pool?: At<string>;
  dns: At<string>[];
  netmask?: At<string>;
}

export interface ClusterDraft {
  line: number;
  shutdown?: At<boolean>;
  standbyGroup?: At<string>;
  port?: At<number>;
  holdtime?: At<number>;
  overloadLimit?: At<number>;
  cryptoLoadWeight?: At<number>;
  systemLoadWeight?: At<number>;
  hello?: At<number>;
  update?: At<number>;
  maxSession?: At<number>;
  priority?: At<number>;
  secret?: At<Secret>;
  members: At<string>[];
}

export interface ClientDraft {
  name: string;
  line: number;
  peers: Map<number, At<{ host: { type: 'address'; family: 4 | 6; address: string } | { type: 'fqdn'; value: string }; port: number | null; natTPort: number | null }>>;
  profile?: At<string>;
  peerReactivate?: At<boolean>;
  connect?: At<'auto' | 'manual' | 'track'>;
}

export interface TransformSetDraft {
  name: string;
  line: number;
  encryption?: { algorithm: EspEncryption; keyLength: number };
  integrity?: EspIntegrity;
  mode?: At<'tunnel' | 'transport'>;
}

export interface IpsecProfileDraft {
  name: string;
  line: number;
  transformSets?: At<string[]>;
  ikev2Profile?: At<string>;
  lifetimeSeconds?: At<number>;
  lifetimeKilobytes?: At<number | null>;
  pfs?: At<DhGroup | 'ike' | null>;
}

export interface TrustpointDraft {
  name: string;
  line: number;
  certificateFile?: At<string>;
  privateKeyFile?: At<string>;
  caCertificateFiles: At<string>[];
  crlFile?: At<string>;
  revocationCheck?: At<'none' | 'crl'>;
  subjectName?: At<string>;
}

export interface ConfigDraft {
  hostname?: At<string>;
  interfaces: Map<string, InterfaceDraft>;
  listen: At<{ address: string; family: 4 | 6; port: number | null; natTPort: number | null }>[];
  cookieChallenge?: At<number | null>;
  maxInNegotiationSa?: At<{ limit: number; direction: 'both' | 'incoming' | 'outgoing' } | null>;
  maxSa?: At<number | null>;
  dpd?: At<Dpd | null>;
  natKeepalive?: At<number | null>;
  window?: At<number>;
  fragmentation?: At<{ enabled: boolean; mtu: number | null }>;
  proposals: Map<string, ProposalDraft>;
  policies: Map<string, PolicyDraft>;
  keyrings: Map<string, KeyringDraft>;
  profiles: Map<string, ProfileDraft>;
  authorizationPolicies: Map<string, AuthorizationPolicyDraft>;
  redirectClient?: At<{ enabled: boolean; maxRedirects: number | null }>;
  redirectGatewayInit?: At<boolean>;
  redirectGatewayAuth?: At<boolean>;
  redirectStatic: At<{ address: string; family: 4 | 6; capacity: number | null }>[];
  reconnectKeys: Map<1 | 2, At<{ active: boolean; key: Secret }>>;
  cluster?: ClusterDraft;
  clients: Map<string, ClientDraft>;
  transformSets: Map<string, TransformSetDraft>;
  ipsecProfiles: Map<string, IpsecProfileDraft>;
  trustpoints: Map<string, TrustpointDraft>;
  ipv4Pools: Map<string, { name: string; line: number; ranges: At<{ start: number; end: number }>[] }>;
  ipv6Pools: Map<string, At<{ name: string; prefix: string; groups: readonly number[]; prefixLength: number; assignedLength: number }>>;
  aaaNewModel?: At<boolean>;
  aaaNetworkLists: Map<string, At<'local'>>;
}

export function emptyDraft(): ConfigDraft {
  return {
    interfaces: new Map(),
    listen: [],
    proposals: new Map(),
    policies: new Map(),
    keyrings: new Map(),
    profiles: new Map(),
    authorizationPolicies: new Map(),
    redirectStatic: [],
    reconnectKeys: new Map(),
    clients: new Map(),
    transformSets: new Map(),
    ipsecProfiles: new Map(),
    trustpoints: new Map(),
    ipv4Pools: new Map(),
    ipv6Pools: new Map(),
    aaaNetworkLists: new Map(),
  };
}

/** The object each mode's commands act on. */
export interface ModeStates {
  global: ConfigDraft;
  interface: InterfaceDraft;
  'ikev2-proposal': ProposalDraft;
  'ikev2-policy': PolicyDraft;
  'ikev2-keyring': KeyringDraft;
  'ikev2-keyring-peer': KeyringPeerDraft;
  'ikev2-profile': ProfileDraft;
  'ikev2-authorization-policy': AuthorizationPolicyDraft;
  'ikev2-cluster': ClusterDraft;
  'ikev2-client': ClientDraft;
  'ipsec-transform-set': TransformSetDraft;
  'ipsec-profile': IpsecProfileDraft;
  'pki-trustpoint': TrustpointDraft;
}

