// SKEYSEED and the seven IKE SA keys, rekeyed and resumed SAs, and CHILD_SA
// KEYMAT, each against an independent computation from RFC 7296 on Node's HMAC.
import { createHmac } from 'node:crypto';
import t from 'tap';

import {
  deriveChildKeymatInto,
  deriveChildSaKeys,
  deriveIkeSaKeys,
  deriveRekeyedIkeSaKeys,
  deriveResumedIkeSaKeys,
  EncrId,
  IntegId,
  PrfId,
  type SkTransforms,
} from '../../lib/crypto';

type Alg = 'sha256' | 'sha384' | 'sha512';
const algOf: Record<PrfId, Alg> = { 5: 'sha256', 6: 'sha384', 7: 'sha512' };
const mac = (a: Alg, key: Buffer, ...data: Buffer[]): Buffer => createHmac(a, key).update(Buffer.concat(data)).digest();
function prfPlus(a: Alg, key: Buffer, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let block: Buffer = Buffer.alloc(0);
  for (let n = 1; Buffer.concat(out).length < length; n++) out.push((block = mac(a, key, block, seed, Buffer.from([n]))));
  return Buffer.concat(out).subarray(0, length);
}

const ni = Buffer.alloc(32, 0x11);
const nr = Buffer.alloc(32, 0x22);
const spiI = Buffer.from('0102030405060708', 'hex');
const spiR = Buffer.from('a1a2a3a4a5a6a7a8', 'hex');
const gir = Buffer.alloc(32, 0x33);

const suites: { name: string; sk: SkTransforms; encr: number; integ: number }[] = [
  { name: 'aes256gcm16', sk: { encr: EncrId.AES_GCM_16, keyBits: 256, integ: IntegId.NONE }, encr: 36, integ: 0 },
  { name: 'aes128gcm16', sk: { encr: EncrId.AES_GCM_16, keyBits: 128, integ: IntegId.NONE }, encr: 20, integ: 0 },
  { name: 'aes256-sha256', sk: { encr: EncrId.AES_CBC, keyBits: 256, integ: IntegId.HMAC_SHA2_256_128 }, encr: 32, integ: 32 },
  { name: 'aes128-sha512', sk: { encr: EncrId.AES_CBC, keyBits: 128, integ: IntegId.HMAC_SHA2_512_256 }, encr: 16, integ: 64 },
];

function split(stream: Buffer, n: number, encr: number, integ: number): Record<string, Buffer> {
  let at = 0;
  const next = (len: number): Buffer => stream.subarray(at, (at += len));
  return { d: next(n), ai: next(integ), ar: next(integ), ei: next(encr), er: next(encr), pi: next(n), pr: next(n) };
}

t.test('SKEYSEED = prf(Ni | Nr, g^ir) and the seven keys match RFC 7296 §2.14 for every PRF and suite', async (t) => {
  for (const prfId of [PrfId.HMAC_SHA2_256, PrfId.HMAC_SHA2_384, PrfId.HMAC_SHA2_512]) {
    const a = algOf[prfId];
    const n = mac(a, Buffer.alloc(1), Buffer.alloc(0)).length;
    for (const s of suites) {
      const keys = deriveIkeSaKeys({ prf: prfId, sk: s.sk, nonceI: ni, nonceR: nr, spiI, spiR, sharedSecret: gir });
      const skeyseed = mac(a, Buffer.concat([ni, nr]), gir);
      const stream = prfPlus(a, skeyseed, Buffer.concat([ni, nr, spiI, spiR]), 3 * n + 2 * s.encr + 2 * s.integ);
      const k = split(stream, n, s.encr, s.integ);
      const label = `${a} ${s.name}`;
      t.ok(keys.skD.equals(k.d as Buffer), `${label} SK_d`);
      t.ok(keys.skPi.equals(k.pi as Buffer), `${label} SK_pi`);
      t.ok(keys.skPr.equals(k.pr as Buffer), `${label} SK_pr`);
      // The SK contexts carry SK_e (with the GCM salt at its end) and SK_a: a
      // message protected with them is checked against these keys in sk.test.ts;
      // here: each direction's context differs and the role view maps them.
      t.notOk(keys.initiatorToResponder.buffer.equals(keys.responderToInitiator.buffer), `${label} directions differ`);
      t.equal(keys.forRole('initiator').outbound, keys.initiatorToResponder);
      t.equal(keys.forRole('responder').outbound, keys.responderToInitiator);
      t.ok(keys.forRole('initiator').ownSkP.equals(k.pi as Buffer), `${label} initiator signs with SK_pi`);
      t.ok(keys.forRole('responder').peerSkP.equals(k.pi as Buffer), `${label} responder verifies with SK_pi`);
      keys.wipe();
      t.ok(keys.material.every((b) => b === 0), `${label} wipe() clears every key`);
    }
  }
});

t.test('a rekeyed IKE SA uses SKEYSEED = prf(SK_d(old), g^ir(new) | Ni | Nr) (RFC 7296 §2.18)', async (t) => {
  const oldSkD = Buffer.alloc(32, 0x5a);
  const s = suites[0] as (typeof suites)[number];
  const keys = deriveRekeyedIkeSaKeys({ prf: PrfId.HMAC_SHA2_256, sk: s.sk, nonceI: ni, nonceR: nr, spiI, spiR, sharedSecret: gir, oldSkD });
  const skeyseed = mac('sha256', oldSkD, gir, ni, nr);
  const k = split(prfPlus('sha256', skeyseed, Buffer.concat([ni, nr, spiI, spiR]), 3 * 32 + 2 * 36), 32, 36, 0);
  t.ok(keys.skD.equals(k.d as Buffer), 'SK_d');
  t.ok(keys.skPr.equals(k.pr as Buffer), 'SK_pr');
});

t.test('a resumed IKE SA uses SKEYSEED = prf(SK_d(old), "Resumption" | Ni | Nr) (RFC 5723 §5.1)', async (t) => {
  const oldSkD = Buffer.alloc(48, 0x6b);
  const s = suites[2] as (typeof suites)[number];
  const keys = deriveResumedIkeSaKeys({ prf: PrfId.HMAC_SHA2_384, sk: s.sk, nonceI: ni, nonceR: nr, spiI, spiR, oldSkD });
  const skeyseed = mac('sha384', oldSkD, Buffer.from('Resumption'), ni, nr);
  const k = split(prfPlus('sha384', skeyseed, Buffer.concat([ni, nr, spiI, spiR]), 3 * 48 + 2 * 32 + 2 * 32), 48, 32, 32);
  t.ok(keys.skD.equals(k.d as Buffer), 'SK_d');
  t.ok(keys.skPi.equals(k.pi as Buffer), 'SK_pi');
});

t.test('CHILD_SA KEYMAT = prf+(SK_d, [g^ir] | Ni | Nr), initiator->responder keys first (RFC 7296 §2.17)', async (t) => {
  const skD = Buffer.alloc(32, 0x77);
  for (const pfs of [undefined, Buffer.alloc(256, 0x44)]) {
    const keys = deriveChildSaKeys({
      prf: PrfId.HMAC_SHA2_256,
      skD,
      nonceI: ni,
      nonceR: nr,
      ...(pfs === undefined ? {} : { sharedSecret: pfs }),
      encrKeyLength: 36,
      integKeyLength: 0,
    });
    const expected = prfPlus('sha256', skD, Buffer.concat([...(pfs ? [pfs] : []), ni, nr]), 72);
    t.ok(keys.keymat.equals(expected), pfs ? 'with PFS' : 'without PFS');
    t.ok(keys.initiatorToResponder.encr.equals(expected.subarray(0, 36)));
    t.ok(keys.responderToInitiator.encr.equals(expected.subarray(36, 72)));
    t.equal(keys.initiatorToResponder.integ.length, 0);
  }
  const cbc = deriveChildSaKeys({ prf: PrfId.HMAC_SHA2_256, skD, nonceI: ni, nonceR: nr, encrKeyLength: 16, integKeyLength: 32 });
  const expected = prfPlus('sha256', skD, Buffer.concat([ni, nr]), 96);
  t.ok(cbc.initiatorToResponder.integ.equals(expected.subarray(16, 48)), 'encryption key then integrity key');
  t.ok(cbc.responderToInitiator.encr.equals(expected.subarray(48, 64)));
  cbc.wipe();
  t.ok(cbc.keymat.every((b) => b === 0));
});

t.test('CHILD_SA KEYMAT written into caller memory equals the split one; a refused derivation leaves that memory wiped', async (t) => {
  const skD = Buffer.alloc(48, 0x66);
  for (const pfs of [undefined, Buffer.alloc(32, 0x55)]) {
    const out = Buffer.alloc(2 * (32 + 0));
    deriveChildKeymatInto(PrfId.HMAC_SHA2_384, skD, pfs, ni, nr, out);
    const expected = prfPlus('sha384', skD, Buffer.concat([...(pfs ? [pfs] : []), ni, nr]), 64);
    t.ok(out.equals(expected), pfs ? 'with PFS' : 'without PFS');
  }
  const tooLong = Buffer.alloc(255 * 48 + 1, 0xaa);
  t.throws(() => deriveChildKeymatInto(PrfId.HMAC_SHA2_384, skD, undefined, ni, nr, tooLong), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
  t.ok(tooLong.every((b) => b === 0), 'wiped');
  t.throws(() => deriveChildKeymatInto(PrfId.HMAC_SHA2_384, skD, undefined, ni, nr, Buffer.alloc(0)), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
});

t.test('key derivation refuses bad SPI lengths and unsupported transforms', async (t) => {
  const s = suites[0] as (typeof suites)[number];
  t.throws(
    () => deriveIkeSaKeys({ prf: PrfId.HMAC_SHA2_256, sk: s.sk, nonceI: ni, nonceR: nr, spiI: Buffer.alloc(4), spiR, sharedSecret: gir }),
    { code: 'IKELB_ERR_CRYPTO_ARGUMENT' },
  );
  t.throws(
    () =>
      deriveIkeSaKeys({
        prf: PrfId.HMAC_SHA2_256,
        sk: { encr: EncrId.AES_GCM_16, keyBits: 256, integ: IntegId.HMAC_SHA2_256_128 },
        nonceI: ni,
        nonceR: nr,
        spiI,
        spiR,
        sharedSecret: gir,
      }),
    { code: 'IKELB_ERR_CRYPTO_ARGUMENT' },
    'GCM with an integrity transform',
  );
});
