// The contract between the CLB and the fast path: the shared target table is
// the CLB's RedirectTargetSink, and right after a load report the fast path
// sends a client exactly where the CLB's own chooseLeastLoaded() would.
import dgram from 'node:dgram';
import t from 'tap';
import { chooseLeastLoaded, type LlgPolicy, type MemberLoad } from '../../lib/cluster/clb/least-loaded';
import { buildRedirectTargets } from '../../lib/cluster/clb/redirect-targets';
import { UdpEngine } from '../../lib/net/udp-engine';
import { parseAnswer, parseRedirect, saInitRequest } from './ike-sa-init';

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function randomMembers(next: () => number): MemberLoad[] {
  const n = 2 + Math.floor(next() * 5);
  const members: MemberLoad[] = [];
  for (let i = 0; i < n; i++) {
    const maxSession = 1 + Math.floor(next() * 1000);
    members.push({
      address: `192.0.2.${10 + i}`,
      local: i === 0,
      priority: 1 + Math.floor(next() * 3),
      sessions: Math.floor(next() * maxSession * 1.1),
      maxSession,
      // Coarse loads so ties (broken by priority, sessions, address) happen often.
      cryptoLoad: Math.floor(next() * 10) * 10,
      systemLoad: Math.floor(next() * 10) * 10,
      reported: next() > 0.1,
      draining: next() < 0.1,
      redirectTarget: next() > 0.1,
    });
  }
  return members;
}

t.test('right after each load report the fast path picks what the CLB\'s chooseLeastLoaded() picks (300 random clusters)', async (t) => {
  const engine = UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }] });
  t.teardown(() => engine.close());
  engine.setRedirectInit(true);
  let servedHere = 0;
  let onServedHere: (() => void) | undefined;
  engine.onBatch = (b) => {
    servedHere += b.count;
    onServedHere?.();
  };
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = engine.sockets[0]?.port ?? 0;

  const seed = Number(process.env.IKELB_CLB_SEED ?? 20240607);
  t.comment(`seed ${seed}`);
  const next = rng(seed);
  let mismatches = 0;
  const kinds = { redirect: 0, local: 0 };
  for (let generation = 1; generation <= 300; generation++) {
    const members = randomMembers(next);
    const policy: LlgPolicy = { weights: { crypto: Math.floor(next() * 101), system: Math.floor(next() * 101) }, overloadLimit: 50 + Math.floor(next() * 50), hysteresis: 0 };
    engine.targets.publish(buildRedirectTargets(members, policy, generation));
    const expected = chooseLeastLoaded(members, policy);
    const localBefore = servedHere;
    // Either an answer (a redirect) or the request reaching TypeScript (served here).
    const answer = await new Promise<Buffer | undefined>((resolve, reject) => {
      const done = (m: Buffer | undefined): void => {
        clearTimeout(timer);
        socket.off('message', onMessage);
        onServedHere = undefined;
        resolve(m);
      };
      const timer = setTimeout(() => reject(new Error(`generation ${generation}: neither answered nor passed on`)), 5000);
      const onMessage = (m: Buffer): void => done(m);
      onServedHere = () => done(undefined);
      socket.on('message', onMessage);
      socket.send(saInitRequest().datagram, port, '127.0.0.1');
    });
    const got = answer === undefined ? 'local' : parseRedirect(parseAnswer(answer).notifies[0]?.data ?? Buffer.alloc(0)).gateway;
    const want = expected.kind === 'local' ? 'local' : expected.target.address;
    kinds[expected.kind]++;
    if (got !== want) {
      mismatches++;
      t.fail(`generation ${generation}: fast path ${got}, CLB ${want}`, { members, policy });
    }
    if (got === 'local') t.equal(servedHere, localBefore + 1, `generation ${generation}: served here means handed to TypeScript`);
  }
  t.equal(mismatches, 0, `the same choice every time (${kinds.redirect} redirects, ${kinds.local} served locally)`);
  t.ok(kinds.redirect > 50 && kinds.local > 20, 'both outcomes were exercised');
});
