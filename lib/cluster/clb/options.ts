// The options of the CLB load-management protocol, mirroring the IOS
// `crypto ikev2 cluster` submode (newer IOS spells master/slave as
// primary/subordinate; the config parser accepts both and fills this object).
// Validated once, then frozen: the running code never re-checks a value.
import { isIP } from 'node:net';
import { CLUSTER, CLUSTER_RANGES as R, CLUSTER_SECRET_MIN } from '../../config/defaults';
import { IkelbError } from '../../errors';

export interface ClusterOptions {
  /** `standby-group NAME`: the HSRP group whose active router is the CLB primary. */
  readonly standbyGroup: string;
  /** `port N`: TCP port the primary listens on and subordinates connect to. */
  readonly port: number;
  /** `holdtime MS`: a member silent this long is dead and leaves the table. */
  readonly holdtimeMs: number;
  /** `master overload-limit PERCENT`: a member whose weighted load is at or over it is skipped. */
  readonly overloadLimit: number;
  /** `master weight crypto-load 0..100`. */
  readonly weightCryptoLoad: number;
  /** `master weight system-load 0..100`. */
  readonly weightSystemLoad: number;
  /** `slave priority 1..255`: higher wins a load tie. */
  readonly priority: number;
  /** `slave max-session N`: sessions (IKE SAs) this gateway takes at most; crypto load is measured against it. */
  readonly maxSession: number;
  /** `slave hello MS`: interval of a subordinate's hello. */
  readonly helloMs: number;
  /** `slave update MS`: interval of a subordinate's load update (and of the primary's own sample). */
  readonly updateMs: number;
  /** `shutdown`: the cluster is configured but disabled (no listening, no connecting). */
  readonly shutdown: boolean;
  /**
   * ikelb extension `secret WORD` (default: the standby group's MD5 key-string):
   * the cluster secret the channel keys are derived from. Never logged.
   */
  readonly secret: string;
  /** This gateway's own address on the cluster LAN: what the primary redirects clients to. */
  readonly localAddress: string;
  /** Where the primary listens; default the unspecified address of localAddress's family. */
  readonly listenAddress: string;
  /** LLG hysteresis in load percentage points (Cisco ASA: 1). */
  readonly hysteresis: number;
  /** ikelb extension `member ADDRESS` (repeatable): when non-empty, only these addresses may join. */
  readonly allowedMembers: readonly string[];
}

export type ClusterOptionsInput = Partial<ClusterOptions> & Pick<ClusterOptions, 'standbyGroup' | 'secret' | 'localAddress'>;

/**
 * The defaults, taken from the config model's single list (lib/config/defaults.ts:
 * the port and the weights are Cisco's documented ones) under this object's names.
 */
export const clusterDefaults = {
  port: CLUSTER.port,
  holdtimeMs: CLUSTER.holdtimeMs,
  overloadLimit: CLUSTER.overloadLimitPercent,
  weightCryptoLoad: CLUSTER.cryptoLoadWeight,
  weightSystemLoad: CLUSTER.systemLoadWeight,
  priority: CLUSTER.priority,
  maxSession: CLUSTER.maxSessions,
  helloMs: CLUSTER.helloMs,
  updateMs: CLUSTER.updateMs,
  shutdown: !CLUSTER.enabled,
  hysteresis: CLUSTER.hysteresisPercent,
} as const;

/** Shortest cluster secret accepted: HMAC keys from a few characters are guessable offline. */
export const minSecretLength = CLUSTER_SECRET_MIN;

function check(condition: boolean, field: string, reason: string): void {
  if (!condition) throw new IkelbError('IKELB_ERR_CONFIG', `crypto ikev2 cluster: ${field} ${reason}`);
}

function integerIn(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

const range = ([min, max]: readonly [number, number], unit = ''): string => `${min}..${max}${unit}`;

/** Applies defaults, checks every value (naming the field), and freezes the result. */
export function resolveClusterOptions(input: ClusterOptionsInput): Readonly<ClusterOptions> {
  const o: ClusterOptions = {
    ...clusterDefaults,
    listenAddress: isIP(input.localAddress) === 6 ? '::' : '0.0.0.0',
    allowedMembers: [],
    ...stripUndefined(input),
    standbyGroup: input.standbyGroup,
    secret: input.secret,
    localAddress: input.localAddress,
  };
  check(o.standbyGroup.length > 0, 'standby-group', 'must name an HSRP group');
  check(integerIn(o.port, R.port), 'port', `must be ${range(R.port)}, not ${o.port}`);
  check(integerIn(o.helloMs, R.helloMs), 'slave hello', `must be ${range(R.helloMs, ' ms')}, not ${o.helloMs}`);
  check(integerIn(o.updateMs, R.updateMs), 'slave update', `must be ${range(R.updateMs, ' ms')}, not ${o.updateMs}`);
  check(integerIn(o.holdtimeMs, R.holdtimeMs), 'holdtime', `must be ${range(R.holdtimeMs, ' ms')}, not ${o.holdtimeMs}`);
  check(o.holdtimeMs > o.helloMs, 'holdtime', `(${o.holdtimeMs} ms) must be longer than slave hello (${o.helloMs} ms), or every member dies between two hellos`);
  check(integerIn(o.overloadLimit, R.overloadLimitPercent), 'master overload-limit', `must be ${range(R.overloadLimitPercent, ' percent')}, not ${o.overloadLimit}`);
  check(integerIn(o.weightCryptoLoad, R.weight), 'master weight crypto-load', `must be ${range(R.weight)}, not ${o.weightCryptoLoad}`);
  check(integerIn(o.weightSystemLoad, R.weight), 'master weight system-load', `must be ${range(R.weight)}, not ${o.weightSystemLoad}`);
  check(integerIn(o.priority, R.priority), 'slave priority', `must be ${range(R.priority)}, not ${o.priority}`);
  check(integerIn(o.maxSession, R.maxSessions), 'slave max-session', `must be ${range(R.maxSessions)}, not ${o.maxSession}`);
  check(o.secret.length >= minSecretLength, 'secret', `must be at least ${minSecretLength} characters (it keys the channel's HMAC)`);
  check(isIP(o.localAddress) !== 0, 'local address', `must be an IP address, not '${o.localAddress}'`);
  check(isIP(o.listenAddress) !== 0, 'listen address', `must be an IP address, not '${o.listenAddress}'`);
  check(Number.isFinite(o.hysteresis) && o.hysteresis >= 0 && o.hysteresis <= 100, 'hysteresis', `must be 0..100 percentage points, not ${o.hysteresis}`);
  for (const member of o.allowedMembers) check(isIP(member) !== 0, 'member', `must be an IP address, not '${member}'`);
  return Object.freeze({ ...o, allowedMembers: Object.freeze([...o.allowedMembers]) });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
