// End to end, the redirect in IKE_AUTH (RFC 5685 §6): the sample cluster
// (examples/gw1..gw3.conf) with `crypto ikev2 redirect gateway auth` instead
// of `... init`. A client that knows only the VIP runs IKE_SA_INIT and
// IKE_AUTH with the primary gw1, which authenticates it and answers
// N(REDIRECT) naming the least loaded gateway (no CHILD_SA); the client then
// establishes there.
// strongSwan 5.9.8 (Debian's) verifies the AUTH, logs the redirect and starts
// its IKE_SA towards the target, then aborts with a double free — an upstream
// bug fixed in 5.9.12 (shared/GUIDE.md). So strongSwan is checked up to that
// point (and fully, should a fixed charon be installed), and the whole way to
// an SA at the target is checked with `ikelb client` (examples/client.conf).
import t from 'tap';
import { shownSas, startIkelb, waitFor } from '../interop/ikelb-lab';
import { pskConnection, startCharon } from '../support/strongswan';
import { ADDRESS, clientConfig, clusterLab, flexvpnConnected, GATEWAYS, VIP, type ClusterLab, type GwName } from './cluster-lab';

const psk = 's3cret-psk';
const nameOf = (address: string | undefined): GwName | undefined => GATEWAYS.find((n) => ADDRESS[n] === address);

interface IkeStats {
  readonly redirectsSent: number;
  readonly childEstablished: number;
}

/** The subordinate gw1 names least loaded once all three members are up. */
async function leastLoadedSubordinate(cl: ClusterLab): Promise<GwName> {
  const table = await waitFor(
    'gw1 primary of three',
    async () => {
      const s = await cl.cluster('gw1');
      return s.role === 'primary' && s.members.filter((m) => m.state === 'up').length === 3 ? s : undefined;
    },
    20_000,
  );
  const target = nameOf(table.leastLoaded?.address);
  if (target === undefined || target === 'gw1') throw new Error(`no least loaded subordinate: ${JSON.stringify(table.leastLoaded)}`);
  return target;
}

const gw1Stats = async (cl: ClusterLab): Promise<IkeStats> => (await cl.daemon('gw1').show('crypto', 'ikev2', 'stats')).data as IkeStats;

t.test('with redirect gateway auth, clients that know only the VIP are redirected in IKE_AUTH by the primary', async (t) => {
  const cl = await clusterLab(t, 2);
  const [swanHost, ikelbHost] = cl.clients;
  if (swanHost === undefined || ikelbHost === undefined) throw new Error('client hosts missing');
  await Promise.all(GATEWAYS.map((n) => cl.start(n, { systemLoadWeight: 0, redirect: 'auth' })));

  await t.test('strongSwan authenticates gw1 on the VIP, is redirected in IKE_AUTH to the least loaded gateway and starts over there', async (t) => {
    const target = await leastLoadedSubordinate(cl);
    const address = ADDRESS[target].replace(/\./g, '\\.');
    const charon = await startCharon(swanHost, {
      swanctl: pskConnection({ remoteAddrs: VIP, localId: 'swan@example.com', remoteId: 'gw.example.com', psk }),
    });
    const before = await gw1Stats(cl);
    await charon.initiate('net');
    t.match(charon.log, /parsed IKE_SA_INIT response 0 \[ SA KE No [^\]]*\]/, 'IKE_SA_INIT was answered by gw1 itself, not redirected');
    t.match(charon.log, /parsed IKE_AUTH response 1 \[ IDr AUTH N\(REDIR\) \]/, 'the IKE_AUTH response carries N(REDIRECT) and no CHILD_SA');
    t.match(charon.log, /authentication of 'gw\.example\.com' with pre-shared key successful/, "strongSwan verified gw1's AUTH first");
    t.match(charon.log, new RegExp(`redirected to ${address}`), `strongSwan was redirected to ${target}, the least loaded gateway`);
    t.match(charon.log, new RegExp(`initiating IKE_SA \\S+ to ${address}`), `and started its IKE_SA with ${target}`);
    const after = await gw1Stats(cl);
    t.equal(after.redirectsSent - before.redirectsSent, 1, 'gw1 counted one redirect');
    t.equal(after.childEstablished, 0, 'gw1 set up no CHILD_SA (RFC 5685 §6)');
    // swanctl returns at the redirect; then charon either establishes with the target or (5.9.8) aborts.
    const established = await charon.waitForLog(new RegExp(`IKE_SA \\S+ established between [^\\n]*${address}`), 10_000).then(
      () => true,
      () => false,
    );
    if (established) {
      const sa = await charon.waitForSa((s) => s.state === 'ESTABLISHED', 5000, 'an ESTABLISHED IKE_SA');
      t.equal(sa.remoteHost, ADDRESS[target], `strongSwan established with ${target}`);
    } else {
      t.notOk(charon.proc.running, 'charon did not establish: it stopped');
      t.match(charon.log, /double free/, 'charon aborted on the known double free');
      t.comment(`charon aborted after the redirect: strongSwan 5.9.8's IKE_AUTH redirect bug (fixed upstream in 5.9.12)`);
    }
    await charon.stop();
  });

  await t.test('ikelb client (examples/client.conf) is redirected in IKE_AUTH and establishes at the least loaded gateway', async (t) => {
    const target = await leastLoadedSubordinate(cl);
    const before = await gw1Stats(cl);
    const client = await startIkelb(ikelbHost, 'client', clientConfig(), 'client', { logLevel: 'info' });
    const view = await flexvpnConnected(client);
    t.equal(view.peer, ADDRESS[target], `the client established with ${target}, the least loaded gateway`);
    t.equal(view.redirectsInWindow, 1, 'after one redirect');
    const onTarget = await waitFor('the SA on the target', async () => (await shownSas(cl.daemon(target))).find((s) => s.remoteId === 'client1@example.com' && s.status === 'READY'));
    t.equal(onTarget.children.length, 1, `the CHILD_SA is on ${target}`);
    const after = await gw1Stats(cl);
    t.equal(after.redirectsSent - before.redirectsSent, 1, 'gw1 redirected it once, in IKE_AUTH');
    t.equal(after.childEstablished, 0, 'and set up no CHILD_SA');
    await waitFor('the client to delete its IKE SA with gw1', async () => ((await shownSas(cl.daemon('gw1'))).some((s) => s.remoteId === 'client1@example.com') ? undefined : true), 10_000);
    t.match(cl.daemon(target).proc.output, /"redirectedFrom":\{"type":"ipv4","address":"192\.0\.2\.10"\}/, `${target} saw REDIRECTED_FROM naming the VIP`);
  });
});
