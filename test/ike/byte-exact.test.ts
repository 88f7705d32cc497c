// Valid but unusual input must survive decode -> encode octet for octet.
import t from 'tap';
import { decodeMessage, encodeMessage } from '../../lib/ike/codec';
import { tlvAttributes, unusualCases } from './unusual-cases';

/** Decodes and re-encodes; the re-encoded octets, or why decoding failed. */
function reencode(datagram: Buffer): Buffer | string {
  const r = decodeMessage(datagram);
  return r.ok ? encodeMessage(r.message) : `${r.error.code} at ${r.error.field} (offset ${r.error.offset})`;
}

for (const c of unusualCases) {
  t.test(c.name, async (t) => {
    t.same(reencode(c.datagram), c.datagram, 'decodes, and encode(decode(x)) == x');
  });
}

t.test('the critical bit of a known payload shows in the decoded message', async (t) => {
  const c = unusualCases.find((u) => u.slug === 'critical-known-payload');
  const r = c === undefined ? undefined : decodeMessage(c.datagram);
  t.ok(r?.ok);
  if (r?.ok) t.equal(r.message.payloads[0]?.critical, true);
});

t.test('TLV and TV attributes decode to data and value', async (t) => {
  const c = unusualCases.find((u) => u.slug === 'tlv-attribute');
  const r = c === undefined ? undefined : decodeMessage(c.datagram);
  t.ok(r?.ok && tlvAttributes.length === 11);
  if (r?.ok && r.message.payloads[0]?.kind === 'SA') {
    t.match(r.message.payloads[0].proposals[0]?.transforms[0]?.attributes, [
      { type: 0x11, data: Buffer.from([1, 2, 3]) },
      { type: 14, value: 128 },
    ]);
  }
});
