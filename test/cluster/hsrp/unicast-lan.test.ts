// The unicast-peers mode (`standby 1 unicast-peer A.B.C.D`) between namespaces
// whose interfaces have multicast turned off, as on a cloud network.
import t from 'tap';
import { lan } from '../../support/netns';
import { field, startCapture } from '../../support/tshark';
import { hasVip, pollUntil, sampleGroup, show, startGateway } from './gateways';

t.test('two gateways with unicast peers and no multicast elect, speak unicast and fail over', async (t) => {
  const { hosts } = await lan(t, { gw1: ['192.0.2.11/24'], gw2: ['192.0.2.12/24'], client: ['192.0.2.100/24'] });
  const { gw1: h1, gw2: h2, client } = hosts;
  for (const h of [h1, h2]) {
    await h.ip('link', 'set', 'eth0', 'multicast', 'off');
    await h.ip('route', 'del', '224.0.0.0/4').catch(() => undefined);
  }
  const [g1, g2] = await Promise.all([
    startGateway(h1, [sampleGroup('gw1', { unicastPeers: ['192.0.2.12'] })]),
    startGateway(h2, [sampleGroup('gw2', { unicastPeers: ['192.0.2.11'] })]),
  ]);
  const settled = await pollUntil(async () => (await show(g1)).state === 'Active' && (await show(g2)).state === 'Standby', 15_000, 100);
  t.ok(settled >= 0, 'gw1 active, gw2 standby');
  t.match(await show(g1), { mode: 'unicast', unicastPeers: ['192.0.2.12'], standbyRouter: { ip: '192.0.2.12' } });
  t.equal(await hasVip(h1), true);

  const cap = await startCapture(client, { filter: 'udp port 1985', count: 4, durationMs: 2000 });
  const packets = await cap.packets();
  t.same(packets.filter((p) => field(p, 'ip.dst')?.startsWith('224.')), [], 'no multicast on the wire');
  // The client only sees flooded frames; the bridge learns both MACs, so it may see none: that is fine.

  const killedAt = performance.now();
  g1.proc.kill();
  const took = await pollUntil(() => hasVip(h2), 5000);
  t.ok(took >= 0, `gw2 owns the VIP ${took} ms after kill -9 of gw1 (${Math.round(performance.now() - killedAt)} ms)`);
  t.match(await show(g2), { state: 'Active' });
});
