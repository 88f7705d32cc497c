// The namespace lab every multi-host test stands on: topologies carry traffic
// (unicast v4/v6, multicast, routed), processes are controllable, and nothing is
// left behind — not after a passing test, a failing one, or a crashed process.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { createLab, lan, pointToPoint, sweepStaleLabs, tsLoaderImport } from '../support/netns';
import { startProc } from '../support/proc';
import { run, runOk } from '../support/run';
import { startUdpSink } from '../support/udp-sink';

async function namespaces(prefix: string): Promise<string[]> {
  const { stdout } = await runOk('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((ns) => ns.startsWith(prefix));
}

/** True while the PID exists and is not a zombie; waits up to 2 s for a SIGKILL to land. */
async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    let state = '';
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] ?? '';
    } catch {
      return false;
    }
    if (state === 'Z') return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** The environment for a fixture test process: not a child of this tap run. */
function fixtureEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TAP|_TAPJS|NODE_OPTIONS)/.test(k)));
  return { ...env, TS_NODE_TRANSPILE_ONLY: '1' };
}

t.test('two hosts on a veth reach each other over IPv4 and IPv6 and the lab leaves nothing behind', async (t) => {
  const { lab, hosts } = await pointToPoint(t, {
    client: ['192.0.2.1/24', '2001:db8::1/64'],
    gw: ['192.0.2.2/24', '2001:db8::2/64'],
  });
  const { client, gw } = hosts;
  t.equal(client.addr(4), '192.0.2.1');
  t.equal(gw.addr(6), '2001:db8::2');
  const ping4 = await client.exec('ping', ['-c', '1', '-W', '2', gw.addr(4)]);
  t.equal(ping4.code, 0, `IPv4 ping answered: ${ping4.stdout}${ping4.stderr}`);
  // DAD is off, so the IPv6 address works at once (no 'tentative' wait).
  const ping6 = await client.exec('ping', ['-6', '-c', '1', '-W', '2', gw.addr(6)]);
  t.equal(ping6.code, 0, `IPv6 ping answered: ${ping6.stdout}${ping6.stderr}`);

  const eth0 = await gw.interface('eth0');
  t.ok(eth0.up, 'eth0 is up');
  t.same(
    eth0.addresses.filter((a) => !a.address.startsWith('fe80')).map((a) => `${a.address}/${a.prefixLength}`),
    ['192.0.2.2/24', '2001:db8::2/64'],
  );
  const lo = await gw.interface('lo');
  t.ok(lo.up, 'lo is up');
  const routes = await gw.ip('route', 'show', '224.0.0.0/4');
  t.match(routes.stdout, /224\.0\.0\.0\/4 dev eth0/, 'multicast route on eth0');
  t.match(lab.id, new RegExp(`^ikt${process.pid}-\\d+$`), 'lab names carry the pid');

  t.same((await namespaces(lab.id)).sort(), [`${lab.id}-client`, `${lab.id}-gw`]);
  await lab.cleanup();
  t.same(await namespaces(lab.id), [], 'namespaces are gone after cleanup');
  t.notOk(existsSync(lab.dir), 'scratch directory is gone');
  const links = await runOk('ip', ['-o', 'link']);
  t.notMatch(links.stdout, /veth|ikt/, 'no interface leaked into the root namespace');
});

t.test('hosts on a LAN exchange multicast, and the bridge lives in its own switch namespace', async (t) => {
  const { lan: theLan, hosts } = await lan(t, {
    gw1: ['192.0.2.11/24'],
    gw2: ['192.0.2.12/24'],
    gw3: ['192.0.2.13/24'],
  });
  const { gw1, gw2, gw3 } = hosts;
  const bridge = await run('ip', ['-n', theLan.ns, '-d', 'link', 'show', 'br0']);
  t.match(bridge.stdout, /mcast_snooping 0/, 'multicast snooping is off');
  t.equal(bridge.code, 0, 'br0 exists in the switch namespace');
  t.not((await run('ip', ['link', 'show', 'br0'])).code, 0, 'and not in the root namespace');

  const sinks = await Promise.all(
    [gw2, gw3].map((h) => startUdpSink(h, { port: 1985, group: '224.0.0.2', interfaceAddress: h.addr(4) })),
  );
  const send = `
    const s = require('node:dgram').createSocket('udp4');
    s.bind(1985, () => { s.setMulticastTTL(1); s.send(Buffer.from('hsrp-hello'), 1985, '224.0.0.2', () => s.close()); });`;
  await gw1.execOk(process.execPath, ['-e', send]);
  for (const sink of sinks) {
    const [got] = await sink.next(1, 5000);
    t.equal(got?.data.toString(), 'hsrp-hello', `${sink.proc.name} got the multicast datagram`);
    t.equal(got?.from, '192.0.2.11');
    t.equal(got?.fromPort, 1985);
  }
  const ping = await gw3.exec('ping', ['-c', '1', '-W', '2', gw1.addr(4)]);
  t.equal(ping.code, 0, 'unicast across the bridge');
});

t.test('a client LAN and a gateway LAN joined by a router carry routed traffic', async (t) => {
  const lab = await createLab(t);
  const client = await lab.addHost('client');
  const router = await lab.addHost('router', { forwarding: true });
  const gw = await lab.addHost('gw');
  const clients = await lab.addLan('clients');
  const gateways = await lab.addLan('gws');
  await clients.attach(client, { addresses: ['198.51.100.10/24', '2001:db8:1::10/64'] });
  await clients.attach(router, { ifname: 'eth0', addresses: ['198.51.100.1/24', '2001:db8:1::1/64'] });
  await gateways.attach(router, { ifname: 'eth1', addresses: ['203.0.113.1/24', '2001:db8:2::1/64'] });
  await gateways.attach(gw, { addresses: ['203.0.113.10/24', '2001:db8:2::10/64'] });
  await client.addRoute('default', '198.51.100.1');
  await client.addRoute('default', '2001:db8:1::1');
  await gw.addRoute('198.51.100.0/24', '203.0.113.1');
  await gw.addRoute('2001:db8:1::/64', '2001:db8:2::1');
  const v4 = await client.exec('ping', ['-c', '1', '-W', '2', '203.0.113.10']);
  t.equal(v4.code, 0, `routed IPv4: ${v4.stdout}`);
  const v6 = await client.exec('ping', ['-6', '-c', '1', '-W', '2', '2001:db8:2::10']);
  t.equal(v6.code, 0, `routed IPv6: ${v6.stdout}`);
  // Every link carries traffic as soon as the lab returns: no first packet waits ~1 s
  // for the kernel's delayed carrier processing.
  const rtt = Number(/time=([\d.]+) ms/.exec(v6.stdout)?.[1] ?? 'NaN');
  t.ok(rtt < 500, `first routed IPv6 packet is not held back (${rtt} ms)`);
  const rroutes = await router.ip('route', 'show', '224.0.0.0/4');
  t.match(rroutes.stdout, /dev eth0/, 'multicast route on the first interface only');
  t.notMatch(rroutes.stdout, /dev eth1/);
  await t.rejects(client.addAddress('eth0', '10.0.0.1/8'), /outside the documentation ranges/, 'non-documentation addresses are refused');
});

t.test('link down/up is visible in ip addr and restores the routes the kernel dropped', async (t) => {
  const { hosts } = await pointToPoint(t, { a: ['192.0.2.1/24', '2001:db8::1/64'], b: ['192.0.2.2/24'] });
  await hosts.a.addRoute('198.51.100.0/24', '192.0.2.2');
  await hosts.a.linkDown('eth0');
  const down = await hosts.a.interface('eth0');
  t.notOk(down.up, 'eth0 is down');
  t.ok(down.addresses.some((a) => a.address === '2001:db8::1'), 'IPv6 address kept while down');
  const lost = await hosts.a.ip('route', 'show');
  t.notMatch(lost.stdout, /224\.0\.0\.0/, 'kernel dropped the multicast route with the link');
  await hosts.a.linkUp('eth0');
  const up = await hosts.a.interface('eth0');
  t.ok(up.up, 'eth0 is up again');
  const back = await hosts.a.ip('route', 'show');
  t.match(back.stdout, /224\.0\.0\.0\/4 dev eth0/, 'multicast route restored');
  t.match(back.stdout, /198\.51\.100\.0\/24 via 192\.0\.2\.2/, 'static route restored');
  const ping = await hosts.a.exec('ping', ['-c', '1', '-W', '2', '192.0.2.2']);
  t.equal(ping.code, 0);
});

t.test('a process in a host: wait for its output, stop it, kill -9 it', async (t) => {
  const { hosts } = await pointToPoint(t, { a: ['192.0.2.1/24'], b: ['192.0.2.2/24'] });
  const talker = hosts.a.spawn('talker', 'sh', ['-c', 'echo ready; trap "echo bye; exit 0" TERM; while :; do sleep 0.1; done']);
  await talker.waitForOutput(/ready/, 5000);
  const mark = talker.mark();
  await t.rejects(talker.waitForOutput(/ready/, 200, mark), /did not print \/ready\/ within 200 ms/, 'mark() hides earlier output');
  const status = await talker.stop();
  t.same(status, { code: 0, signal: null }, 'SIGTERM let it exit cleanly');
  t.match(talker.output, /bye/);

  const stubborn = hosts.b.spawn('stubborn', 'sh', ['-c', 'trap "" TERM; echo up; while :; do sleep 0.1; done']);
  await stubborn.waitForOutput(/up/, 5000);
  const forced = await stubborn.stop(300);
  t.equal(forced.signal, 'SIGKILL', 'SIGKILL after the grace period');

  const victim = hosts.b.spawn('victim', 'sleep', ['300']);
  victim.kill();
  t.equal((await victim.exited).signal, 'SIGKILL');
  const early = hosts.b.spawn('early', 'sh', ['-c', 'exit 3']);
  await t.rejects(early.waitForOutput(/never/, 5000), /exited with code 3 before/, 'waiting on a dead process fails fast');
});

t.test('our Node code runs inside a namespace: a .ts script and the ikelb CLI', async (t) => {
  const { hosts } = await pointToPoint(t, { a: ['192.0.2.1/24'], b: ['192.0.2.2/24'] });
  t.ok(tsLoaderImport().startsWith('--import=file://'));
  const script = path.join(__dirname, 'fixtures', 'print-netns.ts');
  const res = await hosts.a.execNode(script, ['hello']);
  t.equal(res.code, 0, res.stderr);
  t.same(JSON.parse(res.stdout), { interfaces: ['eth0', 'lo'], arg: 'hello' }, 'sees only the namespace interfaces');
  const version = await hosts.b.execIkelb(['--version']);
  t.equal(version.code, 0, version.stderr);
  t.match(version.stdout, /^ikelb \d+\.\d+\.\d+/);
});

// The four ways a test process ends badly run as four fixture processes at once (each
// needs the TypeScript loader: seconds of start-up that need not add up).
t.test('a test that fails, crashes, times out or is terminated leaves nothing behind', async (t) => {
  const fixture = path.join(__dirname, 'fixtures', 'lab-then-fail.ts');

  const failOrCrash = async (mode: 'fail' | 'crash'): Promise<void> => {
    const res = await run(process.execPath, [tsLoaderImport(), fixture, mode], { env: fixtureEnv(), timeoutMs: 60_000 });
    const m = /LAB (\S+) (\S+) (\d+)/.exec(res.stdout);
    if (m === null) {
      t.fail(`${mode}: fixture printed no lab: ${res.stdout}${res.stderr}`);
      return;
    }
    const [, id = '', dir = '', pid = '0'] = m;
    t.not(res.code, 0, `${mode}: the fixture's test failed`);
    if (mode === 'fail') {
      t.same(await namespaces(id), [], 'fail: teardown removed its namespaces');
      t.notOk(await alive(Number(pid)), 'fail: its process is gone');
      t.notOk(existsSync(dir), 'fail: its directory is gone');
      return;
    }
    t.equal(res.signal, 'SIGKILL');
    t.equal((await namespaces(id)).length, 3, 'crash: a killed process leaves its namespaces behind');
    const swept = await sweepStaleLabs();
    t.ok(swept.includes(`${id}-a`), 'crash: the next lab\'s sweep removes them');
    t.same(await namespaces(id), []);
    t.notOk(await alive(Number(pid)), 'crash: the orphaned process was killed');
    t.notOk(existsSync(dir), 'crash: its directory is gone');
  };

  const signalled = async (sig: 'SIGALRM' | 'SIGTERM'): Promise<void> => {
    const child = startProc(`fixture-${sig}`, process.execPath, [tsLoaderImport(), fixture, 'hang'], { env: fixtureEnv() });
    t.teardown(() => child.stop(100));
    const [, id = '', , pid = '0'] = await child.waitForOutput(/LAB (\S+) (\S+) (\d+)/, 60_000);
    t.equal((await namespaces(id)).length, 3, `${sig}: lab is up`);
    // SIGALRM is how tap's runner ends a test that timed out (SIGKILL follows 500 ms later):
    // the lab is removed synchronously in the signal handler, before the process can die.
    child.signal(sig);
    const timer = new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 5000));
    const outcome = await Promise.race([child.exited, timer]);
    if (sig === 'SIGTERM') t.same(outcome, { code: null, signal: 'SIGTERM' }, 'SIGTERM: the process still dies of the signal');
    child.kill();
    await child.exited;
    t.same(await namespaces(id), [], `${sig}: namespaces removed before the process ended`);
    t.notOk(await alive(Number(pid)), `${sig}: process in the lab killed`);
  };

  await Promise.all([failOrCrash('fail'), failOrCrash('crash'), signalled('SIGALRM'), signalled('SIGTERM')]);
});
