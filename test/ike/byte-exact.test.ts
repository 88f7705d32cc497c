// Valid but unusual input our encoder would never produce: reserved bits
// and fields set, TLV attributes, a critical bit on a known payload, an
// unknown TS type, an unknown gateway identity type. All must survive
// decode -> encode octet for octet (RFC 7296: reserved fields MUST be
// ignored on receipt, so we accept them, and keep them).
import t from 'tap';
import { decodeMessage, encodeMessage } from '../../lib/ike/codec';
import { bytes, cat, messageBytes, notifyBody, proposalBytes, transformBytes, u16, u8 } from '../support/ike-bytes';

/** Decodes and re-encodes; the re-encoded octets, or why decoding failed. */
function reencode(datagram: Buffer): Buffer | string {
  const r = decodeMessage(datagram);
  return r.ok ? encodeMessage(r.message) : `${r.error.code} at ${r.error.field} (offset ${r.error.offset})`;
}

function roundTrips(t: { same: (a: unknown, b: unknown, msg: string) => boolean }, datagram: Buffer): void {
  t.same(reencode(datagram), datagram, 'decodes, and encode(decode(x)) == x');
}

t.test('reserved header flag bits and a minor version survive', async (t) => {
  roundTrips(t, messageBytes([{ type: 40, body: bytes(32) }], { flags: 0x08 | 0x01 | 0x80, version: 0x25 }));
});

t.test('reserved bits after the critical bit survive', async (t) => {
  roundTrips(t, messageBytes([{ type: 40, body: bytes(32), flags: 0x7f }]));
});

t.test('a critical bit on a known payload is accepted and kept (RFC 7296 §2.5)', async (t) => {
  roundTrips(t, messageBytes([{ type: 40, body: bytes(32), critical: true }]));
  const r = decodeMessage(messageBytes([{ type: 40, body: bytes(32), critical: true }]));
  if (r.ok) t.equal(r.message.payloads[0]?.critical, true);
});

t.test('reserved octets of proposals, transforms, KE, ID, AUTH, TS and CP survive', async (t) => {
  const proposal = proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 4, 31)]);
  proposal[1] = 0x5a; // proposal RESERVED
  proposal[8 + 1] = 0x11; // transform RESERVED (octet 1)
  proposal[8 + 5] = 0x22; // transform RESERVED (octet 5)
  roundTrips(
    t,
    messageBytes([
      { type: 33, body: proposal },
      { type: 34, body: cat(u16(31), u16(0xbeef), bytes(32)) },
      { type: 35, body: cat(u8(2), Buffer.from([1, 2, 3]), Buffer.from('a.example')) },
      { type: 39, body: cat(u8(2), Buffer.from([4, 5, 6]), bytes(32)) },
      { type: 44, body: cat(u8(1), Buffer.from([7, 8, 9]), u8(7), u8(0), u16(16), u16(0), u16(65535), bytes(8)) },
      { type: 47, body: cat(u8(1), Buffer.from([10, 11, 12]), u16(0x8001), u16(0)) },
    ]),
  );
});

t.test('a transform attribute in TLV form stays TLV', async (t) => {
  const attrs = cat(u16(0x0011), u16(3), Buffer.from([1, 2, 3]), u16(0x800e), u16(128));
  const datagram = messageBytes([{ type: 33, body: proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 1, 12, attrs)]) }]);
  roundTrips(t, datagram);
  const r = decodeMessage(datagram);
  if (r.ok && r.message.payloads[0]?.kind === 'SA') {
    t.match(r.message.payloads[0].proposals[0]?.transforms[0]?.attributes, [
      { type: 0x11, data: Buffer.from([1, 2, 3]) },
      { type: 14, value: 128 },
    ]);
  }
});

t.test('an unknown traffic selector type is kept raw', async (t) => {
  roundTrips(t, messageBytes([{ type: 44, body: cat(u8(1), u8(0), u16(0), u8(9), u8(0), u16(12), bytes(8)) }]));
});

t.test('a REDIRECT with an unassigned gateway identity type is kept', async (t) => {
  roundTrips(t, messageBytes([{ type: 41, body: notifyBody(16407, cat(u8(200), u8(3), bytes(3))) }], { flags: 0x20 }));
});

t.test('a non-first encrypted fragment (Next Payload 0) survives', async (t) => {
  roundTrips(t, messageBytes([{ type: 53, body: cat(u16(2), u16(2), bytes(40)), next: 0 }], { exchangeType: 35 }));
});

t.test('an SK payload with no inner payloads (an empty INFORMATIONAL) survives', async (t) => {
  roundTrips(t, messageBytes([{ type: 46, body: bytes(28), next: 0 }], { exchangeType: 37, messageId: 5 }));
});

t.test('a message with no payloads at all survives', async (t) => {
  roundTrips(t, messageBytes([]));
});

t.test('an unknown non-critical payload between known ones is skipped and kept', async (t) => {
  roundTrips(t, messageBytes([{ type: 40, body: bytes(32) }, { type: 13, body: bytes(20) }, { type: 43, body: bytes(16) }]));
});

t.test('notify SPI and protocol of a Child SA notify survive', async (t) => {
  roundTrips(t, messageBytes([{ type: 41, body: notifyBody(16393, Buffer.alloc(0), bytes(4), 3) }], { exchangeType: 36 }));
});
