// `ikelb demo` (`npm run demo`): a whole ikelb cluster on loopback without
// root. Three `ikelb gateway` processes (examples/demo/gw1..3.conf) on
// 127.0.0.11..13 share the VIP 127.0.0.10: HSRP in unicast-peers mode elects
// the active one, which binds the IKE ports on the VIP and is the CLB
// primary; FlexVPN clients (`ikelb client`, examples/demo/clients*.conf) know
// only the VIP, are redirected by the primary's fast path to the least loaded
// gateway and establish there. Then the active gateway is killed (kill -9):
// the standby takes the VIP over, the remaining subordinate re-homes, new
// clients are redirected by the new primary; the old active comes back and
// preempts. Everything the demo prints comes from the daemons' control
// sockets (`ikelb show ...`), as a network engineer would look at it.
// Bounded in time (--seconds); stops every process it started.
import { mkdtempSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../config';
import type { IkelbConfig } from '../config/model';
import { IkeProber, preciseNow, type IkeProbeAnswer } from '../cluster/ike-probe';
import type { ClusterStatus } from '../cluster/clb/show-cluster';
import type { StandbyGroupView } from '../cluster/hsrp/show-standby';
import { IkelbError } from '../errors';
import { cliScript, DaemonProcess } from './daemon-process';

export interface DemoOptions {
  /** Total run time in seconds (the demo ends then, whatever it is doing). */
  readonly seconds: number;
  /** Kill the active gateway to show a failover (default true). */
  readonly failover: boolean;
  /** Folder with gw1.conf, gw2.conf, gw3.conf, clients.conf, clients-after-failover.conf. */
  readonly configDir: string;
  /** Keep the scratch folder (logs, control sockets) instead of removing it. */
  readonly keepLogs: boolean;
  readonly out: NodeJS.WritableStream;
}

interface Gateway {
  readonly name: string;
  readonly configFile: string;
  readonly config: IkelbConfig;
  readonly address: string;
  readonly priority: number;
  proc: DaemonProcess;
}

interface FlexvpnView {
  readonly client: string;
  readonly state: string;
  readonly peer: string | undefined;
  readonly redirectsInWindow: number;
}

interface SaSummary {
  readonly ready: number;
}

interface DataplaneView {
  readonly counters: Record<string, number>;
  readonly addedAddresses?: readonly { readonly counters: Record<string, number> }[];
}

/** How a user runs the CLI this demo runs: `ikelb` when installed, else `node <path to main.js>` (a git checkout). */
function ikelbCommand(): string {
  const script = cliScript();
  if (!script.endsWith('.js')) return 'ikelb';
  const relative = path.relative(process.cwd(), script);
  return `node ${relative.startsWith('..') ? script : relative}`;
}

class DemoTimeout extends Error {}
/** Ctrl-C (SIGINT) or SIGTERM while the demo runs: it stops what it started and exits 128 + signal. */
class DemoInterrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal}`);
  }
}

export async function runDemo(o: DemoOptions): Promise<number> {
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const elapsed = (): string => `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  const say = (text = ''): void => {
    o.out.write(`${text}\n`);
  };
  const step = (text: string): void => say(`${elapsed()} ${text}`);
  // Ctrl-C or kill: every wait below ends at once and the finally block stops the
  // children (they would otherwise outlive the demo). A second signal kills them.
  let interrupted: NodeJS.Signals | undefined;
  let wakeUp = (): void => undefined;
  const interruption = new Promise<void>((resolve) => {
    wakeUp = resolve;
  });
  const sleep = async (ms: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), interruption]);
    clearTimeout(timer);
    if (interrupted !== undefined) throw new DemoInterrupted(interrupted);
  };
  const start = (...args: ConstructorParameters<typeof DaemonProcess>): DaemonProcess => {
    if (interrupted !== undefined) throw new DemoInterrupted(interrupted);
    return new DaemonProcess(...args);
  };
  const indent = (text: string, by = '    '): string =>
    text
      .split('\n')
      .map((l) => (l === '' ? l : by + l))
      .join('\n');
  /** Polls until `check` gives a value, at most `ms` and never past the demo's end. */
  const until = async <T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> => {
    const end = Math.min(performance.now() + ms, deadline);
    for (;;) {
      if (interrupted !== undefined) throw new DemoInterrupted(interrupted);
      const v = await check();
      if (v !== undefined) return v;
      if (performance.now() > end) throw new DemoTimeout(`timed out waiting for ${what}`);
      await sleep(50);
    }
  };

  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-demo-'));
  const gateways: Gateway[] = ['gw1', 'gw2', 'gw3'].map((name) => {
    const configFile = path.join(o.configDir, `${name}.conf`);
    const config = loadConfigFile(configFile).config;
    const group = config.ikev2.cluster?.standbyGroup ?? config.standbyGroups[0];
    if (group === undefined) throw new IkelbError('IKELB_ERR_CONFIG', `${configFile}: the demo needs a standby group`);
    return { name: config.hostname, configFile, config, address: group.localAddress, priority: group.priority, proc: undefined as unknown as DaemonProcess };
  });
  const first = gateways[0] as Gateway;
  const group = first.config.ikev2.cluster?.standbyGroup ?? (first.config.standbyGroups[0] as NonNullable<IkelbConfig['standbyGroups'][number]>);
  const vip = group.virtualIp ?? '';
  const ikePort = first.config.ikev2.listen[0]?.port ?? 500;
  const natTPort = first.config.ikev2.listen[0]?.natTPort ?? 4500;
  const { helloMs, holdMs } = group.timers;
  const clusterPort = first.config.ikev2.cluster?.port ?? 2000;
  const byAddress = new Map(gateways.map((g) => [g.address, g]));
  const nameOf = (address: string | undefined): string => (address === undefined ? '-' : (byAddress.get(address)?.name ?? address));
  const clientProcs: DaemonProcess[] = [];
  let code = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted === undefined) {
      interrupted = signal;
      say(`\n${elapsed()} ${signal}: stopping the clients and the gateways`);
      wakeUp();
      return;
    }
    for (const p of [...clientProcs, ...gateways.map((g) => g.proc)]) p?.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const standby = async (g: Gateway): Promise<StandbyGroupView | undefined> => (await g.proc.query<StandbyGroupView[]>('show', 'standby'))?.data[0];
  /** The one active gateway once the election settled (one Active, one Standby, the rest Listen). */
  const activeGateway = async (among: readonly Gateway[]): Promise<Gateway | undefined> => {
    const views = await Promise.all(among.map(async (g) => ({ g, v: await standby(g) })));
    const count = (state: string): number => views.filter((x) => x.v?.state === state).length;
    const settled = count('Active') === 1 && count('Standby') === Math.min(1, among.length - 1) && count('Listen') === among.length - 1 - count('Standby');
    return settled ? views.find((x) => x.v?.state === 'Active')?.g : undefined;
  };
  /** When one of `among` became Active (its own state-change clock), once one is. */
  const becameActiveAt = async (among: readonly Gateway[]): Promise<{ g: Gateway; at: number } | undefined> => {
    for (const g of among) {
      const asked = preciseNow();
      const v = await standby(g);
      if (v?.state === 'Active') return { g, at: asked - v.lastStateChangeMs };
    }
    return undefined;
  };
  const cluster = async (g: Gateway): Promise<ClusterStatus | undefined> => (await g.proc.query<ClusterStatus>('show', 'crypto', 'ikev2', 'cluster'))?.data;
  const clbReady = (members: number) => async (g: Gateway) => {
    const s = await cluster(g);
    return s !== undefined && s.role === 'primary' && s.members.length === members && s.members.every((m) => m.state === 'up') ? s : undefined;
  };
  const flexvpn = async (c: DaemonProcess): Promise<FlexvpnView[]> => {
    const r = await c.query<FlexvpnView | { clients: FlexvpnView[] }>('show', 'crypto', 'ikev2', 'client', 'flexvpn');
    if (r === undefined) return [];
    return 'clients' in r.data ? r.data.clients : [r.data];
  };
  const saCounts = async (): Promise<string> => {
    const parts = await Promise.all(
      gateways.map(async (g) => {
        const r = await g.proc.query<SaSummary>('show', 'crypto', 'ikev2', 'sa', 'summary');
        return `${g.name} ${r === undefined ? '(down)' : r.data.ready}`;
      }),
    );
    return parts.join(', ');
  };
  const redirectCount = async (): Promise<{ fastPath: number; auth: number }> => {
    let fastPath = 0;
    let auth = 0;
    for (const g of gateways) {
      const dp = (await g.proc.query<DataplaneView>('show', 'crypto', 'ikev2', 'stats', 'dataplane'))?.data;
      if (dp !== undefined) fastPath += [dp.counters, ...(dp.addedAddresses ?? []).map((a) => a.counters)].reduce((n, c) => n + (c['redirects_sent'] ?? 0), 0);
      const ike = (await g.proc.query<{ redirectsSent: number }>('show', 'crypto', 'ikev2', 'stats'))?.data;
      auth += ike?.redirectsSent ?? 0;
    }
    return { fastPath, auth };
  };
  const connectClients = async (file: string, tag: string, owner: Gateway): Promise<void> => {
    const proc = start('clients', 'client', file, dir, tag);
    clientProcs.push(proc);
    const count = loadConfigFile(file).config.ikev2.clients.length;
    step(`starting ${count} FlexVPN clients (${path.relative(process.cwd(), file) || file}); each knows only the VIP ${vip}`);
    const views = await until(`${count} clients to establish`, 15_000, async () => {
      const v = await flexvpn(proc);
      return v.length === count && v.every((c) => c.state === 'connected') ? v : undefined;
    });
    step(`${views.length} of ${count} clients established (show crypto ikev2 client flexvpn):`);
    for (const v of views) {
      const where = v.peer === vip ? `the VIP ${vip} (${owner.name}, kept by the primary)` : `${nameOf(v.peer)} ${v.peer ?? ''}`;
      say(`    ${v.client.padEnd(10)} -> ${where}${v.redirectsInWindow > 0 ? `  (redirected ${v.redirectsInWindow}x)` : ''}`);
    }
    // Let the gateways report their new load before counting.
    await sleep(300);
    const redirects = await redirectCount();
    say(`    IKE SAs per gateway (show crypto ikev2 sa): ${await saCounts()}`);
    say(`    Redirects sent by the running gateways: ${redirects.fastPath} in IKE_SA_INIT (C++ fast path), ${redirects.auth} in IKE_AUTH`);
  };

  say(`ikelb demo: a three-gateway IKEv2 cluster on loopback, VIP ${vip}, no root needed`);
  say(`  configs: ${path.relative(process.cwd(), o.configDir) || o.configDir}/{gw1,gw2,gw3,clients,clients-after-failover}.conf`);
  say(`  logs and control sockets: ${dir}${o.keepLogs ? '' : ' (removed at the end; --keep-logs keeps them)'}`);
  say(`  try while it runs: ${ikelbCommand()} show crypto ikev2 cluster --control ${path.join(dir, 'gw1.sock')}`);
  say();
  try {
    for (const g of gateways) g.proc = start(g.name, 'gateway', g.configFile, dir);
    await until('the gateways to answer on their control sockets', 20_000, async () => ((await Promise.all(gateways.map((g) => g.proc.query('show', 'standby')))).every((r) => r !== undefined) ? true : undefined));
    step(
      `gateways up: ${gateways.map((g) => `${g.name} ${g.address} (HSRP priority ${g.priority})`).join(', ')}; IKE on UDP ${ikePort}/${natTPort}, CLB on TCP ${clusterPort}`,
    );

    let active = await until('the HSRP election', 15_000, () => activeGateway(gateways));
    step(`HSRP election (show standby brief on each gateway):`);
    for (const g of gateways) {
      const brief = await g.proc.query<unknown>('show', 'standby', 'brief');
      say(`  ${g.name}:`);
      say(indent((brief?.text ?? '').split('\n').slice(-1).join('\n')));
    }
    say(`  -> ${active.name} (priority ${active.priority}) is active: it owns the VIP ${vip} and is the CLB primary`);

    await until('the CLB primary to list three members', 15_000, () => clbReady(3)(active));
    step(`show crypto ikev2 cluster on ${active.name}:`);
    say(indent((await active.proc.query('show', 'crypto', 'ikev2', 'cluster'))?.text ?? ''));

    await connectClients(path.join(o.configDir, 'clients.conf'), '-1', active);

    if (o.failover && deadline - performance.now() > 6000) {
      const victim = active;
      const others = gateways.filter((g) => g !== victim);
      const answers: IkeProbeAnswer[] = [];
      // Without REDIRECT_SUPPORTED: the probes must not count as redirects in the new primary's load projection.
      const prober = new IkeProber({ address: vip, port: ikePort, intervalMs: 10, redirectSupported: false, onAnswer: (a) => answers.push(a) });
      prober.start();
      try {
        await sleep(200);
        const killedAt = preciseNow();
        victim.proc.kill();
        step(`kill -9 ${victim.name} (the active gateway and CLB primary)`);
        const takeover = await until('a new HSRP active', 10_000, () => becameActiveAt(others));
        active = takeover.g;
        const activeAfterMs = takeover.at - killedAt;
        const firstAnswer = await until('an IKE answer on the VIP', 10_000, async () => answers.find((a) => a.sentAt >= killedAt));
        step(
          `${active.name} is HSRP active after ${Math.round(activeAfterMs)} ms; the VIP answers IKE_SA_INIT again after ${Math.round(firstAnswer.receivedAt - killedAt)} ms ` +
            `(${firstAnswer.kind === 'redirect' ? `a REDIRECT to ${nameOf(firstAnswer.target)}` : `answered by ${active.name} itself`}); target: hold ${holdMs} + hello ${helloMs} = ${holdMs + helloMs} ms`,
        );
      } finally {
        prober.stop();
      }
      const after = await until('the new CLB primary to list the two gateways left', 10_000, () => clbReady(2)(active));
      step(`show crypto ikev2 cluster on ${active.name}: ${after.members.map((m) => `${nameOf(m.address)} ${m.role} ${m.sessions}/${m.maxSession} sessions`).join(', ')}`);
      say(`    the subordinate re-homed to the new primary; ${victim.name}'s own IKE SAs died with it, the SAs on the others are untouched`);
      if (deadline - performance.now() > 5000) await connectClients(path.join(o.configDir, 'clients-after-failover.conf'), '-2', active);
      if (deadline - performance.now() > 4000) {
        victim.proc = start(victim.name, 'gateway', victim.configFile, dir, '-restarted');
        step(`${victim.name} restarted: with preempt and the higher priority it sends a Coup and takes over`);
        const back = await until(`${victim.name} to be active again`, 10_000, async () => ((await activeGateway(gateways)) === victim ? victim : undefined));
        active = back;
        const s = await until('the CLB to follow', 8000, () => clbReady(3)(back));
        step(`${back.name} is active and CLB primary again; members: ${s.members.map((m) => `${nameOf(m.address)} ${m.sessions}/${m.maxSession}`).join(', ')}`);
      }
    }

    const left = deadline - performance.now();
    if (left > 0) {
      step(`running until the ${o.seconds} s are up (${(left / 1000).toFixed(1)} s)`);
      await sleep(left);
    }
    step(`IKE SAs per gateway at the end: ${await saCounts()}`);
  } catch (err) {
    if (interrupted !== undefined) {
      code = 128 + osConstants.signals[interrupted];
    } else {
      if (!(err instanceof DemoTimeout) && !(err instanceof IkelbError)) throw err;
      say(`${elapsed()} demo stopped early: ${err.message}`);
      say(`  the daemons' logs are in ${dir}`);
      code = 1;
    }
  } finally {
    step('stopping the clients and the gateways (SIGTERM: HSRP resigns, IKE SAs are deleted)');
    await Promise.all(clientProcs.map((c) => c.stop()));
    await Promise.all(gateways.map((g) => g.proc?.stop()));
    // Kept after a failure (the logs say why), removed after a success or an interruption.
    if (!o.keepLogs && (code === 0 || interrupted !== undefined)) rmSync(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  step(code === 0 ? 'demo finished' : interrupted !== undefined ? `demo interrupted (${interrupted})` : 'demo failed');
  return code;
}
