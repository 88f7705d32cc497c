// `show standby [brief] [INTERFACE [GROUP]]` in the shape IOS prints it, and the
// same facts as JSON (--json). Never prints a key: only the kind of authentication.
import type { CommandResult } from '../../control/server';
import type { Peer } from './fsm';
import type { HsrpSpeaker } from './speaker';

export interface StandbyRouterView {
  readonly ip: string;
  readonly priority: number;
  readonly expiresInMs: number;
}

export interface StandbyGroupView {
  readonly interface: string;
  readonly group: number;
  readonly version: 1 | 2;
  readonly state: string;
  readonly stateChanges: number;
  readonly lastStateChangeMs: number;
  readonly virtualIp: string | null;
  readonly virtualMac: string;
  readonly virtualIpOwner: string;
  readonly helloMs: number;
  readonly holdMs: number;
  readonly timersConfigured: boolean;
  readonly authentication: 'text' | 'md5';
  readonly preempt: boolean;
  readonly preemptDelayMs: number;
  readonly activeRouter: 'local' | StandbyRouterView | null;
  readonly standbyRouter: 'local' | StandbyRouterView | null;
  readonly priority: number;
  readonly configuredPriority: number;
  readonly name: string | null;
  readonly mode: 'multicast' | 'unicast';
  readonly unicastPeers: readonly string[];
  readonly localIp: string;
  readonly armedTimers: readonly string[];
  readonly counters: Record<string, unknown>;
}

function peerView(p: Peer | 'local' | undefined, now: number): 'local' | StandbyRouterView | null {
  if (p === undefined) return null;
  if (p === 'local') return 'local';
  return { ip: p.ip, priority: p.priority, expiresInMs: Math.max(0, Math.round(p.expiresAt - now)) };
}

export function standbyView(speaker: HsrpSpeaker, now: number): StandbyGroupView {
  const { fsm, options } = speaker;
  return {
    interface: options.interface,
    group: options.group,
    version: options.version,
    state: fsm.state,
    stateChanges: fsm.changes.count,
    lastStateChangeMs: Math.round(now - fsm.changes.lastAt),
    virtualIp: fsm.vip ?? null,
    virtualMac: speaker.virtualMac,
    virtualIpOwner: speaker.vipDescription,
    helloMs: fsm.helloMs,
    holdMs: fsm.holdMs,
    timersConfigured: options.helloMs !== undefined,
    authentication: options.auth.kind,
    preempt: options.preempt,
    preemptDelayMs: options.preemptDelayMs,
    activeRouter: peerView(fsm.activeRouter, now),
    standbyRouter: peerView(fsm.standbyRouter, now),
    priority: fsm.priority,
    configuredPriority: options.priority,
    name: options.name ?? null,
    mode: speaker.mode,
    unicastPeers: options.unicastPeers,
    localIp: speaker.localIp,
    armedTimers: fsm.armedTimers(),
    counters: { ...fsm.counters, ...speaker.counters, io: speaker.ioCounters() },
  };
}

function hms(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

function timeText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} sec` : `${ms} msec`;
}

function routerLine(role: 'Active' | 'Standby', r: StandbyGroupView['activeRouter']): string {
  if (r === null) return `  ${role} router is unknown`;
  if (r === 'local') return `  ${role} router is local`;
  return `  ${role} router is ${r.ip}, priority ${r.priority} (expires in ${(r.expiresInMs / 1000).toFixed(1)} sec)`;
}

export function formatDetail(v: StandbyGroupView): string {
  const lines = [
    `${v.interface} - Group ${v.group}${v.version === 2 ? ' (version 2)' : ''}`,
    `  State is ${v.state}`,
    `    ${v.stateChanges} state change${v.stateChanges === 1 ? '' : 's'}, last state change ${hms(v.lastStateChangeMs)}`,
    `  Virtual IP address is ${v.virtualIp ?? 'unknown'}`,
    `  Active virtual MAC address is ${v.activeRouter === null ? 'unknown' : v.virtualMac}`,
    `    Local virtual MAC address is ${v.virtualMac} (v${v.version} default)`,
    `  Hello time ${timeText(v.helloMs)}, hold time ${timeText(v.holdMs)}${v.timersConfigured ? '' : ' (learned or default)'}`,
    `  Authentication ${v.authentication === 'md5' ? 'MD5, key-string' : 'text'}`,
    v.preempt ? `  Preemption enabled${v.preemptDelayMs > 0 ? `, delay min ${v.preemptDelayMs / 1000} secs` : ''}` : '  Preemption disabled',
    routerLine('Active', v.activeRouter),
    routerLine('Standby', v.standbyRouter),
    `  Priority ${v.priority} (configured ${v.configuredPriority})`,
  ];
  if (v.name !== null) lines.push(`  Group name is "${v.name}" (cfgd)`);
  if (v.mode === 'unicast') lines.push(`  Unicast peers ${v.unicastPeers.join(', ')}`);
  lines.push(`  Virtual IP owner ${v.virtualIpOwner}`);
  return lines.join('\n');
}

export function formatBrief(views: readonly StandbyGroupView[]): string {
  const row = (cols: string[]) => `${(cols[0] ?? '').padEnd(11)} ${(cols[1] ?? '').padEnd(4)} ${(cols[2] ?? '').padStart(3)} ${(cols[3] ?? '').padEnd(1)} ${(cols[4] ?? '').padEnd(8)} ${(cols[5] ?? '').padEnd(15)} ${(cols[6] ?? '').padEnd(15)} ${cols[7] ?? ''}`.trimEnd();
  const who = (r: StandbyGroupView['activeRouter']) => (r === null ? 'unknown' : r === 'local' ? 'local' : r.ip);
  return [
    '                     P indicates configured to preempt.',
    '                     |',
    row(['Interface', 'Grp', 'Pri', 'P', 'State', 'Active', 'Standby', 'Virtual IP']),
    ...views.map((v) => row([v.interface, String(v.group), String(v.priority), v.preempt ? 'P' : '', v.state, who(v.activeRouter), who(v.standbyRouter), v.virtualIp ?? 'unknown'])),
  ].join('\n');
}

/** Answers `show standby` with its arguments: [brief] [interface [group]]. */
export function showStandby(speakers: readonly HsrpSpeaker[], args: readonly string[], now: number): CommandResult {
  const rest = [...args];
  const brief = rest[0] === 'brief';
  if (brief) rest.shift();
  const [ifname, group] = rest;
  const views = speakers
    .map((s) => standbyView(s, now))
    .filter((v) => (ifname === undefined || v.interface === ifname) && (group === undefined || String(v.group) === group));
  if (brief) return { text: formatBrief(views), data: views };
  return { text: views.length === 0 ? '% no standby group matches' : views.map(formatDetail).join('\n\n'), data: views };
}
