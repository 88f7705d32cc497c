// `ikelb client` (FlexVPN-style initiator) against a strongSwan 5.9.8
// responder: ESTABLISHED on both ends; and our INVALID_KE_PAYLOAD retry
// (RFC 7296 §1.2) when strongSwan wants another DH group.
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { mergeConf, pskConnection, startCharon } from '../support/strongswan';
import { shownSas, startIkelb, waitFor } from './ikelb-lab';

const psk = 's3cret-psk';

const clientConfig = (groups: string): string => `hostname client1
crypto ikev2 redirect client max-redirects 5
crypto ikev2 proposal default
 encryption aes-gcm-256
 prf sha256
 group ${groups}
crypto ikev2 profile cluster
 match identity remote fqdn gw.example.com
 identity local email client1@example.com
 authentication local pre-share key ${psk}
 authentication remote pre-share key ${psk}
crypto ikev2 client flexvpn cluster
 peer 1 192.0.2.2
 client connect profile cluster
end
`;

function responder(proposals: string) {
  return mergeConf(
    pskConnection({ localAddrs: '192.0.2.2', localId: 'gw.example.com', remoteId: 'client1@example.com', psk, proposals, localTs: '0.0.0.0/0', remoteTs: 'dynamic', extra: { pools: 'vips' } }),
    { pools: { vips: { addrs: '203.0.113.64/28' } } },
  );
}

t.test('ikelb client initiates to a strongSwan responder: ESTABLISHED on both ends, with a virtual address', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const charon = await startCharon(hosts.gw, { swanctl: responder('aes256gcm16-prfsha256-x25519') });
  const client = await startIkelb(hosts.client, 'client', clientConfig('31'));
  const sa = await charon.waitForSa((s) => s.state === 'ESTABLISHED' && s.children.length > 0, 15_000, 'an established IKE_SA with a CHILD_SA');
  t.equal(sa.remoteId, 'client1@example.com');
  t.equal(sa.children[0]?.state, 'INSTALLED');
  const ours = await waitFor('READY in show crypto ikev2 sa', async () => (await shownSas(client)).find((s) => s.status === 'READY'));
  t.equal(ours.spiR.toLowerCase(), sa.responderSpi.toLowerCase(), 'same IKE SA on both ends');
  t.equal(ours.remoteId, 'gw.example.com');
  const shown = (await client.show('crypto', 'ikev2', 'sa', 'detail')).data as { sas: { virtualAddress?: string }[] };
  t.match(shown.sas[0]?.virtualAddress, /^203\.0\.113\./, 'the CP reply gave us an address from the responder pool');
  const flex = await client.show('crypto', 'ikev2', 'client', 'flexvpn');
  t.match(flex.text, /Current State: ACTIVE/);
});

t.test('strongSwan wants another DH group: ikelb client retries IKE_SA_INIT with it (INVALID_KE_PAYLOAD)', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const charon = await startCharon(hosts.gw, { swanctl: responder('aes256gcm16-prfsha256-ecp256') });
  await startIkelb(hosts.client, 'client', clientConfig('31 19'));
  const sa = await charon.waitForSa((s) => s.state === 'ESTABLISHED', 15_000, 'an established IKE_SA');
  t.equal(sa.dhGroup, 'ECP_256', 'the SA uses the group strongSwan asked for');
  await charon.waitForLog(/generating IKE_SA_INIT response 0 \[ N\(INVAL_KE\) \]/, 1000);
});
