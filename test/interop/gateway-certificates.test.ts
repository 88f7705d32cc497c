// Certificate authentication (RFC 7296 §2.15, RFC 7427 signatures) between
// strongSwan and `ikelb gateway`: RSA and ECDSA on both ends, chains to a
// common test CA, identities bound to subjectAltNames (RFC 4945 §3.1).
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { makePki, charonFiles, type KeyType } from '../support/pki';
import { certConnection, startCharon } from '../support/strongswan';
import { shownSas, startIkelb, waitFor } from './ikelb-lab';

function gatewayCertConfig(cert: string, key: string, ca: string, method: 'rsa-sig' | 'ecdsa-sig'): string {
  return `hostname gw
crypto pki trustpoint gw-tp
 certificate file ${cert}
 private-key file ${key}
 ca-certificate file ${ca}
!
crypto ikev2 proposal default
 encryption aes-gcm-256
 prf sha256
 group 31 19
!
crypto ikev2 profile certs
 match identity remote fqdn client.example.com
 identity local fqdn gw.example.com
 authentication remote ${method}
 authentication local ${method}
 pki trustpoint gw-tp
end
`;
}

for (const [keyType, method, label] of [
  ['rsa2048', 'rsa-sig', 'RSA'],
  ['ecdsa-p256', 'ecdsa-sig', 'ECDSA'],
] as const satisfies readonly (readonly [KeyType, 'rsa-sig' | 'ecdsa-sig', string])[]) {
  t.test(`strongSwan and ikelb authenticate each other with ${label} certificates`, async (t) => {
    const pki = await makePki({
      caKeyType: keyType,
      certs: [
        { name: 'gw', keyType, dns: ['gw.example.com'] },
        { name: 'client', keyType, dns: ['client.example.com'] },
      ],
    });
    const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
    const gwCert = pki.certs.gw;
    if (gwCert === undefined) throw new Error('no gw certificate');
    const gw = await startIkelb(hosts.gw, 'gateway', gatewayCertConfig(gwCert.cert, gwCert.key, pki.ca.cert, method));
    const charon = await startCharon(hosts.client, {
      files: charonFiles(pki, 'client'),
      swanctl: certConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', cert: 'client.pem' }),
    });
    const res = await charon.initiate('net');
    t.ok(res.ok, res.output.slice(-500));
    const [sa] = await charon.listSas();
    t.equal(sa?.state, 'ESTABLISHED');
    t.equal(sa?.children[0]?.state, 'INSTALLED');
    const ours = await waitFor('READY', async () => (await shownSas(gw)).find((s) => s.status === 'READY'));
    t.equal(ours.authSign, label, `we signed with our ${label} key`);
    t.not(ours.authVerify, 'PSK');
    t.equal(ours.remoteId, 'client.example.com');
    await charon.waitForLog(new RegExp(`authentication of 'gw.example.com' with (RSA|ECDSA|RSASSA|.*signature).*successful`, 'i'), 1000);
  });
}

t.test('a client certificate from another CA is refused with AUTHENTICATION_FAILED', async (t) => {
  const good = await makePki({ certs: [{ name: 'gw', dns: ['gw.example.com'] }] });
  const rogue = await makePki({ caCn: 'rogue CA', certs: [{ name: 'client', dns: ['client.example.com'] }] });
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gwCert = good.certs.gw;
  if (gwCert === undefined) throw new Error('no gw certificate');
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayCertConfig(gwCert.cert, gwCert.key, good.ca.cert, 'ecdsa-sig'));
  const files = { ...charonFiles(rogue, 'client'), 'x509ca/good-ca.pem': good.ca.cert };
  const charon = await startCharon(hosts.client, {
    files,
    swanctl: certConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', cert: 'client.pem' }),
  });
  const res = await charon.initiate('net');
  t.notOk(res.ok);
  await charon.waitForLog(/received AUTHENTICATION_FAILED notify error/, 5000);
  t.same(await shownSas(gw), []);
});
