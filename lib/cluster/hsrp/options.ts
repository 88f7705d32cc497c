// What one HSRP group is configured with (from the IOS `standby` commands, or
// directly), and the defaults RFC 2281 and IOS give the rest. Validated once,
// then frozen.
import { isIPv4 } from 'node:net';
import { IkelbError } from '../../errors';

export type HsrpAuthOption =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'md5'; readonly key: string; readonly keyId?: number };

export interface HsrpGroupOptions {
  /** Interface name ('eth0'; 'lo' for the loopback demo). */
  readonly interface: string;
  readonly group: number;
  /** `standby version`; default 1 as in IOS. */
  readonly version?: 1 | 2;
  /** `standby <g> ip`; when absent it is learned from the active router. */
  readonly vip?: string;
  /** `standby <g> priority`, default 100. */
  readonly priority?: number;
  readonly preempt?: boolean;
  /** `standby <g> preempt delay minimum <s>` in ms. */
  readonly preemptDelayMs?: number;
  /** `standby <g> timers [msec] hello [msec] hold`; learned when absent. */
  readonly helloMs?: number;
  readonly holdMs?: number;
  /** Default: text "cisco" (RFC 2281 §5). */
  readonly auth?: HsrpAuthOption;
  /** `standby <g> name`. */
  readonly name?: string;
  /** ikelb extension `standby <g> unicast-peer A.B.C.D`: plain UDP to these peers, no multicast. */
  readonly unicastPeers?: readonly string[];
  /** UDP port; default 1985 (RFC 2281 §5). Other ports are for the unicast demo on loopback. */
  readonly port?: number;
  /** This router's address (the tie-breaker, and the source of its packets); default: the interface's primary IPv4. */
  readonly localIp?: string;
  /** How the VIP is owned: 'interface' adds it to the interface (root), 'loopback' binds it on 127.0.0.x (no root). */
  readonly vipOwner?: 'interface' | 'loopback';
  /** 'loopback' owner: the UDP port it answers on at the VIP. */
  readonly loopbackProbePort?: number;
  /** Seconds the kernel keeps the VIP without a refresh (0: forever). Default max(2, ceil(hold s) + 1). */
  readonly vipLeaseSeconds?: number;
  /** Gratuitous ARPs sent on becoming active, and the gap between them. */
  readonly garpCount?: number;
  readonly garpIntervalMs?: number;
}

export interface ResolvedGroupOptions {
  readonly interface: string;
  readonly group: number;
  readonly version: 1 | 2;
  readonly vip: string | undefined;
  readonly priority: number;
  readonly preempt: boolean;
  readonly preemptDelayMs: number;
  readonly helloMs: number | undefined;
  readonly holdMs: number | undefined;
  readonly auth: HsrpAuthOption;
  readonly name: string | undefined;
  readonly unicastPeers: readonly string[];
  readonly port: number;
  readonly localIp: string | undefined;
  readonly vipOwner: 'interface' | 'loopback';
  readonly loopbackProbePort: number;
  readonly vipLeaseSeconds: number | undefined;
  readonly garpCount: number;
  readonly garpIntervalMs: number;
}

function fail(o: HsrpGroupOptions, reason: string): never {
  throw new IkelbError('IKELB_ERR_HSRP_CONFIG', `standby group ${o.group} on ${o.interface}: ${reason}`);
}

function int(o: HsrpGroupOptions, name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) fail(o, `${name} must be an integer ${min}..${max}`);
}

export function resolveGroupOptions(o: HsrpGroupOptions): ResolvedGroupOptions {
  const version = o.version ?? 1;
  if (version !== 1 && version !== 2) fail(o, 'version must be 1 or 2');
  int(o, 'group', o.group, 0, version === 1 ? 255 : 4095);
  int(o, 'priority', o.priority, 0, 255);
  int(o, 'preempt delay', o.preemptDelayMs, 0, 3_600_000);
  int(o, 'hello time', o.helloMs, 15, 255_000);
  int(o, 'hold time', o.holdMs, 50, 255_000);
  int(o, 'port', o.port, 1, 65535);
  if ((o.helloMs === undefined) !== (o.holdMs === undefined)) fail(o, 'hello and hold times are configured together');
  if (o.helloMs !== undefined && o.holdMs !== undefined && o.holdMs < 3 * o.helloMs) {
    fail(o, `hold time ${o.holdMs} ms must be at least 3 x hello time ${o.helloMs} ms`);
  }
  if (version === 1 && o.helloMs !== undefined && (o.helloMs % 1000 !== 0 || (o.holdMs ?? 0) % 1000 !== 0)) {
    fail(o, 'version 1 carries whole seconds: use standby version 2 for msec timers');
  }
  if (o.vip !== undefined && !isIPv4(o.vip)) fail(o, `virtual IP ${o.vip} is not an IPv4 address`);
  if (o.localIp !== undefined && !isIPv4(o.localIp)) fail(o, `local address ${o.localIp} is not an IPv4 address`);
  for (const peer of o.unicastPeers ?? []) if (!isIPv4(peer)) fail(o, `unicast peer ${peer} is not an IPv4 address`);
  const auth = o.auth ?? { kind: 'text', text: 'cisco' };
  if (auth.kind === 'text' && Buffer.byteLength(auth.text) > 8) fail(o, 'text authentication is at most 8 characters');
  if (auth.kind === 'md5' && (auth.key.length === 0 || Buffer.byteLength(auth.key) > 64)) fail(o, 'an MD5 key string is 1..64 characters');
  const vipOwner = o.vipOwner ?? (o.interface === 'lo' ? 'loopback' : 'interface');
  if (vipOwner === 'loopback' && (o.unicastPeers ?? []).length === 0) fail(o, 'the loopback VIP owner runs in unicast-peers mode only');
  return Object.freeze({
    interface: o.interface,
    group: o.group,
    version,
    vip: o.vip,
    priority: o.priority ?? 100,
    preempt: o.preempt ?? false,
    preemptDelayMs: o.preemptDelayMs ?? 0,
    helloMs: o.helloMs,
    holdMs: o.holdMs,
    auth,
    name: o.name,
    unicastPeers: Object.freeze([...(o.unicastPeers ?? [])]),
    port: o.port ?? 1985,
    localIp: o.localIp,
    vipOwner,
    loopbackProbePort: o.loopbackProbePort ?? 19850,
    vipLeaseSeconds: o.vipLeaseSeconds,
    garpCount: o.garpCount ?? 3,
    garpIntervalMs: o.garpIntervalMs ?? 250,
  });
}
