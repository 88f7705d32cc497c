// Test certificates: a CA and RSA/ECDSA end-entity certificates with FQDN, email and
// IP subjectAltNames, cached per request; strongSwan and libreswan authenticate with them.
import t from 'tap';
import { startPluto } from '../support/libreswan';
import { pointToPoint } from '../support/netns';
import { charonFiles, makePki, type PkiOptions } from '../support/pki';
import { runOk } from '../support/run';
import { certConnection, startCharon } from '../support/strongswan';

const request: PkiOptions = {
  certs: [
    { name: 'gw', keyType: 'ecdsa-p256', dns: ['gw.example'], ip: ['192.0.2.2', '2001:db8::2'] },
    { name: 'gw384', keyType: 'ecdsa-p384', dns: ['gw384.example'] },
    { name: 'client', keyType: 'rsa3072', dns: ['client.example'], email: ['client@example.com'] },
    { name: 'client2k', keyType: 'rsa2048', dns: ['client2k.example'], email: ['c2k@example.com'] },
  ],
};

t.test('makePki issues verifiable certificates of every key type with their SANs, and caches them', async (t) => {
  const pki = await makePki(request);
  const started = Date.now();
  const again = await makePki(request);
  t.equal(again.dir, pki.dir, 'the same request reuses the cached PKI');
  t.ok(Date.now() - started < 500, 'cached PKI returned without generating');
  for (const [name, cert] of Object.entries(pki.certs)) {
    const verify = await runOk('openssl', ['verify', '-CAfile', pki.ca.cert, cert.cert]);
    t.match(verify.stdout, /: OK/, `${name} chains to the CA`);
  }
  const text = async (file: string): Promise<string> => (await runOk('openssl', ['x509', '-in', file, '-noout', '-text'])).stdout;
  const gw = await text(pki.certs.gw?.cert ?? '');
  t.match(gw, /DNS:gw\.example, IP Address:192\.0\.2\.2, IP Address:2001:DB8:0:0:0:0:0:2/);
  t.match(gw, /ASN1 OID: prime256v1/);
  t.match(gw, /ipsec Internet Key Exchange/, 'IKE extended key usage');
  t.match(await text(pki.certs.gw384?.cert ?? ''), /ASN1 OID: secp384r1/);
  const client = await text(pki.certs.client?.cert ?? '');
  t.match(client, /Public-Key: \(3072 bit\)/);
  t.match(client, /email:client@example\.com/);
  t.match(await text(pki.certs.client2k?.cert ?? ''), /Public-Key: \(2048 bit\)/);
  t.equal(pki.certs.gw?.subject, 'CN=gw.example,O=ikelb test');
  const p12 = await runOk('openssl', ['pkcs12', '-in', pki.certs.client?.p12 ?? '', '-passin', 'pass:', '-nokeys', '-info'], {});
  t.match(p12.stdout + p12.stderr, /friendlyName: client/, 'PKCS#12 names the certificate');
  await t.rejects(makePki({ certs: [{ name: '../x' }] }), /not a plain file stem/);
});

t.test('two charons authenticate each other with ECDSA and RSA certificates', async (t) => {
  const pki = await makePki(request);
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startCharon(hosts.gw, {
    files: charonFiles(pki, 'gw'),
    swanctl: certConnection({ cert: 'gw.pem', localId: 'gw.example', remoteId: 'client.example' }),
  });
  const client = await startCharon(hosts.client, {
    files: charonFiles(pki, 'client'),
    swanctl: certConnection({ cert: 'client.pem', remoteAddrs: hosts.gw.addr(), localId: 'client.example', remoteId: 'gw.example' }),
  });
  const res = await client.initiate('net');
  t.ok(res.ok, res.output);
  t.match(res.output, /authentication of 'gw\.example' with ECDSA_WITH_SHA256_DER successful/);
  const sa = await gw.waitForSa((s) => s.state === 'ESTABLISHED' && s.children[0]?.state === 'INSTALLED', 5000);
  t.equal(sa.remoteId, 'client.example');
  await gw.waitForLog(/authentication of 'client\.example' with RSA_EMSA_PKCS1_SHA2_256|authentication of 'client\.example' with RSA\S* successful/, 1000);
});

t.test('pluto imports a PKCS#12 into its NSS database and authenticates to charon with it', async (t) => {
  const pki = await makePki(request);
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startCharon(hosts.gw, {
    files: charonFiles(pki, 'gw384'),
    // pluto sends no CERTREQ for a CA it was not told about in the conn: send the certificate anyway.
    swanctl: certConnection({ cert: 'gw384.pem', localId: 'gw384.example', remoteId: 'client2k.example', extra: { send_cert: 'always' } }),
  });
  const pluto = await startPluto(hosts.client, {
    nss: { caCerts: [pki.ca.cert], p12: [pki.certs.client2k?.p12 ?? ''] },
    conns: {
      home: {
        left: hosts.client.addr(),
        leftid: '@client2k.example',
        leftcert: 'client2k',
        right: hosts.gw.addr(),
        rightid: '@gw384.example',
        leftauth: 'rsasig',
        rightauth: 'ecdsa',
        ikev2: 'insist',
        auto: 'add',
      },
    },
    impair: ['omit-v2-ike-auth-child'],
  });
  const listed = await runOk('certutil', ['-L', '-d', `sql:${pluto.dir}/nss`]);
  t.match(listed.stdout, /client2k\s+u,u,u/, 'the client certificate and key are in NSS');
  t.match(listed.stdout, /ca\s+CT,,/, 'the CA is trusted');
  const up = await pluto.up('home', 10);
  t.ok(up.ok, up.output);
  const sa = await gw.waitForSa((s) => s.state === 'ESTABLISHED', 5000);
  t.equal(sa.remoteId, 'client2k.example');
});

t.test('pluto refuses to start on a conn it cannot add, naming the reason', async (t) => {
  const { hosts } = await pointToPoint(t, { a: ['192.0.2.1/24'], b: ['192.0.2.2/24'] });
  await t.rejects(
    startPluto(hosts.a, { conns: { bad: { left: '192.0.2.1', right: '192.0.2.2', authby: 'rsasig', rightauth: 'ecdsa', auto: 'add' } } }),
    /conn bad: leftauth= and rightauth= must both be set/,
  );
});
