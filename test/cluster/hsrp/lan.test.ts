// Three gateways on a Linux bridge with real multicast (network namespaces):
// election, what tshark sees on the wire, kill -9 and SIGTERM failover, a Coup
// on return, forged packets, and a flapping link.
import t from 'tap';
import { encodeHsrp } from '../../../lib/cluster/hsrp/codec';
import { lan } from '../../support/netns';
import { dissect, field, hsrpPacket, numField, startCapture } from '../../support/tshark';
import { fdCount, hasVip, pollUntil, sampleGroup, show, startGateway, VIP, type GwName, type RunningGateway } from './gateways';

t.test('three gateways on a bridge', async (t) => {
  const { lab, hosts } = await lan(t, {
    gw1: ['192.0.2.11/24'],
    gw2: ['192.0.2.12/24'],
    gw3: ['192.0.2.13/24'],
    client: ['192.0.2.100/24'],
  });
  const { gw1: h1, gw2: h2, gw3: h3, client } = hosts;
  const hostOf: Record<GwName, typeof h1> = { gw1: h1, gw2: h2, gw3: h3 };
  const gw: Partial<Record<GwName, RunningGateway>> = {};
  const start = async (name: GwName): Promise<RunningGateway> => (gw[name] = await startGateway(hostOf[name], [sampleGroup(name)]));
  const running = (name: GwName): RunningGateway => {
    const g = gw[name];
    if (g === undefined) throw new Error(`${name} not running`);
    return g;
  };
  const macOf = async (name: GwName) => (await hostOf[name].interface('eth0')).mac;
  const arpOwner = async (): Promise<string | undefined> => {
    const r = await client.exec('arping', ['-c', '1', '-w', '0.3', '-i', 'eth0', VIP]);
    return /from ([0-9a-f:]{17})/.exec(r.stdout)?.[1];
  };

  const settled = async (): Promise<boolean> => {
    const states = await Promise.all((['gw1', 'gw2', 'gw3'] as const).map(async (n) => (await show(running(n))).state));
    return states.join() === 'Active,Standby,Listen';
  };
  await Promise.all((['gw1', 'gw2', 'gw3'] as const).map(start));
  await pollUntil(settled, 15_000, 100);

  await t.test('gw1 (priority 110) is elected, owns the VIP and answers ARP for it', async (t) => {
    t.match(await show(running('gw1')), { state: 'Active', priority: 110, activeRouter: 'local', standbyRouter: { ip: '192.0.2.12', priority: 105 }, virtualMac: '0000.0c9f.f001' });
    t.match(await show(running('gw2')), { state: 'Standby', activeRouter: { ip: '192.0.2.11', priority: 110 } });
    t.match(await show(running('gw3')), { state: 'Listen' });
    t.equal(await hasVip(h1), true, 'ip addr on gw1 shows the VIP');
    t.equal(await hasVip(h2), false);
    t.equal(await hasVip(h3), false);
    t.equal(await arpOwner(), await macOf('gw1'), 'the VIP answers ARP with gw1 own MAC');
  });

  await t.test('tshark dissects our v2 hellos: version, opcode, state, priority, group, timers, VIP, MD5 TLV, vMAC, TTL 1', async (t) => {
    const cap = await startCapture(client, { filter: 'udp port 1985', count: 12, durationMs: 4000 });
    const packets = await cap.packets();
    const fromActive = packets.filter((p) => field(p, 'ip.src') === '192.0.2.11');
    t.ok(fromActive.length > 0, 'hellos from gw1 captured');
    const p = fromActive[0];
    if (p === undefined) return;
    t.equal(field(p, 'eth.src'), '00:00:0c:9f:f0:01', 'the active speaks from the v2 virtual MAC');
    t.equal(field(p, 'ip.dst'), '224.0.0.102');
    t.equal(numField(p, 'ip.ttl'), 1);
    t.equal(numField(p, 'hsrp2.version'), 2);
    t.equal(numField(p, 'hsrp2.opcode'), 0, 'Hello');
    t.equal(numField(p, 'hsrp2.state'), 6, 'Active');
    t.equal(numField(p, 'hsrp2.priority'), 110);
    t.equal(numField(p, 'hsrp2.group'), 1);
    t.equal(numField(p, 'hsrp2.hellotime'), 200);
    t.equal(numField(p, 'hsrp2.holdtime'), 700);
    t.equal(field(p, 'hsrp2.virt_ip'), VIP);
    t.equal(numField(p, 'hsrp2.md5_algorithm'), 1);
    t.equal(field(p, 'hsrp.md5_ip_address'), '192.0.2.11');
    const standby = packets.find((q) => field(q, 'ip.src') === '192.0.2.12');
    if (standby !== undefined) {
      t.equal(numField(standby, 'hsrp2.state'), 5, 'Standby');
      t.equal(field(standby, 'eth.src'), await macOf('gw2'), 'a standby speaks from its own MAC');
    }
  });

  await t.test('tshark dissects our v1 messages (RFC 2281 fields, text and MD5 authentication)', async (t) => {
    const text = encodeHsrp({ version: 1, opcode: 'Coup', state: 'Standby', helloMs: 3000, holdMs: 10000, priority: 120, group: 7, vip: VIP }, { kind: 'text', text: 'cisco' });
    const md5 = encodeHsrp({ version: 1, opcode: 'Hello', state: 'Active', helloMs: 3000, holdMs: 10000, priority: 110, group: 7, vip: VIP }, { kind: 'md5', key: 'cluster-secret', senderIp: '192.0.2.11' });
    const [a, b] = await dissect([hsrpPacket(text, { src: '192.0.2.11' }), hsrpPacket(md5, { src: '192.0.2.11' })]);
    if (a === undefined || b === undefined) {
      t.fail('not dissected');
      return;
    }
    t.equal(numField(a, 'hsrp.version'), 0);
    t.equal(numField(a, 'hsrp.opcode'), 1, 'Coup');
    t.equal(numField(a, 'hsrp.state'), 8, 'Standby');
    t.equal(numField(a, 'hsrp.hellotime'), 3);
    t.equal(numField(a, 'hsrp.holdtime'), 10);
    t.equal(numField(a, 'hsrp.priority'), 120);
    t.equal(numField(a, 'hsrp.group'), 7);
    t.equal(field(a, 'hsrp.auth_data'), 'cisco');
    t.equal(field(a, 'hsrp.virt_ip'), VIP);
    t.equal(numField(b, 'hsrp.state'), 16, 'Active');
    t.equal(numField(b, 'hsrp2.md5_algorithm'), 1, 'v1 with the MD5 TLV appended (50 octets)');
    t.equal(field(b, 'hsrp.md5_ip_address'), '192.0.2.11');
  });

  await t.test('the VIP answers ping from a host on the LAN', async (t) => {
    const r = await client.exec('ping', ['-c', '1', '-W', '1', VIP]);
    t.equal(r.code, 0, r.stdout);
  });

  await t.test('forged Hello and Coup with priority 255 and no or a wrong key are ignored and counted', async (t) => {
    const before = (await show(running('gw1'))).counters as { authFailures: number };
    const r = await client.execNode('test/fixtures/hsrp-forge.ts', ['192.0.2.100', '10', 'Hello/md5:wrong-secret', 'Coup/none', 'Coup/text', 'Hello/none']);
    t.match(r.stdout, /forged 40/, 'Hello (wrong MD5 key), Coup (no auth), Coup (text), Hello (no auth) sent');
    await new Promise((r) => setTimeout(r, 300));
    const after = await show(running('gw1'));
    t.equal(after.state, 'Active', 'gw1 stays active');
    t.equal((after.counters as { authFailures: number }).authFailures - before.authFailures, 40, 'every forged datagram counted');
    t.match(await show(running('gw2')), { state: 'Standby' });
    t.equal(await hasVip(h1), true);
  });

  await t.test('kill -9 of the active: gw2 owns the VIP within hold + one hello, and gw1\'s VIP lease runs out', async (t) => {
    const killedAt = performance.now();
    running('gw1').proc.kill();
    const tookIp = await pollUntil(() => hasVip(h2), 5000);
    const tookArp = await pollUntil(async () => (await arpOwner()) === (await macOf('gw2')), 5000, 0);
    t.ok(tookIp >= 0, `gw2 has the VIP after ${tookIp} ms`);
    t.comment(`failover after kill -9: ip addr on gw2 shows the VIP ${tookIp} ms, ARP answered by gw2 ${Math.round(performance.now() - killedAt)} ms after the kill (hold 700 + hello 200 = 900 ms)`);
    t.ok(tookArp >= 0, 'the VIP answers ARP with gw2 MAC');
    // The number is measured and reported here and in bench:failover; the bound only catches a hang.
    t.ok(tookIp <= 3000, 'taken over well within a few hold times');
    t.match(await show(running('gw2')), { state: 'Active' });
    const leaseGone = await pollUntil(async () => !(await hasVip(h1)), 5000, 50);
    t.ok(leaseGone >= 0, `the dead gw1's VIP expired by itself (lease) ${leaseGone} ms later`);
  });

  await t.test('gw1 returns and, with preempt, takes over with a Coup; gw2 resigns and releases the VIP', async (t) => {
    const g1 = await start('gw1');
    await g1.proc.waitForOutput(/preempting a lower-priority active router/, 10_000);
    const v = await show(g1);
    t.equal(v.state, 'Active');
    t.ok((v.counters as { packetsOut: { Coup: number } }).packetsOut.Coup >= 1, 'gw1 sent a Coup');
    await running('gw2').proc.waitForOutput(/coup from a higher-priority router/, 5000);
    t.ok((await pollUntil(async () => !(await hasVip(h2)), 2000)) >= 0, 'gw2 released the VIP');
    t.equal(await hasVip(h1), true);
  });

  await t.test('SIGTERM of the active sends Resign: gw2 takes over at once and gw1 leaves no VIP', async (t) => {
    t.ok((await pollUntil(settled, 10_000, 100)) >= 0, 'gw1 active, gw2 standby again');
    const stoppedAt = performance.now();
    const status = await running('gw1').proc.stop();
    const took = await pollUntil(() => hasVip(h2), 3000);
    t.equal(status.code, 0, 'gw1 exits cleanly');
    t.ok(took >= 0 && took < 700, `gw2 owns the VIP ${took} ms after gw1 exited (${Math.round(performance.now() - stoppedAt)} ms after SIGTERM), before any hold time ran out`);
    t.ok((await show(running('gw2'))).counters, 'gw2 answers show standby');
    t.equal(await hasVip(h1), false, 'gw1 released the VIP before exiting');
  });

  await t.test('a link flapped down/up 20 times ends with exactly one active and no leaked VIP, socket or timer', async (t) => {
    const g1 = await start('gw1');
    await g1.proc.waitForOutput(/-> Active/, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    const fdsBefore = fdCount(g1.proc.pid);
    for (let i = 0; i < 20; i++) {
      await h1.linkDown('eth0');
      await new Promise((r) => setTimeout(r, 20 + ((i * 37) % 150)));
      await h1.linkUp('eth0');
      await new Promise((r) => setTimeout(r, 20 + ((i * 53) % 250)));
    }
    await g1.proc.waitForOutput(/-> Active/, 10_000, g1.proc.mark() - 1);
    await new Promise((r) => setTimeout(r, 3000));
    const views = await Promise.all((['gw1', 'gw2', 'gw3'] as const).map(async (n) => [n, await show(running(n))] as const));
    const actives = views.filter(([, v]) => v.state === 'Active').map(([n]) => n);
    t.same(actives, ['gw1'], 'exactly one active: gw1 (preempt)');
    t.same(
      await Promise.all((['gw1', 'gw2', 'gw3'] as const).map((n) => hasVip(hostOf[n]))),
      [true, false, false],
      'the VIP is on gw1 only',
    );
    // The show queries above leave gw1's end of each control connection open until it sees the close:
    // a leak stays above the count, a closing connection drops back within moments.
    await pollUntil(async () => fdCount(g1.proc.pid) <= fdsBefore, 2000, 50);
    t.equal(fdCount(g1.proc.pid), fdsBefore, 'no file descriptor leaked');
    const v1 = views[0]?.[1];
    t.ok(v1?.armedTimers.includes('hello') && v1.armedTimers.every((n) => n === 'hello' || n === 'standby'), `active: only its hello (and standby-router) timers are armed: ${v1?.armedTimers.join(',')}`);
    for (const [n, v] of views.slice(1)) {
      const allowed = v.state === 'Standby' ? ['active', 'hello'] : ['active', 'standby'];
      t.ok(v.armedTimers.every((x) => allowed.includes(x)), `${n} (${v.state}): timers ${v.armedTimers.join(',')}`);
    }
    t.ok((v1?.counters as { transitions: number }).transitions >= 20, 'the flaps were seen');
    void lab;
  });
});
