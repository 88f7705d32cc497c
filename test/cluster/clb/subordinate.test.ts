// The subordinate's side of the channel against a hand-driven fake primary on
// real TCP: it refuses a primary without the secret and replayed or altered
// frames, re-homes on GOODBYE, and gives up on a primary silent for holdtime.
import net from 'node:net';
import t, { type Test } from 'tap';
import { ChannelCrypto } from '../../../lib/cluster/clb/channel';
import { systemClock } from '../../../lib/cluster/clb/clock';
import { frameHeader, framePayload, MessageType } from '../../../lib/cluster/clb/frame';
import { FrameReader } from '../../../lib/cluster/clb/frame-reader';
import { deriveClusterKeys, deriveSessionKeys, freshNonce, type ClusterKeys } from '../../../lib/cluster/clb/keys';
import { localLoad } from '../../../lib/cluster/clb/local-load';
import { decodeHello, decodeLoad, decodeNonce, encodeGoodbye, encodeNonce, encodePrimaryInfo } from '../../../lib/cluster/clb/messages';
import { resolveClusterOptions } from '../../../lib/cluster/clb/options';
import { RefusalCounter, type RefusalReason } from '../../../lib/cluster/clb/refusals';
import { SubordinateRole } from '../../../lib/cluster/clb/subordinate';
import { silentLogger } from '../../../lib/log';
import { freePort } from '../../support/clb-raw-peer';

const keys = deriveClusterKeys('cluster-secret');

/** One accepted connection of the fake primary, after its handshake. */
interface FakeSession {
  readonly socket: net.Socket;
  readonly channel: ChannelCrypto;
  readonly received: Buffer[];
  readonly sentByUs: Buffer[];
}

/** A fake primary: answers OPEN with CHALLENGE under `primaryKeys`, then hands each session to onSession. */
async function fakePrimary(t: Test, primaryKeys: ClusterKeys, onSession: (s: FakeSession) => void) {
  const port = await freePort();
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    const reader = new FrameReader();
    let session: FakeSession | undefined;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk).frames) {
        if (session === undefined) {
          const nonce = decodeNonce(framePayload(frame));
          const memberId = frameHeader(frame).memberId;
          if (nonce === undefined) {
            socket.destroy();
            return;
          }
          const np = freshNonce();
          const k = deriveSessionKeys(primaryKeys, nonce, np, memberId);
          const channel = new ChannelCrypto(k.toSubordinate, primaryKeys.open, memberId);
          channel.open(frame); // consumes sequence 0 when the secrets match
          channel.rekey(k.toSubordinate, k.toPrimary);
          session = { socket, channel, received: [], sentByUs: [] };
          const challenge = channel.seal('challenge', encodeNonce(np));
          session.sentByUs.push(challenge);
          socket.write(challenge);
          onSession(session);
        } else {
          session.received.push(frame);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port, connections: () => connections };
}

function subordinate(t: Test, port: number, holdtimeMs = 3000) {
  const options = resolveClusterOptions({ standbyGroup: 'group1', secret: 'cluster-secret', localAddress: '127.0.0.12', port, helloMs: 100, updateMs: 100, holdtimeMs });
  const refusals = new RefusalCounter(systemClock, silentLogger);
  const primaries: Array<string | undefined> = [];
  const role = new SubordinateRole({
    options,
    keys,
    clock: systemClock,
    log: silentLogger,
    refusals,
    local: localLoad(options, { sessions: () => 7, system: () => ({ cpuLoad: 1, memoryLoad: 2, systemLoad: 2 }) }),
    memberId: 77,
    onEstablished: (p) => primaries.push(p),
  });
  t.teardown(() => role.stop());
  role.rehome('127.0.0.1', 'test');
  const counted = (): Partial<Record<RefusalReason, number>> => Object.fromEntries(Object.entries(refusals.snapshot()).filter(([, n]) => n > 0));
  return { role, refusals, counted, primaries };
}

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return predicate();
}

const info = { accepted: true, memberCount: 2, yourState: 'up' as const, yourScore: 1.5, holdtimeMs: 3000, primaryAddress: '127.0.0.11' };

t.test('after the handshake the subordinate sends HELLO and LOAD with its address and loads, then keeps sending', async (t) => {
  const sessions: FakeSession[] = [];
  const { port } = await fakePrimary(t, keys, (s) => sessions.push(s));
  const { role } = subordinate(t, port);
  t.ok(await until(() => (sessions[0]?.received.length ?? 0) >= 6), 'hello and load every 100 ms');
  const s = sessions[0] as FakeSession;
  const opened = s.received.map((f) => s.channel.open(f));
  t.ok(opened.every((o) => o.ok), 'every frame verifies under the session key, in sequence');
  const first = opened[0];
  const second = opened[1];
  t.match(first?.ok && first.type === 'hello' ? decodeHello(first.payload) : undefined, { address: '127.0.0.12', maxSession: 10000, priority: 1, capabilities: 1 });
  t.match(second?.ok && second.type === 'load' ? decodeLoad(second.payload) : undefined, { sessions: 7, cryptoLoad: 0.07, systemLoad: 2, cpuLoad: 1, memoryLoad: 2 });
  s.socket.write(s.channel.seal('primaryInfo', encodePrimaryInfo(info)));
  t.ok(await until(() => role.status().accepted));
  t.match(role.status(), { state: 'established', primaryAddress: '127.0.0.11', lastInfo: { yourScore: 1.5 } });
});

t.test('a primary without the cluster secret is refused as wrong-key, and the subordinate retries', async (t) => {
  const { port, connections } = await fakePrimary(t, deriveClusterKeys('impostor-secret'), () => undefined);
  const { role, counted } = subordinate(t, port);
  t.ok(await until(() => connections() >= 3), 'retries with back-off');
  t.ok((counted()['wrong-key'] ?? 0) >= 2);
  t.same(Object.keys(counted()), ['wrong-key']);
  t.not(role.status().state, 'established');
});

t.test('a replayed or altered PRIMARY-INFO is refused and the subordinate reconnects', async (t) => {
  const sessions: FakeSession[] = [];
  const { port } = await fakePrimary(t, keys, (s) => sessions.push(s));
  const { counted } = subordinate(t, port);
  t.ok(await until(() => sessions.length === 1));
  const s0 = sessions[0] as FakeSession;
  const frame = s0.channel.seal('primaryInfo', encodePrimaryInfo(info));
  s0.socket.write(frame);
  s0.socket.write(frame);
  t.ok(await until(() => sessions.length === 2), 'reconnected after the replay');
  const s1 = sessions[1] as FakeSession;
  const altered = s1.channel.seal('primaryInfo', encodePrimaryInfo(info));
  altered[20] = (altered[20] as number) ^ 1;
  s1.socket.write(altered);
  t.ok(await until(() => sessions.length === 3), 'reconnected after the altered frame');
  t.same(counted(), { replay: 1, 'bad-mac': 1 });
});

t.test('GOODBYE (not primary) makes the subordinate connect again at once', async (t) => {
  const sessions: FakeSession[] = [];
  const { port } = await fakePrimary(t, keys, (s) => sessions.push(s));
  const { counted, primaries } = subordinate(t, port);
  t.ok(await until(() => sessions.length === 1));
  const s0 = sessions[0] as FakeSession;
  s0.socket.write(s0.channel.seal('primaryInfo', encodePrimaryInfo(info)));
  t.ok(await until(() => primaries.length === 1));
  const said = Date.now();
  s0.socket.end(s0.channel.seal('goodbye', encodeGoodbye('notPrimary')));
  t.ok(await until(() => sessions.length === 2));
  t.comment(`reconnected ${Date.now() - said} ms after GOODBYE`);
  t.same(counted(), {});
});

t.test('a primary silent for holdtime is given up and connected to again', async (t) => {
  const sessions: FakeSession[] = [];
  const { port } = await fakePrimary(t, keys, (s) => sessions.push(s));
  const started = Date.now();
  subordinate(t, port, 300);
  t.ok(await until(() => sessions.length === 2, 3000), 'a second connection after the first went silent');
  const elapsed = Date.now() - started;
  t.ok(elapsed >= 280, `not before holdtime (${elapsed} ms)`);
});

t.test('a stopped subordinate says GOODBYE (shutdown)', async (t) => {
  const sessions: FakeSession[] = [];
  const { port } = await fakePrimary(t, keys, (s) => sessions.push(s));
  const { role } = subordinate(t, port);
  t.ok(await until(() => (sessions[0]?.received.length ?? 0) >= 2));
  const s = sessions[0] as FakeSession;
  role.stop();
  t.ok(await until(() => s.received.some((f) => frameHeader(f).type === MessageType.goodbye)));
  t.equal(role.state, 'stopped');
});
