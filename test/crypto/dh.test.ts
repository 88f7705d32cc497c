// Diffie-Hellman: published vectors (RFC 7748, RFC 5903), round trips through
// the pool for every group, and rejection of every class of bad peer value.
import { createPrivateKey, createPublicKey, getDiffieHellman } from 'node:crypto';
import t from 'tap';

import {
  closeDefaultPool,
  CryptoPool,
  deriveSharedSecret,
  deriveSharedSecretSync,
  DhGroup,
  dhLengths,
  generateKeyPair,
  generateKeyPairSync,
  isValidPeerPublic,
  respond,
  respondSync,
} from '../../lib/crypto';
import { hex, loadVectors } from './fixtures';

t.teardown(closeDefaultPool);

interface X25519Vectors {
  scalarMult: { section: string; scalar: string; u: string; output: string }[];
  iterated: { start: string; after1: string; after1000: string };
  dh: { alicePrivate: string; alicePublic: string; bobPrivate: string; bobPublic: string; shared: string };
}
interface EcpVectors {
  groups: { group: 19 | 20; i: string; gix: string; giy: string; r: string; grx: string; gry: string; girx: string }[];
}

// Public value of an X25519 private key, computed by Node (independent of our code).
function x25519Public(scalar: Buffer): Buffer {
  const pkcs8 = Buffer.concat([hex('302e020100300506032b656e04220420'), scalar]);
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

function x25519(scalar: Buffer, u: Buffer): Buffer {
  return deriveSharedSecretSync(
    { group: DhGroup.CURVE25519, publicValue: x25519Public(scalar), privateKey: Buffer.concat([scalar, x25519Public(scalar)]) },
    u,
  );
}

t.test('X25519 matches the RFC 7748 §5.2 test vectors, including a u-coordinate with the top bit set', async (t) => {
  const v = loadVectors<X25519Vectors>('x25519-rfc7748.json');
  for (const c of v.scalarMult) t.equal(x25519(hex(c.scalar), hex(c.u)).toString('hex'), c.output, c.section);
});

t.test('X25519 iterated 1 and 1000 times matches RFC 7748 §5.2', async (t) => {
  const v = loadVectors<X25519Vectors>('x25519-rfc7748.json').iterated;
  let k = hex(v.start);
  let u = hex(v.start);
  for (let i = 1; i <= 1000; i++) {
    const r = x25519(k, u);
    u = k;
    k = r;
    if (i === 1) t.equal(k.toString('hex'), v.after1, 'after one iteration');
  }
  t.equal(k.toString('hex'), v.after1000, 'after 1000 iterations');
});

t.test('Alice and Bob of RFC 7748 §6.1 agree on the published shared secret', async (t) => {
  const v = loadVectors<X25519Vectors>('x25519-rfc7748.json').dh;
  const alice = { group: DhGroup.CURVE25519, publicValue: hex(v.alicePublic), privateKey: hex(v.alicePrivate + v.alicePublic) };
  const bob = { group: DhGroup.CURVE25519, publicValue: hex(v.bobPublic), privateKey: hex(v.bobPrivate + v.bobPublic) };
  t.equal(deriveSharedSecretSync(alice, bob.publicValue).toString('hex'), v.shared);
  t.equal((await deriveSharedSecret(bob, alice.publicValue)).toString('hex'), v.shared, 'through the pool');
});

t.test('ECP-256 and ECP-384 match RFC 5903 §8 (x | y KE data, x-only shared secret)', async (t) => {
  for (const g of loadVectors<EcpVectors>('ecdh-rfc5903.json').groups) {
    const gi = hex(g.gix + g.giy);
    const gr = hex(g.grx + g.gry);
    const initiator = { group: g.group, publicValue: gi, privateKey: Buffer.concat([hex(g.i), gi]) };
    const responder = { group: g.group, publicValue: gr, privateKey: Buffer.concat([hex(g.r), gr]) };
    t.equal(deriveSharedSecretSync(initiator, gr).toString('hex'), g.girx, `group ${g.group} initiator side`);
    t.equal((await deriveSharedSecret(responder, gi)).toString('hex'), g.girx, `group ${g.group} responder side`);
    t.equal(dhLengths(g.group).publicLength, gi.length, `group ${g.group} KE length`);
  }
});

t.test('every group round-trips through the pool: initiator key pair, responder in one job', async (t) => {
  for (const group of [DhGroup.MODP_2048, DhGroup.ECP_256, DhGroup.ECP_384, DhGroup.CURVE25519]) {
    const pair = await generateKeyPair(group);
    const l = dhLengths(group);
    t.equal(pair.publicValue.length, l.publicLength, `group ${group} public length`);
    const resp = await respond(group, pair.publicValue);
    const shared = await deriveSharedSecret(pair, resp.publicValue);
    t.equal(shared.length, l.sharedLength, `group ${group} shared length`);
    t.ok(shared.equals(resp.sharedSecret), `group ${group}: both sides derive the same g^ir`);
    t.ok(isValidPeerPublic(group, pair.publicValue), `group ${group}: our own public value validates`);
  }
});

t.test('MODP-2048 interoperates with Node\'s RFC 3526 modp14 and pads g^ir to 256 octets', async (t) => {
  const node = getDiffieHellman('modp14');
  node.generateKeys();
  const nodePublic = Buffer.alloc(256);
  const raw = node.getPublicKey();
  raw.copy(nodePublic, 256 - raw.length);
  const ours = respondSync(DhGroup.MODP_2048, nodePublic);
  const theirs = node.computeSecret(ours.publicValue);
  const padded = Buffer.alloc(256);
  theirs.copy(padded, 256 - theirs.length);
  t.ok(ours.sharedSecret.equals(padded), 'same shared secret as Node');
  t.equal(ours.sharedSecret.length, 256);
});

t.test('invalid MODP public values are refused: 0, 1, p-1, p, p+1, >= p, wrong lengths', async (t) => {
  const p = getDiffieHellman('modp14').getPrime();
  const big = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(512, '0'), 'hex');
  const pn = BigInt('0x' + p.toString('hex'));
  const bad: [string, Buffer][] = [
    ['0', big(0n)],
    ['1', big(1n)],
    ['p-1', big(pn - 1n)],
    ['p', big(pn)],
    ['p+1', big(pn + 1n)],
    ['all ones', Buffer.alloc(256, 0xff)],
    ['255 octets', Buffer.alloc(255, 7)],
    ['257 octets', Buffer.alloc(257, 7)],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [name, value] of bad) {
    t.notOk(isValidPeerPublic(DhGroup.MODP_2048, value), `${name} fails validation`);
    t.throws(() => respondSync(DhGroup.MODP_2048, value), { code: 'IKELB_ERR_DH_PEER_PUBLIC' }, `${name} refused by respond`);
  }
  t.ok(isValidPeerPublic(DhGroup.MODP_2048, big(2n)), '2 is in range');
  t.ok(isValidPeerPublic(DhGroup.MODP_2048, big(pn - 2n)), 'p-2 is in range');
});

t.test('invalid ECP public values are refused: off the curve, coordinate >= p, (0,0), wrong length', async (t) => {
  const v = loadVectors<EcpVectors>('ecdh-rfc5903.json').groups;
  const primes: Record<number, bigint> = {
    19: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    20: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
  };
  for (const g of v) {
    const n = g.gix.length / 2;
    const field = (x: bigint): string => x.toString(16).padStart(2 * n, '0');
    const pf = primes[g.group] as bigint;
    const offCurve = hex(g.gix + field(BigInt('0x' + g.giy) + 1n));
    const xIsP = hex(field(pf) + g.giy);
    const yIsP = hex(g.gix + field(pf));
    const cases: [string, Buffer][] = [
      ['y + 1 (off the curve)', offCurve],
      ['x = p', xIsP],
      ['y = p', yIsP],
      ['(0, 0)', Buffer.alloc(2 * n)],
      ['x only', hex(g.gix)],
      ['with a 0x04 prefix', hex('04' + g.gix + g.giy)],
      ['all ones', Buffer.alloc(2 * n, 0xff)],
    ];
    for (const [name, value] of cases) {
      t.notOk(isValidPeerPublic(g.group, value), `group ${g.group}: ${name} fails validation`);
      await t.rejects(respond(g.group, value), { code: 'IKELB_ERR_DH_PEER_PUBLIC' }, `group ${g.group}: ${name} refused`);
    }
    t.ok(isValidPeerPublic(g.group, hex(g.gix + g.giy)), `group ${g.group}: the RFC's point is valid`);
  }
});

t.test('X25519 low-order points and wrong lengths are refused, also by derive and respond', async (t) => {
  const { points } = loadVectors<{ points: string[] }>('x25519-low-order.json');
  const pair = generateKeyPairSync(DhGroup.CURVE25519);
  for (const p of points) {
    t.notOk(isValidPeerPublic(DhGroup.CURVE25519, hex(p)), `${p.slice(0, 8)}.. fails validation`);
    t.throws(() => deriveSharedSecretSync(pair, hex(p)), { code: 'IKELB_ERR_DH_PEER_PUBLIC' });
    await t.rejects(respond(DhGroup.CURVE25519, hex(p)), { code: 'IKELB_ERR_DH_PEER_PUBLIC' });
  }
  for (const len of [0, 31, 33, 64]) {
    t.notOk(isValidPeerPublic(DhGroup.CURVE25519, Buffer.alloc(len, 9)), `${len} octets fails validation`);
  }
});

t.test('an unsupported group is a clear argument error', async (t) => {
  t.throws(() => respondSync(21 as DhGroup, Buffer.alloc(66)), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
  t.throws(() => dhLengths(2 as DhGroup), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
});

t.test('a DH job on an explicitly sized pool gives the same results', async (t) => {
  const pool = new CryptoPool({ threads: 1 });
  t.teardown(() => pool.close());
  t.equal(pool.threads, 1);
  const pair = await generateKeyPair(DhGroup.ECP_384, pool);
  const resp = await respond(DhGroup.ECP_384, pair.publicValue, pool);
  t.ok((await deriveSharedSecret(pair, resp.publicValue, pool)).equals(resp.sharedSecret));
});
