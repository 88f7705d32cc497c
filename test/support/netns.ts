// Network namespaces for multi-host tests: a Lab of hosts (one namespace each)
// joined by point-to-point veth links or by LANs (a Linux bridge that lives in
// its own "switch" namespace, never in the root namespace).
//
//   const { lab, hosts: { client, gw } } = await pointToPoint(t, {
//     client: ['192.0.2.1/24', '2001:db8::1/64'],
//     gw: ['192.0.2.2/24', '2001:db8::2/64'],
//   });
//   const { hosts: { gw1, gw2, gw3 } } = await lan(t, { gw1: ['192.0.2.11/24'], gw2: [...], gw3: [...] });
//
//   // general form: hosts, LANs and links, e.g. a client LAN and a gateway LAN behind a router
//   const lab = await createLab(t);
//   const client = await lab.addHost('client');
//   const router = await lab.addHost('router', { forwarding: true });
//   const clients = await lab.addLan('clients');
//   await clients.attach(router, { ifname: 'eth0', addresses: ['198.51.100.1/24'] });
//   await clients.attach(client, { addresses: ['198.51.100.10/24'] });
//   await client.addRoute('default', '198.51.100.1');
//
// Every host gets `lo` up, IPv6 DAD off (addresses usable at once), IPv6 addresses kept
// across link down/up, and a `224.0.0.0/4` route on its first interface (multicast, e.g.
// HSRP). Addresses must come from the documentation ranges (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32): anything else is refused. connect()
// and attach() return once the link carries traffic (operstate UP), so a test's first
// packet is never dropped by a link still coming up.
//
// Inside a host:
//   await host.exec('ip', ['route'])            → RunResult (run.ts), never throws on exit code
//   await host.execOk('sysctl', [...])          → throws with stderr on non-zero exit
//   const p = host.spawn('name', file, args)    → Proc (proc.ts): waitForOutput, stop, kill
//   host.spawnIkelb(['gateway', '--config', f]) → the ikelb CLI inside the namespace
//   host.spawnNode('test/fixtures/x.ts', args)  → a Node script of ours (.ts or .js)
//   await host.linkDown('eth0'); await host.linkUp('eth0')   // up: waits for carrier, restores routes
//   await host.interface('eth0')                → { up, operstate, mac, addresses }
//   await host.addRoute('default', '198.51.100.1'); host.addr(4) → '192.0.2.1'
//
// Running our Node code inside a namespace: `ip netns exec NS node SCRIPT` (a network
// namespace cannot be entered from inside a running Node process). For the CLI,
// spawnIkelb runs dist/cli/main.js when dist/ is at least as new as every lib/ file (npm
// test's pretest builds it), else lib/cli/main.ts through tap's own TypeScript loader
// (`node --import=<@tapjs/typescript/import>`, transpile-only: ~1 s start-up). A .ts
// script goes through the same loader; a .js script runs as is.
//
// Cleanup: createLab registers lab.cleanup() with t.teardown, so it also runs when the
// test fails: functions given to lab.defer() (LIFO; peers put their own cleanup there),
// then every process started in the lab (SIGTERM, SIGKILL after 3 s), then any process
// still inside a namespace (SIGKILL), then the namespaces (which takes the veths and
// bridges with them) and the lab's scratch directory. If the test failed, the tail of
// every process's output is printed first. A process-exit hook (also on SIGTERM, SIGINT
// and tap's timeout signal SIGALRM) does the same synchronously for labs that were never
// torn down, and every new lab first sweeps `ikt<pid>-*` namespaces
// (and /tmp/ikt<pid>-* directories) whose creating process is dead.
//
// Names: namespaces are `ikt<pid>-<lab>-<host>` (switch namespaces `ikt<pid>-<lab>-lan-<name>`).
// Interfaces are created directly inside the namespaces (`ip -n A link add ... peer ... netns
// B`), never in the root namespace, so `eth0` cannot collide with anything. Set
// IKELB_KEEP_LAB=1 to keep a lab's scratch directory (logs, peer configs) after the test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Proc, type ProcOptions } from './proc';
import { run, runOk, type RunOptions, type RunResult } from './run';

/** The part of a tap Test the lab needs (any subtest works). */
export interface TestLike {
  teardown(fn: () => unknown): void;
  passing?(): boolean;
  comment?(...args: unknown[]): void;
}

export interface InterfaceSpec {
  /** Interface name inside the host; default 'eth0'. At most 15 characters. */
  readonly ifname?: string;
  /** CIDR addresses, IPv4 or IPv6, from the documentation ranges. */
  readonly addresses?: readonly string[];
  /** Add `224.0.0.0/4 dev <ifname>`. Default: only on the host's first interface. */
  readonly multicastRoute?: boolean;
  /** MAC address, e.g. '02:00:00:00:00:01'. Default: random. */
  readonly mac?: string;
}

export interface HostOptions {
  /** Enable IPv4 and IPv6 forwarding (a router host). */
  readonly forwarding?: boolean;
}

export interface InterfaceAddress {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefixLength: number;
}

export interface InterfaceInfo {
  readonly ifname: string;
  /** Administratively up (the UP flag). */
  readonly up: boolean;
  /** Kernel operstate: 'UP', 'DOWN', 'LOWERLAYERDOWN', 'UNKNOWN'. */
  readonly operstate: string;
  readonly mac: string;
  readonly addresses: readonly InterfaceAddress[];
}

export interface HostSpawnOptions extends ProcOptions {
  /**
   * Shell commands run (set -e) inside the namespace before the program is exec'd, in the
   * private mount namespace `ip netns exec` creates: `mount --bind DIR/run /run` there is
   * seen by this process only and disappears with it.
   */
  readonly setup?: readonly string[];
}

const repoRoot = path.join(__dirname, '..', '..');
const DOC_NETS: readonly [string, number][] = [
  ['192.0.2.0', 24],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
];
const NAME_RE = /^[a-z][a-z0-9]{0,15}$/;
const IFNAME_MAX = 15;
const STOP_GRACE_MS = 3000;
const FIRST_IFINDEX = 100;
const CARRIER_WAIT_MS = 3000;

let labCounter = 0;
const liveLabs = new Set<Lab>();
let exitHookInstalled = false;

/** Creates an empty lab whose cleanup runs at t's teardown (also when t fails). */
export async function createLab(t: TestLike): Promise<Lab> {
  await sweepStaleLabs();
  const lab = new Lab(t);
  t.teardown(() => lab.cleanup());
  return lab;
}

/**
 * Two hosts joined by one veth (each end is eth0). `hosts` names exactly two hosts and
 * their eth0 addresses: `pointToPoint(t, { a: ['192.0.2.1/24'], b: ['192.0.2.2/24'] })`.
 */
export async function pointToPoint<K extends string>(
  t: TestLike,
  hosts: Record<K, readonly string[]>,
): Promise<{ lab: Lab; hosts: Record<K, Host> }> {
  const names = Object.keys(hosts) as K[];
  const [na, nb] = names;
  if (names.length !== 2 || na === undefined || nb === undefined) throw new Error('pointToPoint needs exactly two hosts');
  const lab = await createLab(t);
  const a = await lab.addHost(na);
  const b = await lab.addHost(nb);
  await lab.connect(a, b, { a: { addresses: hosts[na] }, b: { addresses: hosts[nb] } });
  return { lab, hosts: { [na]: a, [nb]: b } as Record<K, Host> };
}

/** N hosts on one LAN (bridge in its own switch namespace), each with eth0 and the given addresses. */
export async function lan<K extends string>(
  t: TestLike,
  hosts: Record<K, readonly string[]>,
): Promise<{ lab: Lab; lan: Lan; hosts: Record<K, Host> }> {
  const lab = await createLab(t);
  const theLan = await lab.addLan('lan');
  const made = {} as Record<K, Host>;
  for (const name of Object.keys(hosts) as K[]) {
    const host = await lab.addHost(name);
    await theLan.attach(host, { addresses: hosts[name] });
    made[name] = host;
  }
  return { lab, lan: theLan, hosts: made };
}

export class Lab {
  /** `ikt<pid>-<n>`: the prefix of every namespace of this lab. */
  readonly id: string;
  /** Scratch directory for peers' configs and logs; removed at cleanup. */
  readonly dir: string;
  readonly #t: TestLike;
  readonly #hosts = new Map<string, Host>();
  readonly #lans = new Map<string, Lan>();
  readonly #namespaces: string[] = [];
  readonly #procs: Proc[] = [];
  readonly #deferred: (() => unknown)[] = [];
  #cleaned: Promise<void> | undefined;
  #nextIfindex = FIRST_IFINDEX;

  constructor(t: TestLike) {
    labCounter += 1;
    this.id = `ikt${process.pid}-${labCounter}`;
    this.dir = mkdtempSync(path.join(tmpdir(), `${this.id}-`));
    this.#t = t;
    liveLabs.add(this);
    installExitHook();
  }

  get hosts(): readonly Host[] {
    return [...this.#hosts.values()];
  }

  host(name: string): Host {
    const host = this.#hosts.get(name);
    if (host === undefined) throw new Error(`lab ${this.id} has no host '${name}'`);
    return host;
  }

  async addHost(name: string, options: HostOptions = {}): Promise<Host> {
    checkName('host', name);
    if (this.#hosts.has(name)) throw new Error(`lab ${this.id} already has a host '${name}'`);
    const ns = `${this.id}-${name}`;
    await this.#addNamespace(ns);
    const host = new Host(this, name, ns);
    this.#hosts.set(name, host);
    const sysctls = [
      'net.ipv6.conf.all.accept_dad=0',
      'net.ipv6.conf.default.accept_dad=0',
      'net.ipv6.conf.default.dad_transmits=0',
      'net.ipv6.conf.all.keep_addr_on_down=1',
      'net.ipv6.conf.default.keep_addr_on_down=1',
      'net.ipv6.conf.default.accept_ra=0',
    ];
    if (options.forwarding === true) sysctls.push('net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1');
    await host.execOk('sysctl', ['-q', '-w', ...sysctls]);
    await host.ip('link', 'set', 'lo', 'up');
    return host;
  }

  /** A LAN: bridge `br0` (multicast snooping off) in its own switch namespace. */
  async addLan(name: string): Promise<Lan> {
    checkName('lan', name);
    if (this.#lans.has(name)) throw new Error(`lab ${this.id} already has a lan '${name}'`);
    const ns = `${this.id}-lan-${name}`;
    await this.#addNamespace(ns);
    // The switch has no addresses of its own: keep it silent on IPv6 too.
    await runOk('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await runOk('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0']);
    await runOk('ip', ['-n', ns, 'link', 'set', 'br0', 'up']);
    const result = new Lan(this, name, ns);
    this.#lans.set(name, result);
    return result;
  }

  /** A point-to-point veth between two hosts (default ifname eth0 at both ends). */
  async connect(a: Host, b: Host, spec: { a?: InterfaceSpec; b?: InterfaceSpec } = {}): Promise<void> {
    const ifa = spec.a?.ifname ?? 'eth0';
    const ifb = spec.b?.ifname ?? 'eth0';
    checkIfname(ifa);
    checkIfname(ifb);
    const [ia, ib] = this.vethIndexes();
    await runOk('ip', ['-n', a.ns, 'link', 'add', ifa, 'index', ia, 'type', 'veth', 'peer', 'name', ifb, 'index', ib, 'netns', b.ns]);
    await a.configureInterface({ ...spec.a, ifname: ifa });
    await b.configureInterface({ ...spec.b, ifname: ifb });
    // Carrier needs both ends up.
    await Promise.all([a.waitForCarrier(ifa), b.waitForCarrier(ifb)]);
    await a.addMulticastRoute(ifa, spec.a);
    await b.addMulticastRoute(ifb, spec.b);
  }

  /**
   * @internal Interface indexes for a new veth pair, unique within the lab. The kernel
   * applies a veth's carrier change at once only when its ifindex differs from its peer's
   * (linkwatch_urgent_event); fresh namespaces number from 1, so without this the two ends
   * often share an index and the link carries nothing for up to a second after `up`.
   */
  vethIndexes(): [string, string] {
    const first = this.#nextIfindex;
    this.#nextIfindex += 2;
    return [String(first), String(first + 1)];
  }

  /** A fresh directory inside the lab's scratch directory: `<stem>`, else `<stem>-2`, `-3`, ... */
  makeDir(stem: string): string {
    for (let n = 1; ; n++) {
      const dir = path.join(this.dir, n === 1 ? stem : `${stem}-${n}`);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        return dir;
      }
    }
  }

  /** Runs fn at cleanup, before processes are stopped and namespaces deleted (LIFO). */
  defer(fn: () => unknown): void {
    this.#deferred.push(fn);
  }

  /** @internal used by Host.spawn so cleanup stops it. */
  track(proc: Proc): void {
    this.#procs.push(proc);
  }

  /** Idempotent; never throws (problems are printed) so other teardowns still run. */
  cleanup(): Promise<void> {
    this.#cleaned ??= this.#cleanup();
    return this.#cleaned;
  }

  async #cleanup(): Promise<void> {
    const problems: string[] = [];
    if (this.#t.passing?.() === false) this.#dumpOutputs();
    while (this.#deferred.length > 0) {
      const fn = this.#deferred.pop();
      try {
        await fn?.();
      } catch (err) {
        problems.push(`deferred cleanup: ${String(err)}`);
      }
    }
    await Promise.all(this.#procs.map((p) => p.stop(STOP_GRACE_MS)));
    for (const ns of [...this.#namespaces].reverse()) {
      const leftover = deleteNamespaceSync(ns);
      if (leftover !== '') problems.push(leftover);
    }
    if (process.env.IKELB_KEEP_LAB !== '1') rmSync(this.dir, { recursive: true, force: true });
    liveLabs.delete(this);
    if (problems.length > 0) process.stderr.write(`lab ${this.id} cleanup: ${problems.join('; ')}\n`);
  }

  /** Synchronous last resort, for process exit. */
  cleanupSync(): void {
    for (const p of this.#procs) p.kill();
    for (const ns of [...this.#namespaces].reverse()) deleteNamespaceSync(ns);
    if (process.env.IKELB_KEEP_LAB !== '1') rmSync(this.dir, { recursive: true, force: true });
    liveLabs.delete(this);
  }

  #dumpOutputs(): void {
    for (const p of this.#procs) {
      const text = `--- ${p.name} (pid ${p.pid}), last output:\n${p.tail(60)}`;
      if (this.#t.comment !== undefined) this.#t.comment(text);
      else process.stderr.write(`${text}\n`);
    }
  }

  async #addNamespace(ns: string): Promise<void> {
    await runOk('ip', ['netns', 'add', ns]);
    this.#namespaces.push(ns);
  }
}

export class Lan {
  readonly lab: Lab;
  readonly name: string;
  /** The switch namespace holding bridge br0 (tcpdump there sees every host). */
  readonly ns: string;
  #ports = 0;

  constructor(lab: Lab, name: string, ns: string) {
    this.lab = lab;
    this.name = name;
    this.ns = ns;
  }

  /** Plugs a host into this LAN with a new interface (default eth0). */
  async attach(host: Host, spec: InterfaceSpec = {}): Promise<void> {
    const ifname = spec.ifname ?? 'eth0';
    checkIfname(ifname);
    this.#ports += 1;
    const port = `p${this.#ports}`;
    const [ip, ih] = this.lab.vethIndexes();
    await runOk('ip', ['-n', this.ns, 'link', 'add', port, 'index', ip, 'type', 'veth', 'peer', 'name', ifname, 'index', ih, 'netns', host.ns]);
    await runOk('ip', ['-n', this.ns, 'link', 'set', port, 'master', 'br0', 'up']);
    await host.configureInterface({ ...spec, ifname });
    await host.waitForCarrier(ifname);
    await host.addMulticastRoute(ifname, spec);
  }
}

interface RouteSpec {
  readonly family: 4 | 6;
  /** After `ip -<family> -n <ns> route replace`. */
  readonly args: readonly string[];
}

export class Host {
  readonly lab: Lab;
  readonly name: string;
  /** The network namespace: `ip netns exec <ns> ...`. */
  readonly ns: string;
  readonly #addresses = new Map<string, string[]>();
  readonly #routes = new Map<string, RouteSpec>();
  #firstInterface: string | undefined;
  #procCount = 0;

  constructor(lab: Lab, name: string, ns: string) {
    this.lab = lab;
    this.name = name;
    this.ns = ns;
  }

  /** The first configured address of that family (without prefix length), e.g. for peer configs. */
  addr(family: 4 | 6 = 4, ifname?: string): string {
    for (const [name, list] of this.#addresses) {
      if (ifname !== undefined && name !== ifname) continue;
      for (const cidr of list) {
        const address = cidr.split('/')[0] ?? '';
        if (isIP(address) === family) return address;
      }
    }
    throw new Error(`host ${this.name} has no IPv${family} address${ifname === undefined ? '' : ` on ${ifname}`}`);
  }

  /** `ip -n <ns> ...`, throwing on failure. */
  async ip(...args: string[]): Promise<RunResult> {
    return runOk('ip', ['-n', this.ns, ...args]);
  }

  /** Runs a program inside the namespace to completion (exit code is the caller's to judge). */
  exec(file: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.ns, file, ...args], options);
  }

  /** Like exec, but a non-zero exit throws with the program's stderr. */
  execOk(file: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return runOk('ip', ['netns', 'exec', this.ns, file, ...args], options);
  }

  /**
   * Starts a long-running program inside the namespace; the lab stops it at cleanup.
   * Output also goes to `<lab.dir>/<host>-<name>.log` unless logFile says otherwise.
   */
  spawn(name: string, file: string, args: readonly string[] = [], options: HostSpawnOptions = {}): Proc {
    this.#procCount += 1;
    const label = `${this.name}/${name}`;
    const logFile = options.logFile ?? path.join(this.lab.dir, `${this.name}-${name}-${this.#procCount}.log`);
    const { setup, ...procOptions } = options;
    const command =
      setup === undefined || setup.length === 0
        ? [file, ...args]
        : ['sh', '-c', `set -e; ${setup.join('; ')}; exec "$0" "$@"`, file, ...args];
    const proc = new Proc(label, 'ip', ['netns', 'exec', this.ns, ...command], { ...procOptions, logFile });
    this.lab.track(proc);
    return proc;
  }

  /** A Node script of ours in the namespace: .ts through tap's TypeScript loader, .js as is. */
  spawnNode(name: string, script: string, args: readonly string[] = [], options: HostSpawnOptions = {}): Proc {
    const node = nodeCommand(script, args, options.env);
    return this.spawn(name, process.execPath, node.args, { ...options, env: node.env });
  }

  /** Runs a Node script of ours to completion in the namespace. */
  execNode(script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    const node = nodeCommand(script, args, options.env);
    return this.exec(process.execPath, node.args, { ...options, env: node.env });
  }

  /** The `ikelb` CLI (dist/cli/main.js, or lib/cli/main.ts when dist/ is stale) as a long-running process. */
  spawnIkelb(args: readonly string[], options: HostSpawnOptions = {}, name = `ikelb-${args[0] ?? ''}`): Proc {
    return this.spawnNode(name, ikelbCliScript(), args, options);
  }

  /** The `ikelb` CLI run to completion, e.g. execIkelb(['show', 'crypto', 'ikev2', 'sa']). */
  execIkelb(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.execNode(ikelbCliScript(), args, options);
  }

  async linkDown(ifname = 'eth0'): Promise<void> {
    await this.ip('link', 'set', ifname, 'down');
  }

  /**
   * Brings the link up, waits until it carries traffic (operstate UP; pass
   * waitForCarrier: false when its peer is down on purpose) and restores the routes the
   * kernel dropped while it was down.
   */
  async linkUp(ifname = 'eth0', options: { readonly waitForCarrier?: boolean } = {}): Promise<void> {
    await this.ip('link', 'set', ifname, 'up');
    if (options.waitForCarrier ?? true) await this.waitForCarrier(ifname);
    for (const route of this.#routes.values()) {
      if (route.args.includes(ifname) || !route.args.includes('dev')) await this.#replaceRoute(route);
    }
  }

  /** Resolves once the interface is operationally UP (carrier on, qdisc active). */
  async waitForCarrier(ifname = 'eth0', timeoutMs = CARRIER_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await this.ip('-j', 'link', 'show', 'dev', ifname);
      const [link] = JSON.parse(stdout) as { operstate: string }[];
      if (link?.operstate === 'UP') return;
      if (Date.now() > deadline) throw new Error(`${this.name}: ${ifname} is not operationally up after ${timeoutMs} ms (operstate ${link?.operstate}; is its peer down?)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** `ip addr show dev <ifname>`, parsed. */
  async interface(ifname = 'eth0'): Promise<InterfaceInfo> {
    const { stdout } = await this.ip('-j', 'addr', 'show', 'dev', ifname);
    const [entry] = JSON.parse(stdout) as IpAddrJson[];
    if (entry === undefined) throw new Error(`host ${this.name} has no interface ${ifname}`);
    return {
      ifname: entry.ifname,
      up: entry.flags.includes('UP'),
      operstate: entry.operstate,
      mac: entry.address ?? '',
      addresses: (entry.addr_info ?? []).map((a) => ({
        family: a.family === 'inet6' ? 6 : 4,
        address: a.local,
        prefixLength: a.prefixlen,
      })),
    };
  }

  async addAddress(ifname: string, cidr: string): Promise<void> {
    checkDocAddress(cidr);
    const v6 = isIP(cidr.split('/')[0] ?? '') === 6;
    await this.ip('addr', 'add', cidr, 'dev', ifname, ...(v6 ? ['nodad'] : []));
    const list = this.#addresses.get(ifname) ?? [];
    list.push(cidr);
    this.#addresses.set(ifname, list);
  }

  async delAddress(ifname: string, cidr: string): Promise<void> {
    await this.ip('addr', 'del', cidr, 'dev', ifname);
    const list = this.#addresses.get(ifname) ?? [];
    this.#addresses.set(ifname, list.filter((c) => c !== cidr));
  }

  /** A route via a gateway (`dest` may be 'default'); remembered so linkUp restores it. */
  async addRoute(dest: string, via: string, ifname?: string): Promise<void> {
    if (dest !== 'default') checkDocAddress(dest);
    const route: RouteSpec = {
      family: isIP(via) === 6 ? 6 : 4,
      args: [dest, 'via', via, ...(ifname === undefined ? [] : ['dev', ifname])],
    };
    await this.#replaceRoute(route);
    this.#routes.set(`${route.family} ${dest}`, route);
  }

  async #replaceRoute(route: RouteSpec): Promise<void> {
    await runOk('ip', [`-${route.family}`, '-n', this.ns, 'route', 'replace', ...route.args]);
  }

  /** @internal used by Lab.connect and Lan.attach. */
  async configureInterface(spec: InterfaceSpec & { ifname: string }): Promise<void> {
    this.#firstInterface ??= spec.ifname;
    if (spec.mac !== undefined) await this.ip('link', 'set', spec.ifname, 'address', spec.mac);
    for (const cidr of spec.addresses ?? []) await this.addAddress(spec.ifname, cidr);
    await this.ip('link', 'set', spec.ifname, 'up');
  }

  /** @internal `224.0.0.0/4 dev <ifname>` on the host's first interface (or as spec says). */
  async addMulticastRoute(ifname: string, spec: InterfaceSpec | undefined): Promise<void> {
    if (!(spec?.multicastRoute ?? ifname === this.#firstInterface)) return;
    const route: RouteSpec = { family: 4, args: ['224.0.0.0/4', 'dev', ifname] };
    await this.#replaceRoute(route);
    this.#routes.set(`mcast ${ifname}`, route);
  }
}

interface IpAddrJson {
  ifname: string;
  flags: string[];
  operstate: string;
  address?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

/** The TypeScript loader tap itself uses to run .ts tests. */
export function tsLoaderImport(): string {
  const loader = path.join(repoRoot, 'node_modules', '@tapjs', 'typescript', 'dist', 'esm', 'import.mjs');
  if (!existsSync(loader)) throw new Error(`tap's TypeScript loader is missing (${loader}): run npm ci`);
  return `--import=${pathToFileURL(loader).href}`;
}

function nodeCommand(script: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined): { args: string[]; env: NodeJS.ProcessEnv } {
  const abs = path.resolve(repoRoot, script);
  // tap's NODE_OPTIONS load its process-info hook, which has no business in a peer process.
  const { NODE_OPTIONS: _ignored, ...base } = env ?? process.env;
  if (abs.endsWith('.ts') || abs.endsWith('.mts') || abs.endsWith('.cts')) {
    return { args: [tsLoaderImport(), '--enable-source-maps', abs, ...args], env: { ...base, TS_NODE_TRANSPILE_ONLY: '1' } };
  }
  return { args: ['--enable-source-maps', abs, ...args], env: base };
}

let cliScript: string | undefined;

/** dist/cli/main.js when it is newer than every lib/ source file, else lib/cli/main.ts. */
export function ikelbCliScript(): string {
  if (cliScript !== undefined) return cliScript;
  const dist = path.join(repoRoot, 'dist', 'cli', 'main.js');
  const src = path.join(repoRoot, 'lib', 'cli', 'main.ts');
  cliScript = existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(path.join(repoRoot, 'lib')) ? dist : src;
  return cliScript;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function checkName(kind: string, name: string): void {
  if (!NAME_RE.test(name)) throw new Error(`${kind} name '${name}' must match ${NAME_RE}`);
}

function checkIfname(ifname: string): void {
  if (ifname.length === 0 || ifname.length > IFNAME_MAX || !/^[A-Za-z0-9_.-]+$/.test(ifname)) {
    throw new Error(`interface name '${ifname}' must be 1..${IFNAME_MAX} characters of [A-Za-z0-9_.-]`);
  }
}

/** Network rules: test traffic uses only the documentation ranges. */
export function isDocAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 6) return /^2001:0?db8:/i.test(address) || address.toLowerCase() === '2001:db8::';
  if (family !== 4) return false;
  const value = ipv4ToInt(address);
  return DOC_NETS.some(([net, len]) => value >>> (32 - len) === ipv4ToInt(net) >>> (32 - len));
}

function checkDocAddress(cidr: string): void {
  const address = cidr.split('/')[0] ?? '';
  if (!isDocAddress(address)) {
    throw new Error(`${cidr} is outside the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)`);
  }
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** Kills every process inside a namespace, then deletes it. Returns '' or what went wrong. */
function deleteNamespaceSync(ns: string): string {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  for (const pid of pids.stdout?.split(/\s+/).filter((p) => /^\d+$/.test(p)) ?? []) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  // A killed process may take a moment to release the namespace; deletion works regardless.
  const del = spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8' });
  if (del.status !== 0 && !/No such file/.test(del.stderr)) return `ip netns del ${ns}: ${del.stderr.trim()}`;
  return '';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes ikt<pid>-* namespaces and scratch directories left by processes that are gone. */
export async function sweepStaleLabs(): Promise<string[]> {
  const swept: string[] = [];
  const list = await run('ip', ['netns', 'list']);
  for (const line of list.stdout.split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    const m = /^ikt(\d+)-/.exec(ns);
    if (m !== null && !pidAlive(Number(m[1]))) {
      deleteNamespaceSync(ns);
      swept.push(ns);
    }
  }
  for (const entry of readdirSync(tmpdir())) {
    const m = /^ikt(\d+)-/.exec(entry);
    if (m !== null && !pidAlive(Number(m[1]))) rmSync(path.join(tmpdir(), entry), { recursive: true, force: true });
  }
  return swept;
}

/**
 * Last-resort cleanup when the process goes away without teardown: at exit, and on the
 * signals that end a test process — SIGALRM is tap's timeout (its runner sends SIGKILL
 * 500 ms later, too soon for an async teardown), SIGTERM/SIGINT a user or CI stopping the run.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanupAll = (): void => {
    for (const lab of [...liveLabs]) lab.cleanupSync();
  };
  process.on('exit', cleanupAll);
  for (const sig of ['SIGALRM', 'SIGTERM', 'SIGINT'] as const) {
    const onSignal = (): void => {
      cleanupAll();
      // Step aside and deliver the signal again, so whoever else handles it (tap's
      // signal-exit reports a timeout, then the process dies of the signal) runs as if we
      // had never been here.
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}
