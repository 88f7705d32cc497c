// What a strongSwan initiator sees when ikelb refuses it, and the stateless
// answers that let it in: wrong PSK (AUTHENTICATION_FAILED, RFC 7296
// §2.21.2), proposal mismatch (NO_PROPOSAL_CHOSEN, §2.7), a KE in a group
// ikelb does not take (INVALID_KE_PAYLOAD, §1.2), cookies (§2.6).
import t, { type Test } from 'tap';
import { pointToPoint } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { gatewayPskConfig, shownSas, startIkelb, waitFor } from './ikelb-lab';

async function lab(t: Test, gatewayConfig: string) {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayConfig);
  return { hosts, gw };
}

t.test('a wrong PSK: strongSwan gets AUTHENTICATION_FAILED, no SA remains on ikelb', async (t) => {
  const { hosts, gw } = await lab(t, gatewayPskConfig());
  const charon = await startCharon(hosts.client, { swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk: 'not-the-psk' }) });
  const res = await charon.initiate('net');
  t.notOk(res.ok);
  await charon.waitForLog(/received AUTHENTICATION_FAILED notify error/, 5000);
  t.same(await shownSas(gw), [], 'no SA in show crypto ikev2 sa');
  const stats = (await gw.show('crypto', 'ikev2', 'stats')).data as { authFailures: number; notifiesSent: Record<string, number> };
  t.equal(stats.authFailures, 1);
  t.equal(stats.notifiesSent.AUTHENTICATION_FAILED, 1);
});

t.test('a proposal mismatch: strongSwan gets NO_PROPOSAL_CHOSEN', async (t) => {
  const { hosts, gw } = await lab(t, gatewayPskConfig());
  const charon = await startCharon(hosts.client, {
    swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk: 's3cret-psk', proposals: 'aes128-sha256-modp3072' }),
  });
  const res = await charon.initiate('net');
  t.notOk(res.ok);
  await charon.waitForLog(/received NO_PROPOSAL_CHOSEN notify error/, 5000);
  t.same(await shownSas(gw), []);
});

t.test('strongSwan sends a KE ikelb does not want: INVALID_KE_PAYLOAD with our group, then it gets in', async (t) => {
  const config = gatewayPskConfig().replace(' group 31 19 14', ' group 19');
  const { hosts, gw } = await lab(t, config);
  const charon = await startCharon(hosts.client, {
    swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk: 's3cret-psk', proposals: 'aes256gcm16-prfsha256-x25519-ecp256' }),
  });
  const res = await charon.initiate('net');
  t.ok(res.ok, res.output.slice(-300));
  await charon.waitForLog(/peer didn't accept DH group CURVE_25519, it requested ECP_256/, 1000);
  const [sa] = await shownSas(gw);
  t.equal(sa?.dhGroup, 19);
});

t.test('with the cookie threshold at 0, strongSwan is challenged, retries with the cookie and gets in', async (t) => {
  const { hosts, gw } = await lab(t, gatewayPskConfig('crypto ikev2 cookie-challenge 0'));
  const charon = await startCharon(hosts.client, { swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk: 's3cret-psk' }) });
  const res = await charon.initiate('net');
  t.ok(res.ok, res.output.slice(-300));
  await charon.waitForLog(/received COOKIE notify|N\(COOKIE\)/, 1000);
  await waitFor('READY', async () => (await shownSas(gw)).find((s) => s.status === 'READY'));
});
