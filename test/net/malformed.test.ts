// Hostile and broken datagrams on the live socket: each is dropped and counted
// under its reason, never answered, never handed to TypeScript, and the
// engine keeps serving. Then a bounded random-mutation run where every
// datagram must end up in exactly one counter.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { staticTargetTable } from '../../lib/net/target-table';
import { UdpEngine } from '../../lib/net/udp-engine';
import { chain, header, IKE_SA_INIT, NOTIFY, PAYLOAD, parseAnswer, saInitRequest } from './ike-sa-init';

function openEngine(t: Test): UdpEngine {
  const engine = UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }] });
  t.teardown(() => engine.close());
  engine.setRedirectInit(true);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  return engine;
}

async function sender(t: Test): Promise<{ socket: dgram.Socket; answers: Buffer[] }> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 << 20 });
  const answers: Buffer[] = [];
  socket.on('message', (m) => answers.push(m));
  t.teardown(() => socket.close());
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, answers };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out: ${what}`);
}

const spi = Buffer.from('0102030405060708', 'hex');
const nonce = Buffer.alloc(32, 0x11);
const u16 = (v: number): Buffer => Buffer.of(v >> 8, v & 0xff);
const notifyBody = (type: number, data = Buffer.alloc(0)): Buffer => Buffer.concat([Buffer.of(0, 0), u16(type), data]);

/** A message from raw payloads with a correct header length unless overridden. */
function message(payloads: { type: number; body: Buffer }[], opts: { exchange?: number; flags?: number; messageId?: number; spiR?: Buffer; version?: number } = {}): Buffer {
  const c = chain(payloads);
  const h = header(spi, opts.spiR ?? Buffer.alloc(8), c.first, opts.exchange ?? IKE_SA_INIT, opts.flags ?? 0x08, opts.messageId ?? 0, 28 + c.bytes.length);
  if (opts.version !== undefined) h[17] = opts.version;
  return Buffer.concat([h, c.bytes]);
}

const valid = saInitRequest({ spi, nonce }).datagram;

const cases: { name: string; datagram: Buffer; reason: string }[] = [
  { name: 'a datagram shorter than the IKE header', datagram: Buffer.alloc(10, 0x41), reason: 'too_short' },
  {
    name: 'a header length beyond the datagram',
    datagram: (() => {
      const d = Buffer.from(valid);
      d.writeUInt32BE(d.length + 10, 24);
      return d;
    })(),
    reason: 'bad_header',
  },
  {
    name: 'a header length below 28',
    datagram: (() => {
      const d = Buffer.from(valid);
      d.writeUInt32BE(20, 24);
      return d;
    })(),
    reason: 'bad_header',
  },
  { name: 'octets after the length the header claims', datagram: Buffer.concat([valid, Buffer.alloc(3)]), reason: 'bad_header' },
  {
    name: 'an IKEv1 message (major version 1)',
    datagram: (() => {
      const d = Buffer.from(valid);
      d[17] = 0x10;
      return d;
    })(),
    reason: 'unsupported_version',
  },
  {
    name: 'a payload length below its 4-octet header',
    datagram: (() => {
      const d = Buffer.from(valid);
      d.writeUInt16BE(2, 28 + 2);
      return d;
    })(),
    reason: 'bad_payload_chain',
  },
  {
    name: 'a payload length running past the message',
    datagram: (() => {
      const d = Buffer.from(valid);
      d.writeUInt16BE(0xfff0, 28 + 2);
      return d;
    })(),
    reason: 'bad_payload_chain',
  },
  {
    name: 'an 8-octet nonce (RFC 7296 §3.9 wants 16..256)',
    datagram: message([
      { type: PAYLOAD.NONCE, body: Buffer.alloc(8, 1) },
      { type: PAYLOAD.NOTIFY, body: notifyBody(NOTIFY.REDIRECT_SUPPORTED) },
    ]),
    reason: 'bad_payload',
  },
  {
    name: 'an unknown payload marked critical',
    datagram: (() => {
      const c = Buffer.concat([Buffer.of(PAYLOAD.NONCE, 0x80, 0, 8), Buffer.alloc(4), Buffer.of(0, 0, 0, 36), nonce]);
      return Buffer.concat([header(spi, Buffer.alloc(8), 200, IKE_SA_INIT, 0x08, 0, 28 + c.length), c]);
    })(),
    reason: 'unsupported_critical',
  },
  {
    name: 'an IKE_SA_INIT request without a Nonce payload',
    datagram: message([{ type: PAYLOAD.NOTIFY, body: notifyBody(NOTIFY.REDIRECT_SUPPORTED) }]),
    reason: 'missing_nonce',
  },
  {
    name: 'an empty COOKIE (RFC 7296 §2.6: 1..64 octets)',
    datagram: message([
      { type: PAYLOAD.NOTIFY, body: notifyBody(NOTIFY.COOKIE) },
      { type: PAYLOAD.NONCE, body: nonce },
    ]),
    reason: 'bad_payload',
  },
  {
    name: 'REDIRECT_SUPPORTED carrying data (RFC 5685 §8.1: none)',
    datagram: message([
      { type: PAYLOAD.NONCE, body: nonce },
      { type: PAYLOAD.NOTIFY, body: notifyBody(NOTIFY.REDIRECT_SUPPORTED, Buffer.alloc(4)) },
    ]),
    reason: 'bad_payload',
  },
  {
    name: 'an IKE_AUTH whose payload chain overruns the message',
    datagram: (() => {
      const d = message([{ type: 46, body: Buffer.alloc(40, 7) }], { exchange: 35, messageId: 1, spiR: Buffer.alloc(8, 9) });
      d.writeUInt16BE(200, 28 + 2);
      return d;
    })(),
    reason: 'bad_payload_chain',
  },
];

t.test('malformed datagrams are dropped and counted by reason; none is answered or reaches TypeScript', async (t) => {
  const engine = openEngine(t);
  let passed = 0;
  engine.onBatch = (b) => (passed += b.count);
  const { socket, answers } = await sender(t);
  const port = engine.sockets[0]?.port ?? 0;
  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const before = engine.counters.drop(c.reason);
      const received = engine.counters.get('datagrams_received');
      socket.send(c.datagram, port, '127.0.0.1');
      await waitFor(() => engine.counters.get('datagrams_received') === received + 1, 'the datagram');
      t.equal(engine.counters.drop(c.reason), before + 1, `counted as ${c.reason}`);
    });
  }
  t.equal(engine.counters.droppedTotal(), cases.length, 'each counted once');
  t.equal(answers.length, 0, 'no answer to garbage');
  t.equal(passed, 0, 'nothing reached TypeScript');
  socket.send(saInitRequest().datagram, port, '127.0.0.1');
  await waitFor(() => answers.length === 1, 'an answer');
  t.equal(parseAnswer(answers[0] ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'and the engine still serves');
});

t.test('a malformed SA is dropped even right after the same client\'s valid SA was accepted', async (t) => {
  const engine = openEngine(t);
  const { socket, answers } = await sender(t);
  const port = engine.sockets[0]?.port ?? 0;
  socket.send(saInitRequest().datagram, port, '127.0.0.1');
  await waitFor(() => answers.length === 1, 'the first answer');
  // Same request, the first transform's length claims 13 octets: one octet differs.
  const bad = saInitRequest().datagram;
  t.equal(bad[32 + 8 + 3], 12, 'the first transform length sits where the test expects');
  bad[32 + 8 + 3] = 13;
  const before = engine.counters.drop('bad_payload');
  socket.send(bad, port, '127.0.0.1');
  await waitFor(() => engine.counters.get('datagrams_received') === 2, 'the second datagram');
  t.equal(engine.counters.drop('bad_payload'), before + 1, 'dropped as a malformed payload');
  t.equal(answers.length, 1, 'and not redirected');
});

// xorshift32: a seeded generator so a failure can be replayed.
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function mutate(base: Buffer, next: () => number): Buffer {
  let d = Buffer.from(base);
  const edits = 1 + (next() % 4);
  for (let e = 0; e < edits; e++) {
    const op = next() % 6;
    const at = d.length === 0 ? 0 : next() % d.length;
    if (op === 0) d[at] = (d[at] ?? 0) ^ (1 << (next() % 8));
    else if (op === 1) d[at] = next() & 0xff;
    else if (op === 2) d = d.subarray(0, at);
    else if (op === 3) d = Buffer.concat([d, Buffer.alloc(1 + (next() % 16), next() & 0xff)]);
    else if (op === 4 && d.length >= 28) d.writeUInt32BE(next() % (d.length + 64), 24);
    else if (d.length > 32) d.writeUInt16BE(next() % 512, 30); // the first payload's length
  }
  return d;
}

t.test('5,000 randomly mutated requests: every one ends in exactly one counter and the engine keeps serving', async (t) => {
  const seed = Number(process.env.IKELB_MUTATION_SEED ?? 0x1ce2b00c);
  t.comment(`mutation seed ${seed} (IKELB_MUTATION_SEED replays it)`);
  const engine = openEngine(t);
  engine.setCookieThreshold(null);
  let passed = 0;
  engine.onBatch = (b) => (passed += b.count);
  const { socket, answers } = await sender(t);
  const port = engine.sockets[0]?.port ?? 0;
  const next = rng(seed);
  const total = 5000;
  for (let i = 0; i < total; i++) {
    const d = mutate(valid, next);
    socket.send(d.length === 0 ? Buffer.alloc(1) : d, port, '127.0.0.1');
    if (i % 250 === 249) await new Promise((r) => setTimeout(r, 5));
  }
  await waitFor(() => engine.counters.get('datagrams_received') === total, `${total} datagrams received`);
  await waitFor(() => passed === engine.counters.get('passed_to_js'), 'batches delivered');
  const c = engine.counters.snapshot().counters;
  const accounted = engine.counters.droppedTotal() + (c.redirects_sent ?? 0) + (c.cookies_sent ?? 0) + (c.passed_to_js ?? 0);
  t.equal(accounted, total, 'dropped + redirected + cookies + passed = received');
  t.comment(`drops ${JSON.stringify(engine.counters.snapshot().drops)}, redirected ${c.redirects_sent}, passed ${c.passed_to_js}`);
  // Every answer the engine sent has arrived before the last check starts.
  await waitFor(() => answers.length === (c.redirects_sent ?? 0) + (c.cookies_sent ?? 0), 'every answer');
  for (const a of answers) t.doesNotThrow(() => parseAnswer(a), 'every answer is well formed');
  const last = saInitRequest();
  socket.send(last.datagram, port, '127.0.0.1');
  const answeredLast = (): Buffer | undefined => answers.find((a) => a.subarray(0, 8).equals(last.spi));
  await waitFor(() => answeredLast() !== undefined, 'an answer to a valid request');
  t.equal(parseAnswer(answeredLast() ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'still serving');
});
