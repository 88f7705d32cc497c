// The native job pool: many concurrent jobs, batched completions, errors that
// stay with their job, closing with jobs queued, process exit and worker
// threads with jobs in flight.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import t from 'tap';

import {
  closeDefaultPool,
  CryptoPool,
  defaultPool,
  deriveSharedSecretSync,
  DhGroup,
  dhLengths,
  generateKeyPairSync,
  respond,
} from '../../lib/crypto';
import { run } from '../support/run';

t.teardown(closeDefaultPool);

t.test('3000 concurrent X25519 responder jobs all complete with correct secrets, delivered in batches', async (t) => {
  const pool = new CryptoPool({ threads: 2 });
  t.teardown(() => pool.close());
  const initiators = Array.from({ length: 50 }, () => generateKeyPairSync(DhGroup.CURVE25519));
  const jobs = 3000;
  let deliveries = 0;
  const deliver = pool.onNativeCompletions.bind(pool);
  pool.onNativeCompletions = (count: number): void => {
    deliveries++;
    deliver(count);
  };
  const l = dhLengths(DhGroup.CURVE25519);
  // One slab for every output, as a gateway would preallocate.
  const slab = Buffer.alloc(jobs * (l.publicLength + l.sharedLength));
  const errors: unknown[] = [];
  await new Promise<void>((resolve) => {
    let left = jobs;
    for (let i = 0; i < jobs; i++) {
      const at = i * (l.publicLength + l.sharedLength);
      const pub = slab.subarray(at, at + l.publicLength);
      const shared = slab.subarray(at + l.publicLength, at + l.publicLength + l.sharedLength);
      pool.submitDhRespond(DhGroup.CURVE25519, (initiators[i % 50] as (typeof initiators)[number]).publicValue, pub, shared, (err) => {
        if (err !== null) errors.push(err);
        if (--left === 0) resolve();
      });
    }
  });
  t.same(errors, [], 'no job failed');
  let wrong = 0;
  for (let i = 0; i < jobs; i++) {
    const at = i * (l.publicLength + l.sharedLength);
    const pub = slab.subarray(at, at + l.publicLength);
    const shared = slab.subarray(at + l.publicLength, at + l.publicLength + l.sharedLength);
    if (!deriveSharedSecretSync(initiators[i % 50] as (typeof initiators)[number], pub).equals(shared)) wrong++;
  }
  t.equal(wrong, 0, 'every responder secret matches the initiator side');
  t.ok(deliveries < jobs, `completions arrive in batches (${deliveries} deliveries for ${jobs} jobs)`);
  t.equal(pool.pending, 0);
});

t.test('jobs that finish while JavaScript is busy arrive in one delivery', async (t) => {
  const pool = new CryptoPool({ threads: 2, batchCapacity: 1024 });
  t.teardown(() => pool.close());
  let deliveries = 0;
  const deliver = pool.onNativeCompletions.bind(pool);
  pool.onNativeCompletions = (count: number): void => {
    deliveries++;
    deliver(count);
  };
  const peer = generateKeyPairSync(DhGroup.CURVE25519).publicValue;
  const jobs = Array.from({ length: 400 }, () => respond(DhGroup.CURVE25519, peer, pool));
  const until = Date.now() + 1000; // the JS thread is busy; 400 jobs need ~20 ms of two cores
  while (Date.now() < until) {
    /* busy */
  }
  await Promise.all(jobs);
  t.equal(deliveries, 1, 'one JavaScript call delivered all 400 completions');
});

t.test('a failing job reports its own error and leaves its neighbours alone', async (t) => {
  const good = generateKeyPairSync(DhGroup.ECP_256).publicValue;
  const bad = Buffer.alloc(64, 0xff);
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => respond(DhGroup.ECP_256, i % 2 === 0 ? good : bad)));
  results.forEach((r, i) => {
    if (i % 2 === 0) t.equal(r.status, 'fulfilled', `job ${i} succeeded`);
    else t.match(r, { status: 'rejected', reason: { code: 'IKELB_ERR_DH_PEER_PUBLIC' } }, `job ${i} failed on its own`);
  });
});

t.test('closing a pool finishes running jobs and fails queued ones with IKELB_ERR_POOL_CLOSED', async (t) => {
  const pool = new CryptoPool({ threads: 1 });
  const peer = generateKeyPairSync(DhGroup.MODP_2048).publicValue;
  const jobs = Array.from({ length: 50 }, () => respond(DhGroup.MODP_2048, peer, pool));
  pool.close();
  const settled = await Promise.allSettled(jobs);
  const closed = settled.filter((s) => s.status === 'rejected' && (s.reason as { code?: string }).code === 'IKELB_ERR_POOL_CLOSED');
  const done = settled.filter((s) => s.status === 'fulfilled');
  t.equal(closed.length + done.length, 50, 'every job settled, as done or closed');
  t.ok(closed.length > 0, `queued jobs were cancelled (${closed.length})`);
  await t.rejects(respond(DhGroup.MODP_2048, peer, pool), { code: 'IKELB_ERR_POOL_CLOSED' }, 'a closed pool refuses new jobs');
  t.doesNotThrow(() => pool.close(), 'close is idempotent');
});

t.test('two pools run independently', async (t) => {
  const a = new CryptoPool({ threads: 1 });
  const b = new CryptoPool({ threads: 1 });
  t.teardown(() => b.close());
  const pair = generateKeyPairSync(DhGroup.CURVE25519);
  a.close();
  const r = await respond(DhGroup.CURVE25519, pair.publicValue, b);
  t.ok(deriveSharedSecretSync(pair, r.publicValue).equals(r.sharedSecret));
});

t.test('a bad argument is thrown at submit time, not delivered later', async (t) => {
  const pool = defaultPool();
  t.throws(
    () => pool.submitDhRespond(DhGroup.CURVE25519, Buffer.alloc(32, 9), Buffer.alloc(3), Buffer.alloc(32), () => {}),
    { code: 'IKELB_ERR_CRYPTO_ARGUMENT' },
  );
  t.throws(() => new CryptoPool({ threads: 0 }), { code: 'IKELB_ERR_CRYPTO_ARGUMENT' });
  t.equal(pool.pending, 0);
});

const child = path.join(__dirname, 'children', 'exit-with-jobs-in-flight.ts');
const nodeArgs = (script: string, mode: string): string[] => [...process.execArgv, script, mode];

// The three child processes start together: each spends most of its time
// loading TypeScript, not running jobs.
t.test('exits with jobs in flight', async (t) => {
  const [exited, threw, natural] = await Promise.all([
    run(process.execPath, nodeArgs(child, 'exit'), { timeoutMs: 90_000 }),
    run(process.execPath, nodeArgs(child, 'throw'), { timeoutMs: 90_000 }),
    run(process.execPath, nodeArgs(child, 'natural'), { timeoutMs: 120_000 }),
  ]);
  t.test('process.exit() with jobs running and queued exits cleanly: no hang, no crash', async (t) => {
    t.equal(exited.signal, null, 'not killed by a signal');
    t.equal(exited.code, 0, exited.stderr);
    t.match(exited.stdout, /exiting with \d+ jobs pending/);
  });
  t.test('an uncaught exception with jobs in flight ends the process with the error, not a crash', async (t) => {
    t.equal(threw.signal, null, 'not killed by a signal (no abort, no segfault)');
    t.equal(threw.code, 1);
    t.match(threw.stderr, /uncaught with jobs in flight/);
  });
  t.test('pending jobs keep the process alive until they complete, then it exits by itself', async (t) => {
    t.equal(natural.code, 0, natural.stderr);
    t.match(natural.stdout, /completed 300/);
  });
});

const workerScript = path.join(__dirname, 'children', 'pool-worker.ts');

t.test('a worker thread has its own pool, gets correct results, and exits by itself once idle', async (t) => {
  const w = new Worker(workerScript, { workerData: { jobs: 200, hold: false } });
  const exited = new Promise<number>((resolve) => w.once('exit', resolve));
  const msg = await new Promise<{ ok: boolean; count: number; threads: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  t.same({ ok: msg.ok, count: msg.count }, { ok: true, count: 200 });
  t.ok(msg.threads >= 1);
  // Nothing else keeps the worker alive: an idle pool must not either.
  t.equal(await exited, 0, 'the worker ended on its own');
});

t.test('terminating workers with jobs in flight leaves the main thread\'s pool working (no abort)', async (t) => {
  // Three at once: the crash this guards against (a JS call into a terminating
  // environment) depended on timing; each termination is another chance.
  const workers = Array.from({ length: 3 }, () => new Worker(workerScript, { workerData: { jobs: 100, hold: true } }));
  const messages = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ busy: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  for (const m of messages) t.ok(m.busy > 0, `a worker had ${m.busy} jobs in flight`);
  await Promise.all(workers.map((w) => w.terminate()));
  const pair = generateKeyPairSync(DhGroup.CURVE25519);
  const r = await respond(DhGroup.CURVE25519, pair.publicValue);
  t.ok(deriveSharedSecretSync(pair, r.publicValue).equals(r.sharedSecret), 'main thread still works');
});
