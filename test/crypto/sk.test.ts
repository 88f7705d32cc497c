// The Encrypted (SK) payload: NIST GCM vectors for the cipher, round trips for
// every suite, byte-exact agreement with an independent computation on Node's
// crypto (RFC 5282 nonce/AAD layout; RFC 7296 §3.14 CBC + truncated HMAC), and
// every way a received payload can be corrupt.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import t from 'tap';

import { aesGcmOpen, aesGcmSeal, EncrId, IntegId, SkContext, type SkTransforms } from '../../lib/crypto';
import { hex, loadVectors } from './fixtures';

interface GcmCase {
  case: number;
  key: string;
  iv: string;
  aad: string;
  plaintext: string;
  ciphertext: string;
  tag: string;
}

t.test('AES-GCM-128/256 match the NIST GCM test vectors, and a changed tag is refused', async (t) => {
  for (const c of loadVectors<{ cases: GcmCase[] }>('gcm-nist.json').cases) {
    const sealed = aesGcmSeal(hex(c.key), hex(c.iv), hex(c.aad), hex(c.plaintext));
    t.equal(sealed.toString('hex'), c.ciphertext + c.tag, `case ${c.case} seal`);
    t.equal(aesGcmOpen(hex(c.key), hex(c.iv), hex(c.aad), sealed).toString('hex'), c.plaintext, `case ${c.case} open`);
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
    t.throws(() => aesGcmOpen(hex(c.key), hex(c.iv), hex(c.aad), sealed), { code: 'IKELB_ERR_SK_ICV' }, `case ${c.case} bad tag`);
  }
});

const IKE_HEADER = 28;
const SK_PAYLOAD = 46; // RFC 7296 §3.14

/** An IKE_AUTH message with an SK payload around `inner`, laid out for protect(). */
function buildMessage(ctx: SkContext, inner: Buffer, prefix = 0): { message: Buffer; skOffset: number } {
  const sizes = ctx.sizes(inner.length);
  const skOffset = IKE_HEADER + prefix;
  const message = Buffer.alloc(skOffset + sizes.payloadLength);
  Buffer.from('0102030405060708a1a2a3a4a5a6a7a8', 'hex').copy(message, 0);
  message[16] = prefix === 0 ? SK_PAYLOAD : 40; // next payload
  message[17] = 0x20; // version 2.0
  message[18] = 35; // IKE_AUTH
  message[19] = 0x08; // initiator
  message.writeUInt32BE(1, 20); // message ID
  message.writeUInt32BE(message.length, 24);
  if (prefix > 0) {
    message[IKE_HEADER] = SK_PAYLOAD;
    message.writeUInt16BE(prefix, IKE_HEADER + 2);
  }
  message[skOffset] = 35; // first inner payload: IDi
  message.writeUInt16BE(sizes.payloadLength, skOffset + 2);
  inner.copy(message, skOffset + sizes.plaintextOffset);
  return { message, skOffset };
}

const suites: { name: string; t: SkTransforms; enc: number; integ: number }[] = [
  { name: 'AES-GCM-16-128', t: { encr: EncrId.AES_GCM_16, keyBits: 128, integ: IntegId.NONE }, enc: 20, integ: 0 },
  { name: 'AES-GCM-16-256', t: { encr: EncrId.AES_GCM_16, keyBits: 256, integ: IntegId.NONE }, enc: 36, integ: 0 },
  { name: 'AES-CBC-128 + HMAC-SHA2-256-128', t: { encr: EncrId.AES_CBC, keyBits: 128, integ: IntegId.HMAC_SHA2_256_128 }, enc: 16, integ: 32 },
  { name: 'AES-CBC-256 + HMAC-SHA2-256-128', t: { encr: EncrId.AES_CBC, keyBits: 256, integ: IntegId.HMAC_SHA2_256_128 }, enc: 32, integ: 32 },
  { name: 'AES-CBC-256 + HMAC-SHA2-384-192', t: { encr: EncrId.AES_CBC, keyBits: 256, integ: IntegId.HMAC_SHA2_384_192 }, enc: 32, integ: 48 },
  { name: 'AES-CBC-256 + HMAC-SHA2-512-256', t: { encr: EncrId.AES_CBC, keyBits: 256, integ: IntegId.HMAC_SHA2_512_256 }, enc: 32, integ: 64 },
];

function keysFor(s: (typeof suites)[number]): { enc: Buffer; integ: Buffer | null } {
  const bytes = (n: number, f: (i: number) => number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => f(i)));
  return { enc: bytes(s.enc, (i) => i + 1), integ: s.integ === 0 ? null : bytes(s.integ, (i) => 200 - i) };
}

t.test('every suite round-trips inner payloads of 0..1000 octets, the receiver sees exactly the sent payloads', async (t) => {
  for (const s of suites) {
    const k = keysFor(s);
    const sender = SkContext.create(s.t, k.enc, k.integ);
    const receiver = SkContext.create(s.t, k.enc, k.integ);
    for (const len of [0, 1, 15, 16, 17, 1000]) {
      const inner = Buffer.from(Array.from({ length: len }, (_, i) => (i * 7) & 0xff));
      for (const prefix of [0, 8]) {
        const { message, skOffset } = buildMessage(sender, inner, prefix);
        sender.protect(message, skOffset, len);
        t.notOk(message.subarray(skOffset + 4 + sender.sizes(len).ivLength).includes(inner) && len > 16, `${s.name} ${len}: encrypted`);
        const pt = receiver.unprotect(message, skOffset);
        t.ok(message.subarray(pt.offset, pt.offset + pt.length).equals(inner), `${s.name} ${len} octets (payload before SK: ${prefix})`);
      }
    }
  }
});

t.test('AES-GCM SK payloads equal an independent RFC 5282 computation (salt | counter IV, AAD = header..SK header)', async (t) => {
  for (const s of suites.slice(0, 2)) {
    const k = keysFor(s);
    const ctx = SkContext.create(s.t, k.enc, null);
    const inner = Buffer.from('inner payloads of an IKE_AUTH request');
    for (let n = 0; n < 3; n++) {
      const { message, skOffset } = buildMessage(ctx, inner);
      const clear = Buffer.from(message);
      ctx.protect(message, skOffset, inner.length);
      const iv = message.subarray(skOffset + 4, skOffset + 12);
      t.equal(iv.readBigUInt64BE(0), BigInt(n), `${s.name}: message ${n} uses IV counter ${n}`);
      const keyLen = s.enc - 4;
      const cipher = createCipheriv(keyLen === 16 ? 'aes-128-gcm' : 'aes-256-gcm', k.enc.subarray(0, keyLen), Buffer.concat([k.enc.subarray(keyLen), iv]));
      cipher.setAAD(clear.subarray(0, skOffset + 4));
      const body = Buffer.concat([inner, Buffer.from([0])]); // no padding, pad length 0
      const expected = Buffer.concat([cipher.update(body), cipher.final(), cipher.getAuthTag()]);
      t.ok(message.subarray(skOffset + 12).equals(expected), `${s.name}: message ${n} byte-exact`);
    }
    t.equal(ctx.messagesProtected, 3n);
  }
});

t.test('AES-CBC SK payloads verify and decrypt with Node: random IV, block padding, ICV = truncated HMAC over the message', async (t) => {
  for (const s of suites.slice(2)) {
    const k = keysFor(s);
    const ctx = SkContext.create(s.t, k.enc, k.integ);
    const inner = Buffer.from('twenty-one octets!!!!');
    const { message, skOffset } = buildMessage(ctx, inner);
    ctx.protect(message, skOffset, inner.length);
    const sizes = ctx.sizes(inner.length);
    const hash = s.integ === 32 ? 'sha256' : s.integ === 48 ? 'sha384' : 'sha512';
    const icvAt = message.length - sizes.icvLength;
    const mac = createHmac(hash, k.integ as Buffer).update(message.subarray(0, icvAt)).digest();
    t.ok(message.subarray(icvAt).equals(mac.subarray(0, sizes.icvLength)), `${s.name}: ICV`);
    const iv = message.subarray(skOffset + 4, skOffset + 20);
    const d = createDecipheriv(s.enc === 16 ? 'aes-128-cbc' : 'aes-256-cbc', k.enc, iv).setAutoPadding(false);
    const clear = Buffer.concat([d.update(message.subarray(skOffset + 20, icvAt)), d.final()]);
    t.equal(clear.length % 16, 0, `${s.name}: whole blocks`);
    t.ok(clear.subarray(0, inner.length).equals(inner), `${s.name}: plaintext`);
    t.equal(clear[clear.length - 1], sizes.paddingLength, `${s.name}: pad length octet`);
    const again = buildMessage(ctx, inner);
    ctx.protect(again.message, again.skOffset, inner.length);
    t.notOk(again.message.subarray(skOffset + 4, skOffset + 20).equals(iv), `${s.name}: a fresh IV per message`);
  }
});

t.test('a corrupted ICV, ciphertext, IV or header is refused with IKELB_ERR_SK_ICV and nothing decrypted leaks', async (t) => {
  for (const s of suites) {
    const k = keysFor(s);
    const ctx = SkContext.create(s.t, k.enc, k.integ);
    const inner = Buffer.alloc(40, 0x61);
    const positions = (m: Buffer, sk: number): [string, number][] => [
      ['last ICV octet', m.length - 1],
      ['first ciphertext octet', sk + 4 + ctx.sizes(inner.length).ivLength],
      ['IV', sk + 5],
      ['IKE header (message ID)', 23],
      ['SK generic header', sk + 1],
    ];
    const probe = buildMessage(ctx, inner);
    for (const [where, at] of positions(probe.message, probe.skOffset)) {
      const { message, skOffset } = buildMessage(ctx, inner);
      ctx.protect(message, skOffset, inner.length);
      message[at] = (message[at] as number) ^ 0x80;
      t.throws(() => ctx.unprotect(message, skOffset), { code: 'IKELB_ERR_SK_ICV' }, `${s.name}: ${where}`);
      t.notOk(message.includes(Buffer.alloc(16, 0x61)), `${s.name}: ${where}: no plaintext left in the buffer`);
    }
  }
});

t.test('malformed SK payloads are refused with IKELB_ERR_SK_MALFORMED', async (t) => {
  const gcm = suites[1] as (typeof suites)[number];
  const ctx = SkContext.create(gcm.t, keysFor(gcm).enc, null);
  const { message, skOffset } = buildMessage(ctx, Buffer.alloc(10));
  ctx.protect(message, skOffset, 10);
  const cut = Buffer.from(message.subarray(0, skOffset + 20));
  cut.writeUInt32BE(cut.length, 24);
  cut.writeUInt16BE(cut.length - skOffset, skOffset + 2);
  t.throws(() => ctx.unprotect(cut, skOffset), { code: 'IKELB_ERR_SK_MALFORMED' }, 'shorter than IV + pad length + ICV');
  const lying = Buffer.from(message);
  lying.writeUInt16BE(lying.length - skOffset - 1, skOffset + 2);
  t.throws(() => ctx.unprotect(lying, skOffset), { code: 'IKELB_ERR_SK_MALFORMED' }, 'SK payload length disagrees with the message');
  const header = Buffer.from(message);
  header.writeUInt32BE(header.length + 4, 24);
  t.throws(() => ctx.unprotect(header, skOffset), { code: 'IKELB_ERR_SK_MALFORMED' }, 'IKE header length disagrees');
  t.throws(() => ctx.unprotect(message, message.length - 2), { code: 'IKELB_ERR_SK_MALFORMED' }, 'SK offset past the end');

  const cbc = suites[3] as (typeof suites)[number];
  const k = keysFor(cbc);
  const cctx = SkContext.create(cbc.t, k.enc, k.integ);
  const m = buildMessage(cctx, Buffer.alloc(30));
  cctx.protect(m.message, m.skOffset, 30);
  const odd = Buffer.concat([m.message.subarray(0, m.message.length - 16), Buffer.alloc(1), m.message.subarray(m.message.length - 16)]);
  odd.writeUInt32BE(odd.length, 24);
  odd.writeUInt16BE(odd.length - m.skOffset, m.skOffset + 2);
  t.throws(() => cctx.unprotect(odd, m.skOffset), { code: 'IKELB_ERR_SK_MALFORMED' }, 'CBC ciphertext not a multiple of the block size');

  // A pad length beyond the content, with a valid ICV (crafted with Node's crypto).
  const iv = Buffer.alloc(16, 9);
  const content = Buffer.alloc(32, 0x41);
  content[31] = 200;
  const c = createCipheriv('aes-256-cbc', k.enc, iv).setAutoPadding(false);
  const ct = Buffer.concat([c.update(content), c.final()]);
  const msg = Buffer.concat([m.message.subarray(0, m.skOffset + 4), iv, ct, Buffer.alloc(16)]);
  msg.writeUInt32BE(msg.length, 24);
  msg.writeUInt16BE(msg.length - m.skOffset, m.skOffset + 2);
  createHmac('sha256', k.integ as Buffer).update(msg.subarray(0, msg.length - 16)).digest().copy(msg, msg.length - 16, 0, 16);
  t.throws(() => cctx.unprotect(msg, m.skOffset), { code: 'IKELB_ERR_SK_MALFORMED' }, 'pad length past the content');
});

t.test('protect refuses an inconsistent layout and an exhausted GCM IV counter', async (t) => {
  const gcm = suites[1] as (typeof suites)[number];
  const ctx = SkContext.create(gcm.t, keysFor(gcm).enc, null);
  const { message, skOffset } = buildMessage(ctx, Buffer.alloc(10));
  t.throws(() => ctx.protect(message, skOffset, 11), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' }, 'wrong plaintext length');
  const bad = Buffer.from(message);
  bad.writeUInt32BE(0, 24);
  t.throws(() => ctx.protect(bad, skOffset, 10), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' }, 'IKE header length not set');
  ctx.buffer.writeBigUInt64BE(0xffffffffffffffffn, 8);
  t.throws(() => ctx.protect(message, skOffset, 10), { code: 'IKELB_ERR_SK_IV_EXHAUSTED' });
  t.throws(() => new SkContext(Buffer.alloc(10)), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
  t.throws(() => SkContext.create(gcm.t, Buffer.alloc(32), null), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' }, 'GCM key without its salt');
});
