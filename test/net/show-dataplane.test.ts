// The data plane inside a running daemon: `ikelb show crypto ikev2 stats
// dataplane` (text and --json) reports what the fast path did, and the cookie
// secret rotates on its timer.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Daemon } from '../../lib/daemon/daemon';
import { silentLogger } from '../../lib/log';
import { DataplaneComponent, type Timers } from '../../lib/net/dataplane-component';
import type { DataplaneStats } from '../../lib/net/show-dataplane';
import { run } from '../support/run';
import { saInitRequest } from './ike-sa-init';

const cli = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

class ManualTimers implements Timers {
  readonly fns: (() => void)[] = [];
  setInterval(fn: () => void): unknown {
    this.fns.push(fn);
    return this.fns.length - 1;
  }
  clearInterval(handle: unknown): void {
    this.fns[handle as number] = () => undefined;
  }
  fire(): void {
    for (const fn of this.fns) fn();
  }
}

t.test('show crypto ikev2 stats dataplane reports redirects, drops and the target table as text and JSON', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-dp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true })); // also when the daemon fails to start
  const controlPath = path.join(dir, 'ikelb.sock');
  const timers = new ManualTimers();
  const dataplane = new DataplaneComponent({
    listen: [{ address: '127.0.0.1', port: 0 }],
    redirectInit: true,
    cookieChallenge: null,
    staticTargets: [
      { address: '192.0.2.11', capacity: 1000 },
      { address: '192.0.2.12', capacity: 1000 },
    ],
    timers,
  });
  const daemon = new Daemon({ components: [dataplane], controlPath, log: silentLogger });
  await daemon.start();
  t.teardown(() => daemon.stop('shutdown'));

  const port = dataplane.engine.sockets[0]?.port ?? 0;
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  let answers = 0;
  const allAnswered = new Promise<void>((resolve) => socket.on('message', () => ++answers === 4 && resolve()));
  for (let i = 0; i < 4; i++) socket.send(saInitRequest().datagram, port, '127.0.0.1');
  socket.send(Buffer.alloc(10), port, '127.0.0.1'); // too short for an IKE header
  await allAnswered;
  await new Promise((r) => setTimeout(r, 50));

  const text = await run('node', [cli, 'show', 'crypto', 'ikev2', 'stats', 'dataplane', '--control', controlPath]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /Redirect gateway init: enabled/);
  t.match(text.stdout, /Redirected: 4/);
  t.match(text.stdout, /Dropped: 1 \(too_short 1\)/);
  t.match(text.stdout, /192\.0\.2\.11 +0\.00 +0\.20 +2 +2 +unlimited +yes/);

  const json = await run('node', [cli, 'show', 'crypto', 'ikev2', 'stats', 'dataplane', '--json', '--control', controlPath]);
  const stats = JSON.parse(json.stdout) as DataplaneStats;
  t.equal(stats.counters.redirects_sent, 4);
  t.equal(stats.drops.too_short, 1);
  t.same(
    stats.targets.map((s) => [s.address, s.redirected]),
    [
      ['192.0.2.11', 2],
      ['192.0.2.12', 2],
    ],
  );
  t.equal(stats.mode, 'thread');

  const metrics = dataplane.engine.counters.metrics();
  t.match(metrics.find((m) => m.name === 'ikelb_dataplane_redirects_sent_total'), { type: 'counter', value: 4 });
  t.match(metrics.find((m) => m.name === 'ikelb_dataplane_dropped_total' && m.labels.reason === 'too_short'), { value: 1 });

  const before = dataplane.engine.cookieVersion;
  timers.fire();
  t.equal(dataplane.engine.cookieVersion, before + 1, 'the rotation timer rotates the cookie secret');
});
