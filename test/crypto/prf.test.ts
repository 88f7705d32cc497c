// PRF and prf+: RFC 4231 and RFC 4868 vectors, and prf+ (RFC 7296 §2.13)
// against an independent implementation on Node's own HMAC.
import { createHash, createHmac } from 'node:crypto';
import t from 'tap';

import { digest, HashId, hmac, PrfId, prf, prfLength, prfPlus } from '../../lib/crypto';
import { hex, loadVectors } from './fixtures';

type Alg = 'sha256' | 'sha384' | 'sha512';
const hashOf: Record<Alg, HashId> = { sha256: HashId.SHA2_256, sha384: HashId.SHA2_384, sha512: HashId.SHA2_512 };
const prfOf: Record<Alg, PrfId> = { sha256: PrfId.HMAC_SHA2_256, sha384: PrfId.HMAC_SHA2_384, sha512: PrfId.HMAC_SHA2_512 };
const algs: Alg[] = ['sha256', 'sha384', 'sha512'];

interface HmacCase extends Record<Alg, string> {
  case: number;
  key: string;
  data: string;
  truncatedBits?: number;
}

t.test('HMAC-SHA-256/384/512 match RFC 4231', async (t) => {
  for (const c of loadVectors<{ cases: HmacCase[] }>('hmac-rfc4231.json').cases) {
    for (const a of algs) {
      const mac = hmac(hashOf[a], hex(c.key), hex(c.data)).toString('hex');
      t.equal(c.truncatedBits === undefined ? mac : mac.slice(0, c.truncatedBits / 4), c[a], `case ${c.case} ${a}`);
    }
  }
});

interface PrfVectors {
  prf: (Record<Alg, string> & Record<`${Alg}key`, string> & { case: string; data: string })[];
  icvTruncation: Record<Alg, number>;
}

t.test('PRF_HMAC_SHA2_256/384/512 and the -128/-192/-256 truncated ICVs match RFC 4868 §2.7', async (t) => {
  const v = loadVectors<PrfVectors>('prf-rfc4868.json');
  for (const c of v.prf) {
    for (const a of algs) {
      const out = prf(prfOf[a], hex(c[`${a}key`]), hex(c.data));
      t.equal(out.toString('hex'), c[a], `${c.case} PRF ${a}`);
      t.equal(out.length, prfLength(prfOf[a]), `${a} PRF output length`);
      const icv = v.icvTruncation[a];
      t.equal(out.subarray(0, icv).toString('hex'), c[a].slice(0, 2 * icv), `${c.case} ${a} ICV is the first ${icv} octets`);
    }
  }
});

// prf+ written from RFC 7296 §2.13 directly on Node's HMAC.
function referencePrfPlus(a: Alg, key: Buffer, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let n = 1; Buffer.concat(out).length < length; n++) {
    t = createHmac(a, key).update(Buffer.concat([t, seed, Buffer.from([n])])).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

t.test('prf+ equals an independent RFC 7296 §2.13 computation for short, exact and multi-block lengths', async (t) => {
  const key = hex('00112233445566778899aabbccddeeff0011223344556677');
  const seed = Buffer.from('Ni | Nr | SPIi | SPIr stands in here');
  for (const a of algs) {
    for (const length of [1, 31, prfLength(prfOf[a]), 100, 500, 255 * prfLength(prfOf[a])]) {
      t.ok(prfPlus(prfOf[a], key, seed, length).equals(referencePrfPlus(a, key, seed, length)), `${a} ${length} octets`);
    }
  }
});

t.test('prf+ refuses more than 255 blocks (RFC 7296 §2.13)', async (t) => {
  t.throws(() => prfPlus(PrfId.HMAC_SHA2_256, Buffer.alloc(32), Buffer.alloc(8), 255 * 32 + 1), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
});

t.test('prf accepts a list of parts as their concatenation, and an empty key', async (t) => {
  const parts = [Buffer.from('abc'), Buffer.from('def')];
  t.ok(prf(PrfId.HMAC_SHA2_256, Buffer.from('k'), parts).equals(prf(PrfId.HMAC_SHA2_256, Buffer.from('k'), Buffer.from('abcdef'))));
  t.equal(
    prf(PrfId.HMAC_SHA2_256, Buffer.alloc(0), Buffer.from('x')).toString('hex'),
    createHmac('sha256', Buffer.alloc(0)).update('x').digest('hex'),
  );
});

t.test('digest gives SHA-1 and SHA-2 of empty, short, block-sized and long inputs, also from a list of parts', async (t) => {
  const names: Record<HashId, string> = { [HashId.SHA1]: 'sha1', [HashId.SHA2_256]: 'sha256', [HashId.SHA2_384]: 'sha384', [HashId.SHA2_512]: 'sha512' };
  for (const h of [HashId.SHA1, HashId.SHA2_256, HashId.SHA2_384, HashId.SHA2_512]) {
    for (const length of [0, 3, 38, 64, 128, 1000]) {
      const data = Buffer.alloc(length, length & 0xff);
      t.equal(digest(h, data).toString('hex'), createHash(names[h]).update(data).digest('hex'), `${names[h]} of ${length} octets`);
    }
    t.ok(digest(h, [Buffer.from('abc'), Buffer.from('def')]).equals(digest(h, Buffer.from('abcdef'))), `${names[h]} of two parts`);
  }
});
