// ikelb's REDIRECT against real peers: a strongSwan client that asks the VIP
// is sent to the second gateway by the fast path, follows the redirect and
// establishes its IKE SA there; Wireshark dissects every byte of the answer.
import path from 'node:path';
import t from 'tap';
import { queryControl } from '../../lib/control/client';
import type { DataplaneStats } from '../../lib/net/show-dataplane';
import { lan } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { field, fields, startCapture } from '../support/tshark';

const PSK = 'interop-test-psk-not-a-secret';

t.test('a strongSwan client follows the REDIRECT from the VIP to the least loaded gateway and establishes there', async (t) => {
  const { lab, hosts } = await lan(t, { client: ['192.0.2.10/24'], gw1: ['192.0.2.1/24'], gw2: ['192.0.2.2/24'] });
  const { client, gw1, gw2 } = hosts;
  const controlPath = path.join(lab.dir, 'gw1.sock');
  const redirector = gw1.spawnNode('ikelb', 'test/fixtures/net/redirect-gateway.ts', [
    JSON.stringify({
      listen: [
        { address: '192.0.2.1', port: 500 },
        { address: '192.0.2.1', port: 4500, natt: true },
      ],
      targets: ['192.0.2.2'],
      controlPath,
    }),
  ]);
  await redirector.waitForOutput(/^ready/m, 30_000);
  const responder = await startCharon(gw2, {
    name: 'gw2',
    swanctl: pskConnection({ localId: 'gw.example', remoteId: 'client.example', psk: PSK }),
  });
  const capture = await startCapture(client, { filter: 'udp port 500 or udp port 4500', durationMs: 20_000, count: 4 });
  const initiator = await startCharon(client, {
    name: 'client',
    swanctl: pskConnection({ remoteAddrs: '192.0.2.1', localId: 'client.example', remoteId: 'gw.example', psk: PSK }),
  });

  const result = await initiator.initiate('net', 15);
  t.ok(result.ok, `swanctl --initiate succeeded:\n${result.output.slice(-2000)}`);
  await initiator.waitForLog(/redirected to 192\.0\.2\.2/, 10_000);
  const sa = await initiator.waitForSa((s) => s.state === 'ESTABLISHED', 10_000, 'an established IKE_SA');
  t.equal(sa.remoteHost, '192.0.2.2', 'the IKE SA is with the gateway the VIP redirected to');
  await responder.waitForLog(/IKE_SA \S+ established/, 10_000);

  const packets = await capture.packets();
  t.comment(`captured ${packets.length}: ${packets.map((p) => `${field(p, 'ip.src')}>${field(p, 'ip.dst')} ${p.protocols.join(':')} [${fields(p, 'isakmp.notify.msgtype').join(',')}]`).join(' | ')}`);
  const redirect = packets.find((p) => fields(p, 'isakmp.notify.msgtype').includes('16407'));
  t.ok(redirect, 'the REDIRECT answer was captured');
  if (redirect !== undefined) {
    t.equal(field(redirect, 'ip.src'), '192.0.2.1', 'it came from the VIP');
    t.equal(field(redirect, 'isakmp.exchangetype'), '34');
    t.equal(field(redirect, 'isakmp.rspi'), '00:00:00:00:00:00:00:00', 'SPIr 0');
    t.equal(field(redirect, 'isakmp.notify.data.redirect.gw_ident.type'), '1');
    t.equal(field(redirect, 'isakmp.notify.data.redirect.new_resp_gw_ident.ipv4'), '192.0.2.2');
    const request = packets.find((p) => field(p, 'ip.dst') === '192.0.2.1' && field(p, 'isakmp.ispi') === field(redirect, 'isakmp.ispi'));
    t.ok(request, 'the request it answers was captured');
    t.equal(
      field(redirect, 'isakmp.notify.data.redirect.nonce_data'),
      request === undefined ? undefined : field(request, 'isakmp.nonce'),
      'the REDIRECT carries the client\'s Ni',
    );
    t.same(fields(redirect, 'isakmp.notify.msgtype'), ['16407'], 'HDR, N(REDIRECT) and nothing else');
  }
  const followUp = packets.find((p) => field(p, 'ip.dst') === '192.0.2.2' && fields(p, 'isakmp.notify.msgtype').includes('16408'));
  t.ok(followUp, 'the client told gw2 where it came from (REDIRECTED_FROM)');
  if (followUp !== undefined) t.equal(field(followUp, 'isakmp.notify.data.redirect.org_resp_gw_ident.ipv4'), '192.0.2.1');

  const stats = await queryControl(controlPath, ['show', 'crypto', 'ikev2', 'stats', 'dataplane']);
  t.ok(stats.ok);
  if (stats.ok) {
    const s = stats.data as DataplaneStats;
    t.equal(s.counters.redirects_sent, 1);
    t.equal(s.counters.js_batches, 0);
  }
});
