// Helpers for HSRP tests in network namespaces: the three sample gateways of
// shared/examples (gw1..3: v2, 200/700 ms, MD5 "cluster-secret", preempt,
// VIP 192.0.2.10) run as test/fixtures/hsrp-node.ts processes.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HsrpGroupOptions } from '../../../lib/cluster/hsrp/options';
import type { StandbyGroupView } from '../../../lib/cluster/hsrp/show-standby';
import { queryControl } from '../../../lib/control/client';
import type { Host } from '../../support/netns';
import type { Proc } from '../../support/proc';

export const VIP = '192.0.2.10';
export const PRIORITY = { gw1: 110, gw2: 105, gw3: 100 } as const;
export type GwName = keyof typeof PRIORITY;

export function sampleGroup(name: GwName, overrides: Partial<HsrpGroupOptions> = {}): HsrpGroupOptions {
  return {
    interface: 'eth0',
    group: 1,
    version: 2,
    vip: VIP,
    priority: PRIORITY[name],
    preempt: true,
    helloMs: 200,
    holdMs: 700,
    auth: { kind: 'md5', key: 'cluster-secret' },
    name: 'group1',
    ...overrides,
  };
}

export interface RunningGateway {
  readonly proc: Proc;
  readonly socket: string;
}

export async function startGateway(host: Host, groups: HsrpGroupOptions[], tag = ''): Promise<RunningGateway> {
  const base = path.join(host.lab.dir, `${host.name}${tag}`);
  writeFileSync(`${base}.json`, JSON.stringify(groups));
  const socket = `${base}.sock`;
  const proc = host.spawnNode(`hsrp${tag}`, 'test/fixtures/hsrp-node.ts', [`${base}.json`, socket]);
  await proc.waitForOutput(/hsrp-node ready/, 30_000);
  return { proc, socket };
}

export async function show(gw: RunningGateway): Promise<StandbyGroupView> {
  const r = await queryControl(gw.socket, ['show', 'standby']);
  if (!r.ok) throw new Error(r.error);
  const [view] = r.data as StandbyGroupView[];
  if (view === undefined) throw new Error('no standby group');
  return view;
}

export async function hasVip(host: Host, vip = VIP): Promise<boolean> {
  const info = await host.interface('eth0');
  return info.addresses.some((a) => a.address === vip);
}

/** Polls until `check` holds; returns the milliseconds it took, or -1 after limitMs. */
export async function pollUntil(check: () => Promise<boolean>, limitMs: number, stepMs = 10): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if (await check()) return Math.round(performance.now() - start);
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return -1;
}

export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
