// Certificates: parsing DER and PEM, chain verification against a trust anchor
// (validity dates, CA flags, missing intermediates), and binding IKE identities
// to certificates. The CA and the RSA/ECDSA gateway certificates come from the
// shared test/support/pki.ts (what the interop tests give strongSwan); the
// intermediate and non-CA chains from fixtures.ts.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import t from 'tap';

import { Certificate, closeDefaultPool, IdType, PrivateKey, TrustStore } from '../../lib/crypto';
import { makePki } from '../support/pki';
import { makeChainExtras, tempDir } from './fixtures';

t.teardown(closeDefaultPool);

const one = (pem: string): Certificate => Certificate.parse(pem)[0] as Certificate;
const read = (file: string): string => readFileSync(file, 'utf8');

t.test('certificates', async (t) => {
  const shared = await makePki({
    caKeyType: 'rsa2048',
    certs: [
      { name: 'gw', keyType: 'ecdsa-p256', dns: ['gw.example.com'], email: ['gw@example.com'], ip: ['192.0.2.1', '2001:db8::1'] },
      { name: 'rsa', keyType: 'rsa2048', cn: 'rsa.example.com' },
    ],
  });
  const extras = makeChainExtras(tempDir(t), shared.ca.cert, shared.ca.key);
  const pki = {
    rootPem: read(shared.ca.cert),
    gwPem: read((shared.certs.gw as { cert: string }).cert),
    rsaLeafPem: read((shared.certs.rsa as { cert: string }).cert),
    rsaLeafKeyPem: read((shared.certs.rsa as { key: string }).key),
    ...extras,
  };
  const root = one(pki.rootPem);
  const intermediate = one(pki.intermediatePem);
  const leaf = one(pki.leafPem);
  const store = new TrustStore([root]);

  t.test('PEM and DER certificates parse to the same certificate; garbage is IKELB_ERR_CERT', async (t) => {
    t.equal(Certificate.parse(pki.leafPem + pki.intermediatePem).length, 2, 'a PEM bundle gives every certificate');
    const der = leaf.der;
    t.ok(Certificate.fromDer(der).der.equals(der), 'DER round trip');
    t.equal(leaf.x509.subject, new X509Certificate(pki.leafPem).subject);
    t.throws(() => Certificate.fromDer(Buffer.concat([der, Buffer.from([0])])), { code: 'IKELB_ERR_CERT' }, 'trailing bytes');
    t.throws(() => Certificate.fromDer(der.subarray(0, der.length - 10)), { code: 'IKELB_ERR_CERT' }, 'truncated DER');
    t.throws(() => Certificate.parse('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), { code: 'IKELB_ERR_CERT' });
    t.throws(() => Certificate.parse('no certificate here'), { code: 'IKELB_ERR_CERT' });
  });

  t.test('a leaf chains to the root through the peer\'s intermediate', async (t) => {
    await t.resolves(store.verify(leaf, [intermediate]));
    await t.resolves(store.verify(one(pki.rsaLeafPem), []), 'an RSA leaf signed by the root directly');
    await t.resolves(store.verify(one(pki.gwPem), []), 'the shared gateway certificate (EKU id-kp-ipsecIKE)');
    t.ok(one(pki.gwPem).matchesName('gw.example.com') && one(pki.gwPem).matchesName('192.0.2.1'), 'its SANs bind its IDs');
  });

  t.test('a chain without its intermediate is refused naming the missing issuer', async (t) => {
    await t.rejects(store.verify(leaf, []), { code: 'IKELB_ERR_CERT_CHAIN', message: /issuer certificate/ });
  });

  t.test('an expired or not yet valid certificate is refused', async (t) => {
    const later = new Date(Date.now() + 15 * 86400_000); // the leaf is valid for 10 days
    await t.rejects(store.verify(leaf, [intermediate], { at: later }), { code: 'IKELB_ERR_CERT_CHAIN', message: /expired/ });
    const earlier = new Date(Date.now() - 86400_000);
    await t.rejects(store.verify(leaf, [intermediate], { at: earlier }), { code: 'IKELB_ERR_CERT_CHAIN', message: /not yet valid/ });
  });

  t.test('a certificate issued by a non-CA certificate is refused', async (t) => {
    await t.rejects(store.verify(one(pki.badIssuerLeafPem), [one(pki.notCaPem)]), { code: 'IKELB_ERR_CERT_CHAIN', message: /CA|issuer/ });
  });

  t.test('a certificate from another root is refused', async (t) => {
    const otherStore = new TrustStore([one(pki.rsaLeafPem)]);
    await t.rejects(otherStore.verify(leaf, [intermediate]), { code: 'IKELB_ERR_CERT_CHAIN' });
  });

  t.test('IKE identities bind to subjectAltName entries exactly and to the subject DN', async (t) => {
    const ip4 = Buffer.from([192, 0, 2, 1]);
    const ip6 = Buffer.from('20010db8000000000000000000000001', 'hex');
    t.ok(leaf.matchesIdentity(IdType.FQDN, Buffer.from('gw.example.com')), 'dNSName');
    t.ok(leaf.matchesIdentity(IdType.FQDN, Buffer.from('GW.Example.COM')), 'dNSName, case-insensitive');
    t.notOk(leaf.matchesIdentity(IdType.FQDN, Buffer.from('other.example.com')), 'another FQDN');
    t.notOk(leaf.matchesIdentity(IdType.FQDN, Buffer.from('example.com')), 'a parent domain');
    t.ok(leaf.matchesIdentity(IdType.RFC822_ADDR, Buffer.from('gw@example.com')), 'rfc822Name');
    t.notOk(leaf.matchesIdentity(IdType.RFC822_ADDR, Buffer.from('root@example.com')));
    t.ok(leaf.matchesIdentity(IdType.IPV4_ADDR, ip4), 'iPAddress v4');
    t.notOk(leaf.matchesIdentity(IdType.IPV4_ADDR, Buffer.from([192, 0, 2, 2])));
    t.ok(leaf.matchesIdentity(IdType.IPV6_ADDR, ip6), 'iPAddress v6');
    t.ok(leaf.matchesIdentity(IdType.DER_ASN1_DN, leaf.subjectDer()), 'subject DN');
    t.notOk(leaf.matchesIdentity(IdType.DER_ASN1_DN, intermediate.subjectDer()), 'another DN');
    t.notOk(leaf.matchesIdentity(IdType.DER_ASN1_DN, Buffer.from('3003', 'hex')), 'malformed DN');
    t.notOk(leaf.matchesIdentity(IdType.KEY_ID, Buffer.from('gw.example.com')), 'KEY_ID never matches a certificate');
    t.notOk(one(pki.rsaLeafPem).matchesIdentity(IdType.FQDN, Buffer.from('rsa.example.com')), 'the subject CN alone is not enough');
    t.ok(leaf.matchesName('192.0.2.1') && leaf.matchesName('2001:db8::1') && leaf.matchesName('gw@example.com') && leaf.matchesName('gw.example.com'));
  });

  t.test('the leaf key matches its certificate\'s public key type', async (t) => {
    t.equal(PrivateKey.fromPem(pki.leafKeyPem).type, 'ecdsa-p256');
    t.equal(leaf.publicKey().type, 'ecdsa-p256');
    t.equal(one(pki.rsaLeafPem).publicKey().type, 'rsa');
    t.equal(PrivateKey.fromPem(pki.rsaLeafKeyPem).bits, 2048);
  });
});
