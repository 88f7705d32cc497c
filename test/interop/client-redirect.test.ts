// The whole daemon path of an RFC 5685 redirect in IKE_AUTH (§6): `ikelb
// client` knows only gw1; gw1 (`crypto ikev2 redirect gateway auth`, a
// static target) authenticates it and answers N(REDIRECT) with no CHILD SA;
// the client verifies gw1's AUTH, deletes that IKE SA and sets up its SA
// with gw2, sending REDIRECTED_FROM naming gw1.
import t from 'tap';
import { lan } from '../support/netns';
import { gatewayPskConfig, shownSas, startIkelb, waitFor } from './ikelb-lab';

const clientConfig = `hostname client1
crypto ikev2 redirect client max-redirects 5
crypto ikev2 proposal default
 encryption aes-gcm-256
 prf sha256
 group 31
crypto ikev2 profile cluster
 match identity remote fqdn gw.example.com
 identity local email client1@example.com
 authentication local pre-share key s3cret-psk
 authentication remote pre-share key s3cret-psk
crypto ikev2 client flexvpn cluster
 peer 1 192.0.2.11
 client connect profile cluster
end
`;

t.test('ikelb client is redirected in IKE_AUTH by gw1 and ends up with an SA on gw2 only', async (t) => {
  const { hosts } = await lan(t, { client: ['192.0.2.1/24'], gw1: ['192.0.2.11/24'], gw2: ['192.0.2.12/24'] });
  const gw1 = await startIkelb(hosts.gw1, 'gateway', gatewayPskConfig('crypto ikev2 redirect gateway auth\ncrypto ikev2 redirect gateway static 192.0.2.12'));
  const gw2 = await startIkelb(hosts.gw2, 'gateway', gatewayPskConfig());
  const client = await startIkelb(hosts.client, 'client', clientConfig);
  const onGw2 = await waitFor('an SA on gw2', async () => (await shownSas(gw2)).find((s) => s.status === 'READY'), 20_000);
  t.equal(onGw2.remoteId, 'client1@example.com');
  t.equal(onGw2.children.length, 1, 'the CHILD SA is on gw2');
  await waitFor('gw1 to have no SA left', async () => ((await shownSas(gw1)).length === 0 ? true : undefined), 10_000);
  const stats1 = (await gw1.show('crypto', 'ikev2', 'stats')).data as { redirectsSent: number; childEstablished: number };
  t.equal(stats1.redirectsSent, 1, 'gw1 redirected once');
  t.equal(stats1.childEstablished, 0, 'and set up no CHILD SA (RFC 5685 §6)');
  const flex = await client.show('crypto', 'ikev2', 'client', 'flexvpn');
  t.match(flex.text, /Current State: ACTIVE/);
  t.match(flex.text, /Peer : 192\.0\.2\.12/);
  t.match(flex.text, /Redirects : 1 of 5/);
  t.match(gw2.proc.output, /"redirectedFrom":\{"type":"ipv4","address":"192\.0\.2\.11"\}.*REDIRECTED_FROM/, 'gw2 saw REDIRECTED_FROM naming gw1');
});
