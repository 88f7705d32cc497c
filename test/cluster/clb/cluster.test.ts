// Three CLB components in one process on loopback, each with its own HSRP
// view (ManualGroupRole): a real primary, real subordinates, real TCP. The
// VIP is 127.0.0.10 and every primary listens on it, so when the role moves
// the subordinates' connections to VIP:port land on the new primary as they
// would on a LAN.
import net from 'node:net';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import t, { type Test } from 'tap';
import { ClbComponent } from '../../../lib/cluster/clb/clb-component';
import { ManualGroupRole } from '../../../lib/cluster/clb/group-role';
import { resolveClusterOptions, type ClusterOptionsInput } from '../../../lib/cluster/clb/options';
import { MemoryTargetSink } from '../../../lib/cluster/clb/redirect-targets';
import type { ClusterStatus } from '../../../lib/cluster/clb/show-cluster';
import { ControlServer } from '../../../lib/control/server';
import { Daemon } from '../../../lib/daemon/daemon';
import { silentLogger } from '../../../lib/log';
import { freePort } from '../../support/clb-raw-peer';
import { run } from '../../support/run';
import { VirtualClock } from '../../support/virtual-clock';

const vip = '127.0.0.10';
const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');

interface Gateway {
  readonly address: string;
  readonly role: ManualGroupRole;
  readonly clb: ClbComponent;
  readonly sink: MemoryTargetSink;
  sessions: number;
}

async function cluster(t: Test, loads: ReadonlyArray<{ sessions: number; system: number }>, overrides: Partial<ClusterOptionsInput> = {}, clock?: VirtualClock) {
  const port = await freePort(vip);
  const gateways: Gateway[] = loads.map((load, i) => {
    const address = `127.0.0.${11 + i}`;
    const role = new ManualGroupRole('group1', i === 0 ? { active: true, virtualAddress: vip, activeAddress: address } : { active: false, virtualAddress: vip, activeAddress: '127.0.0.11' });
    const sink = new MemoryTargetSink();
    const gateway: Gateway = {
      address,
      role,
      sink,
      sessions: load.sessions,
      clb: undefined as unknown as ClbComponent,
    };
    const clb = new ClbComponent({
      cluster: resolveClusterOptions({
        standbyGroup: 'group1',
        secret: 'cluster-secret',
        localAddress: address,
        listenAddress: vip,
        port,
        helloMs: 200,
        updateMs: 200,
        holdtimeMs: 1000,
        maxSession: 1000,
        weightSystemLoad: 50,
        ...overrides,
      }),
      role,
      sessions: () => gateway.sessions,
      sink,
      log: silentLogger,
      systemLoad: () => ({ cpuLoad: load.system, memoryLoad: load.system / 2, systemLoad: load.system }),
      ...(clock === undefined ? {} : { clock }),
    });
    Object.assign(gateway, { clb });
    return gateway;
  });
  for (const g of gateways) await g.clb.start();
  t.teardown(async () => {
    for (const g of gateways) await g.clb.stop();
  });
  return { gateways, port };
}

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return predicate();
}

const upMembers = (s: ClusterStatus): string[] => s.members.filter((m) => m.state === 'up').map((m) => m.address);

t.test("the primary's table shows all three gateways with their loads", async (t) => {
  const { gateways } = await cluster(t, [
    { sessions: 100, system: 30 },
    { sessions: 50, system: 20 },
    { sessions: 10, system: 60 },
  ]);
  const [a] = gateways as [Gateway];
  t.ok(await until(() => upMembers(a.clb.status()).length === 3), 'three members up');
  const s = a.clb.status();
  t.equal(s.role, 'primary');
  t.same(
    s.members.map((m) => [m.address, m.role, m.sessions, m.maxSession, m.cryptoLoad, m.systemLoad]),
    [
      ['127.0.0.11', 'primary', 100, 1000, 10, 30],
      ['127.0.0.12', 'subordinate', 50, 1000, 5, 20],
      ['127.0.0.13', 'subordinate', 10, 1000, 1, 60],
    ],
  );
  // scores with weights 100/50: .11 = 16.67, .12 = 10, .13 = 20.67
  t.match(s.leastLoaded, { decision: 'redirect', address: '127.0.0.12', score: 10 });
  t.match(a.clb.chooseRedirect(), { kind: 'redirect', target: { address: '127.0.0.12' } });
  const b = gateways[1] as Gateway;
  t.equal(b.clb.chooseRedirect(), undefined, 'a subordinate makes no redirect decision');
  t.ok(await until(() => b.clb.status().subordinate?.memberCount === 3), 'the next PRIMARY-INFO counts three members');
  t.match(b.clb.status(), { role: 'subordinate', primaryAddress: '127.0.0.11', subordinate: { state: 'established', accepted: true, stateAtPrimary: 'up', scoreAtPrimary: 10 } });
});

t.test('the target table is published on every load report and membership change', async (t) => {
  const { gateways } = await cluster(t, [
    { sessions: 0, system: 10 },
    { sessions: 0, system: 10 },
  ]);
  const [a, b] = gateways as [Gateway, Gateway];
  t.ok(await until(() => (a.sink.latest?.targets.filter((x) => x.eligible).length ?? 0) === 2));
  const generation = a.sink.latest?.generation ?? 0;
  b.sessions = 1000;
  t.ok(await until(() => a.sink.latest?.targets.find((x) => x.address === '127.0.0.12')?.eligible === false), 'a full member turns ineligible with its next report');
  t.ok((a.sink.latest?.generation ?? 0) > generation, 'generations increase');
  t.match(a.sink.latest?.targets.find((x) => x.address === '127.0.0.12'), { capacity: 0, local: false });
  await b.clb.stop();
  t.ok(await until(() => a.sink.latest?.targets.length === 1), 'a member that leaves disappears from the next table');
  t.same(b.sink.latest?.targets, [], 'a gateway that is not primary publishes an empty table');
  const generations = a.sink.history.map((x) => x.generation);
  t.same(generations, [...generations].sort((x, y) => x - y), 'in order');
});

t.test('when the primary changes, subordinates re-home to the new primary within one hello', async (t) => {
  const helloMs = 500;
  const { gateways } = await cluster(
    t,
    [
      { sessions: 1, system: 10 },
      { sessions: 2, system: 10 },
      { sessions: 3, system: 10 },
    ],
    { helloMs, updateMs: helloMs, holdtimeMs: 3 * helloMs },
  );
  const [a, b, c] = gateways as [Gateway, Gateway, Gateway];
  t.ok(await until(() => upMembers(a.clb.status()).length === 3));
  // HSRP moves: A resigns, B becomes active, C learns the new active router.
  const moved = Date.now();
  a.role.becomeNotActive(vip, b.address);
  b.role.becomeActive(vip, b.address);
  c.role.becomeNotActive(vip, b.address);
  t.ok(await until(() => b.clb.status().members.filter((m) => !m.role.startsWith('p')).length === 2, 3 * helloMs), 'both subordinates joined the new primary');
  const rehomed = Date.now() - moved;
  t.comment(`re-homed in ${rehomed} ms (hello ${helloMs} ms)`);
  t.ok(rehomed <= helloMs, `within one hello (${rehomed} ms)`);
  t.equal(a.clb.role, 'subordinate');
  t.equal(b.clb.role, 'primary');
  t.match(c.clb.status(), { primaryAddress: b.address });
  t.match(a.clb.status(), { primaryAddress: b.address });
  t.ok(await until(() => upMembers(b.clb.status()).length === 3), 'all three up at the new primary');
});

t.test('a subordinate with another secret never joins; the primary counts wrong-key', async (t) => {
  const { gateways, port } = await cluster(t, [{ sessions: 1, system: 10 }]);
  const [a] = gateways as [Gateway];
  const role = new ManualGroupRole('group1', { active: false, virtualAddress: vip, activeAddress: a.address });
  const intruder = new ClbComponent({
    cluster: resolveClusterOptions({ standbyGroup: 'group1', secret: 'guessed-secret', localAddress: '127.0.0.66', listenAddress: vip, port, helloMs: 200, holdtimeMs: 1000 }),
    role,
    sessions: () => 0,
    log: silentLogger,
  });
  await intruder.start();
  t.teardown(() => intruder.stop());
  t.ok(await until(() => a.clb.refusals.snapshot()['wrong-key'] >= 2), 'refused, and refused again on retry');
  t.equal(a.clb.status().members.length, 1);
  t.not(intruder.status().subordinate?.state, 'established');
});

t.test('a cluster configured with shutdown neither listens nor connects', async (t) => {
  const { gateways, port } = await cluster(t, [{ sessions: 1, system: 10 }], { shutdown: true });
  const [a] = gateways as [Gateway];
  t.equal(a.clb.role, 'disabled');
  t.match(a.clb.status(), { role: 'disabled', members: [] });
  t.equal(a.clb.chooseRedirect(), undefined);
  const refused = await new Promise<string>((resolve) => {
    const socket = net.connect({ host: vip, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  t.equal(refused, 'ECONNREFUSED', 'nothing listens on the CLB port');
});

t.test('a standby-group that HSRP does not run is a start error naming both groups', async (t) => {
  const clb = new ClbComponent({
    cluster: resolveClusterOptions({ standbyGroup: 'group9', secret: 'cluster-secret', localAddress: '127.0.0.11' }),
    role: new ManualGroupRole('group1', { active: false, virtualAddress: undefined, activeAddress: undefined }),
    sessions: () => 0,
  });
  await t.rejects(clb.start(), { code: 'IKELB_ERR_CLB_ROLE', message: /group9.*group1/ });
});

t.test('a primary that cannot listen fails the start with IKELB_ERR_CLB_LISTEN', async (t) => {
  const { port } = await cluster(t, [{ sessions: 1, system: 10 }]);
  const clb = new ClbComponent({
    cluster: resolveClusterOptions({ standbyGroup: 'group1', secret: 'cluster-secret', localAddress: '127.0.0.14', listenAddress: vip, port }),
    role: new ManualGroupRole('group1', { active: true, virtualAddress: vip, activeAddress: '127.0.0.14' }),
    sessions: () => 0,
  });
  await t.rejects(clb.start(), { code: 'IKELB_ERR_CLB_LISTEN', message: new RegExp(`127\\.0\\.0\\.10:${port}: EADDRINUSE`) });
  await clb.stop();
});

t.test('in virtual time, hellos keep a member alive and stopping leaves no timer armed', async (t) => {
  const clock = new VirtualClock();
  const { gateways } = await cluster(
    t,
    [
      { sessions: 1, system: 10 },
      { sessions: 2, system: 10 },
    ],
    {},
    clock,
  );
  const [a, b] = gateways as [Gateway, Gateway];
  // The handshake, first HELLO and LOAD go out on connect; no time needs to pass.
  t.ok(await until(() => upMembers(a.clb.status()).length === 2));
  for (let i = 0; i < 50; i++) {
    clock.advance(200); // one hello/update interval: B sends, A answers
    await until(() => false, 15); // let the frames cross the real sockets
  }
  t.equal(upMembers(a.clb.status()).length, 2, 'still up after 10 s of virtual time');
  await b.clb.stop();
  await a.clb.stop();
  t.equal(clock.armed, 0, 'no timer left behind');
});

t.test('`ikelb show crypto ikev2 cluster` prints the members, --json the data', async (t) => {
  const { gateways } = await cluster(t, [
    { sessions: 100, system: 30 },
    { sessions: 50, system: 20 },
    { sessions: 10, system: 60 },
  ]);
  const [a] = gateways as [Gateway];
  t.ok(await until(() => upMembers(a.clb.status()).length === 3));
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-clb-'));
  const control = path.join(dir, 'ikelb.sock');
  // A second component over the same role cannot share the port: serve the running one's commands.
  const daemon = new Daemon({ components: [{ name: 'clb-view', start: async () => undefined, stop: async () => undefined, registerCommands: (c: ControlServer) => a.clb.registerCommands(c) }], controlPath: control, log: silentLogger });
  await daemon.start();
  t.teardown(async () => {
    await daemon.stop('shutdown');
    rmSync(dir, { recursive: true, force: true });
  });
  const text = await run('node', [cli, 'show', 'crypto', 'ikev2', 'cluster', '--control', control]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /Role\s+: primary \(HSRP active in group1\)/);
  t.match(text.stdout, /Virtual IP\s+: 127\.0\.0\.10, port \d+/);
  t.match(text.stdout, /^Address\s+Role\s+Prio\s+Sessions\/Max\s+Crypto%\s+System%\s+CPU%\s+Mem%\s+Load%\s+State\s+Last heard$/m);
  t.match(text.stdout, /^127\.0\.0\.11\s+primary\s+1\s+100\/1000\s+10\.0\s+30\.0\s+30\.0\s+15\.0\s+16\.7\s+up\s+local$/m);
  t.match(text.stdout, /^127\.0\.0\.12\s+subordinate\s+1\s+50\/1000\s+5\.0\s+20\.0\s+20\.0\s+10\.0\s+10\.0\s+up\s+\d+ ms$/m);
  t.match(text.stdout, /^127\.0\.0\.13\s+subordinate\s+1\s+10\/1000\s+1\.0\s+60\.0/m);
  t.match(text.stdout, /Least loaded gateway: 127\.0\.0\.12 \(load 10\.0%\)/);
  const json = await run('node', [cli, 'show', 'crypto', 'ikev2', 'cluster', '--json', '--control', control]);
  const data = JSON.parse(json.stdout) as ClusterStatus;
  t.same(
    data.members.map((m) => [m.address, m.state]),
    [
      ['127.0.0.11', 'up'],
      ['127.0.0.12', 'up'],
      ['127.0.0.13', 'up'],
    ],
  );
  t.match(data, { role: 'primary', standbyGroup: 'group1', virtualAddress: vip, leastLoaded: { address: '127.0.0.12' }, refused: { 'wrong-key': 0 } });
});

t.test('when every member is overloaded the primary serves new clients itself and show says so', async (t) => {
  const { gateways } = await cluster(t, [
    { sessions: 990, system: 95 },
    { sessions: 1000, system: 10 },
  ], { overloadLimit: 90 });
  const [a] = gateways as [Gateway];
  t.ok(await until(() => a.clb.status().members.some((m) => m.state === 'full')));
  t.match(a.clb.chooseRedirect(), { kind: 'local', reason: 'all-overloaded' });
  t.match(a.clb.status().members.map((m) => m.state), ['overloaded', 'full']);
  const control = new ControlServer();
  a.clb.registerCommands(control);
  const answer = await control.execute({ words: ['show', 'crypto', 'ikev2', 'cluster'] });
  t.match(answer, { ok: true, text: /new clients are served locally \(every member is overloaded or full\)/ });
});

t.test('a new primary whose port is still taken keeps retrying and listens once it is free', async (t) => {
  const { gateways } = await cluster(t, [
    { sessions: 1, system: 10 },
    { sessions: 2, system: 10 },
  ]);
  const [a, b] = gateways as [Gateway, Gateway];
  t.ok(await until(() => upMembers(a.clb.status()).length === 2));
  // B hears it is active before A has let go (on one host both bind VIP:port).
  b.role.becomeActive(vip, b.address);
  await until(() => false, 300);
  t.equal(b.clb.role, 'subordinate', 'B could not listen yet');
  a.role.becomeNotActive(vip, b.address);
  t.ok(await until(() => b.clb.role === 'primary'), 'B listens after a retry');
  t.ok(await until(() => upMembers(b.clb.status()).length === 2), 'and A joins it');
});
