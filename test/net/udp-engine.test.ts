// The UDP engine as the IKE gateway uses it: sockets on IPv4 and IPv6, the
// NAT-T port, batches to TypeScript, batched sends, replies from the address a
// request was sent to, and clean close. Real sockets on loopback, and a
// namespace lab for the two-address and pre-bound-VIP cases.
import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import t, { type Test } from 'tap';
import { UdpEngine, type UdpEngineOptions } from '../../lib/net/udp-engine';
import { pointToPoint } from '../support/netns';

function openEngine(t: Test, options: UdpEngineOptions): UdpEngine {
  const engine = UdpEngine.open(options);
  t.teardown(() => engine.close());
  return engine;
}

interface Reply {
  readonly data: Buffer;
  readonly from: string;
  readonly port: number;
}

function client(t: Test, type: 'udp4' | 'udp6' = 'udp4'): Promise<{ socket: dgram.Socket; replies: Reply[]; next: (n: number) => Promise<Reply[]> }> {
  const socket = dgram.createSocket(type);
  const replies: Reply[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data, rinfo) => {
    replies.push({ data, from: rinfo.address, port: rinfo.port });
    for (const w of waiters.splice(0)) w();
  });
  t.teardown(() => socket.close());
  const next = (n: number): Promise<Reply[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${replies.length} of ${n} replies within 5 s`)), 5000);
      const check = (): void => {
        if (replies.length >= n) {
          clearTimeout(timer);
          resolve(replies.slice(0, n));
        } else waiters.push(check);
      };
      check();
    });
  return new Promise((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => resolve({ socket, replies, next })));
}

function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (condition()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // keep the JS thread busy so the I/O thread fills a batch meanwhile
  }
}

t.test('datagrams reach TypeScript in batches: one callback per batch, counted without a native call', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0 }], fastPath: false });
  const port = engine.sockets[0]?.port ?? 0;
  let callbacks = 0;
  let datagrams = 0;
  const seen = new Set<string>();
  engine.onBatch = (batch) => {
    callbacks++;
    for (let i = 0; i < batch.count; i++) {
      datagrams++;
      seen.add(Buffer.from(batch.message(i)).toString());
      t.equal(batch.remoteAddress(i), '127.0.0.1');
      t.equal(batch.remotePort(i), port, 'sent by the engine itself');
    }
  };
  // 200 datagrams staged and sent with one flush (one sendmmsg), while the JS
  // thread stays busy: the I/O thread receives them all meanwhile.
  for (let i = 0; i < 200; i++) engine.sender.sendTo({ socket: 0, address: '127.0.0.1', port }, Buffer.from(`d${i}`));
  t.equal(engine.sender.pending, 200);
  t.equal(engine.sender.flush(), 200, 'the kernel took all 200 in one flush');
  t.equal(engine.counters.get('js_flushes'), 1);
  busyWait(200);
  await until(() => datagrams === 200, '200 datagrams');
  t.equal(seen.size, 200, 'every datagram arrived once');
  t.ok(callbacks <= 3, `200 datagrams in ${callbacks} callbacks`);
  t.equal(engine.counters.get('js_batches'), callbacks, 'js_batches counts the callbacks');
  t.equal(engine.counters.get('passed_to_js'), 200);
  t.equal(engine.counters.get('datagrams_received'), 200);
});

t.test('replies staged in a batch callback leave in one flush after it returns', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0 }], fastPath: false });
  engine.onBatch = (batch, e) => {
    for (let i = 0; i < batch.count; i++) e.sender.reply(batch, i, Buffer.concat([Buffer.from('re:'), batch.message(i)]));
    t.equal(e.sender.pending, batch.count, 'nothing leaves during the callback');
  };
  const c = await client(t);
  for (let i = 0; i < 50; i++) c.socket.send(`q${i}`, engine.sockets[0]?.port ?? 0, '127.0.0.1');
  const replies = await c.next(50);
  t.same(new Set(replies.map((r) => r.data.toString())), new Set(Array.from({ length: 50 }, (_, i) => `re:q${i}`)));
  t.equal(engine.counters.get('js_flushes'), engine.counters.get('js_batches'), 'one flush per batch');
  t.equal(engine.counters.get('js_datagrams_sent'), 50);
  t.equal(engine.sender.pending, 0);
});

t.test('a reply leaves from the address the request was sent to, on a wildcard bind', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '0.0.0.0', port: 0 }], fastPath: false });
  const to: string[] = [];
  engine.onBatch = (batch, e) => {
    for (let i = 0; i < batch.count; i++) {
      to.push(batch.localAddress(i));
      e.sender.reply(batch, i, Buffer.from('ok'));
    }
  };
  const c = await client(t);
  // 127.0.0.2 is local too; without pktinfo the kernel would answer from 127.0.0.1.
  c.socket.send('x', engine.sockets[0]?.port ?? 0, '127.0.0.2');
  const [reply] = await c.next(1);
  t.equal(reply?.from, '127.0.0.2');
  t.same(to, ['127.0.0.2'], 'TypeScript sees the address the request was sent to');
});

t.test('IPv6: the engine serves ::1 and reports addresses in RFC 5952 form', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '::', port: 0 }], fastPath: false });
  t.equal(engine.sockets[0]?.family, 6);
  const seen: { from: string; to: string; family: number }[] = [];
  engine.onBatch = (batch, e) => {
    for (let i = 0; i < batch.count; i++) {
      seen.push({ from: batch.remoteAddress(i), to: batch.localAddress(i), family: batch.family(i) });
      e.sender.reply(batch, i, Buffer.from('six'));
    }
  };
  const c = await client(t, 'udp6');
  c.socket.send('hello', engine.sockets[0]?.port ?? 0, '::1');
  const [reply] = await c.next(1);
  t.equal(reply?.data.toString(), 'six');
  t.equal(reply?.from, '::1');
  t.same(seen, [{ from: '::1', to: '::1', family: 6 }]);
});

t.test('NAT-T port: the non-ESP marker is stripped and added, ESP and keepalives never reach IKE', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0, natt: true }], fastPath: false });
  const port = engine.sockets[0]?.port ?? 0;
  const messages: { data: string; natt: boolean }[] = [];
  engine.onBatch = (batch, e) => {
    for (let i = 0; i < batch.count; i++) {
      messages.push({ data: Buffer.from(batch.message(i)).toString('hex'), natt: batch.natt(i) });
      e.sender.reply(batch, i, Buffer.from('cafe', 'hex'));
    }
  };
  const c = await client(t);
  c.socket.send(Buffer.from('00000000aabbcc', 'hex'), port, '127.0.0.1'); // IKE behind the marker
  c.socket.send(Buffer.from('0000100100000001', 'hex'), port, '127.0.0.1'); // ESP: SPI 0x1001
  c.socket.send(Buffer.from('ff', 'hex'), port, '127.0.0.1'); // NAT-keepalive (RFC 3948 §2.3)
  c.socket.send(Buffer.from('0000', 'hex'), port, '127.0.0.1'); // shorter than the marker
  const [reply] = await c.next(1);
  t.equal(reply?.data.toString('hex'), '00000000cafe', 'the reply carries the marker');
  await until(() => engine.counters.get('datagrams_received') === 4, 'four datagrams');
  t.same(messages, [{ data: 'aabbcc', natt: true }], 'only the IKE message reached TypeScript, without its marker');
  t.equal(engine.counters.drop('esp_unhandled'), 1, 'ESP without an ESP data plane is dropped and counted');
  t.equal(engine.counters.get('natt_keepalives'), 1);
  t.equal(engine.counters.drop('too_short'), 1);
});

t.test('event-loop mode delivers the same batches, and close() inside a callback is safe', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0 }], mode: 'event-loop', fastPath: false });
  let got = 0;
  engine.onBatch = (batch, e) => {
    got += batch.count;
    e.sender.reply(batch, 0, Buffer.from('bye'));
    e.close();
  };
  const c = await client(t);
  c.socket.send('a', engine.sockets[0]?.port ?? 0, '127.0.0.1');
  const [reply] = await c.next(1);
  t.equal(reply?.data.toString(), 'bye', 'the staged reply still left before the close');
  t.equal(got, 1);
  t.ok(engine.isClosed);
});

t.test('thread mode: close() inside a batch callback sends what was staged, stops cleanly, and later use says so', async (t) => {
  const engine = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0 }], fastPath: false });
  const closed = new Promise<void>((resolve) => {
    engine.onBatch = (batch, e) => {
      e.sender.reply(batch, 0, Buffer.from('last'));
      e.close();
      resolve();
    };
  });
  const c = await client(t);
  c.socket.send('a', engine.sockets[0]?.port ?? 0, '127.0.0.1');
  await closed;
  t.ok(engine.isClosed);
  const [reply] = await c.next(1);
  t.equal(reply?.data.toString(), 'last', 'the reply staged before close() left');
  t.throws(() => engine.sender.flush() + (engine.sender.sendTo({ socket: 0, address: '127.0.0.1', port: 9 }, Buffer.from('x')), engine.sender.flush()), { code: 'IKELB_ERR_UDP_STATE' });
});

t.test('a listen address already in use is refused naming the address and the reason', async (t) => {
  const first = openEngine(t, { listen: [{ address: '127.0.0.1', port: 0 }] });
  const port = first.sockets[0]?.port ?? 0;
  t.throws(() => UdpEngine.open({ listen: [{ address: '127.0.0.1', port }] }), {
    code: 'IKELB_ERR_UDP_BIND',
    message: new RegExp(`cannot bind 127\\.0\\.0\\.1:${port}: Address already in use`),
  });
  t.throws(() => UdpEngine.open({ listen: [{ address: 'gw.example.com', port: 500 }] }), { code: 'IKELB_ERR_UDP_ARGUMENT' });
});

t.test('opening and closing the engine 30 times leaks no file descriptor and no thread', async (t) => {
  const count = (dir: string): number => readdirSync(dir).length;
  // Warm up once: the first open loads the addon.
  UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }] }).close();
  const fds = count('/proc/self/fd');
  const threads = count('/proc/self/task');
  for (let i = 0; i < 30; i++) {
    const engine = UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }, { address: '::1', port: 0, natt: true }] });
    engine.close();
    engine.close(); // idempotent
  }
  await new Promise((r) => setTimeout(r, 50));
  t.equal(count('/proc/self/fd'), fds, 'same number of file descriptors');
  t.equal(count('/proc/self/task'), threads, 'same number of threads');
});

t.test('two addresses on one interface: each client is answered from the address it asked', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.10/24'], gw: ['192.0.2.1/24', '192.0.2.2/24'] });
  const { client: peer, gw } = hosts;
  const echo = gw.spawnNode('echo', 'test/fixtures/net/echo-engine.ts', [JSON.stringify([{ address: '0.0.0.0', port: 5500 }])]);
  await echo.waitForOutput(/"ready"/, 20_000);
  for (const target of ['192.0.2.1', '192.0.2.2']) {
    const probe = await peer.exec(process.execPath, ['-e', PROBE, target, '5500', 'ping']);
    t.equal(probe.code, 0, probe.stderr);
    t.same(JSON.parse(probe.stdout), { from: target, data: 'echo:ping' }, `answered from ${target}`);
  }
});

t.test('a gateway pre-binds a VIP it does not own yet and serves it once the address arrives', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.10/24'], gw: ['192.0.2.1/24'] });
  const { client: peer, gw } = hosts;
  // 192.0.2.100 is not configured on gw: binding works only with IP_FREEBIND.
  const echo = gw.spawnNode('echo', 'test/fixtures/net/echo-engine.ts', [JSON.stringify([{ address: '192.0.2.100', port: 5500 }])]);
  await echo.waitForOutput(/"ready"/, 20_000);
  await gw.addAddress('eth0', '192.0.2.100/24');
  const probe = await peer.exec(process.execPath, ['-e', PROBE, '192.0.2.100', '5500', 'vip']);
  t.equal(probe.code, 0, probe.stderr);
  t.same(JSON.parse(probe.stdout), { from: '192.0.2.100', data: 'echo:vip' });
});

// A one-shot UDP client for lab hosts: sends argv[3] to argv[1]:argv[2], prints
// the first answer's source and payload as JSON, retrying for up to 5 s (the
// engine may still be starting).
const PROBE = `
const dgram = require('node:dgram');
const [addr, port, text] = process.argv.slice(1);
const s = dgram.createSocket(addr.includes(':') ? 'udp6' : 'udp4');
s.on('message', (m, r) => { process.stdout.write(JSON.stringify({ from: r.address, data: m.toString() })); process.exit(0); });
const send = () => s.send(text, Number(port), addr);
send();
const timer = setInterval(send, 250);
setTimeout(() => { process.stderr.write('no answer'); process.exit(1); }, 5000);
`;
