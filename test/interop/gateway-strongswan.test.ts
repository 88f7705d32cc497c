// strongSwan 5.9.8 (charon with kernel-libipsec) initiates to `ikelb gateway`
// in a network namespace: the IKE SA comes up, the CHILD SA is installed on
// strongSwan's side, and `ikelb show crypto ikev2 sa` shows the same SPIs.
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { gatewayPskConfig, shownSas, startIkelb, waitFor } from './ikelb-lab';

const psk = 's3cret-psk';

t.test('strongSwan initiates to ikelb gateway with PSK: IKE SA ESTABLISHED, CHILD SA INSTALLED for each DH group', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayPskConfig());
  for (const [proposals, group, name] of [
    ['aes256gcm16-prfsha256-x25519', 31, 'x25519'],
    ['aes256gcm16-prfsha256-ecp256', 19, 'ecp256'],
    ['aes256gcm16-prfsha256-modp2048', 14, 'modp2048'],
  ] as const) {
    await t.test(name, async (t) => {
      const charon = await startCharon(hosts.client, {
        name: `charon-${name}`,
        swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk, proposals }),
      });
      const res = await charon.initiate('net');
      t.ok(res.ok, `swanctl --initiate: ${res.output.slice(-400)}`);
      const [sa] = await charon.listSas();
      t.equal(sa?.state, 'ESTABLISHED', 'strongSwan reports the IKE_SA ESTABLISHED');
      t.equal(sa?.children[0]?.state, 'INSTALLED', 'strongSwan reports the CHILD_SA INSTALLED');
      t.equal(sa?.remotePort, 4500, 'strongSwan floated to UDP 4500 and ikelb answered there');
      const ours = await waitFor('the SA in show crypto ikev2 sa', async () => (await shownSas(gw)).find((s) => s.spiI.toLowerCase() === sa?.initiatorSpi.toLowerCase()));
      t.equal(ours.status, 'READY');
      t.equal(ours.dhGroup, group);
      t.equal(ours.encryption, 'AES-GCM');
      t.equal(ours.keySize, 256);
      t.equal(ours.authSign, 'PSK');
      t.equal(ours.authVerify, 'PSK');
      t.equal(ours.remoteId, 'client.example.com');
      t.equal(ours.localPort, 4500);
      t.equal(ours.children[0]?.spiOut.toLowerCase(), `0x${sa?.children[0]?.spiIn}`.toLowerCase(), 'our outbound ESP SPI is strongSwan inbound one');
      await charon.terminate({ ike: 'ikelb' });
      await waitFor('the SA to disappear after strongSwan deletes it', async () => ((await shownSas(gw)).some((s) => s.tunnelId === ours.tunnelId) ? undefined : true));
      await charon.stop();
    });
  }
});
