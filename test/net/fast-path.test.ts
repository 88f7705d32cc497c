// The stateless IKE_SA_INIT fast path on a live socket: RFC 5685 redirects
// chosen from the shared target table, clients served locally when they must
// be, and the burst spreading of the projected load.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import type { RedirectTargetTable } from '../../lib/cluster/clb/redirect-targets';
import { staticTargetTable } from '../../lib/net/target-table';
import { UdpEngine, type UdpEngineOptions } from '../../lib/net/udp-engine';
import { IKE_SA_INIT, NOTIFY, PAYLOAD, parseAnswer, parseRedirect, saInitRequest } from './ike-sa-init';

function openEngine(t: Test, options: Partial<UdpEngineOptions> = {}): UdpEngine {
  const engine = UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }], ...options });
  t.teardown(() => engine.close());
  engine.setRedirectInit(true);
  return engine;
}

interface Client {
  readonly socket: dgram.Socket;
  readonly answers: Buffer[];
  /** Sends each datagram and resolves with the first `expect` answers (5 s limit). */
  exchange(datagrams: readonly Buffer[], port: number, expect?: number, address?: string): Promise<Buffer[]>;
}

async function client(t: Test, type: 'udp4' | 'udp6' = 'udp4'): Promise<Client> {
  const socket = dgram.createSocket({ type, recvBufferSize: 8 << 20 });
  const answers: Buffer[] = [];
  let waiter: (() => void) | undefined;
  socket.on('message', (m) => {
    answers.push(m);
    waiter?.();
  });
  t.teardown(() => socket.close());
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  return {
    socket,
    answers,
    exchange(datagrams, port, expect = datagrams.length, address = type === 'udp4' ? '127.0.0.1' : '::1') {
      const start = answers.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${answers.length - start} of ${expect} answers within 5 s`)), 5000);
        waiter = () => {
          if (answers.length - start >= expect) {
            clearTimeout(timer);
            waiter = undefined;
            resolve(answers.slice(start, start + expect));
          }
        };
        for (const d of datagrams) socket.send(d, port, address);
        if (expect === 0) setTimeout(() => waiter?.(), 0);
      });
    },
  };
}

function settle(ms = 100): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const threeGateways = (scores: readonly number[] = [0, 0, 0], generation = 1): RedirectTargetTable => ({
  generation,
  overloadLimit: 80,
  hysteresis: 1,
  targets: scores.map((score, rank) => ({
    address: `192.0.2.${11 + rank}`,
    local: false,
    loadScore: score,
    scorePerSession: 100 / 10_000,
    capacity: 10_000,
    eligible: true,
    rank,
  })),
});

t.test('a client that announced REDIRECT_SUPPORTED is redirected from native code with its own nonce, no JavaScript involved', async (t) => {
  const engine = openEngine(t);
  let callbacks = 0;
  engine.onBatch = () => callbacks++;
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  const c = await client(t);
  const request = saInitRequest();
  const [answer] = await c.exchange([request.datagram], engine.sockets[0]?.port ?? 0);
  const a = parseAnswer(answer ?? Buffer.alloc(0));
  t.same(a.spiI, request.spi, 'SPIi is the client\'s');
  t.same(a.spiR, Buffer.alloc(8), 'SPIr is zero: no state was created');
  t.equal(a.exchange, IKE_SA_INIT);
  t.equal(a.flags, 0x20, 'Response flag set, Initiator flag clear');
  t.equal(a.messageId, 0);
  t.same(a.payloadTypes, [PAYLOAD.NOTIFY], 'HDR, N(REDIRECT) and nothing else');
  t.equal(a.notifies[0]?.type, NOTIFY.REDIRECT);
  const redirect = parseRedirect(a.notifies[0]?.data ?? Buffer.alloc(0));
  t.equal(redirect.gateway, '192.0.2.50');
  t.equal(redirect.identType, 1, 'GW Ident Type IPv4');
  t.same(redirect.nonce, request.nonce, 'the REDIRECT carries the request\'s Ni (RFC 5685 §5)');
  await settle(50);
  t.equal(callbacks, 0, 'no batch reached TypeScript');
  t.equal(engine.counters.get('js_batches'), 0);
  t.equal(engine.counters.get('redirects_sent'), 1);
  t.equal(engine.counters.redirectsTo(0), 1, 'counted against the target');
});

t.test('a client that arrives with REDIRECTED_FROM is served here, never redirected a second time', async (t) => {
  const engine = openEngine(t);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  let passed = 0;
  engine.onBatch = (batch) => {
    passed += batch.count;
  };
  const c = await client(t);
  const answers = await c.exchange([saInitRequest({ redirectedFrom: '192.0.2.1' }).datagram], engine.sockets[0]?.port ?? 0, 0);
  await settle();
  t.equal(answers.length, 0, 'no REDIRECT');
  t.equal(passed, 1, 'the request went to the IKE state machines');
  t.equal(engine.counters.get('served_locally_redirected'), 1);
  t.equal(engine.counters.get('redirects_sent'), 0);
});

t.test('an IPv6 target gets GW Ident Type 2', async (t) => {
  const engine = openEngine(t);
  engine.targets.publish(staticTargetTable([{ address: '2001:db8::7', capacity: 100 }]));
  const c = await client(t);
  const request = saInitRequest();
  const [answer] = await c.exchange([request.datagram], engine.sockets[0]?.port ?? 0);
  const redirect = parseRedirect(parseAnswer(answer ?? Buffer.alloc(0)).notifies[0]?.data ?? Buffer.alloc(0));
  t.equal(redirect.identType, 2);
  t.equal(redirect.gateway, '2001:db8:0:0:0:0:0:7');
  t.same(redirect.nonce, request.nonce);
});

t.test('a client without REDIRECT_SUPPORTED is served here: its request goes to TypeScript untouched', async (t) => {
  const engine = openEngine(t);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  const got: Buffer[] = [];
  engine.onBatch = (batch) => {
    for (let i = 0; i < batch.count; i++) got.push(batch.copyMessage(i));
  };
  const c = await client(t);
  const request = saInitRequest({ redirectSupported: false });
  await c.exchange([request.datagram], engine.sockets[0]?.port ?? 0, 0);
  await settle();
  t.same(got, [request.datagram], 'TypeScript got the exact request');
  t.equal(c.answers.length, 0, 'no native answer');
  t.equal(engine.counters.get('served_locally_no_support'), 1);
  t.equal(engine.counters.get('redirects_sent'), 0);
});

t.test('with redirect off, or when this gateway is the least loaded, or nobody is eligible, the request goes to TypeScript', async (t) => {
  const engine = openEngine(t);
  let passed = 0;
  engine.onBatch = (batch) => (passed += batch.count);
  const c = await client(t);
  const port = engine.sockets[0]?.port ?? 0;

  engine.setRedirectInit(false);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  await c.exchange([saInitRequest().datagram], port, 0);
  await settle();
  t.equal(passed, 1, 'redirect gateway init off: served here');

  engine.setRedirectInit(true);
  engine.targets.publish({
    generation: 2,
    overloadLimit: 80,
    hysteresis: 1,
    targets: [
      { address: '192.0.2.1', local: true, loadScore: 10, scorePerSession: 0.01, capacity: 1000, eligible: true, rank: 0 },
      { address: '192.0.2.50', local: false, loadScore: 40, scorePerSession: 0.01, capacity: 1000, eligible: true, rank: 1 },
    ],
  });
  await c.exchange([saInitRequest().datagram], port, 0);
  await settle();
  t.equal(passed, 2, 'this gateway is least loaded: served here');
  t.equal(engine.counters.get('served_locally_chosen'), 1);

  engine.targets.publish({
    generation: 3,
    overloadLimit: 80,
    hysteresis: 1,
    targets: [{ address: '192.0.2.50', local: false, loadScore: 85, scorePerSession: 0.01, capacity: 1000, eligible: true, rank: 0 }],
  });
  await c.exchange([saInitRequest().datagram], port, 0);
  await settle();
  t.equal(passed, 3, 'the only target is over overload-limit: served here');
  t.equal(engine.counters.get('served_locally_no_target'), 1);
  t.equal(c.answers.length, 0);
});

t.test('a burst of 10,000 clients between two load reports over 3 equal targets ends within 5% of equal', async (t) => {
  const engine = openEngine(t);
  engine.targets.publish(threeGateways());
  const c = await client(t);
  const port = engine.sockets[0]?.port ?? 0;
  const perTarget = new Map<string, number>();
  // In rounds of 500 so the client's receive buffer never overflows.
  for (let round = 0; round < 20; round++) {
    const requests = Array.from({ length: 500 }, () => saInitRequest());
    const answers = await c.exchange(
      requests.map((r) => r.datagram),
      port,
    );
    for (const answer of answers) {
      const redirect = parseRedirect(parseAnswer(answer).notifies[0]?.data ?? Buffer.alloc(0));
      perTarget.set(redirect.gateway, (perTarget.get(redirect.gateway) ?? 0) + 1);
    }
  }
  const counts = [...perTarget.values()];
  t.equal(counts.reduce((a, b) => a + b, 0), 10_000, 'every client was answered');
  t.equal(perTarget.size, 3, 'all three gateways got clients');
  for (const [gateway, n] of perTarget) t.ok(Math.abs(n - 10_000 / 3) <= 0.05 * (10_000 / 3), `${gateway}: ${n} clients`);
  const status = engine.targets.status();
  t.same(
    status.map((s) => s.redirectsSinceReport).reduce((a, b) => a + b, 0),
    10_000,
    'the projection counted every redirect',
  );
  t.same(status.map((s) => engine.counters.redirectsTo(s.slot)).reduce((a, b) => a + b, 0), 10_000, 'per-target counters agree');
});

t.test('between reports, clients fill the least loaded target up to the others before spreading', async (t) => {
  const engine = openEngine(t);
  // Scores 0, 1 and 2 with 0.01 per session: 100 clients lift A to B's score,
  // 200 more lift A and B to C's, then the three share the rest.
  engine.targets.publish(threeGateways([0, 1, 2]));
  const c = await client(t);
  const answers = await c.exchange(
    Array.from({ length: 600 }, () => saInitRequest().datagram),
    engine.sockets[0]?.port ?? 0,
  );
  const per = new Map<string, number>();
  for (const a of answers) {
    const g = parseRedirect(parseAnswer(a).notifies[0]?.data ?? Buffer.alloc(0)).gateway;
    per.set(g, (per.get(g) ?? 0) + 1);
  }
  // Water level after 600 sessions: (0+1+2 + 600*0.01)/3 = 3 -> A 300, B 200, C 100.
  t.equal(per.get('192.0.2.11'), 300);
  t.equal(per.get('192.0.2.12'), 200);
  t.equal(per.get('192.0.2.13'), 100);

  // A new load report (generation 2) restarts every projection from the reported score.
  engine.targets.publish(threeGateways([5, 0, 5], 2));
  const [next] = await c.exchange([saInitRequest().datagram], engine.sockets[0]?.port ?? 0);
  t.equal(parseRedirect(parseAnswer(next ?? Buffer.alloc(0)).notifies[0]?.data ?? Buffer.alloc(0)).gateway, '192.0.2.12');
  t.same(
    engine.targets.status().map((s) => s.redirectsSinceReport),
    [0, 1, 0],
    'projections reset by the report; the new redirect counted',
  );
});

t.test('a target that reaches its capacity between reports is skipped', async (t) => {
  const engine = openEngine(t);
  engine.targets.publish({
    generation: 1,
    overloadLimit: 100,
    hysteresis: 1,
    targets: [
      { address: '192.0.2.11', local: false, loadScore: 0, scorePerSession: 0.001, capacity: 3, eligible: true, rank: 0 },
      { address: '192.0.2.12', local: false, loadScore: 50, scorePerSession: 0.001, capacity: 1000, eligible: true, rank: 1 },
    ],
  });
  const c = await client(t);
  const answers = await c.exchange(
    Array.from({ length: 5 }, () => saInitRequest().datagram),
    engine.sockets[0]?.port ?? 0,
  );
  const gateways = answers.map((a) => parseRedirect(parseAnswer(a).notifies[0]?.data ?? Buffer.alloc(0)).gateway).sort();
  t.same(gateways, ['192.0.2.11', '192.0.2.11', '192.0.2.11', '192.0.2.12', '192.0.2.12']);
});

t.test('on the NAT-T port the redirect carries the non-ESP marker', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0, natt: true }] });
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  const c = await client(t);
  const request = saInitRequest();
  const [answer] = await c.exchange([Buffer.concat([Buffer.alloc(4), request.datagram])], engine.sockets[0]?.port ?? 0);
  t.same(answer?.subarray(0, 4), Buffer.alloc(4), 'non-ESP marker');
  const a = parseAnswer(answer?.subarray(4) ?? Buffer.alloc(0));
  t.equal(a.notifies[0]?.type, NOTIFY.REDIRECT);
});

t.test('IPv6: a client on ::1 is redirected and the answer leaves from ::1', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '::', port: 0 }] });
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  const c = await client(t, 'udp6');
  const request = saInitRequest();
  const [answer] = await c.exchange([request.datagram], engine.sockets[0]?.port ?? 0);
  t.same(parseRedirect(parseAnswer(answer ?? Buffer.alloc(0)).notifies[0]?.data ?? Buffer.alloc(0)).nonce, request.nonce);
});
