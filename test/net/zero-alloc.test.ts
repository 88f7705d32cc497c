// Zero JavaScript calls and zero heap allocations per redirected packet, shown
// on a real daemon: an allocation counter is preloaded into the process
// (bench/redirect/malloc-count.c, per-thread counts of malloc & co.), the C
// load generator sends 20,000 IKE_SA_INIT requests, and the I/O thread's
// count, the JS batch callbacks and the V8 heap are compared before/after.
// A positive control proves the counter sees that thread: datagrams bound for
// TypeScript make it allocate (the threadsafe-function queue).
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { queryControl } from '../../lib/control/client';
import type { DataplaneStats } from '../../lib/net/show-dataplane';
import { tsLoaderImport } from '../support/netns';
import { startProc } from '../support/proc';
import { run } from '../support/run';
import { saInitRequest } from './ike-sa-init';

const root = path.join(__dirname, '..', '..');
const bench = path.join(root, 'bench', 'redirect');

function ioThreadAllocations(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[1] === 'ikelb-udp')
    .reduce((sum, f) => sum + Number(f[2]), 0);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('a redirect-only run makes no JavaScript call and no heap allocation on the I/O thread', async (t) => {
  execFileSync('make', ['-s', '-C', bench], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-alloc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const counts = path.join(dir, 'malloc-count.txt');
  const control = path.join(dir, 'ikelb.sock');
  const port = 20_000 + (process.pid % 20_000);
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const server = startProc(
    'ikelb-server',
    process.execPath,
    [tsLoaderImport(), path.join(bench, 'ikelb-server.ts'), JSON.stringify({ address: '127.0.0.1', port, targets: ['192.0.2.11', '192.0.2.12'], controlPath: control })],
    { env: { ...env, TS_NODE_TRANSPILE_ONLY: '1', LD_PRELOAD: path.join(bench, 'build', 'malloc-count.so'), MALLOC_COUNT_FILE: counts } },
  );
  t.teardown(() => server.stop());
  await server.waitForOutput(/^ready/m, 30_000);
  const stats = async (): Promise<DataplaneStats> => {
    const r = await queryControl(control, ['show', 'crypto', 'ikev2', 'stats', 'dataplane']);
    if (!r.ok) throw new Error(r.error);
    return r.data as DataplaneStats;
  };
  const memory = async (): Promise<{ heapUsed: number }> => {
    const mark = server.mark();
    process.kill(server.pid, 'SIGUSR2');
    const m = await server.waitForOutput(/^memory (\{.*\})$/m, 5000, mark);
    return JSON.parse(m[1] ?? '{}') as { heapUsed: number };
  };

  await sleep(200);
  const allocationsBefore = ioThreadAllocations(counts);
  const heapBefore = await memory();
  const load = await run(path.join(bench, 'build', 'loadgen'), ['--port', String(port), '--duration-ms', '10000', '--warmup-ms', '0', '--max-answers', '20000', '--sockets', '8', '--window', '16']);
  t.equal(load.code, 0, load.stderr);
  const result = JSON.parse(load.stdout) as { answers: number; invalid: number };
  t.ok(result.answers >= 20_000, `${result.answers} redirects answered`);
  t.equal(result.invalid, 0, 'every answer validated (SPIi, SPIr 0, REDIRECT with the request\'s nonce)');
  await sleep(200); // the counter file is rewritten every 50 ms
  const after = await stats();
  const heapAfter = await memory();
  t.equal(after.counters.redirects_sent, result.answers);
  t.equal(after.counters.js_batches, 0, 'no JavaScript batch callback');
  t.equal(ioThreadAllocations(counts), allocationsBefore, 'no allocation on the I/O thread');
  t.ok(Math.abs(heapAfter.heapUsed - heapBefore.heapUsed) < 1 << 20, `V8 heap flat: ${heapBefore.heapUsed} -> ${heapAfter.heapUsed}`);

  // Positive control: traffic for TypeScript crosses the threadsafe function,
  // whose queue allocates on the I/O thread — and the counter sees it.
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  for (let i = 0; i < 3000; i++) {
    socket.send(saInitRequest({ redirectSupported: false }).datagram, port, '127.0.0.1');
    if (i % 100 === 99) await sleep(2);
  }
  for (let i = 0; i < 100 && ((await stats()).counters.passed_to_js ?? 0) < 3000; i++) await sleep(50);
  await sleep(200);
  t.ok(((await stats()).counters.js_batches ?? 0) > 0, 'those did reach JavaScript');
  t.ok(ioThreadAllocations(counts) > allocationsBefore, 'and the counter saw the I/O thread allocate for them');
});
