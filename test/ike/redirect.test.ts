// RFC 5685 redirects in virtual time: the gateway side (provider hooks in
// IKE_SA_INIT and IKE_AUTH, INFORMATIONAL for established SAs) and the
// FlexVPN client side (nonce check, REDIRECTED_FROM, make before break,
// max-redirects within 300 s).
import t from 'tap';
import { ExchangeType, NotifyType, PayloadType } from '../../lib/ike/constants';
import { FlexvpnClient } from '../../lib/ike/flexvpn-client';
import { silentLogger } from '../../lib/log';
import { parseRedirectData, redirectNotify } from '../../lib/ike/redirect';
import type { RedirectProvider } from '../../lib/ike/redirect-provider';
import { codecWire } from '../../lib/ike/wire';
import { clientIdentity, gatewayIdentity, policy, profile, VirtualNet } from './harness';

const vip = '192.0.2.10';
const gw2 = '192.0.2.12';
const gw3 = '192.0.2.13';
const cl = '198.51.100.7';

function to(address: string): RedirectProvider {
  return { redirectOnInit: () => ({ type: 'ipv4', address }), redirectOnAuth: () => ({ type: 'ipv4', address }) };
}

function setup(providers: Record<string, RedirectProvider | undefined>, maxRedirects = 5) {
  const net = new VirtualNet();
  const gateways = Object.fromEntries(
    [vip, gw2, gw3].map((address) => {
      const provider = providers[address];
      const node = net.add(address, address, policy({ profiles: [profile({ localId: gatewayIdentity(), redirectOnAuth: true })] }), provider === undefined ? {} : { redirect: provider });
      return [address, node];
    }),
  );
  const clientNode = net.add('client', cl, policy({ profiles: [profile({ localId: clientIdentity() })], redirectClient: true }));
  let wall = 1_000_000;
  const client = new FlexvpnClient({
    name: 'cluster',
    peers: [{ index: 1, host: vip, port: 500, natTPort: 4500 }],
    profile: clientNode.core.policy.profiles[0] as never,
    maxRedirects,
    core: clientNode.core,
    log: silentLogger,
    sourceAddress: async () => cl,
    now: () => wall,
    retryMs: 60_000,
  });
  return { net, gateways, clientNode, client, tick: (ms: number) => (wall += ms) };
}

async function settleClient(net: VirtualNet): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await net.settle();
    await new Promise((r) => setTimeout(r, 5));
  }
}

t.test('IKE_SA_INIT redirect: the client follows to the new gateway with REDIRECTED_FROM and no state stays on the old one', async (t) => {
  const { net, gateways, client } = setup({ [vip]: to(gw2) });
  await client.start();
  await settleClient(net);
  t.equal(client.state, 'connected');
  t.equal(client.current?.remote.address, gw2);
  t.equal(gateways[vip]?.core.table.size, 0, 'the redirecting gateway keeps no state (RFC 5685 §4)');
  t.equal(gateways[gw2]?.core.table.sessionCount, 1);
  const toGw2 = net.log.find((d) => d.remote.address === gw2 && d.data[18] === ExchangeType.IKE_SA_INIT);
  const decoded = toGw2 === undefined ? undefined : codecWire.decode(toGw2.data);
  const notifies = decoded?.ok ? decoded.payloads.filter((p) => p.type === PayloadType.NOTIFY).map((p) => (p.type === PayloadType.NOTIFY ? p.notifyType : 0)) : [];
  t.ok(notifies.includes(NotifyType.REDIRECTED_FROM), 'REDIRECTED_FROM sent to the new gateway');
  t.notOk(notifies.includes(NotifyType.REDIRECT_SUPPORTED), 'instead of REDIRECT_SUPPORTED');
  const rf = decoded?.ok ? decoded.payloads.find((p) => p.type === PayloadType.NOTIFY && p.notifyType === NotifyType.REDIRECTED_FROM) : undefined;
  t.same(rf?.type === PayloadType.NOTIFY ? parseRedirectData(rf.data)?.target : undefined, { type: 'ipv4', address: vip }, 'naming the old gateway');
});

t.test('a REDIRECT whose nonce is not our Ni is ignored and the client keeps waiting (RFC 5685 §4)', async (t) => {
  const { net, gateways, clientNode, client } = setup({});
  // Lose the gateway's real answer, and forge a REDIRECT with a wrong nonce instead.
  net.lose = (dg) => dg.local.address === vip && dg.data[18] === ExchangeType.IKE_SA_INIT;
  await client.start();
  await settleClient(net);
  const sa = client.current;
  if (sa === undefined) throw new Error('no SA');
  const forged = codecWire.encode(
    { spiI: sa.localSpi, spiR: Buffer.alloc(8), exchange: ExchangeType.IKE_SA_INIT, initiator: false, response: true, messageId: 0 },
    [redirectNotify({ type: 'ipv4', address: gw3 }, Buffer.alloc(32, 0xaa))],
  );
  await clientNode.core.receive({ data: forged, local: { address: cl, port: 500 }, remote: { address: vip, port: 500 } });
  t.equal(clientNode.core.stats.dropped('bad-redirect'), 1, 'dropped and counted');
  t.equal(sa.state, 'init-sent', 'still waiting for the real answer');
  net.lose = () => false;
  await net.advance(1100);
  await settleClient(net);
  t.equal(client.state, 'connected');
  t.equal(client.current?.remote.address, vip, 'connected to the original gateway');
  t.equal(gateways[gw3]?.core.table.size, 0);
});

t.test('IKE_AUTH redirect: only after AUTH verified, no CHILD SA; the client verifies the gateway, deletes the SA and moves', async (t) => {
  const onlyAuth: RedirectProvider = { redirectOnAuth: () => ({ type: 'ipv4', address: gw2 }) };
  const { net, gateways, client } = setup({ [vip]: onlyAuth });
  await client.start();
  await settleClient(net);
  t.equal(client.state, 'connected');
  t.equal(client.current?.remote.address, gw2);
  const authResponse = net.log.find((d) => d.local.address === vip && d.data[18] === ExchangeType.IKE_AUTH);
  t.ok(authResponse, 'the first gateway answered IKE_AUTH');
  t.equal(gateways[vip]?.core.stats.redirectsSent, 1);
  t.equal(gateways[vip]?.core.table.size, 0, 'the client deleted the redirected IKE SA');
  t.equal(gateways[vip]?.core.stats.childEstablished, 0, 'no CHILD SA in a redirecting IKE_AUTH response (RFC 5685 §6)');
});

t.test('an established SA redirected by INFORMATIONAL: the new SA comes up before the old one is deleted', async (t) => {
  const { net, gateways, client } = setup({});
  await client.start();
  await settleClient(net);
  const old = client.current;
  if (old === undefined) throw new Error('no SA');
  const gwSa = [...(gateways[vip]?.core.table.values() ?? [])][0];
  gateways[vip]?.core.redirectSa(gwSa?.id as number, { type: 'ipv4', address: gw3 });
  await settleClient(net);
  t.equal(client.current?.remote.address, gw3);
  t.equal(client.state, 'connected');
  t.equal(old.state, 'dead', 'the old SA was deleted');
  t.equal(gateways[vip]?.core.table.size, 0);
  t.equal(gateways[gw3]?.core.table.sessionCount, 1);
});

t.test('a redirect loop stops after max-redirects within 300 s', async (t) => {
  // vip -> gw2 -> gw3 -> vip -> ...
  const { net, client, gateways } = setup({ [vip]: to(gw2), [gw2]: to(gw3), [gw3]: to(vip) }, 3);
  await client.start();
  await settleClient(net);
  t.not(client.state, 'connected');
  t.match(client.lastError, /redirect loop: only 3 redirects are allowed within 300 seconds/);
  const redirects = (gateways[vip]?.core.stats.redirectsSent ?? 0) + (gateways[gw2]?.core.stats.redirectsSent ?? 0) + (gateways[gw3]?.core.stats.redirectsSent ?? 0);
  t.equal(redirects, 4, 'three followed, the fourth refused');
  await client.stop();
});
