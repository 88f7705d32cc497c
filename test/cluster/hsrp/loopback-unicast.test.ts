// The loopback demo: three HSRP nodes without root (run as `nobody` when the
// test is root), unicast peers over UDP on 127.0.0.x with a private port, and a
// VIP "owned" by binding 127.0.0.10 — no raw socket, no netlink change.
import dgram from 'node:dgram';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import type { HsrpGroupOptions } from '../../../lib/cluster/hsrp/options';
import type { StandbyGroupView } from '../../../lib/cluster/hsrp/show-standby';
import { queryControl } from '../../../lib/control/client';
import { tsLoaderImport } from '../../support/netns';
import { startProc, type Proc } from '../../support/proc';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const port = 21000 + (process.pid % 2000) * 2;
const probePort = port + 1;
const vip = '127.0.0.10';
const nodes = { gw1: { ip: '127.0.0.11', priority: 110 }, gw2: { ip: '127.0.0.12', priority: 105 }, gw3: { ip: '127.0.0.13', priority: 100 } };
type Name = keyof typeof nodes;

function options(name: Name): HsrpGroupOptions[] {
  const me = nodes[name];
  return [
    {
      interface: 'lo',
      group: 1,
      version: 2,
      vip,
      priority: me.priority,
      preempt: true,
      helloMs: 200,
      holdMs: 700,
      auth: { kind: 'md5', key: 'cluster-secret' },
      name: 'group1',
      localIp: me.ip,
      port,
      loopbackProbePort: probePort,
      unicastPeers: Object.values(nodes).map((n) => n.ip).filter((ip) => ip !== me.ip),
    },
  ];
}

/** Who answers on the VIP (the owner replies with its own address), or undefined. */
function whoOwnsVip(timeoutMs = 150): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (msg) => {
      clearTimeout(timer);
      s.close();
      resolve(msg.toString());
    });
    s.on('error', () => undefined);
    s.send('who', probePort, vip);
  });
}

/** Probes until `expected` answers on the VIP (the owner binds it just after logging -> Active) or `withinMs` passes. */
async function ownerWithin(expected: string, withinMs: number): Promise<string | undefined> {
  const since = Date.now();
  let owner: string | undefined;
  while (owner !== expected && Date.now() - since < withinMs) owner = await whoOwnsVip(100);
  return owner;
}

async function show(dir: string, name: Name): Promise<StandbyGroupView> {
  const r = await queryControl(path.join(dir, `${name}.sock`), ['show', 'standby']);
  if (!r.ok) throw new Error(r.error);
  return (r.data as StandbyGroupView[])[0] as StandbyGroupView;
}

t.test('three loopback nodes without root elect gw1 and move the VIP to gw2 when gw1 is killed', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-hsrp-lo-'));
  chmodSync(dir, 0o755);
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  const procs = new Map<Name, Proc>();
  t.teardown(async () => {
    await Promise.all([...procs.values()].map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const { NODE_OPTIONS: _drop, ...env } = process.env;
  const start = (name: Name): Proc => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(options(name)));
    const node = [tsLoaderImport(), '--enable-source-maps', path.join(__dirname, '..', '..', 'fixtures', 'hsrp-node.ts'), file, path.join(dir, `${name}.sock`)];
    const proc = asRoot
      ? startProc(name, 'setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, ...node], { env: { ...env, HOME: dir } })
      : startProc(name, process.execPath, node, { env });
    procs.set(name, proc);
    return proc;
  };
  for (const name of ['gw1', 'gw2', 'gw3'] as const) start(name);
  for (const p of procs.values()) await p.waitForOutput(/hsrp-node ready/, 30_000);
  await (procs.get('gw1') as Proc).waitForOutput(/-> Active/, 10_000);
  await (procs.get('gw2') as Proc).waitForOutput(/-> Standby/, 10_000);
  t.equal(await ownerWithin(nodes.gw1.ip, 3000), nodes.gw1.ip, 'gw1 answers on the VIP');
  const gw1 = await show(dir, 'gw1');
  t.match(gw1, { state: 'Active', virtualIp: vip, mode: 'unicast', priority: 110, activeRouter: 'local' });
  if (asRoot) t.equal(Number((await import('node:fs')).statSync(`/proc/${(procs.get('gw1') as Proc).pid}`).uid), NOBODY, 'runs as nobody');

  const killedAt = Date.now();
  (procs.get('gw1') as Proc).kill();
  let owner: string | undefined;
  while (Date.now() - killedAt < 5000) {
    owner = await whoOwnsVip(50);
    if (owner === nodes.gw2.ip) break;
  }
  const took = Date.now() - killedAt;
  t.equal(owner, nodes.gw2.ip, 'gw2 answers on the VIP');
  t.comment(`loopback failover: VIP answered by gw2 ${took} ms after kill -9 of gw1 (hold 700 ms, hello 200 ms)`);
  t.match(await show(dir, 'gw2'), { state: 'Active' });

  start('gw1');
  await (procs.get('gw1') as Proc).waitForOutput(/-> Active/, 15_000);
  const back1 = await show(dir, 'gw1');
  t.equal(back1.state, 'Active');
  t.ok((back1.counters as { packetsOut: { Coup: number } }).packetsOut.Coup >= 1, 'gw1 preempted with a Coup');
  t.equal(await ownerWithin(nodes.gw1.ip, 3000), nodes.gw1.ip, 'gw1 took the VIP back (preempt)');
});
