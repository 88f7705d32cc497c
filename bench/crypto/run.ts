// bench:crypto — the native crypto core against OpenSSL's own ceiling, measured
// in the same run (interleaved rounds, medians; the machine is shared and noisy).
//
//   DH (X25519, P-256, MODP-2048): `openssl speed` derive ops/s on 1 core and on
//   every core (-multi N) vs our derive through the pool (N threads) and inline;
//   responder jobs (keygen + derive) through the pool with completions batched
//   (callback and promise APIs) vs one napi_async_work per job.
//   SK payload: AES-256-GCM protect/unprotect of a 1 KiB message vs
//   `openssl speed -evp aes-256-gcm -bytes 1024` and vs Node's crypto.
//   PSK AUTH per second vs the same three HMACs with Node's crypto.
//
// Prints a table, writes bench/results/crypto.json and crypto.svg. Bounded:
// BENCH_SECONDS (default 1) per measurement, BENCH_ROUNDS (default 3).
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  CryptoPool,
  DhGroup,
  dhLengths,
  EncrId,
  generateKeyPairSync,
  IntegId,
  PrfId,
  pskAuth,
  SkContext,
} from '../../lib/crypto';
import { cryptoNative } from '../../lib/crypto/native';

// Same number of threads for libuv's pool (the napi_async_work baseline) as for
// ours: on a shared machine the scheduler hands out CPU per runnable thread.
process.env.UV_THREADPOOL_SIZE ??= String(os.availableParallelism());

const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cores = os.availableParallelism();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function opensslSpeed(args: string[]): number {
  const out = execFileSync('openssl', ['speed', '-elapsed', '-seconds', String(Math.max(1, Math.round(seconds))), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = out.trim().split('\n');
  const last = lines[lines.length - 1] as string;
  if (args.includes('-evp')) {
    // "AES-256-GCM    1314647.18k": kilobytes/s of 1024-byte blocks -> blocks/s
    const kb = Number(/([\d.]+)k\s*$/.exec(last)?.[1]);
    return (kb * 1000) / 1024;
  }
  return Number(/([\d.]+)\s*$/.exec(last)?.[1]);
}

/** Runs `fn` repeatedly for the measurement time; returns calls/s. */
function syncRate(fn: () => void): number {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let now = performance.now();
  const start = now;
  while (now < end) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

let lastCpuPerJob = 0;

/** Keeps `window` jobs in flight for the measurement time; returns completions/s (CPU µs per job in lastCpuPerJob). */
function asyncRate(submit: (done: () => void) => void, window = 256): Promise<number> {
  return new Promise((resolve) => {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const end = start + seconds * 1000;
    let completed = 0;
    let inFlight = 0;
    let stopped = false;
    const done = (): void => {
      completed++;
      inFlight--;
      if (!stopped && performance.now() < end) {
        inFlight++;
        submit(done);
      } else {
        stopped = true;
        if (inFlight === 0) {
          const cpu = process.cpuUsage(cpu0);
          lastCpuPerJob = (cpu.user + cpu.system) / completed;
          resolve(completed / ((performance.now() - start) / 1000));
        }
      }
    };
    for (let i = 0; i < window; i++) {
      inFlight++;
      submit(done);
    }
  });
}

interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly ratio?: number;
}

async function main(): Promise<void> {
  const pool = new CryptoPool({ threads: cores });
  const native = cryptoNative();
  const samples = new Map<string, number[]>();
  const add = (k: string, v: number): void => {
    samples.set(k, [...(samples.get(k) ?? []), v]);
  };

  const groups = [
    { id: DhGroup.CURVE25519, name: 'X25519', speed: 'ecdhx25519' },
    { id: DhGroup.ECP_256, name: 'P-256', speed: 'ecdhp256' },
    { id: DhGroup.MODP_2048, name: 'MODP-2048', speed: 'ffdh2048' },
  ] as const;

  // SK payload fixture: a 1 KiB inner payload in an IKE_AUTH-sized message.
  const sk = SkContext.create({ encr: EncrId.AES_GCM_16, keyBits: 256, integ: IntegId.NONE }, Buffer.alloc(36, 7), null);
  const inner = 1024;
  const sizes = sk.sizes(inner);
  const message = Buffer.alloc(28 + sizes.payloadLength, 0x61);
  message.writeUInt32BE(message.length, 24);
  message.writeUInt16BE(sizes.payloadLength, 30);
  sk.protect(message, 28, inner);
  const sealed = Buffer.from(message);
  const work = Buffer.alloc(message.length);
  const result = new Int32Array(2);
  const gcmKey = Buffer.alloc(32, 7);
  const gcmIv = Buffer.alloc(12, 1);
  const plain = Buffer.alloc(inner + 1, 0x61);
  const aad = message.subarray(0, 32);

  const auth = {
    prf: PrfId.HMAC_SHA2_256,
    realMessage: Buffer.alloc(400, 0x11),
    peerNonce: Buffer.alloc(32, 0x22),
    skP: Buffer.alloc(32, 0x33),
    idPayloadBody: Buffer.alloc(20, 0x44),
  } as const;
  const psk = Buffer.from('a pre-shared key of reasonable length');

  const overhead = async (name: string, submit: (done: () => void) => void): Promise<void> => {
    add(`${name} jobs/s`, await asyncRate(submit));
    add(`${name} CPU µs/job`, lastCpuPerJob);
  };

  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
    // Per-job cost of the delivery mechanism alone: empty jobs (CPU of every thread, per job).
    await overhead('empty job, pool + callback', (done) => pool.submitNoop(done));
    await overhead('empty job, pool + promise', (done) => {
      void pool.run((d) => pool.submitNoop(d)).then(done);
    });
    await overhead('empty job, napi_async_work + callback', (done) => native.noopAsyncWork(() => done()));
    await overhead('empty job, napi_async_work + promise', (done) => {
      void new Promise((resolve) => native.noopAsyncWork(resolve)).then(done);
    });
    for (const g of groups) {
      const l = dhLengths(g.id);
      const pair = generateKeyPairSync(g.id);
      const peer = generateKeyPairSync(g.id).publicValue;
      const shared = Buffer.alloc(l.sharedLength);
      const pub = Buffer.alloc(l.publicLength);
      add(`${g.name} openssl speed 1 core`, opensslSpeed([g.speed]));
      add(`${g.name} openssl speed ${cores} cores`, opensslSpeed(['-multi', String(cores), g.speed]));
      add(`${g.name} derive inline (JS thread)`, syncRate(() => native.dhDerive(g.id, pair.privateKey, peer, shared)));
      add(
        `${g.name} derive, pool ${cores} threads`,
        await asyncRate((done) => pool.submitDhDerive(g.id, pair.privateKey, peer, Buffer.alloc(l.sharedLength), done)),
      );
      add(
        `${g.name} respond (keygen+derive), pool, callbacks`,
        await asyncRate((done) => pool.submitDhRespond(g.id, peer, Buffer.alloc(l.publicLength), Buffer.alloc(l.sharedLength), done)),
      );
      add(
        `${g.name} respond, pool, promises`,
        await asyncRate((done) => {
          void pool.run((d) => pool.submitDhRespond(g.id, peer, Buffer.alloc(l.publicLength), Buffer.alloc(l.sharedLength), d)).then(done);
        }),
      );
      add(
        `${g.name} respond, napi_async_work per job`,
        await asyncRate((done) => {
          native.dhRespondAsyncWork(g.id, peer, Buffer.alloc(l.publicLength), Buffer.alloc(l.sharedLength), () => done());
        }),
      );
      add(
        `${g.name} respond, napi_async_work + promise per job`,
        await asyncRate((done) => {
          void new Promise<void>((resolve) => native.dhRespondAsyncWork(g.id, peer, pub, shared, () => resolve())).then(done);
        }),
      );
    }
    add('AES-256-GCM openssl speed (1 KiB blocks)', opensslSpeed(['-evp', 'aes-256-gcm', '-bytes', '1024']));
    add('SK protect 1 KiB (AES-256-GCM)', syncRate(() => sk.protect(message, 28, inner)));
    add(
      'SK unprotect 1 KiB (AES-256-GCM)',
      syncRate(() => {
        sealed.copy(work);
        sk.tryUnprotect(work, 28, result);
      }),
    );
    add(
      'Node crypto AES-256-GCM 1 KiB (createCipheriv per message)',
      syncRate(() => {
        const c = createCipheriv('aes-256-gcm', gcmKey, gcmIv);
        c.setAAD(aad);
        c.update(plain);
        c.final();
        c.getAuthTag();
      }),
    );
    add('PSK AUTH (HMAC-SHA2-256)', syncRate(() => pskAuth(auth, psk)));
    add(
      'Node crypto: the same 3 HMACs',
      syncRate(() => {
        const maced = createHmac('sha256', auth.skP).update(auth.idPayloadBody).digest();
        const k = createHmac('sha256', psk).update('Key Pad for IKEv2').digest();
        createHmac('sha256', k).update(auth.realMessage).update(auth.peerNonce).update(maced).digest();
      }),
    );
  }
  pool.close();

  const m = (k: string): number => median(samples.get(k) ?? [0]);
  const rows: Row[] = [];
  const row = (name: string, unit: string, baseline?: string): void => {
    const value = m(name);
    rows.push(baseline === undefined ? { name, value, unit } : { name, value, unit, baseline, ratio: value / m(baseline) });
  };
  const base = 'empty job, pool + callback';
  row(`${base} jobs/s`, 'jobs/s');
  for (const v of ['empty job, pool + promise', 'empty job, napi_async_work + callback', 'empty job, napi_async_work + promise']) {
    row(`${v} jobs/s`, 'jobs/s', `${base} jobs/s`);
  }
  row(`${base} CPU µs/job`, 'µs');
  for (const v of ['empty job, pool + promise', 'empty job, napi_async_work + callback', 'empty job, napi_async_work + promise']) {
    row(`${v} CPU µs/job`, 'µs', `${base} CPU µs/job`);
  }
  for (const g of groups) {
    row(`${g.name} openssl speed 1 core`, 'ops/s');
    row(`${g.name} openssl speed ${cores} cores`, 'ops/s');
    row(`${g.name} derive inline (JS thread)`, 'ops/s', `${g.name} openssl speed 1 core`);
    row(`${g.name} derive, pool ${cores} threads`, 'ops/s', `${g.name} openssl speed ${cores} cores`);
    row(`${g.name} respond (keygen+derive), pool, callbacks`, 'jobs/s');
    row(`${g.name} respond, pool, promises`, 'jobs/s', `${g.name} respond (keygen+derive), pool, callbacks`);
    row(`${g.name} respond, napi_async_work per job`, 'jobs/s', `${g.name} respond (keygen+derive), pool, callbacks`);
    row(`${g.name} respond, napi_async_work + promise per job`, 'jobs/s', `${g.name} respond (keygen+derive), pool, callbacks`);
  }
  row('AES-256-GCM openssl speed (1 KiB blocks)', 'blocks/s');
  row('SK protect 1 KiB (AES-256-GCM)', 'msgs/s', 'AES-256-GCM openssl speed (1 KiB blocks)');
  row('SK unprotect 1 KiB (AES-256-GCM)', 'msgs/s', 'AES-256-GCM openssl speed (1 KiB blocks)');
  row('Node crypto AES-256-GCM 1 KiB (createCipheriv per message)', 'msgs/s', 'SK protect 1 KiB (AES-256-GCM)');
  row('PSK AUTH (HMAC-SHA2-256)', 'auths/s');
  row('Node crypto: the same 3 HMACs', 'auths/s', 'PSK AUTH (HMAC-SHA2-256)');

  const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  const width = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(
    `\nbench:crypto — ${cores} cores, pool and libuv threads ${cores}/${process.env.UV_THREADPOOL_SIZE}, ${rounds} rounds x ${seconds}s, medians, load average ${os.loadavg()[0]?.toFixed(1)}\n\n`,
  );
  for (const r of rows) {
    const ratio = r.ratio === undefined ? '' : `  ${r.ratio.toFixed(2)}x ${r.baseline}`;
    process.stdout.write(`${r.name.padEnd(width)}  ${fmt(r.value).padStart(12)} ${r.unit.padEnd(8)}${ratio}\n`);
  }
  const dir = path.join(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'crypto.json'),
    JSON.stringify({ date: new Date().toISOString(), cores, seconds, rounds, openssl: process.versions.openssl, rows, samples: Object.fromEntries(samples) }, null, 2) + '\n',
  );
  writeFileSync(path.join(dir, 'crypto.svg'), svg(rows.filter((r) => r.ratio !== undefined)));
  process.stdout.write(`\nwrote bench/results/crypto.json and crypto.svg\n`);
}

function svg(rows: Row[]): string {
  const barH = 22;
  const left = 430;
  const scale = 260; // px per 1.0x
  const h = 40 + rows.length * barH;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bars = rows
    .map((r, i) => {
      const y = 30 + i * barH;
      const w = Math.min((r.ratio ?? 0) * scale, 900);
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(r.name)}</text><rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${barH - 6}" fill="#4a7ab5"/><text x="${left + w + 6}" y="${y + 15}">${(r.ratio ?? 0).toFixed(2)}x</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + 3 * scale + 80}" height="${h}" font-family="sans-serif" font-size="12">
<text x="10" y="18" font-weight="bold">bench:crypto — ratio to the baseline of each row (1.0x line)</text>
<line x1="${left + scale}" y1="26" x2="${left + scale}" y2="${h}" stroke="#c33" stroke-dasharray="4 3"/>
${bars}
</svg>
`;
}

void main();
