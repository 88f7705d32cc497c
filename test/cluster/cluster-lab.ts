// The sample cluster of examples/gw1..gw3.conf as real `ikelb gateway`
// processes in network namespaces on one Linux bridge (192.0.2.0/24, VIP
// 192.0.2.10), plus client hosts. Used by the end-to-end cluster tests and by
// bench/failover. The configs are the examples' own, with only what a test
// must change: HSRP timers, CLB timers, and extra lines before `end`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterStatus } from '../../lib/cluster/clb/show-cluster';
import type { StandbyGroupView } from '../../lib/cluster/hsrp/show-standby';
import { startIkelb, waitFor, type IkelbDaemon } from '../interop/ikelb-lab';
import { lan, type Host, type Lab, type TestLike } from '../support/netns';

export const VIP = '192.0.2.10';
export const ADDRESS = { gw1: '192.0.2.11', gw2: '192.0.2.12', gw3: '192.0.2.13' } as const;
export type GwName = keyof typeof ADDRESS;
export const GATEWAYS: readonly GwName[] = ['gw1', 'gw2', 'gw3'];
/** Client hosts get 192.0.2.100, .101, ... in the order given. */
const FIRST_CLIENT = 100;

export interface ConfigChanges {
  /** `standby 1 timers msec H msec D` (the examples: 200/700). */
  readonly hsrp?: { readonly helloMs: number; readonly holdMs: number };
  /** `slave hello`, `slave update`, `holdtime` of `crypto ikev2 cluster` (the examples: 500/1000/3000). */
  readonly clb?: { readonly helloMs: number; readonly updateMs: number; readonly holdtimeMs: number };
  /** `slave max-session N` (the examples: 1000). */
  readonly maxSession?: number;
  /** `master weight system-load N` (the examples: 50). 0 makes the LLG depend on IKE SAs alone, not on this host's CPU noise. */
  readonly systemLoadWeight?: number;
  /** Where the primary redirects: `crypto ikev2 redirect gateway init` (the examples) or `... auth`. */
  readonly redirect?: 'init' | 'auth';
  /** Lines added before `end`, e.g. `crypto ikev2 redirect gateway auth`. */
  readonly extra?: readonly string[];
}

const examples = path.join(__dirname, '..', '..', 'examples');

function replaceLine(text: string, pattern: RegExp, line: string, file: string): string {
  if (!pattern.test(text)) throw new Error(`${file}: no line matches ${pattern}`);
  return text.replace(pattern, line);
}

/** examples/<name>.conf with the given changes. */
export function gatewayConfig(name: GwName, changes: ConfigChanges = {}): string {
  const file = path.join(examples, `${name}.conf`);
  let text = readFileSync(file, 'utf8');
  if (changes.hsrp !== undefined) text = replaceLine(text, /^ standby 1 timers .*$/m, ` standby 1 timers msec ${changes.hsrp.helloMs} msec ${changes.hsrp.holdMs}`, file);
  if (changes.clb !== undefined) {
    text = replaceLine(text, /^ slave hello .*$/m, ` slave hello ${changes.clb.helloMs}`, file);
    text = replaceLine(text, /^ slave update .*$/m, ` slave update ${changes.clb.updateMs}`, file);
    text = replaceLine(text, /^ holdtime .*$/m, ` holdtime ${changes.clb.holdtimeMs}`, file);
  }
  if (changes.systemLoadWeight !== undefined) text = replaceLine(text, /^ master weight system-load .*$/m, ` master weight system-load ${changes.systemLoadWeight}`, file);
  if (changes.redirect !== undefined) text = replaceLine(text, /^crypto ikev2 redirect gateway init$/m, `crypto ikev2 redirect gateway ${changes.redirect}`, file);
  if (changes.maxSession !== undefined) text = replaceLine(text, /^ slave max-session .*$/m, ` slave max-session ${changes.maxSession}`, file);
  if (changes.extra !== undefined && changes.extra.length > 0) text = replaceLine(text, /^end\s*$/m, `${changes.extra.join('\n')}\nend`, file);
  return text;
}

/** examples/client.conf: an `ikelb client` that knows only the VIP. */
export function clientConfig(): string {
  return readFileSync(path.join(examples, 'client.conf'), 'utf8');
}

export interface ClusterLab {
  readonly lab: Lab;
  readonly gw: Record<GwName, Host>;
  readonly clients: readonly Host[];
  /** The running daemon of each gateway (replaced by start()). */
  readonly daemons: Partial<Record<GwName, IkelbDaemon>>;
  /** Starts (or restarts) `ikelb gateway` on a gateway host with its example config. */
  start(name: GwName, changes?: ConfigChanges, logLevel?: string): Promise<IkelbDaemon>;
  daemon(name: GwName): IkelbDaemon;
  standby(name: GwName): Promise<StandbyGroupView>;
  cluster(name: GwName): Promise<ClusterStatus>;
  /** `ip addr` on the gateway's eth0 lists the VIP. */
  hasVip(name: GwName): Promise<boolean>;
}

/** Three gateway hosts and `clients` client hosts on one bridge; nothing started yet. */
export async function clusterLab(t: TestLike, clients = 1): Promise<ClusterLab> {
  const clientNames = Array.from({ length: clients }, (_, i) => `client${i + 1}`);
  const { lab, hosts } = await lan(t, {
    gw1: [`${ADDRESS.gw1}/24`],
    gw2: [`${ADDRESS.gw2}/24`],
    gw3: [`${ADDRESS.gw3}/24`],
    ...Object.fromEntries(clientNames.map((n, i) => [n, [`192.0.2.${FIRST_CLIENT + i}/24`]])),
  });
  const byName = hosts as Record<string, Host>;
  const gw = { gw1: byName['gw1'] as Host, gw2: byName['gw2'] as Host, gw3: byName['gw3'] as Host };
  const daemons: Partial<Record<GwName, IkelbDaemon>> = {};
  const starts: Record<string, number> = {};
  const daemon = (name: GwName): IkelbDaemon => {
    const d = daemons[name];
    if (d === undefined) throw new Error(`${name} is not running`);
    return d;
  };
  return {
    lab,
    gw,
    clients: clientNames.map((n) => byName[n] as Host),
    daemons,
    async start(name, changes = {}, logLevel = 'info') {
      starts[name] = (starts[name] ?? 0) + 1;
      const tag = starts[name] === 1 ? 'gateway' : `gateway-${starts[name]}`;
      const d = await startIkelb(gw[name], 'gateway', gatewayConfig(name, changes), tag, { logLevel });
      daemons[name] = d;
      return d;
    },
    daemon,
    async standby(name) {
      const [view] = (await daemon(name).show('standby')).data as StandbyGroupView[];
      if (view === undefined) throw new Error(`${name}: no standby group`);
      return view;
    },
    async cluster(name) {
      return (await daemon(name).show('crypto', 'ikev2', 'cluster')).data as ClusterStatus;
    },
    async hasVip(name) {
      return (await gw[name].interface('eth0')).addresses.some((a) => a.address === VIP);
    },
  };
}

/** What `show crypto ikev2 client flexvpn` says once the client is connected (waits up to 15 s). */
export async function flexvpnConnected(client: IkelbDaemon): Promise<{ state: string; peer?: string; redirectsInWindow: number }> {
  return waitFor(
    'the FlexVPN client connected',
    async () => {
      const v = (await client.show('crypto', 'ikev2', 'client', 'flexvpn')).data as { state: string; peer?: string; redirectsInWindow: number };
      return v.state === 'connected' ? v : undefined;
    },
    15_000,
  );
}
