// Payload chains outside a message: the plaintext inside an SK payload.
import t from 'tap';
import { decodeMessage, decodePayloads, encodeMessage, encodePayloads } from '../../lib/ike/codec';
import { PayloadType } from '../../lib/ike/constants';
import type { Payload } from '../../lib/ike/message';
import { bytes, chainBytes } from '../support/ike-bytes';
import { ikeAuthPlain } from './fixtures';

t.test('the payloads of an SK plaintext encode and decode back, with the first type for the SK header', async (t) => {
  const { firstPayloadType, plaintext } = encodePayloads(ikeAuthPlain.payloads);
  t.equal(firstPayloadType, PayloadType.IDi);
  const r = decodePayloads(plaintext, firstPayloadType);
  t.ok(r.ok);
  if (r.ok) {
    t.match(r.payloads, ikeAuthPlain.payloads);
    t.same(encodePayloads(r.payloads).plaintext, plaintext, 'byte-exact');
  }
});

t.test('an SK payload inside decrypted SK content is refused as NESTED_SK', async (t) => {
  const plaintext = chainBytes([
    { type: 40, body: bytes(32) },
    { type: 46, body: bytes(40), next: 0 },
  ]);
  const r = decodePayloads(plaintext, 40, 1000);
  t.equal(r.ok, false);
  if (!r.ok) {
    t.equal(r.error.code, 'NESTED_SK');
    t.equal(r.error.offset, 1000 + 36, 'offset includes the base offset');
    t.equal(r.error.value, 46);
  }
});

t.test('errors inside SK plaintext are reported at base offset + position', async (t) => {
  const r = decodePayloads(chainBytes([{ type: 40, body: bytes(3) }]), 40, 52);
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.error, { code: 'NONCE_LENGTH', field: 'NONCE.data', offset: 56 });
});

t.test('encodePayloads refuses an SK payload in SK plaintext', async (t) => {
  const sk: Payload = { kind: 'SK', innerNextPayload: 0, data: bytes(32) };
  t.throws(() => encodePayloads([sk]), { code: 'IKELB_ERR_ENCODE', field: 'payload' });
});

t.test('encodeMessage refuses a message the decoder would reject, naming the field', async (t) => {
  const shortNonce: Payload = { kind: 'NONCE', data: bytes(8) };
  t.throws(() => encodeMessage({ header: ikeAuthPlain.header, payloads: [shortNonce] }), {
    code: 'IKELB_ERR_ENCODE',
    field: 'NONCE.data',
    message: /NONCE_LENGTH at NONCE\.data \(offset 32\)/,
  });
  const afterSk: Payload[] = [
    { kind: 'SK', innerNextPayload: 35, data: bytes(32) },
    { kind: 'NONCE', data: bytes(32) },
  ];
  t.throws(() => encodeMessage({ header: ikeAuthPlain.header, payloads: afterSk }), { message: /SK_NOT_LAST/ });
});

t.test('encodeMessage names the property path of a malformed message object', async (t) => {
  const bad = { header: ikeAuthPlain.header, payloads: [{ kind: 'KE', dhGroup: 70000, data: bytes(32) }] };
  t.throws(() => encodeMessage(bad as never), { code: 'IKELB_ERR_ENCODE', message: /payloads\[0\]\.dhGroup: expected an integer 0\.\.65535/ });
  const noKind = { header: ikeAuthPlain.header, payloads: [{ data: bytes(32) }] };
  t.throws(() => encodeMessage(noKind as never), { message: /payloads\[0\]\.kind/ });
  const badSpi = { header: { ...ikeAuthPlain.header, spiI: 'xyz' }, payloads: [] };
  t.throws(() => encodeMessage(badSpi as never), { message: /header\.spiI/ });
});

t.test('encodeMessage refuses a payload too large for its 16-bit length', async (t) => {
  const vid: Payload = { kind: 'VENDOR_ID', data: Buffer.alloc(70000) };
  t.throws(() => encodeMessage({ header: ikeAuthPlain.header, payloads: [vid] }), {
    code: 'IKELB_ERR_ENCODE',
    field: 'payload.length',
    message: /does not fit its wire field \(max 65535\)/,
  });
});

t.test('decodeMessage does not keep a reference to the caller\'s buffer', async (t) => {
  const buf = encodeMessage(ikeAuthPlain);
  const r = decodeMessage(buf);
  t.ok(r.ok);
  buf.fill(0);
  if (r.ok && r.message.payloads[0]?.kind === 'IDi') {
    t.equal(r.message.payloads[0].data.toString(), 'client.example.com', 'payload data was copied');
  }
});

t.test('decodeMessage accepts a Uint8Array view into a larger buffer', async (t) => {
  const bytes = encodeMessage(ikeAuthPlain);
  const big = Buffer.alloc(bytes.length + 100, 0xee);
  bytes.copy(big, 50);
  const view = new Uint8Array(big.buffer, big.byteOffset + 50, bytes.length);
  const r = decodeMessage(view);
  t.ok(r.ok, 'decodes exactly the view, not the whole ArrayBuffer');
});

t.test('a message whose tape outgrows the reusable one still decodes (the native side asks for more)', async (t) => {
  // 255 selectors of an unknown type: 8 tape words per 4 octets of wire.
  const selectors = Array.from({ length: 255 }, () => ({ tsType: 200, ipProtocol: 0, data: Buffer.alloc(0) }));
  const many: Payload[] = Array.from({ length: 20 }, () => ({ kind: 'TSi' as const, selectors }));
  const bytes = encodeMessage({ header: ikeAuthPlain.header, payloads: many });
  const r = decodeMessage(bytes);
  t.ok(r.ok);
  if (r.ok) t.same(encodeMessage(r.message), bytes, 'byte-exact');
});

t.test('decoded byte strings are a copy of the datagram: reusing the receive buffer does not change them', async (t) => {
  const bytes = encodeMessage(ikeAuthPlain);
  const r = decodeMessage(bytes);
  t.ok(r.ok);
  if (r.ok && r.message.payloads[0]?.kind === 'IDi') {
    const id = r.message.payloads[0].data;
    const before = Buffer.from(id);
    t.ok(before.length > 0, 'the IDi payload has data');
    bytes.fill(0xee);
    t.same(id, before, 'the identity survives the datagram buffer being overwritten');
  } else t.fail('the first payload is IDi');
});
