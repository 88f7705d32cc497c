// Three gateway processes in network namespaces on one bridged LAN, with the
// timers of shared/examples/gw*.conf (hello 500 ms, update 1000 ms, holdtime
// 3000 ms). HSRP is simulated: the test moves the VIP between hosts and tells
// each process its role (role file + SIGUSR1), as the HSRP component will.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { ClusterStatus } from '../../../lib/cluster/clb/show-cluster';
import { lan, type Host, type Lab } from '../../support/netns';
import type { Proc } from '../../support/proc';

const vip = '192.0.2.10';
const timers = { helloMs: 500, updateMs: 1000, holdtimeMs: 3000 };
const loads = {
  gw1: { address: '192.0.2.11', sessions: 100, cpu: 30, memory: 10 },
  gw2: { address: '192.0.2.12', sessions: 50, cpu: 20, memory: 10 },
  gw3: { address: '192.0.2.13', sessions: 10, cpu: 60, memory: 10 },
} as const;
type Name = keyof typeof loads;

interface Gateway {
  readonly host: Host;
  readonly proc: Proc;
  readonly control: string;
  readonly roleFile: string;
}

function writeRole(file: string, active: boolean, activeAddress: string): void {
  writeFileSync(file, JSON.stringify({ group: 'group1', active, virtualAddress: vip, activeAddress }));
}

async function startGateway(lab: Lab, host: Host, name: Name, active: boolean): Promise<Gateway> {
  const load = loads[name];
  const control = path.join(lab.dir, `${name}.sock`);
  const roleFile = path.join(lab.dir, `${name}.role.json`);
  const specFile = path.join(lab.dir, `${name}.spec.json`);
  writeRole(roleFile, active, loads.gw1.address);
  writeFileSync(
    specFile,
    JSON.stringify({
      cluster: {
        standbyGroup: 'group1',
        secret: 'cluster-secret',
        localAddress: load.address,
        port: 2000,
        ...timers,
        weightCryptoLoad: 100,
        weightSystemLoad: 50,
        overloadLimit: 90,
        priority: 90,
        maxSession: 1000,
      },
      control,
      role: roleFile,
      sessions: load.sessions,
      systemLoad: { cpu: load.cpu, memory: load.memory },
    }),
  );
  const proc = host.spawnNode(name, 'test/fixtures/clb-gateway.ts', [specFile]);
  await proc.waitForOutput(/clb-gateway ready/, 20_000);
  return { host, proc, control, roleFile };
}

async function show(g: Gateway): Promise<ClusterStatus> {
  const result = await g.host.execIkelb(['show', 'crypto', 'ikev2', 'cluster', '--json', '--control', g.control]);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as ClusterStatus;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const upAddresses = (s: ClusterStatus): string[] => s.members.filter((m) => m.state === 'up').map((m) => m.address);

/** The epoch-ms time of the first log line after mark matching the member and message. */
async function loggedAt(proc: Proc, member: string, message: RegExp, mark: number, timeoutMs: number): Promise<number> {
  const escaped = member.replace(/\./g, '\\.');
  const line = await proc.waitForOutput(new RegExp(`\\{[^\\n]*"time":(\\d+)[^\\n]*"member":"${escaped}"[^\\n]*"msg":"${message.source}`), timeoutMs, mark);
  return Number(line[1]);
}

t.test('three gateways on a LAN: one table, re-homing, and dead members leaving', async (t) => {
  const { lab, hosts } = await lan(t, {
    gw1: [`${loads.gw1.address}/24`],
    gw2: [`${loads.gw2.address}/24`],
    gw3: [`${loads.gw3.address}/24`],
  });
  await hosts.gw1.addAddress('eth0', `${vip}/24`);
  const gw1 = await startGateway(lab, hosts.gw1, 'gw1', true);
  const gw2 = await startGateway(lab, hosts.gw2, 'gw2', false);
  const gw3 = await startGateway(lab, hosts.gw3, 'gw3', false);

  await t.test("the primary's table shows all three with their loads, and show prints them", async (t) => {
    const status = await until('three members up', async () => {
      const s = await show(gw1);
      return upAddresses(s).length === 3 ? s : undefined;
    }, 10_000);
    t.same(
      status.members.map((m) => [m.address, m.role, m.sessions, m.maxSession, m.cryptoLoad, m.systemLoad, m.priority]),
      [
        ['192.0.2.11', 'primary', 100, 1000, 10, 30, 90],
        ['192.0.2.12', 'subordinate', 50, 1000, 5, 20, 90],
        ['192.0.2.13', 'subordinate', 10, 1000, 1, 60, 90],
      ],
    );
    // weights 100/50: .11 = 16.7, .12 = 10, .13 = 20.7 → .12 is the LLG
    t.match(status.leastLoaded, { decision: 'redirect', address: '192.0.2.12' });
    const text = await gw1.host.execIkelb(['show', 'crypto', 'ikev2', 'cluster', '--control', gw1.control]);
    t.equal(text.code, 0, text.stderr);
    for (const address of ['192.0.2.11', '192.0.2.12', '192.0.2.13']) t.match(text.stdout, new RegExp(`^${address.replace(/\./g, '\\.')}\\s+(primary|subordinate)\\s+90\\s`, 'm'));
    t.match(text.stdout, /Least loaded gateway: 192\.0\.2\.12/);
    const sub = await gw3.host.execIkelb(['show', 'crypto', 'ikev2', 'cluster', '--control', gw3.control]);
    t.match(sub.stdout, /Role\s+: subordinate/);
    t.match(sub.stdout, /Connection\s+: accepted via 192\.0\.2\.10:2000/);
  });

  await t.test('when the VIP moves to gw2, gw1 and gw3 re-home to it within one hello', async (t) => {
    const mark2 = gw2.proc.mark();
    // What HSRP does: the old active leaves, the new one takes the VIP and announces it (GARP; here: flush the cache).
    await hosts.gw1.delAddress('eth0', `${vip}/24`);
    await hosts.gw2.addAddress('eth0', `${vip}/24`);
    await hosts.gw3.ip('neigh', 'flush', 'dev', 'eth0');
    writeRole(gw1.roleFile, false, loads.gw2.address);
    writeRole(gw2.roleFile, true, loads.gw2.address);
    writeRole(gw3.roleFile, false, loads.gw2.address);
    const moved = Date.now();
    gw1.proc.signal('SIGUSR1');
    gw2.proc.signal('SIGUSR1');
    gw3.proc.signal('SIGUSR1');
    const joined1 = await loggedAt(gw2.proc, loads.gw1.address, /CLB member joined/, mark2, 10_000);
    const joined3 = await loggedAt(gw2.proc, loads.gw3.address, /CLB member joined/, mark2, 10_000);
    const rehomeMs = Math.max(joined1, joined3) - moved;
    t.comment(`re-homed: gw1 after ${joined1 - moved} ms, gw3 after ${joined3 - moved} ms (hello ${timers.helloMs} ms)`);
    t.ok(rehomeMs <= timers.helloMs, `both subordinates joined gw2 within one hello (${rehomeMs} ms)`);
    const status = await until('three members up at gw2', async () => {
      const s = await show(gw2);
      return upAddresses(s).length === 3 ? s : undefined;
    }, 10_000);
    t.equal(status.role, 'primary');
    t.match(await show(gw1), { role: 'subordinate', primaryAddress: loads.gw2.address });
  });

  await t.test('a subordinate killed with SIGKILL leaves the table within holdtime', async (t) => {
    const mark = gw2.proc.mark();
    const killed = Date.now();
    gw3.proc.signal('SIGKILL');
    const left = await loggedAt(gw2.proc, loads.gw3.address, /CLB member (left|silent)/, mark, timers.holdtimeMs + 2000);
    t.comment(`a killed subordinate left the table ${left - killed} ms after SIGKILL (its kernel closed the connection; holdtime ${timers.holdtimeMs} ms)`);
    t.ok(left - killed <= timers.holdtimeMs, `within holdtime (${left - killed} ms)`);
    const status = await show(gw2);
    t.notOk(status.members.some((m) => m.address === loads.gw3.address));
  });

  await t.test('a frozen subordinate (SIGSTOP: connection open, silent) is dead after holdtime and rejoins when it thaws', async (t) => {
    const mark = gw2.proc.mark();
    const frozen = Date.now();
    gw1.proc.signal('SIGSTOP');
    t.teardown(() => {
      if (gw1.proc.running) gw1.proc.signal('SIGCONT');
    });
    const dead = await loggedAt(gw2.proc, loads.gw1.address, /CLB member silent for holdtime/, mark, timers.holdtimeMs + 3000);
    const silentFor = dead - frozen;
    t.comment(`a silent subordinate left the table ${silentFor} ms after it froze (holdtime ${timers.holdtimeMs} ms; its last frame came up to one hello earlier)`);
    t.ok(silentFor >= timers.holdtimeMs - timers.helloMs && silentFor <= timers.holdtimeMs + 500, `removed at holdtime after its last frame (${silentFor} ms after freezing)`);
    const mark2 = gw2.proc.mark();
    gw1.proc.signal('SIGCONT');
    await loggedAt(gw2.proc, loads.gw1.address, /CLB member joined/, mark2, 5000);
    await until('gw1 up again', async () => (upAddresses(await show(gw2)).includes(loads.gw1.address) ? true : undefined), 5000);
    t.pass('rejoined');
  });
});
