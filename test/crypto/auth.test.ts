// AUTH: PSK against a hand computation, RFC 7427 and classic signatures for
// RSA and ECDSA in both directions with Node's crypto and the openssl CLI, key
// loading, and SIGNATURE_HASH_ALGORITHMS.
import { constants, createHmac, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

import {
  type AuthContext,
  AuthMethod,
  Certificate,
  chooseSignatureScheme,
  closeDefaultPool,
  decodeSignatureHashAlgorithms,
  encodeSignatureHashAlgorithms,
  HashId,
  PrfId,
  PrivateKey,
  pskAuth,
  signatureAlgorithmIdentifier,
  signAuth,
  signAuthSync,
  signedOctets,
  type SignatureScheme,
  verifyAuth,
  verifyAuthSync,
  verifyPskAuth,
} from '../../lib/crypto';
import { PublicKey } from '../../lib/crypto/certs';
import { openssl, tempDir } from './fixtures';

t.teardown(closeDefaultPool);

const ctx: AuthContext = {
  prf: PrfId.HMAC_SHA2_256,
  realMessage: Buffer.from('the whole IKE_SA_INIT request as sent'),
  peerNonce: Buffer.alloc(32, 0xab),
  skP: Buffer.alloc(32, 0x42),
  idPayloadBody: Buffer.from('02000000676d2e6578616d706c652e636f6d', 'hex'), // ID_FQDN gw.example.com
};

t.test('PSK AUTH equals prf(prf(secret, "Key Pad for IKEv2"), RealMessage | Nonce | prf(SK_p, ID)) computed by hand', async (t) => {
  for (const [prfId, alg] of [[PrfId.HMAC_SHA2_256, 'sha256'], [PrfId.HMAC_SHA2_384, 'sha384'], [PrfId.HMAC_SHA2_512, 'sha512']] as const) {
    const c = { ...ctx, prf: prfId };
    const psk = Buffer.from('correct horse battery staple');
    const macedId = createHmac(alg, c.skP).update(c.idPayloadBody).digest();
    const padded = createHmac(alg, psk).update('Key Pad for IKEv2').digest();
    const expected = createHmac(alg, padded).update(Buffer.concat([c.realMessage, c.peerNonce, macedId])).digest();
    t.equal(pskAuth(c, psk).toString('hex'), expected.toString('hex'), alg);
    t.ok(verifyPskAuth(c, psk, expected), `${alg}: verifies`);
    t.notOk(verifyPskAuth(c, Buffer.from('wrong'), expected), `${alg}: a wrong PSK does not verify`);
    t.notOk(verifyPskAuth(c, psk, expected.subarray(0, 16)), `${alg}: a truncated AUTH does not verify`);
    t.ok(signedOctets(c).equals(Buffer.concat([c.realMessage, c.peerNonce, macedId])), `${alg}: signed octets`);
  }
});

interface KeyCase {
  name: string;
  pem: string;
  node: ReturnType<typeof generateKeyPairSync>;
}

let cachedKeys: KeyCase[] | undefined;
// Generated once per file: RSA key generation is the slow part of this test.
function keyCases(): KeyCase[] {
  cachedKeys ??= makeKeyCases();
  return cachedKeys;
}

function makeKeyCases(): KeyCase[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  return [
    { name: 'RSA-2048 PKCS#1 (traditional)', pem: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, node: rsa },
    { name: 'RSA-2048 PKCS#8', pem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, node: rsa },
    { name: 'EC P-256 SEC1 (traditional)', pem: p256.privateKey.export({ type: 'sec1', format: 'pem' }) as string, node: p256 },
    { name: 'EC P-384 PKCS#8', pem: p384.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, node: p384 },
  ];
}

// The verifying side without a certificate: a key handle used for its public half
// (certificates are exercised in the last test and in certs.test.ts).
function publicKeyFromNode(k: KeyCase): PublicKey {
  return new PublicKey(PrivateKey.fromPem(k.pem).handle);
}

t.test('private keys load from PEM in PKCS#8 and traditional forms and report their type', async (t) => {
  const types = ['rsa', 'rsa', 'ecdsa-p256', 'ecdsa-p384'];
  keyCases().forEach((k, i) => {
    const key = PrivateKey.fromPem(k.pem);
    t.equal(key.type, types[i], k.name);
  });
});

t.test('an encrypted PEM key needs its passphrase; a wrong or missing one is IKELB_ERR_KEY', async (t) => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'sesame' }) as string;
  t.equal(PrivateKey.fromPem(pem, 'sesame').type, 'ecdsa-p256');
  t.throws(() => PrivateKey.fromPem(pem, 'wrong'), { code: 'IKELB_ERR_KEY' });
  t.throws(() => PrivateKey.fromPem(pem), { code: 'IKELB_ERR_KEY' }, 'never prompts on a terminal');
  t.throws(() => PrivateKey.fromPem('not a key'), { code: 'IKELB_ERR_KEY' });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  t.throws(() => PrivateKey.fromPem(small), { code: 'IKELB_ERR_KEY', message: /2048/ });
});

const octets = Buffer.from('InitiatorSignedOctets: RealMessage1 | NonceRData | MACedIDForI');

// Node's verification of our AUTH data: strips the RFC 7427 header for method 14.
function nodeVerifies(k: KeyCase, scheme: SignatureScheme, authData: Buffer): boolean {
  const key = k.node.publicKey;
  const hashName = { 1: 'sha1', 2: 'sha256', 3: 'sha384', 4: 'sha512' }[scheme.hash];
  if (scheme.method === 14) {
    const algLen = authData[0] as number;
    const sig = authData.subarray(1 + algLen);
    if (scheme.pss) {
      return verify(hashName, octets, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: { 2: 32, 3: 48, 4: 64 }[scheme.hash as 2 | 3 | 4] }, sig);
    }
    return verify(hashName, octets, key, sig);
  }
  if (scheme.method === 1) return verify('sha1', octets, key, authData);
  return verify(scheme.method === 9 ? 'sha256' : 'sha384', octets, { key, dsaEncoding: 'ieee-p1363' }, authData);
}

t.test('RFC 7427 and classic signatures round-trip and verify with Node\'s crypto for RSA and ECDSA keys', async (t) => {
  for (const k of keyCases()) {
    const key = PrivateKey.fromPem(k.pem);
    const pub = publicKeyFromNode(k);
    const schemes: SignatureScheme[] =
      key.type === 'rsa'
        ? [
            { method: 14, hash: HashId.SHA2_256, pss: false },
            { method: 14, hash: HashId.SHA2_384, pss: false },
            { method: 14, hash: HashId.SHA2_512, pss: false },
            { method: 14, hash: HashId.SHA2_256, pss: true },
            { method: 14, hash: HashId.SHA2_512, pss: true },
            { method: 1, hash: HashId.SHA1, pss: false },
          ]
        : [
            { method: 14, hash: HashId.SHA2_256, pss: false },
            { method: 14, hash: HashId.SHA2_384, pss: false },
            { method: 14, hash: HashId.SHA2_512, pss: false },
            { method: key.type === 'ecdsa-p256' ? 9 : 10, hash: HashId.SHA2_256, pss: false },
          ];
    for (const scheme of schemes) {
      const label = `${k.name} method ${scheme.method} hash ${scheme.hash}${scheme.pss ? ' PSS' : ''}`;
      const signed = await signAuth(key, scheme, octets);
      t.equal(signed.method, scheme.method);
      t.ok(await verifyAuth(pub, scheme.method, signed.authData, octets), `${label}: we verify our own`);
      t.ok(nodeVerifies(k, scheme, signed.authData), `${label}: Node verifies it`);
      const tampered = Buffer.from(signed.authData);
      tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 1;
      t.notOk(await verifyAuth(pub, scheme.method, tampered, octets), `${label}: a changed signature fails`);
      t.notOk(verifyAuthSync(pub, scheme.method, signed.authData, Buffer.from('other octets')), `${label}: other octets fail`);
      if (scheme.method === 9 || scheme.method === 10) {
        t.equal(signed.authData.length, scheme.method === 9 ? 64 : 96, `${label}: r | s is fixed length (RFC 4754)`);
      }
    }
  }
});

// DER AlgorithmIdentifier bodies (RFC 7427 Appendix A) for Node-made signatures.
const algIds: Record<string, string> = {
  sha256WithRSA: '300d06092a864886f70d01010b0500',
  sha384WithRSA: '300d06092a864886f70d01010c0500',
  ecdsaSha256: '300a06082a8648ce3d040302',
  ecdsaSha384: '300a06082a8648ce3d040303',
};
const method14 = (algId: string, sig: Buffer): Buffer => Buffer.concat([Buffer.from([algId.length / 2]), Buffer.from(algId, 'hex'), sig]);

t.test('signatures made by Node\'s crypto.sign verify, in RFC 7427 and RFC 4754 encodings', async (t) => {
  const [rsa, , p256, p384] = keyCases() as [KeyCase, KeyCase, KeyCase, KeyCase];
  t.ok(verifyAuthSync(publicKeyFromNode(rsa), 14, method14(algIds.sha256WithRSA as string, sign('sha256', octets, rsa.node.privateKey)), octets), 'RSA SHA-256');
  t.ok(verifyAuthSync(publicKeyFromNode(rsa), 14, method14(algIds.sha384WithRSA as string, sign('sha384', octets, rsa.node.privateKey)), octets), 'RSA SHA-384');
  t.ok(verifyAuthSync(publicKeyFromNode(rsa), 1, sign('sha1', octets, rsa.node.privateKey), octets), 'RSA method 1 (SHA-1)');
  t.ok(verifyAuthSync(publicKeyFromNode(p256), 14, method14(algIds.ecdsaSha256 as string, sign('sha256', octets, p256.node.privateKey)), octets), 'ECDSA P-256 DER');
  t.ok(verifyAuthSync(publicKeyFromNode(p384), 14, method14(algIds.ecdsaSha384 as string, sign('sha384', octets, p384.node.privateKey)), octets), 'ECDSA P-384 DER');
  t.ok(verifyAuthSync(publicKeyFromNode(p256), 9, sign('sha256', octets, { key: p256.node.privateKey, dsaEncoding: 'ieee-p1363' }), octets), 'method 9 r | s');
  t.ok(verifyAuthSync(publicKeyFromNode(p384), 10, sign('sha384', octets, { key: p384.node.privateKey, dsaEncoding: 'ieee-p1363' }), octets), 'method 10 r | s');
});

t.test('an RSASSA-PSS signature made by the openssl CLI verifies with parsed PSS parameters', async (t) => {
  const dir = tempDir(t);
  const rsa = keyCases()[0] as KeyCase;
  writeFileSync(path.join(dir, 'key.pem'), rsa.pem);
  writeFileSync(path.join(dir, 'data'), octets);
  openssl(['dgst', '-sha384', '-sign', 'key.pem', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:48', '-out', 'sig', 'data'], dir);
  const sig = readFileSync(path.join(dir, 'sig'));
  const key = PrivateKey.fromPem(rsa.pem);
  // Our own AlgorithmIdentifier for PSS/SHA-384 (MGF1-SHA-384, salt 48) describes the CLI's choice.
  const algId = signatureAlgorithmIdentifier(key, { method: 14, hash: HashId.SHA2_384, pss: true });
  const authData = Buffer.concat([Buffer.from([algId.length]), algId, sig]);
  t.ok(verifyAuthSync(publicKeyFromNode(rsa), 14, authData, octets), 'verifies');
  openssl(['dgst', '-sha256', '-sign', 'key.pem', '-out', 'sig1', 'data'], dir);
  const pkcs1 = readFileSync(path.join(dir, 'sig1'));
  t.ok(verifyAuthSync(publicKeyFromNode(rsa), 14, method14(algIds.sha256WithRSA as string, pkcs1), octets), 'PKCS#1 v1.5 from the CLI');
  t.notOk(verifyAuthSync(publicKeyFromNode(rsa), 14, method14(algIds.sha384WithRSA as string, pkcs1), octets), 'but not as SHA-384');
});

t.test('our AlgorithmIdentifiers are the RFC 7427 Appendix A encodings and parse as DER', async (t) => {
  const [rsa, , p256] = keyCases() as [KeyCase, KeyCase, KeyCase];
  const r = PrivateKey.fromPem(rsa.pem);
  const e = PrivateKey.fromPem(p256.pem);
  t.equal(signatureAlgorithmIdentifier(r, { method: 14, hash: HashId.SHA2_256, pss: false }).toString('hex'), algIds.sha256WithRSA);
  t.equal(signatureAlgorithmIdentifier(e, { method: 14, hash: HashId.SHA2_256, pss: false }).toString('hex'), algIds.ecdsaSha256);
  const pss = signatureAlgorithmIdentifier(r, { method: 14, hash: HashId.SHA2_256, pss: true });
  // SEQUENCE { rsassaPss, SEQUENCE { [0] sha256, [1] mgf1(sha256), [2] 32 } } with NULL hash parameters.
  t.equal(
    pss.toString('hex'),
    '304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
  );
});

t.test('mismatched or unsupported AUTH algorithms are IKELB_ERR_AUTH_ALGORITHM, not a crash', async (t) => {
  const [rsa, , p256] = keyCases() as [KeyCase, KeyCase, KeyCase];
  const rsaPub = publicKeyFromNode(rsa);
  const ecPub = publicKeyFromNode(p256);
  const ecSig = await signAuth(PrivateKey.fromPem(p256.pem), { method: 14, hash: HashId.SHA2_256, pss: false }, octets);
  await t.rejects(verifyAuth(rsaPub, 14, ecSig.authData, octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'ECDSA AlgorithmIdentifier, RSA key');
  t.throws(() => verifyAuthSync(ecPub, 1, Buffer.alloc(256), octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'method 1 with an EC key');
  t.throws(() => verifyAuthSync(ecPub, 10, Buffer.alloc(96), octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'method 10 with a P-256 key');
  const sha1Rsa = method14('300d06092a864886f70d0101050500', sign('sha1', octets, rsa.node.privateKey));
  t.throws(() => verifyAuthSync(rsaPub, 14, sha1Rsa, octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'sha1WithRSAEncryption in method 14');
  for (const junk of [Buffer.alloc(0), Buffer.from([0]), Buffer.from([200, 1, 2]), Buffer.from('0f300d06092a864886f70d01010b0500', 'hex'), Buffer.from('05300306012a00', 'hex')]) {
    t.throws(() => verifyAuthSync(rsaPub, 14, junk, octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, `junk ${junk.toString('hex') || '(empty)'}`);
  }
  t.throws(() => verifyAuthSync(rsaPub, 2, Buffer.alloc(32), octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'method 2 is not a signature');
  t.throws(() => signAuthSync(PrivateKey.fromPem(p256.pem), { method: 14, hash: HashId.SHA2_256, pss: true }, octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'PSS with an EC key');
  t.throws(() => signAuthSync(PrivateKey.fromPem(rsa.pem), { method: 14, hash: HashId.SHA1, pss: false }, octets), { code: 'IKELB_ERR_AUTH_ALGORITHM' }, 'SHA-1 for method 14');
});

t.test('SIGNATURE_HASH_ALGORITHMS encodes, decodes and picks the scheme to sign with', async (t) => {
  t.equal(encodeSignatureHashAlgorithms().toString('hex'), '000200030004');
  t.same(decodeSignatureHashAlgorithms(Buffer.from('0001000200050004', 'hex')), [1, 2, 5, 4]);
  t.throws(() => decodeSignatureHashAlgorithms(Buffer.from('000', 'hex').subarray(0, 1)), { code: 'IKELB_ERR_DECODE' });
  const [rsa, , p256, p384] = keyCases().map((k) => PrivateKey.fromPem(k.pem)) as [PrivateKey, PrivateKey, PrivateKey, PrivateKey];
  t.same(chooseSignatureScheme(rsa, undefined), { method: AuthMethod.RSA_SIGNATURE, hash: HashId.SHA1, pss: false }, 'RSA without the notify: method 1');
  t.same(chooseSignatureScheme(p256, undefined), { method: 9, hash: HashId.SHA2_256, pss: false });
  t.same(chooseSignatureScheme(p384, undefined), { method: 10, hash: HashId.SHA2_384, pss: false });
  t.same(chooseSignatureScheme(p256, [2, 3, 4]), { method: 14, hash: HashId.SHA2_256, pss: false });
  t.same(chooseSignatureScheme(p384, [2, 3, 4]), { method: 14, hash: HashId.SHA2_384, pss: false });
  t.same(chooseSignatureScheme(rsa, [4, 1]), { method: 14, hash: HashId.SHA2_512, pss: false });
  t.same(chooseSignatureScheme(rsa, [2], { rsaPss: true }), { method: 14, hash: HashId.SHA2_256, pss: true });
  t.throws(() => chooseSignatureScheme(rsa, [1, 5]), { code: 'IKELB_ERR_AUTH_ALGORITHM' });
});

t.test('a certificate\'s public key verifies what its private key signed', async (t) => {
  const dir = tempDir(t);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=self'], dir);
  const key = PrivateKey.fromPem(readFileSync(path.join(dir, 'k.pem')));
  const [cert] = Certificate.parse(readFileSync(path.join(dir, 'c.pem')));
  const pub = (cert as Certificate).publicKey();
  t.equal(pub.type, 'ecdsa-p384');
  const signed = await signAuth(key, chooseSignatureScheme(key, [2, 3, 4]), octets);
  t.ok(await verifyAuth(pub, signed.method, signed.authData, octets));
  t.ok(createPublicKey((cert as Certificate).x509.publicKey.export({ format: 'pem', type: 'spki' })).asymmetricKeyType === 'ec');
});
