// End to end, as a network engineer would deploy it: three real `ikelb
// gateway` processes with the sample configs (examples/gw1..gw3.conf; only
// `master weight system-load 0`, so the choice depends on IKE SAs and not on
// this shared host's CPU noise) in network namespaces on a Linux bridge, a
// strongSwan client (charon + kernel-libipsec) and an `ikelb client`
// (examples/client.conf) that know only the VIP 192.0.2.10.
// - HSRP elects gw1, which owns the VIP and is the CLB primary of three;
// - each client is redirected in IKE_SA_INIT by gw1's fast path and
//   establishes (strongSwan: ESTABLISHED/INSTALLED) at the gateway gw1's
//   `show crypto ikev2 cluster` named least loaded;
// - kill -9 gw1: gw2 owns the VIP (`ip addr`), answers IKE on it, gw3
//   re-homes to gw2 (`show crypto ikev2 cluster --json`), and the SAs on
//   gw2 and gw3 live on.
// The redirect in IKE_AUTH is in e2e-cluster-auth-redirect.test.ts.
import t from 'tap';
import type { ClusterStatus } from '../../lib/cluster/clb/show-cluster';
import { shownSas, startIkelb, waitFor, type IkelbDaemon } from '../interop/ikelb-lab';
import { pskConnection, startCharon, type Charon, type IkeSa } from '../support/strongswan';
import { ADDRESS, clientConfig, clusterLab, flexvpnConnected, GATEWAYS, VIP, type GwName } from './cluster-lab';

const psk = 's3cret-psk';
const nameOf = (address: string | undefined): GwName | undefined => GATEWAYS.find((n) => ADDRESS[n] === address);

t.test('a three-gateway cluster from examples/: election, least-loaded redirects of strongSwan and ikelb clients, kill -9 of the active', async (t) => {
  const cl = await clusterLab(t, 2);
  const [swanHost, ikelbHost] = cl.clients;
  if (swanHost === undefined || ikelbHost === undefined) throw new Error('client hosts missing');
  await Promise.all(GATEWAYS.map((n) => cl.start(n, { systemLoadWeight: 0 })));

  /** gw1's table once every member's last report shows `sessions` (and all are up). */
  const primaryTable = (sessions: Partial<Record<GwName, number>>) =>
    waitFor(
      `gw1's table with ${JSON.stringify(sessions)}`,
      async () => {
        const s = await cl.cluster('gw1');
        const up = s.members.filter((m) => m.state === 'up');
        const match = up.length === 3 && Object.entries(sessions).every(([n, count]) => up.find((m) => nameOf(m.address) === n)?.sessions === count);
        return s.role === 'primary' && match ? s : undefined;
      },
      15_000,
    );

  await t.test('gw1 (priority 110) is elected: it owns the VIP and is the CLB primary of all three', async (t) => {
    await waitFor(
      'Active/Standby/Listen',
      async () => ((await Promise.all(GATEWAYS.map(async (n) => (await cl.standby(n)).state))).join() === 'Active,Standby,Listen' ? true : undefined),
      15_000,
    );
    t.equal(await cl.hasVip('gw1'), true, 'ip addr on gw1 shows the VIP');
    t.equal(await cl.hasVip('gw2'), false);
    t.equal(await cl.hasVip('gw3'), false);
    const table = await primaryTable({ gw1: 0, gw2: 0, gw3: 0 });
    t.same(
      table.members.map((m) => [m.address, m.role]),
      [
        [ADDRESS.gw1, 'primary'],
        [ADDRESS.gw2, 'subordinate'],
        [ADDRESS.gw3, 'subordinate'],
      ],
    );
  });

  const onGateway = new Map<string, { gw: GwName; spiI: string }>();
  let swanCharon: Charon | undefined;
  let flexvpn: IkelbDaemon | undefined;

  await t.test('a strongSwan client that knows only the VIP is redirected in IKE_SA_INIT and establishes at the least loaded gateway', async (t) => {
    const llg = (await primaryTable({ gw1: 0, gw2: 0, gw3: 0 })).leastLoaded;
    t.equal(llg?.decision, 'redirect', 'an idle primary sends new clients to a subordinate');
    const target = nameOf(llg?.address);
    if (target === undefined) throw new Error(`no least loaded subordinate: ${JSON.stringify(llg)}`);
    const charon = await startCharon(swanHost, {
      swanctl: pskConnection({ remoteAddrs: VIP, localId: 'swan@example.com', remoteId: 'gw.example.com', psk }),
    });
    const res = await charon.initiate('net');
    t.ok(res.ok, `swanctl --initiate: ${res.output.slice(-400)}`);
    const sa = await charon.waitForSa((s) => s.state === 'ESTABLISHED', 5000, 'an ESTABLISHED IKE_SA');
    t.equal(sa.remoteHost, ADDRESS[target], `strongSwan established with ${target}, the least loaded gateway`);
    t.equal(sa.children[0]?.state, 'INSTALLED', 'strongSwan reports the CHILD_SA INSTALLED');
    t.match(charon.log, new RegExp(`redirect[^\\n]*${ADDRESS[target].replace(/\./g, '\\.')}`, 'i'), 'strongSwan logged the redirect');
    const ours = await waitFor('the SA on the target', async () => (await shownSas(cl.daemon(target))).find((s) => s.spiI.toLowerCase() === sa.initiatorSpi.toLowerCase()));
    t.equal(ours.status, 'READY');
    t.equal(ours.remoteId, 'swan@example.com');
    t.same(await shownSas(cl.daemon('gw1')), [], 'the primary kept no state for it');
    const dataplane = (await cl.daemon('gw1').show('crypto', 'ikev2', 'stats', 'dataplane')).data as { counters: Record<string, number> };
    t.ok((dataplane.counters['redirects_sent'] ?? 0) >= 1, "gw1's fast path counted the redirect");
    onGateway.set('strongswan', { gw: target, spiI: sa.initiatorSpi });
    swanCharon = charon;
  });

  await t.test('an ikelb client (examples/client.conf) is redirected too, to the gateway that is least loaded now', async (t) => {
    const first = onGateway.get('strongswan')?.gw;
    if (first === undefined) throw new Error('the strongSwan SA is missing');
    const table = await primaryTable({ [first]: 1 });
    const target = nameOf(table.leastLoaded?.address);
    t.ok(target !== undefined && target !== first && target !== 'gw1', `the least loaded gateway is now the other subordinate (${target})`);
    if (target === undefined) return;
    flexvpn = await startIkelb(ikelbHost, 'client', clientConfig(), 'client', { logLevel: 'info' });
    const client = flexvpn;
    const view = await flexvpnConnected(client);
    t.equal(view.peer, ADDRESS[target], `the client established with ${target}`);
    t.equal(view.redirectsInWindow, 1, 'after one redirect');
    const [ours] = await shownSas(cl.daemon(target));
    t.equal(ours?.remoteId, 'client1@example.com');
    t.equal(ours?.status, 'READY');
    if (ours !== undefined) onGateway.set('ikelb', { gw: target, spiI: ours.spiI });
  });

  await t.test('kill -9 gw1: gw2 owns the VIP and answers IKE on it, gw3 re-homes to gw2, the SAs on gw2 and gw3 live on', async (t) => {
    cl.daemon('gw1').proc.kill();
    await waitFor('the VIP on gw2', async () => ((await cl.hasVip('gw2')) ? true : undefined), 5000);
    const addr = await cl.gw.gw2.exec('ip', ['-o', '-4', 'addr', 'show', 'dev', 'eth0']);
    t.match(addr.stdout, /inet 192\.0\.2\.10\/32/, '`ip addr` in gw2 namespace shows the VIP');
    t.equal((await cl.standby('gw2')).state, 'Active');
    const probe = await swanHost.execNode('test/fixtures/ike-prober.ts', [VIP, '500', '20', '--once'], { timeoutMs: 15_000 });
    t.equal(probe.code, 0, `an IKE_SA_INIT to the VIP is answered: ${probe.stdout}`);
    t.match(probe.stdout, /^answer \{"kind":"(invalid-ke|redirect)"/m, 'by an IKE gateway (INVALID_KE_PAYLOAD for the probe, or a REDIRECT)');

    const cli = async (name: GwName): Promise<ClusterStatus> => {
      const r = await cl.gw[name].execIkelb(['show', 'crypto', 'ikev2', 'cluster', '--json', '--control', cl.daemon(name).control]);
      if (r.code !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as ClusterStatus;
    };
    const table = await waitFor(
      'gw2 primary of gw2 and gw3',
      async () => {
        const s = await cli('gw2');
        const up = s.members.filter((m) => m.state === 'up').map((m) => m.address);
        return s.role === 'primary' && up.join() === `${ADDRESS.gw2},${ADDRESS.gw3}` ? s : undefined;
      },
      10_000,
    );
    t.equal(table.virtualAddress, VIP);
    const sub = await cli('gw3');
    t.equal(sub.role, 'subordinate', 'gw3 is a subordinate');
    t.equal(sub.primaryAddress, ADDRESS.gw2, 'of gw2');

    for (const [who, where] of onGateway) {
      const sas = await shownSas(cl.daemon(where.gw));
      t.ok(
        sas.some((s) => s.spiI.toLowerCase() === where.spiI.toLowerCase() && s.status === 'READY'),
        `the ${who} client's SA on ${where.gw} is still READY`,
      );
    }
    const swan = (await swanCharon?.listSas()) ?? [];
    t.ok(
      swan.some((s: IkeSa) => s.state === 'ESTABLISHED' && s.initiatorSpi === onGateway.get('strongswan')?.spiI && s.children[0]?.state === 'INSTALLED'),
      'strongSwan still has its IKE_SA ESTABLISHED and CHILD_SA INSTALLED',
    );
    const view = (await flexvpn?.show('crypto', 'ikev2', 'client', 'flexvpn'))?.data as { state: string } | undefined;
    t.equal(view?.state, 'connected', 'the ikelb client is still connected');
  });
});
