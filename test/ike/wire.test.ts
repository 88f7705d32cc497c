// The IkeWire adapter the gateway runs on (codecWire: the codec's tape read
// into and written from the state machines' payloads directly) against the
// reference adapter through the codec's public model (codecModelWire): the
// same payloads, types, SK position, errors and octets for every datagram of
// test/vectors/ike, valid and malformed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { PayloadType } from '../../lib/ike/constants';
import type { Payload } from '../../lib/ike/payloads';
import { codecModelWire, codecWire } from '../../lib/ike/wire';
import type { OutHeader } from '../../lib/ike/wire-port';

const vectors = path.join(__dirname, '..', 'vectors', 'ike');

function files(dir: string): { name: string; bytes: Buffer }[] {
  return readdirSync(path.join(vectors, dir))
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, bytes: readFileSync(path.join(vectors, dir, f)) }));
}

const valid = files('valid');
const malformed = files('malformed');

t.test('every valid vector decodes to the same header, payloads, types and SK position through both adapters', async (t) => {
  t.ok(valid.length >= 20, 'the vectors are there');
  for (const v of valid) {
    const direct = codecWire.decode(Buffer.from(v.bytes));
    const reference = codecModelWire.decode(Buffer.from(v.bytes));
    t.same(direct, reference, v.name);
    t.equal(direct.ok, true, `${v.name} decodes`);
  }
});

t.test('every malformed vector is refused with the same reason, detail and notify through both adapters', async (t) => {
  t.ok(malformed.length >= 20, 'the vectors are there');
  for (const v of malformed) {
    const direct = codecWire.decode(Buffer.from(v.bytes));
    const reference = codecModelWire.decode(Buffer.from(v.bytes));
    t.same(direct, reference, v.name);
    t.equal(direct.ok, false, `${v.name} is refused`);
    if (!direct.ok) t.equal(direct.reason, v.name.split('/')[1]?.split('--')[0], `${v.name}: the error its name announces`);
  }
});

t.test('a decoded message encodes to the same octets through both adapters, and those decode to the same payloads', async (t) => {
  let checked = 0;
  for (const v of valid) {
    const d = codecWire.decode(Buffer.from(v.bytes));
    if (!d.ok || d.sk !== undefined) continue;
    const header: OutHeader = { ...d.header };
    let reference: Buffer;
    try {
      reference = codecModelWire.encode(header, d.payloads);
    } catch {
      // Payloads the model keeps but may not send alone (e.g. a lone SKF's type): both refuse.
      t.throws(() => codecWire.encode(header, d.payloads), { code: 'IKELB_ERR_ENCODE' }, `${v.name}: refused by both`);
      continue;
    }
    const direct = codecWire.encode(header, d.payloads);
    t.same(direct, reference, `${v.name}: same octets`);
    const again = codecWire.decode(direct);
    t.same(again.ok && again.payloads, d.payloads, `${v.name}: decodes back to the same payloads`);
    const chain = codecWire.encodeChain(d.payloads);
    t.same(chain, codecModelWire.encodeChain(d.payloads), `${v.name}: same chain`);
    if (chain.bytes.length > 0) t.same(codecWire.decodeInner(chain.bytes, chain.firstType), codecModelWire.decodeInner(chain.bytes, chain.firstType), `${v.name}: same inner decode`);
    checked++;
  }
  t.ok(checked >= 10, `${checked} messages compared`);
});

t.test('encoding results are fresh buffers: a later encode does not change an earlier one', async (t) => {
  const header: OutHeader = { spiI: Buffer.alloc(8, 1), spiR: Buffer.alloc(8, 2), exchange: 34, initiator: false, response: true, messageId: 0 };
  const a = codecWire.encode(header, [{ type: PayloadType.NONCE, data: Buffer.alloc(32, 0xaa) }]);
  const copy = Buffer.from(a);
  codecWire.encode(header, [{ type: PayloadType.NONCE, data: Buffer.alloc(32, 0xbb) }]);
  t.same(a, copy);
});

t.test('a large message (a 20 kB certificate) grows the scratch buffers and still round-trips', async (t) => {
  const cert = Buffer.alloc(20_000, 7);
  const header: OutHeader = { spiI: Buffer.alloc(8, 1), spiR: Buffer.alloc(8, 2), exchange: 35, initiator: true, response: false, messageId: 1 };
  const payloads: Payload[] = [{ type: PayloadType.CERT, encoding: 4, data: cert }];
  const bytes = codecWire.encode(header, payloads);
  t.same(bytes, codecModelWire.encode(header, payloads));
  const d = codecWire.decode(bytes);
  t.same(d.ok && d.payloads, payloads);
});

t.test('a payload the wire cannot carry is refused with IKELB_ERR_ENCODE naming the field', async (t) => {
  const header: OutHeader = { spiI: Buffer.alloc(8, 1), spiR: Buffer.alloc(8, 2), exchange: 34, initiator: false, response: true, messageId: 0 };
  t.throws(() => codecWire.encode(header, [{ type: PayloadType.KE, group: 70000, data: Buffer.alloc(32) }]), { code: 'IKELB_ERR_ENCODE' });
  t.throws(() => codecWire.encode(header, [{ type: PayloadType.KE, group: -1, data: Buffer.alloc(32) }]), { code: 'IKELB_ERR_ENCODE', field: 'KE.group' });
  t.throws(() => codecWire.encode(header, [{ type: PayloadType.KE, group: 1.5, data: Buffer.alloc(32) }]), { code: 'IKELB_ERR_ENCODE', field: 'KE.group' });
  t.throws(() => codecWire.encode({ ...header, spiI: Buffer.alloc(4) }, []), { code: 'IKELB_ERR_ENCODE', field: 'header.spiI' });
  t.throws(() => codecWire.encode(header, [{ type: PayloadType.DELETE, protocol: 3, spis: [Buffer.alloc(4), Buffer.alloc(3)] }]), { code: 'IKELB_ERR_ENCODE', field: 'DELETE.spis' });
  t.throws(() => codecWire.encode(header, [{ type: PayloadType.NONCE, data: Buffer.alloc(70000) }]), { code: 'IKELB_ERR_ENCODE' });
  // And the scratch is clean afterwards: a good message still encodes like the reference.
  const good: Payload[] = [{ type: PayloadType.NONCE, data: Buffer.alloc(32, 3) }];
  t.same(codecWire.encode(header, good), codecModelWire.encode(header, good));
});
