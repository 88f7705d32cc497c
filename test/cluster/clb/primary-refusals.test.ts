// Real TCP on loopback against a real PrimaryRole: every attack on the CLB
// channel is refused, counted by its reason, and the connection closed; the
// primary keeps serving honest subordinates.
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { systemClock } from '../../../lib/cluster/clb/clock';
import { frameHeader, framePayload, MessageType, sealFrame } from '../../../lib/cluster/clb/frame';
import { deriveClusterKeys } from '../../../lib/cluster/clb/keys';
import type { LlgPolicy } from '../../../lib/cluster/clb/least-loaded';
import { localLoad } from '../../../lib/cluster/clb/local-load';
import { Capability, decodePrimaryInfo, encodeHello, encodeLoad, type LoadMessage } from '../../../lib/cluster/clb/messages';
import { resolveClusterOptions, type ClusterOptionsInput } from '../../../lib/cluster/clb/options';
import { maxPendingHandshakes, PrimaryRole } from '../../../lib/cluster/clb/primary';
import { RefusalCounter, type RefusalReason } from '../../../lib/cluster/clb/refusals';
import { silentLogger } from '../../../lib/log';
import { RawPeer } from '../../support/clb-raw-peer';

const secret = 'cluster-secret';
const keys = deriveClusterKeys(secret);
const policy: LlgPolicy = { weights: { crypto: 100, system: 100 }, overloadLimit: 90, hysteresis: 1 };
const hello = (address = '127.0.0.12') => ({ address, priority: 90, capabilities: Capability.redirectTarget, maxSession: 1000 });
const load: LoadMessage = { sessions: 42, maxSession: 1000, cryptoLoad: 4.2, systemLoad: 20, cpuLoad: 20, memoryLoad: 10, priority: 90, draining: false };

async function startPrimary(t: Test, overrides: Partial<ClusterOptionsInput> = {}, handshakeTimeoutMs?: number) {
  const options = {
    ...resolveClusterOptions({ standbyGroup: 'group1', secret, localAddress: '127.0.0.11', listenAddress: '127.0.0.1', ...overrides }),
    port: 0,
  };
  const refusals = new RefusalCounter(systemClock, silentLogger);
  const primary = new PrimaryRole({
    options,
    keys,
    policy,
    clock: systemClock,
    log: silentLogger,
    refusals,
    local: localLoad(options, { sessions: () => 3, system: () => ({ cpuLoad: 5, memoryLoad: 7, systemLoad: 7 }) }),
    onTableChange: () => undefined,
    ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs }),
  });
  await primary.start();
  t.teardown(() => primary.stop('shutdown'));
  const port = primary.port();
  const connect = async (memberId?: number): Promise<RawPeer> => {
    const peer = await RawPeer.connect(port, '127.0.0.1', memberId);
    t.teardown(() => peer.destroy());
    return peer;
  };
  /** Only the counted reasons, for exact comparisons. */
  const counted = (): Partial<Record<RefusalReason, number>> => Object.fromEntries(Object.entries(refusals.snapshot()).filter(([, n]) => n > 0));
  return { primary, refusals, connect, counted };
}

async function joined(t: Test, peer: RawPeer, address = '127.0.0.12'): Promise<void> {
  await peer.handshake(keys);
  peer.hello(hello(address));
  const info = decodePrimaryInfo(framePayload(await peer.nextFrame()));
  t.match(info, { accepted: true, primaryAddress: '127.0.0.11', holdtimeMs: 3000 }, 'PRIMARY-INFO accepts the member');
}

/** Resolves when the table satisfies the predicate (polled; bounded). */
async function until(predicate: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return predicate();
}

t.test('a subordinate with the cluster secret joins and its load shows in the table', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const peer = await connect();
  await joined(t, peer);
  peer.load(load);
  t.ok(await until(() => primary.table.get('127.0.0.12')?.state === 'up'));
  t.match(primary.table.get('127.0.0.12'), { sessions: 42, maxSession: 1000, cryptoLoad: 4.2, systemLoad: 20, priority: 90 });
  t.same(
    primary.members().map((m) => [m.address, m.local]),
    [
      ['127.0.0.11', true],
      ['127.0.0.12', false],
    ],
    'the primary is in its own table',
  );
  t.same(counted(), {});
});

t.test('a connection with the wrong key is refused, counted as wrong-key and closed', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const peer = await connect();
  await t.rejects(peer.handshake(deriveClusterKeys('not-the-cluster-secret')), /connection closed/);
  await peer.closed;
  t.same(counted(), { 'wrong-key': 1 });
  t.equal(primary.table.size, 1, 'only the primary itself');
});

t.test('a replayed load update is refused as a replay and the connection closed', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const peer = await connect();
  await joined(t, peer);
  const update = peer.load(load);
  t.ok(await until(() => primary.table.get('127.0.0.12')?.state === 'up'));
  peer.write(update);
  await peer.closed;
  t.same(counted(), { replay: 1 });
  t.ok(await until(() => !primary.table.has('127.0.0.12')), 'the member left with its connection');
});

t.test('a whole session recorded and replayed on a new connection is refused', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const victim = await connect();
  await joined(t, victim);
  victim.load(load);
  const recorded = [...victim.sent];
  victim.destroy();
  await victim.closed;
  t.ok(await until(() => !primary.table.has('127.0.0.12')));
  const attacker = await connect();
  for (const frame of recorded) attacker.write(frame);
  await attacker.closed;
  t.same(counted(), { 'bad-mac': 1 }, 'the recorded HELLO does not verify under the new nonces');
  t.notOk(primary.table.has('127.0.0.12'), 'the replay did not join');
});

t.test('a tampered frame is refused as bad-mac', async (t) => {
  const { connect, counted } = await startPrimary(t);
  const peer = await connect();
  await joined(t, peer);
  const frame = peer.seal('load', encodeLoad(load));
  frame[17] = (frame[17] as number) ^ 0xff; // sessions field
  peer.write(frame);
  await peer.closed;
  t.same(counted(), { 'bad-mac': 1 });
});

t.test('unknown members are refused: a LOAD before HELLO, another member id, a claimed address change', async (t) => {
  const { connect, counted } = await startPrimary(t);
  const early = await connect();
  await early.handshake(keys);
  early.load(load);
  await early.closed;
  const other = await connect();
  await joined(t, other);
  other.send('load', encodeLoad(load), { memberId: other.memberId + 1 });
  await other.closed;
  const mover = await connect();
  await joined(t, mover, '127.0.0.13');
  mover.hello(hello('127.0.0.14'));
  await mover.closed;
  t.same(counted(), { 'unknown-member': 3 });
});

t.test('with configured members, another address is refused as member-not-allowed; so is the primary\'s own', async (t) => {
  const { connect, counted } = await startPrimary(t, { allowedMembers: ['127.0.0.12'] });
  const stranger = await connect();
  await stranger.handshake(keys);
  stranger.hello(hello('127.0.0.99'));
  await stranger.closed;
  const impostor = await connect();
  await impostor.handshake(keys);
  impostor.hello(hello('127.0.0.11'));
  await impostor.closed;
  const member = await connect();
  await joined(t, member, '127.0.0.12');
  t.same(counted(), { 'member-not-allowed': 2 });
});

t.test('a frame claiming more than the cap is refused before the primary reads it', async (t) => {
  const { connect, counted } = await startPrimary(t);
  const peer = await connect();
  peer.write(Buffer.from([0xff, 0xff, 1, 1]));
  await peer.closed;
  t.same(counted(), { oversized: 1 });
});

t.test('slowloris: a connection dribbling bytes or idle is closed at the handshake deadline', async (t) => {
  const { connect, counted } = await startPrimary(t, {}, 300);
  const open = sealFrame(keys.open, MessageType.open, 1, 0, randomBytes(32));
  const dribbler = await connect();
  const idle = await connect();
  const started = Date.now();
  let i = 0;
  const drip = setInterval(() => dribbler.write(open.subarray(i, ++i)), 20);
  t.teardown(() => clearInterval(drip));
  await Promise.all([dribbler.closed, idle.closed]);
  const elapsed = Date.now() - started;
  clearInterval(drip);
  t.ok(elapsed >= 250 && elapsed < 2000, `closed after ${elapsed} ms (deadline 300 ms)`);
  t.same(counted(), { 'handshake-timeout': 2 });
});

t.test('a connection that completes OPEN but never says HELLO is closed at the deadline', async (t) => {
  const { primary, connect, counted } = await startPrimary(t, {}, 200);
  const peer = await connect();
  await peer.handshake(keys);
  await peer.closed;
  t.same(counted(), { 'handshake-timeout': 1 });
  t.equal(primary.connectionCount(), 0);
});

t.test('garbage, a half frame at close and a valid frame of another version are refused; honest members still join', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const garbage = await connect();
  garbage.write(Buffer.from('GET / HTTP/1.1\r\nHost: gw\r\n\r\n'));
  await garbage.closed;
  const half = await connect();
  half.write(sealFrame(keys.open, MessageType.open, 1, 0, randomBytes(32)).subarray(0, 40));
  half.socket.end();
  await half.closed;
  const v2 = await connect();
  const frame = sealFrame(keys.open, MessageType.open, 1, 0, randomBytes(32));
  frame[2] = 2;
  v2.write(frame);
  await v2.closed;
  const honest = await connect();
  await joined(t, honest);
  t.equal(primary.table.size, 2);
  // "GET " reads as length 0x4745 (18245): over the cap.
  t.same(counted(), { oversized: 1, truncated: 1, 'bad-version': 1 });
});

t.test('random byte streams never crash the primary and are always refused', async (t) => {
  const { primary, connect, refusals } = await startPrimary(t);
  for (let i = 0; i < 30; i++) {
    const peer = await connect();
    const length = 48 + (i % 8) * 40;
    const bytes = randomBytes(length);
    // Half the time a plausible header, so the MAC check is what refuses it.
    if (i % 2 === 0) {
      bytes.writeUInt16BE(length, 0);
      bytes[2] = 1;
    }
    peer.write(bytes);
    peer.socket.end();
    await peer.closed;
  }
  t.equal(refusals.total(), 30, 'each connection refused once');
  t.equal(primary.table.size, 1);
  t.equal(primary.connectionCount(), 0);
});

t.test('past the pending-handshake cap the oldest half-open connection is dropped', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const idle: RawPeer[] = [];
  for (let i = 0; i < maxPendingHandshakes; i++) idle.push(await connect());
  t.ok(await until(() => primary.connectionCount() === maxPendingHandshakes));
  const honest = await connect();
  await (idle[0] as RawPeer).closed;
  await joined(t, honest);
  t.same(counted(), { 'too-many-connections': 1 });
  t.equal(idle.filter((p) => p.isOpen).length, maxPendingHandshakes - 1);
});

t.test('a member reconnecting replaces its previous connection, which gets a goodbye', async (t) => {
  const { primary, connect, counted } = await startPrimary(t);
  const first = await connect(1);
  await joined(t, first);
  first.load(load);
  const second = await connect(2);
  await joined(t, second);
  let frame = await first.nextFrame();
  while (frameHeader(frame).type === MessageType.primaryInfo) frame = await first.nextFrame();
  t.equal(frameHeader(frame).type, MessageType.goodbye);
  await first.closed;
  t.match(primary.table.get('127.0.0.12'), { memberId: 2, state: 'joining' });
  second.load(load);
  t.ok(await until(() => primary.table.get('127.0.0.12')?.state === 'up'));
  t.same(counted(), {});
});

t.test('a member that stops talking is removed after holdtime and its connection closed', async (t) => {
  const { primary, connect } = await startPrimary(t, { holdtimeMs: 400, helloMs: 100 });
  const peer = await connect();
  await peer.handshake(keys);
  peer.send('hello', encodeHello(hello()));
  await peer.nextFrame();
  const joinedAt = Date.now();
  await peer.closed;
  const gone = Date.now() - joinedAt;
  t.notOk(primary.table.has('127.0.0.12'));
  t.ok(gone >= 390 && gone < 1500, `removed ${gone} ms after its last frame (holdtime 400 ms)`);
});

t.test('an IPv6 cluster: members join with IPv6 addresses and PRIMARY-INFO names the primary in IPv6', async (t) => {
  const { primary } = await startPrimary(t, { localAddress: '2001:db8::11', listenAddress: '::1' });
  const peer = await RawPeer.connect(primary.port(), '::1');
  t.teardown(() => peer.destroy());
  await peer.handshake(keys);
  peer.hello(hello('2001:0db8:0:0::12'));
  t.match(decodePrimaryInfo(framePayload(await peer.nextFrame())), { accepted: true, primaryAddress: '2001:db8::11' });
  peer.load(load);
  t.ok(await until(() => primary.table.get('2001:db8::12')?.state === 'up'));
  t.same(
    primary.members().map((m) => m.address),
    ['2001:db8::11', '2001:db8::12'],
    'addresses in canonical form',
  );
});
