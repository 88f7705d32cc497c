// Stateless cookies (RFC 7296 §2.6) in the fast path: demanded at the
// configured half-open threshold, verified against the current and previous
// secret, forged ones dropped and counted — all without JavaScript.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { staticTargetTable } from '../../lib/net/target-table';
import { UdpEngine } from '../../lib/net/udp-engine';
import { IKE_SA_INIT, NOTIFY, PAYLOAD, parseAnswer, parseRedirect, saInitRequest } from './ike-sa-init';

function openEngine(t: Test, threshold: number | null): UdpEngine {
  const engine = UdpEngine.open({ listen: [{ address: '0.0.0.0', port: 0 }] });
  t.teardown(() => engine.close());
  engine.setCookieThreshold(threshold);
  engine.setRedirectInit(true);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  return engine;
}

async function socketOn(t: Test, address = '127.0.0.1'): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  t.teardown(() => s.close());
  await new Promise<void>((r) => s.bind(0, address, r));
  return s;
}

/** Sends one datagram and resolves with the answer, or undefined after `ms`. */
function ask(socket: dgram.Socket, datagram: Buffer, port: number, ms = 300): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      resolve(undefined);
    }, ms);
    const onMessage = (m: Buffer): void => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(m);
    };
    socket.on('message', onMessage);
    socket.send(datagram, port, '127.0.0.1');
  });
}

function cookieOf(answer: Buffer | undefined): Buffer {
  const a = parseAnswer(answer ?? Buffer.alloc(0));
  const n = a.notifies[0];
  if (n?.type !== NOTIFY.COOKIE) throw new Error(`expected N(COOKIE), got notify ${n?.type}`);
  return n.data;
}

t.test('with cookie-challenge 0 every IKE_SA_INIT without a cookie is answered HDR(SPIi, 0), N(COOKIE)', async (t) => {
  const engine = openEngine(t, 0);
  let callbacks = 0;
  engine.onBatch = () => callbacks++;
  const s = await socketOn(t);
  const request = saInitRequest();
  const answer = await ask(s, request.datagram, engine.sockets[0]?.port ?? 0);
  const a = parseAnswer(answer ?? Buffer.alloc(0));
  t.same(a.spiI, request.spi);
  t.same(a.spiR, Buffer.alloc(8));
  t.equal(a.exchange, IKE_SA_INIT);
  t.equal(a.flags, 0x20);
  t.same(a.payloadTypes, [PAYLOAD.NOTIFY]);
  t.equal(a.notifies[0]?.type, NOTIFY.COOKIE);
  t.equal(a.notifies[0]?.data.length, 36, 'version id (4) + SHA-256 (32), within 1..64 octets');
  t.equal(engine.counters.get('cookies_sent'), 1);
  t.equal(callbacks, 0, 'no state: nothing reached TypeScript');
});

t.test('the retry with the cookie goes on (redirected here), a wrong cookie is dropped and counted', async (t) => {
  const engine = openEngine(t, 0);
  const s = await socketOn(t);
  const port = engine.sockets[0]?.port ?? 0;
  const first = saInitRequest();
  const cookie = cookieOf(await ask(s, first.datagram, port));

  // RFC 7296 §2.6: same SPIi and Ni, N(COOKIE) first, everything else unchanged.
  const retry = saInitRequest({ spi: first.spi, nonce: first.nonce, cookie });
  const answer = parseAnswer((await ask(s, retry.datagram, port)) ?? Buffer.alloc(0));
  t.equal(answer.notifies[0]?.type, NOTIFY.REDIRECT, 'the valid cookie let the request through to the redirect');
  t.same(parseRedirect(answer.notifies[0]?.data ?? Buffer.alloc(0)).nonce, first.nonce);
  t.equal(engine.counters.get('cookies_valid'), 1);

  const forged = Buffer.from(cookie);
  forged[20] = (forged[20] ?? 0) ^ 0x01;
  t.equal(await ask(s, saInitRequest({ spi: first.spi, nonce: first.nonce, cookie: forged }).datagram, port), undefined, 'no answer to a forged cookie');
  t.equal(await ask(s, saInitRequest({ spi: first.spi, cookie }).datagram, port), undefined, 'a cookie is bound to Ni');
  t.equal(await ask(s, saInitRequest({ nonce: first.nonce, cookie }).datagram, port), undefined, 'a cookie is bound to SPIi');
  t.equal(await ask(s, saInitRequest({ spi: first.spi, nonce: first.nonce, cookie: cookie.subarray(0, 20) }).datagram, port), undefined, 'a truncated cookie is forged too');
  t.equal(engine.counters.drop('invalid_cookie'), 4);
  t.equal(engine.counters.get('redirects_sent'), 1);
});

t.test('a cookie is bound to the client address: the same cookie from another source is dropped', async (t) => {
  const engine = openEngine(t, 0);
  const port = engine.sockets[0]?.port ?? 0;
  const one = await socketOn(t, '127.0.0.1');
  const two = await socketOn(t, '127.0.0.2');
  const first = saInitRequest();
  const cookie = cookieOf(await ask(one, first.datagram, port));
  const retry = saInitRequest({ spi: first.spi, nonce: first.nonce, cookie }).datagram;
  t.equal(await ask(two, retry, port), undefined);
  t.equal(engine.counters.drop('invalid_cookie'), 1);
  t.ok(await ask(one, retry, port), 'from the right address it passes');
});

t.test('after a secret rotation the previous secret still verifies; after two it does not', async (t) => {
  const engine = openEngine(t, 0);
  const s = await socketOn(t);
  const port = engine.sockets[0]?.port ?? 0;
  const first = saInitRequest();
  const cookie = cookieOf(await ask(s, first.datagram, port));
  const retry = saInitRequest({ spi: first.spi, nonce: first.nonce, cookie }).datagram;

  const v = engine.cookieVersion;
  t.equal(engine.rotateCookieSecret(), v + 1);
  t.equal(parseAnswer((await ask(s, retry, port)) ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'previous secret accepted');
  const fresh = cookieOf(await ask(s, first.datagram, port));
  t.not(fresh.toString('hex'), cookie.toString('hex'), 'new cookies come from the new secret');
  t.equal(fresh.readUInt32BE(0), v + 1, 'and carry its version id');

  engine.rotateCookieSecret();
  t.equal(await ask(s, retry, port), undefined, 'two rotations later the old cookie is refused');
  t.equal(engine.counters.drop('invalid_cookie'), 1);
});

t.test('cookies are demanded only once half-open SAs reach cookie-challenge N', async (t) => {
  const engine = openEngine(t, 10);
  const s = await socketOn(t);
  const port = engine.sockets[0]?.port ?? 0;
  engine.setHalfOpen(9);
  t.equal(parseAnswer((await ask(s, saInitRequest().datagram, port)) ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, '9 half-open: no cookie');
  engine.setHalfOpen(10);
  t.equal(parseAnswer((await ask(s, saInitRequest().datagram, port)) ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.COOKIE, '10 half-open: cookie');
  engine.setCookieThreshold(null);
  t.equal(parseAnswer((await ask(s, saInitRequest().datagram, port)) ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'no cookie-challenge: never');
  t.equal(engine.cookieThreshold, null);
  t.equal(engine.halfOpen, 10);
});

t.test('a spoofed-source flood without cookies creates no state and legitimate clients still get in', async (t) => {
  const engine = openEngine(t, 0);
  let passed = 0;
  engine.onBatch = (b) => (passed += b.count);
  const port = engine.sockets[0]?.port ?? 0;
  // 64 source addresses in 127/8 stand in for spoofed ones; 8,000 requests in all.
  const flooders = await Promise.all(Array.from({ length: 64 }, (_, i) => socketOn(t, `127.3.${i >> 4}.${(i & 15) + 1}`)));
  let floodAnswers = 0;
  for (const f of flooders) f.on('message', () => floodAnswers++);
  for (let round = 0; round < 5; round++) {
    for (const f of flooders) for (let k = 0; k < 25; k++) f.send(saInitRequest().datagram, port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 20));
  }
  const legit = await socketOn(t, '127.0.0.9');
  const first = saInitRequest();
  const cookie = cookieOf(await ask(legit, first.datagram, port, 2000));
  const answer = await ask(legit, saInitRequest({ spi: first.spi, nonce: first.nonce, cookie }).datagram, port, 2000);
  t.equal(parseAnswer(answer ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'the legitimate client completed the cookie exchange');
  await new Promise((r) => setTimeout(r, 200));
  const sent = engine.counters.get('cookies_sent');
  t.ok(sent >= 8000 * 0.95, `cookies served to the flood: ${sent}`);
  t.ok(floodAnswers >= 8000 * 0.95, `flood sources got their cookies: ${floodAnswers}`);
  t.equal(passed, 0, 'nothing reached the IKE state machines: no half-open state');
  t.equal(engine.counters.get('js_batches'), 0);
});
