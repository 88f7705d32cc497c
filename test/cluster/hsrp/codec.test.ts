import t from 'tap';
import { decodeHsrp, encodeHsrp, groupAddress, virtualMac, type EncodableMessage } from '../../../lib/cluster/hsrp/codec';

// Known-answer datagrams for Cisco's HSRP MD5 authentication, as published with
// John the Ripper's "hsrp" format (captured from IOS routers): the digest is
// RFC 1828 keyed MD5 over the datagram with the digest zeroed.
const v1Md5 = Buffer.from('000004030a64010000000000000000000a000064041c010000000a00001400000000' + '52e1db09d18d695b8fefb3730ff8d9d6', 'hex');
const v2Md5 = Buffer.from(
  '0128020006040001aabbcc000a000000006400000bb8000027100a000064000000000000000000000000041c010000000a00000a00000000' +
    '642fedafe1f374bd2fdd8f1ba81d87a2',
  'hex',
);

const base: EncodableMessage = {
  version: 2,
  opcode: 'Hello',
  state: 'Active',
  helloMs: 200,
  holdMs: 700,
  priority: 110,
  group: 1,
  vip: '192.0.2.10',
  identifier: Buffer.from('020000000011', 'hex'),
};

t.test('an IOS v1 hello with MD5 authentication verifies with its key and fails with another', async (t) => {
  const ok = decodeHsrp(v1Md5, { kind: 'md5', key: 'password12345' });
  t.match(ok, { ok: true, version: 1, opcode: 'Hello', state: 'Speak', helloMs: 3000, holdMs: 10000, priority: 100, group: 1, vip: '10.0.0.100', authKind: 'md5', md5SenderIp: '10.0.0.20', auth: 'ok' });
  t.match(decodeHsrp(v1Md5, { kind: 'md5', key: 'password1234' }), { ok: true, auth: 'mismatch' });
  t.match(decodeHsrp(v1Md5, { kind: 'text', text: 'cisco' }), { ok: true, auth: 'wrong-kind' });
});

t.test('an IOS v2 hello with MD5 authentication verifies, and our encoder produces the same octets', async (t) => {
  t.match(decodeHsrp(v2Md5, { kind: 'md5', key: 'password' }), {
    ok: true, version: 2, opcode: 'Hello', state: 'Active', priority: 100, group: 1, helloMs: 3000, holdMs: 10000,
    vip: '10.0.0.100', identifier: 'aabb.cc00.0a00', auth: 'ok',
  });
  const ours = encodeHsrp(
    { version: 2, opcode: 'Hello', state: 'Active', helloMs: 3000, holdMs: 10000, priority: 100, group: 1, vip: '10.0.0.100', identifier: Buffer.from('aabbcc000a00', 'hex') },
    { kind: 'md5', key: 'password', senderIp: '10.0.0.10' },
  );
  t.equal(ours.toString('hex'), v2Md5.toString('hex'));
});

t.test('v1 and v2 messages round-trip every opcode and state with text and MD5 authentication', async (t) => {
  for (const version of [1, 2] as const) {
    for (const opcode of ['Hello', 'Coup', 'Resign'] as const) {
      for (const state of ['Initial', 'Learn', 'Listen', 'Speak', 'Standby', 'Active'] as const) {
        for (const auth of [{ kind: 'text', text: 'cisco' }, { kind: 'md5', key: 'cluster-secret', senderIp: '192.0.2.11' }] as const) {
          const message = { ...base, version, opcode, state, helloMs: version === 1 ? 3000 : 200, holdMs: version === 1 ? 10000 : 700 };
          const wire = encodeHsrp(message, auth);
          t.equal(wire.length, version === 1 ? (auth.kind === 'md5' ? 50 : 20) : auth.kind === 'md5' ? 72 : 52);
          const back = decodeHsrp(wire, auth);
          t.match(back, { ok: true, version, opcode, state, priority: 110, group: 1, vip: '192.0.2.10', helloMs: message.helloMs, holdMs: message.holdMs, auth: 'ok' }, `${version} ${opcode} ${state} ${auth.kind}`);
        }
      }
    }
  }
});

t.test('v2 carries 12-bit groups, 32-bit priorities and IPv6 virtual addresses; v1 refuses them', async (t) => {
  const wide = { ...base, group: 4095, priority: 70000, vip: '2001:db8::10' };
  t.match(decodeHsrp(encodeHsrp(wide, { kind: 'none' }), { kind: 'none' }), { ok: true, group: 4095, priority: 70000, ipVersion: 6, vip: '2001:db8::10' });
  t.throws(() => encodeHsrp({ ...base, version: 1, group: 256 }), { code: 'IKELB_ERR_ENCODE', message: /group must be 0\.\.255/ });
  t.throws(() => encodeHsrp({ ...base, version: 1, priority: 256 }), { code: 'IKELB_ERR_ENCODE' });
  t.throws(() => encodeHsrp({ ...base, group: 4096 }), { code: 'IKELB_ERR_ENCODE' });
  t.throws(() => encodeHsrp(base, { kind: 'text', text: 'longer-than-8' }), { code: 'IKELB_ERR_ENCODE', message: /at most 8/ });
});

t.test('v1 timers travel in whole seconds, rounded up so a peer never expires us early', async (t) => {
  const wire = encodeHsrp({ ...base, version: 1, helloMs: 200, holdMs: 700 });
  t.equal(wire[3], 1);
  t.equal(wire[4], 1);
  t.equal(wire.subarray(8, 16).toString('latin1'), 'cisco\0\0\0', 'RFC 2281 default text authentication');
});

t.test('a datagram cut short or with a bad TLV is refused naming the field and offset', async (t) => {
  const v2 = encodeHsrp(base, { kind: 'md5', key: 'k' });
  for (let len = 0; len < v2.length; len++) {
    const r = decodeHsrp(v2.subarray(0, len), { kind: 'md5', key: 'k' });
    if (r.ok) t.equal(r.auth === 'ok', false, `a ${len}-octet prefix must not authenticate`);
    else t.ok(r.field.length > 0 && r.offset <= len, `prefix ${len}: ${r.field}@${r.offset}`);
  }
  const badLength = Buffer.from(v2);
  badLength[1] = 41;
  t.match(decodeHsrp(badLength), { ok: false, field: 'tlv.length', offset: 1 });
  const runsPast = Buffer.from(v2);
  runsPast[43] = 200;
  t.match(decodeHsrp(runsPast), { ok: false, field: 'tlv.length', offset: 43, reason: /past the end/ });
  t.match(decodeHsrp(Buffer.from([9, 0, 0])), { ok: false, field: 'version', offset: 0 });
  const v1 = encodeHsrp({ ...base, version: 1 });
  const badState = Buffer.from(v1);
  badState[2] = 3;
  t.match(decodeHsrp(badState), { ok: false, field: 'state', offset: 2 });
  t.match(decodeHsrp(Buffer.concat([v1, Buffer.from([4, 28])])), { ok: false });
});

t.test('a flipped bit anywhere in an MD5-authenticated datagram fails authentication', async (t) => {
  const auth = { kind: 'md5', key: 'cluster-secret', senderIp: '192.0.2.11' } as const;
  const wire = encodeHsrp(base, auth);
  for (let i = 0; i < wire.length; i++) {
    const flipped = Buffer.from(wire);
    flipped[i] = (flipped[i] as number) ^ 0x01;
    const r = decodeHsrp(flipped, auth);
    t.not(r.ok && r.auth === 'ok', true, `octet ${i}`);
  }
});

t.test('unknown v2 TLVs are skipped, a second group state TLV is refused', async (t) => {
  const wire = encodeHsrp(base, { kind: 'none' });
  t.match(decodeHsrp(Buffer.concat([wire, Buffer.from([2, 4, 0, 1, 0, 0])]), { kind: 'none' }), { ok: true, group: 1 });
  t.match(decodeHsrp(Buffer.concat([wire, wire]), { kind: 'none' }), { ok: false, field: 'tlv.type', reason: /more than one group state/ });
});

t.test('virtual MACs and groups follow RFC 2281 and Cisco v2', async (t) => {
  t.equal(virtualMac(1, 1), '0000.0c07.ac01');
  t.equal(virtualMac(2, 1), '0000.0c9f.f001');
  t.equal(virtualMac(2, 4095), '0000.0c9f.ffff');
  t.equal(groupAddress(1), '224.0.0.2');
  t.equal(groupAddress(2), '224.0.0.102');
});
