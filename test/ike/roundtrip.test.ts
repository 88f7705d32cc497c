import t from 'tap';
import { decodeMessage, encodeMessage, validateMessage } from '../../lib/ike/codec';
import type { IkeMessage, Payload, PayloadKind } from '../../lib/ike/message';
import { fixtures, kindsCovered } from './fixtures';

const allKinds: readonly PayloadKind[] = [
  'SA',
  'KE',
  'IDi',
  'IDr',
  'CERT',
  'CERTREQ',
  'AUTH',
  'NONCE',
  'NOTIFY',
  'DELETE',
  'VENDOR_ID',
  'TSi',
  'TSr',
  'SK',
  'SKF',
  'CP',
  'EAP',
  'UNKNOWN',
];

function decodeOk(buf: Buffer): IkeMessage {
  const r = decodeMessage(buf);
  if (!r.ok) throw new Error(`decode failed: ${r.error.code} at ${r.error.field} (${r.error.offset}): ${r.error.detail}`);
  return r.message;
}

t.test('the fixtures cover every payload kind', async (t) => {
  const covered = kindsCovered();
  for (const kind of allKinds) t.ok(covered.has(kind), `${kind} is covered`);
});

for (const [name, message] of Object.entries(fixtures)) {
  t.test(`${name}: encode -> decode gives the same message, and re-encoding gives the same octets`, async (t) => {
    const bytes = encodeMessage(message);
    t.equal(bytes.readUInt32BE(24), bytes.length, 'header length is the datagram length');
    t.equal(validateMessage(bytes), null, 'the encoded message validates');
    const decoded = decodeOk(bytes);
    t.match(decoded, message, 'decoded matches what was encoded');
    t.equal(decoded.payloads.length, message.payloads.length, 'same payload count');
    t.same(encodeMessage(decoded), bytes, 'encode(decode(x)) == x');
  });
}

// One named test per payload type: its own fields survive the round trip.
for (const kind of allKinds) {
  t.test(`a ${kind} payload survives encode -> decode -> encode byte for byte`, async (t) => {
    const examples: { message: IkeMessage; payload: Payload; index: number }[] = [];
    for (const message of Object.values(fixtures)) {
      message.payloads.forEach((payload, index) => {
        if (payload.kind === kind) examples.push({ message, payload, index });
      });
    }
    t.ok(examples.length > 0, `some fixture has a ${kind} payload`);
    for (const { message, payload, index } of examples) {
      const bytes = encodeMessage(message);
      const decoded = decodeOk(bytes);
      t.match(decoded.payloads[index], payload, `${kind} #${index} decodes to what was encoded`);
      t.same(encodeMessage(decoded), bytes, 'byte-exact');
    }
  });
}
