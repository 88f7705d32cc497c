import t from 'tap';
import { ChannelCrypto } from '../../../lib/cluster/clb/channel';
import { frameHeader, framePayload, maxFrameLength, minFrameLength, MessageType, sealFrame } from '../../../lib/cluster/clb/frame';
import { FrameReader } from '../../../lib/cluster/clb/frame-reader';
import { addressToBytes, bytesToAddress, canonicalAddress, compareAddresses } from '../../../lib/ip-address';
import { deriveClusterKeys, deriveSessionKeys, freshNonce, macLength } from '../../../lib/cluster/clb/keys';
import {
  decodeGoodbye,
  decodeHello,
  decodeLoad,
  decodeNonce,
  decodePrimaryInfo,
  encodeGoodbye,
  encodeHello,
  encodeLoad,
  encodeNonce,
  encodePrimaryInfo,
  loadPayloadLength,
} from '../../../lib/cluster/clb/messages';

const keys = deriveClusterKeys('cluster-secret');
const load = { sessions: 12, maxSession: 1000, cryptoLoad: 1.2, systemLoad: 33.33, cpuLoad: 12.5, memoryLoad: 33.33, priority: 90, draining: false };

t.test('every message survives encode, seal, frame reading, MAC check and decode', async (t) => {
  const hello = { address: '192.0.2.12', priority: 90, capabilities: 1, maxSession: 1000 };
  const hello6 = { address: '2001:db8::12', priority: 1, capabilities: 3, maxSession: 4294967295 };
  const info = { accepted: true, memberCount: 3, yourState: 'overloaded' as const, yourScore: 91.25, holdtimeMs: 3000, primaryAddress: '2001:db8::11' };
  const nonce = freshNonce();
  const cases: Array<[keyof typeof MessageType, Buffer, (p: Buffer) => unknown, unknown]> = [
    ['open', encodeNonce(nonce), decodeNonce, nonce],
    ['hello', encodeHello(hello), decodeHello, hello],
    ['hello', encodeHello(hello6), decodeHello, hello6],
    ['load', encodeLoad(load), decodeLoad, load],
    ['load', encodeLoad({ ...load, draining: true }), decodeLoad, { ...load, draining: true }],
    ['primaryInfo', encodePrimaryInfo(info), decodePrimaryInfo, info],
    ['goodbye', encodeGoodbye('notPrimary'), decodeGoodbye, 'notPrimary'],
  ];
  const sender = new ChannelCrypto(keys.open, keys.open, 0x1234abcd);
  const receiver = new ChannelCrypto(keys.open, keys.open, undefined);
  const reader = new FrameReader();
  for (const [type, payload, decode, expected] of cases) {
    const frame = sender.seal(type, payload);
    t.equal(frame.length, minFrameLength + payload.length, `${type} frame length`);
    const { frames, error } = reader.push(frame);
    t.equal(error, undefined);
    t.equal(frames.length, 1);
    const opened = receiver.open(frames[0] as Buffer);
    t.ok(opened.ok, `${type} verifies`);
    if (!opened.ok) continue;
    t.equal(opened.type, type);
    t.equal(opened.header.memberId, 0x1234abcd);
    t.same(decode(opened.payload), expected, `${type} decodes to what was sent`);
  }
  t.equal(receiver.memberId, 0x1234abcd, 'the receiver learned the member id from the first frame');
});

t.test('the header is big-endian at the documented offsets', async (t) => {
  const frame = sealFrame(keys.open, MessageType.load, 0x01020304, 7, Buffer.from([0xaa]));
  t.same([...frame.subarray(0, 16)], [0, 49, 1, 4, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 7]);
  t.same(frameHeader(frame), { version: 1, type: 4, memberId: 0x01020304, sequence: 7 });
  t.same([...framePayload(frame)], [0xaa]);
  t.equal(frame.length - 17, macLength);
});

t.test('frames split at every byte, and several in one chunk, come out whole and in order', async (t) => {
  const a = sealFrame(keys.open, MessageType.hello, 5, 1, encodeHello({ address: '192.0.2.12', priority: 1, capabilities: 1, maxSession: 10 }));
  const b = sealFrame(keys.open, MessageType.load, 5, 2, encodeLoad(load));
  const stream = Buffer.concat([a, b, a]);
  const reader = new FrameReader();
  const out: Buffer[] = [];
  for (const byte of stream) {
    const { frames, error } = reader.push(Buffer.from([byte]));
    t.equal(error, undefined);
    out.push(...frames);
  }
  t.same(out, [a, b, a]);
  t.equal(reader.buffered, 0);
  const whole = new FrameReader().push(stream);
  t.same(whole.frames, [a, b, a]);
});

t.test('a length over the cap is refused as soon as its two octets arrive, without buffering', async (t) => {
  const reader = new FrameReader();
  const head = Buffer.alloc(2);
  head.writeUInt16BE(maxFrameLength + 1);
  t.same(reader.push(head), { frames: [], error: 'oversized' });
  t.equal(reader.buffered, 0);
  t.same(reader.push(Buffer.alloc(100)), { frames: [] }, 'nothing more is read after the error');
});

t.test('a length below the smallest frame, another version, and a partial frame at close are refused', async (t) => {
  const short = Buffer.from([0, minFrameLength - 1]);
  t.equal(new FrameReader().push(short).error, 'bad-length');
  t.equal(new FrameReader().push(Buffer.from([0, 60, 2])).error, 'bad-version');
  const reader = new FrameReader();
  reader.push(sealFrame(keys.open, MessageType.open, 1, 0, encodeNonce(freshNonce())).subarray(0, 30));
  t.ok(reader.endedMidFrame());
  t.notOk(new FrameReader().endedMidFrame());
});

t.test('the first frame under another secret is refused as wrong-key', async (t) => {
  const other = deriveClusterKeys('another-secret');
  const frame = new ChannelCrypto(other.open, other.open, 9).seal('open', encodeNonce(freshNonce()));
  t.match(new ChannelCrypto(keys.open, keys.open, undefined).open(frame), { ok: false, reason: 'wrong-key' });
});

t.test('a tampered frame, a replayed frame and a skipped sequence number are refused', async (t) => {
  const sender = new ChannelCrypto(keys.open, keys.open, 9);
  const receiver = new ChannelCrypto(keys.open, keys.open, 9);
  const first = sender.seal('hello', encodeHello({ address: '192.0.2.12', priority: 1, capabilities: 1, maxSession: 10 }));
  const second = sender.seal('load', encodeLoad(load));
  t.ok(receiver.open(first).ok);
  for (let offset = 0; offset < second.length; offset++) {
    const tampered = Buffer.from(second);
    tampered[offset] = (tampered[offset] as number) ^ 0x01;
    t.match(receiver.open(tampered), { ok: false, reason: 'bad-mac' }, `a bit flipped at offset ${offset} is caught`);
  }
  t.ok(receiver.open(second).ok);
  t.match(receiver.open(second), { ok: false, reason: 'replay' });
  t.match(receiver.open(first), { ok: false, reason: 'replay' });
  sender.seal('load', encodeLoad(load)); // sequence 2, never delivered
  t.match(receiver.open(sender.seal('load', encodeLoad(load))), { ok: false, reason: 'bad-sequence' });
});

t.test('a frame for another member id on a connection is refused as unknown-member', async (t) => {
  const receiver = new ChannelCrypto(keys.open, keys.open, 9);
  t.match(receiver.open(sealFrame(keys.open, MessageType.hello, 10, 0, Buffer.alloc(0))), { ok: false, reason: 'unknown-member' });
  t.match(new ChannelCrypto(keys.open, keys.open, undefined).open(sealFrame(keys.open, MessageType.open, 0, 0, Buffer.alloc(32))), {
    ok: false,
    reason: 'unknown-member',
  });
});

t.test('an unknown message type is refused even with a valid MAC', async (t) => {
  const frame = sealFrame(keys.open, 99 as never, 9, 0, Buffer.alloc(0));
  t.match(new ChannelCrypto(keys.open, keys.open, 9).open(frame), { ok: false, reason: 'bad-type' });
});

t.test('session keys differ per connection nonce, per direction and per member id', async (t) => {
  const ns = freshNonce();
  const np = freshNonce();
  const a = deriveSessionKeys(keys, ns, np, 1);
  t.notSame(a.toPrimary, a.toSubordinate);
  t.notSame(deriveSessionKeys(keys, ns, freshNonce(), 1).toPrimary, a.toPrimary);
  t.notSame(deriveSessionKeys(keys, ns, np, 2).toPrimary, a.toPrimary);
  t.same(deriveSessionKeys(keys, ns, np, 1), a, 'the derivation is deterministic');
  t.notSame(deriveClusterKeys('cluster-secret!').cluster, keys.cluster);
});

t.test('payloads of the wrong size or with values out of range do not decode', async (t) => {
  t.equal(decodeNonce(Buffer.alloc(31)), undefined);
  t.equal(decodeLoad(Buffer.alloc(loadPayloadLength - 1)), undefined);
  const crypto101 = encodeLoad(load);
  crypto101.writeUInt16BE(10_001, 8);
  t.equal(decodeLoad(crypto101), undefined, 'crypto load over 100.00 %');
  const noMax = encodeLoad(load);
  noMax.writeUInt32BE(0, 4);
  t.equal(decodeLoad(noMax), undefined, 'max-session 0');
  const hello = encodeHello({ address: '192.0.2.12', priority: 1, capabilities: 1, maxSession: 10 });
  t.equal(decodeHello(Buffer.concat([hello, Buffer.alloc(1)])), undefined, 'trailing octet');
  const family5 = Buffer.from(hello);
  family5[1] = 5;
  t.equal(decodeHello(family5), undefined, 'address family 5');
  const info = encodePrimaryInfo({ accepted: true, memberCount: 1, yourState: 'up', yourScore: 1, holdtimeMs: 1, primaryAddress: '192.0.2.11' });
  const badState = Buffer.from(info);
  badState[2] = 77;
  t.equal(decodePrimaryInfo(badState), undefined, 'unknown member state');
  t.equal(decodeGoodbye(Buffer.from([200])), undefined);
});

t.test('IP addresses convert to octets and back in canonical form, and order IPv4 first', async (t) => {
  for (const [text, canonical] of [
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8::ffff:192.0.2.1', '2001:db8::ffff:c000:201'],
  ] as const) {
    t.equal(canonicalAddress(text), canonical, text);
    t.equal(bytesToAddress(addressToBytes(text)), canonical);
  }
  t.throws(() => addressToBytes('gw.example.com'), RangeError);
  t.ok(compareAddresses('192.0.2.9', '192.0.2.10') < 0, 'numeric, not textual');
  t.ok(compareAddresses('203.0.113.1', '2001:db8::1') < 0, 'IPv4 before IPv6');
});
