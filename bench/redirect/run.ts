// bench/redirect: IKE_SA_INIT redirects per second, latency and server CPU per
// answer, for four redirectors measured in the same run (npm run bench:redirect):
//   c          a minimal C redirector (recvmmsg/sendmmsg): the machine's limit
//   ikelb      ikelb's fast path in a real daemon (data-plane component)
//   node       a pure Node dgram redirector doing the same work
//   libreswan  libreswan 4.10 pluto with global-redirect=yes (when its .deb is there)
// Each runs alone in one lab namespace (loopback only), pinned to CPU 0; the C
// load generator is pinned to CPU 1. Rounds alternate the contestants' order.
// Then two ikelb-only phases: the proof (an allocation counter preloaded into
// the daemon: the I/O thread's malloc count, JS batch callbacks and the V8 heap
// before/after a redirect-only run) and a spoofed-source cookie flood with a
// legitimate client beside it. --threading adds the I/O-thread vs event-loop
// comparison with and without a busy JS thread.
// Output: a table, bench/results/redirect-<time>.json and .svg.
//
// Options: --rounds N (3) --seconds S (3) --only c,ikelb,node,libreswan
//          --sockets N (16) --window N (32) --no-proof --no-flood --threading
import { execFileSync, spawn as spawnProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { queryControl } from '../../lib/control/client';
import type { DataplaneStats } from '../../lib/net/show-dataplane';
import { startPluto } from '../../test/support/libreswan';
import { createLab, tsLoaderImport, type Host } from '../../test/support/netns';
import type { Proc } from '../../test/support/proc';
import { renderSvg } from './svg';

const root = path.join(__dirname, '..', '..');
const here = __dirname;
const build = path.join(here, 'build');
const TARGETS = ['192.0.2.11', '192.0.2.12', '192.0.2.13'];
const CLK_TCK = 100;
const SERVER_CPU = '0';
const LOAD_CPU = '1';

interface Options {
  rounds: number;
  seconds: number;
  only: Set<string>;
  sockets: number;
  window: number;
  proof: boolean;
  flood: boolean;
  threading: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { rounds: 3, seconds: 3, only: new Set(['c', 'ikelb', 'node', 'libreswan']), sockets: 16, window: 32, proof: true, flood: true, threading: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1] ?? '';
    if (a === '--rounds') (o.rounds = Math.max(1, Math.min(20, Number(v)))), i++;
    else if (a === '--seconds') (o.seconds = Math.max(1, Math.min(30, Number(v)))), i++;
    else if (a === '--only') (o.only = new Set(v.split(','))), i++;
    else if (a === '--sockets') (o.sockets = Number(v)), i++;
    else if (a === '--window') (o.window = Number(v)), i++;
    else if (a === '--no-proof') o.proof = false;
    else if (a === '--no-flood') o.flood = false;
    else if (a === '--threading') o.threading = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

interface LoadResult {
  readonly sent: number;
  readonly answers: number;
  readonly measured_answers: number;
  readonly invalid: number;
  readonly lost: number;
  readonly late: number;
  readonly cookies: number;
  readonly answers_per_s: number;
  readonly p50_us: number;
  readonly p99_us: number;
  readonly p999_us: number;
  readonly first_invalid: string;
}

interface Sample extends LoadResult {
  readonly contestant: string;
  readonly round: number;
  readonly userUsPerAnswer: number;
  readonly sysUsPerAnswer: number;
  /** Where the user/system split comes from (the total is always /proc's). */
  readonly userShareFrom: 'perf-samples' | 'proc-ticks';
  readonly extra?: Record<string, unknown>;
}

interface Server {
  readonly pid: number;
  readonly proc?: Proc;
  stop(): Promise<unknown>;
  /** ikelb only: counters and memory. */
  control?: string;
}

function cpuTicks(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field: state is fields[0], utime is field 14 of the whole line (index 11 here).
  return { user: Number(fields[11]), sys: Number(fields[12]) };
}

/**
 * The user-space share of a process's CPU time while it runs for `seconds`:
 * perf samples a software clock at 4999 Hz and counts samples outside the
 * kernel. /proc's utime/stime split is tick-sampled and useless when 95 % of
 * the work is in the kernel; the total from /proc stays exact. Undefined when
 * perf is unavailable (the /proc split is used then).
 */
function startUserShare(pid: number, seconds: number, dir: string): () => Promise<number | undefined> {
  const file = path.join(dir, `perf-${pid}-${Date.now()}.data`);
  const child = spawnProcess('taskset', ['-c', LOAD_CPU, 'perf', 'record', '-q', '-e', 'cpu-clock', '-F', '4999', '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
  const done = new Promise<number>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
  return async () => {
    if ((await done) !== 0) return undefined;
    try {
      const report = execFileSync('perf', ['report', '-i', file, '--stdio', '--sort', 'dso', '-q'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      let kernel = 0;
      let total = 0;
      for (const line of report.split('\n')) {
        const m = /^\s*([\d.]+)%\s+(.*\S)\s*$/.exec(line);
        if (m === null) continue;
        const pct = Number(m[1]);
        total += pct;
        if (m[2] === '[kernel.kallsyms]' || m[2] === '[unknown]') kernel += pct;
      }
      return total > 0 ? (total - kernel) / total : undefined;
    } catch {
      return undefined;
    } finally {
      rmSync(file, { force: true });
    }
  };
}

async function pin(pid: number): Promise<void> {
  execFileSync('taskset', ['-a', '-cp', SERVER_CPU, String(pid)], { stdio: 'ignore' });
}

function nodeArgs(script: string, args: readonly string[]): string[] {
  return [tsLoaderImport(), script, ...args];
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _drop, ...env } = process.env;
  return { ...env, TS_NODE_TRANSPILE_ONLY: '1', ...extra };
}

let portCounter = 5500;

async function startC(host: Host): Promise<Server & { port: number }> {
  const port = portCounter++;
  const proc = host.spawn('c-redirector', 'taskset', ['-c', SERVER_CPU, path.join(build, 'c-redirector'), '--address', '127.0.0.1', '--port', String(port), '--target', TARGETS.join(',')]);
  await proc.waitForOutput(/^ready/m, 10_000);
  await pin(proc.pid);
  return { pid: proc.pid, proc, port, stop: () => proc.stop() };
}

async function startNode(host: Host): Promise<Server & { port: number }> {
  const port = portCounter++;
  const proc = host.spawn('node-redirector', 'taskset', ['-c', SERVER_CPU, process.execPath, path.join(here, 'node-redirector.mjs'), '--address', '127.0.0.1', '--port', String(port), '--target', TARGETS.join(',')], { env: cleanEnv() });
  await proc.waitForOutput(/^ready/m, 10_000);
  await pin(proc.pid);
  return { pid: proc.pid, proc, port, stop: () => proc.stop() };
}

interface IkelbStart {
  readonly mode?: 'thread' | 'event-loop';
  readonly busyMs?: number;
  readonly ioThreadNice?: number;
  /** Move the I/O thread to this CPU after start (a gateway with a core to spare). */
  readonly ioCpu?: string;
  readonly cookieChallenge?: number | null;
  readonly preload?: string;
}

async function startIkelb(host: Host, opts: IkelbStart = {}): Promise<Server & { port: number; control: string }> {
  const port = portCounter++;
  const control = path.join(host.lab.dir, `ikelb-${port}.sock`);
  const config = {
    address: '127.0.0.1',
    port,
    targets: TARGETS,
    controlPath: control,
    mode: opts.mode ?? 'thread',
    busyMs: opts.busyMs ?? 0,
    cookieChallenge: opts.cookieChallenge ?? null,
    ...(opts.ioThreadNice !== undefined ? { ioThreadNice: opts.ioThreadNice } : {}),
  };
  const env = cleanEnv(opts.preload === undefined ? {} : { LD_PRELOAD: path.join(build, 'malloc-count.so'), MALLOC_COUNT_FILE: opts.preload });
  const proc = host.spawn('ikelb', 'taskset', ['-c', SERVER_CPU, process.execPath, ...nodeArgs(path.join(here, 'ikelb-server.ts'), [JSON.stringify(config)])], { env });
  await proc.waitForOutput(/^ready/m, 30_000);
  await pin(proc.pid);
  if (opts.ioCpu !== undefined) {
    for (const tid of readdirSync(`/proc/${proc.pid}/task`)) {
      if (readFileSync(`/proc/${proc.pid}/task/${tid}/comm`, 'utf8').trim() === 'ikelb-udp') execFileSync('taskset', ['-cp', opts.ioCpu, tid], { stdio: 'ignore' });
    }
  }
  return { pid: proc.pid, proc, port, control, stop: () => proc.stop() };
}

async function startLibreswan(host: Host): Promise<Server & { port: number }> {
  const pluto = await startPluto(host, {
    name: `pluto${portCounter++}`,
    setup: { 'global-redirect': 'yes', 'global-redirect-to': TARGETS.join(', '), 'listen': '127.0.0.1' },
  });
  await pin(pluto.pid);
  return { pid: pluto.pid, proc: pluto.proc, port: 500, stop: () => pluto.stop() };
}

async function loadgen(host: Host, port: number, o: Options, extra: readonly string[] = []): Promise<LoadResult> {
  const args = ['-c', LOAD_CPU, path.join(build, 'loadgen'), '--port', String(port), '--duration-ms', String(o.seconds * 1000), '--warmup-ms', '500', '--sockets', String(o.sockets), '--window', String(o.window), ...extra];
  const r = await host.exec('taskset', args, { timeoutMs: (o.seconds + 10) * 1000 });
  if (r.code !== 0) throw new Error(`loadgen failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as LoadResult;
}

async function memoryOf(server: Server): Promise<Record<string, number>> {
  const proc = server.proc;
  if (proc === undefined) return {};
  const mark = proc.mark();
  process.kill(server.pid, 'SIGUSR2');
  const m = await proc.waitForOutput(/^memory (\{.*\})$/m, 5000, mark);
  return JSON.parse(m[1] ?? '{}') as Record<string, number>;
}

async function dataplane(server: Server): Promise<DataplaneStats> {
  const r = await queryControl(server.control ?? '', ['show', 'crypto', 'ikev2', 'stats', 'dataplane']);
  if (!r.ok) throw new Error(r.error);
  return r.data as DataplaneStats;
}

const counter = (s: DataplaneStats, name: string): number => s.counters[name] ?? 0;

function allocations(file: string, thread: string): number {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  let total = 0;
  for (const line of lines) {
    const [, comm, count] = line.split(' ');
    if (comm === thread) total += Number(count);
  }
  return total;
}

async function measure(host: Host, contestant: string, round: number, o: Options, start: () => Promise<Server & { port: number }>, extra: readonly string[] = []): Promise<Sample> {
  const server = await start();
  try {
    const memBefore = server.control !== undefined ? await memoryOf(server) : undefined;
    const before = cpuTicks(server.pid);
    const userShare = startUserShare(server.pid, o.seconds + 0.5, host.lab.dir);
    const load = await loadgen(host, server.port, o, extra);
    const after = cpuTicks(server.pid);
    const share = await userShare();
    const perAnswer = (ticks: number): number => (load.answers === 0 ? 0 : (ticks * 1e6) / CLK_TCK / load.answers);
    const user = after.user - before.user;
    const sys = after.sys - before.sys;
    const total = perAnswer(user + sys);
    const sample: Sample = {
      ...load,
      contestant,
      round,
      userUsPerAnswer: share === undefined ? perAnswer(user) : total * share,
      sysUsPerAnswer: share === undefined ? perAnswer(sys) : total * (1 - share),
      userShareFrom: share === undefined ? 'proc-ticks' : 'perf-samples',
    };
    if (server.control !== undefined) {
      const stats = await dataplane(server);
      const memAfter = await memoryOf(server);
      return {
        ...sample,
        extra: {
          jsBatches: stats.counters.js_batches,
          passedToJs: stats.counters.passed_to_js,
          redirectsSent: stats.counters.redirects_sent,
          heapUsedBefore: memBefore?.heapUsed,
          heapUsedAfter: memAfter.heapUsed,
          rssBefore: memBefore?.rss,
          rssAfter: memAfter.rss,
        },
      };
    }
    return sample;
  } finally {
    await server.stop();
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export interface Summary {
  readonly contestant: string;
  readonly label: string;
  readonly answersPerS: number;
  readonly minAnswersPerS: number;
  readonly maxAnswersPerS: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly userUsPerAnswer: number;
  readonly sysUsPerAnswer: number;
  readonly invalid: number;
  readonly lost: number;
  /** Answers/s one full core would give at the measured CPU per answer (1 s / CPU per answer). */
  readonly capacityPerS: number;
}

const LABELS: Record<string, string> = {
  c: 'C redirector (recvmmsg/sendmmsg)',
  ikelb: 'ikelb fast path',
  node: 'Node dgram redirector',
  libreswan: 'libreswan 4.10 pluto global-redirect',
};

function summarize(samples: readonly Sample[], contestant: string): Summary {
  const s = samples.filter((x) => x.contestant === contestant);
  const rates = s.map((x) => x.answers_per_s);
  return {
    contestant,
    label: LABELS[contestant] ?? contestant,
    answersPerS: median(rates),
    minAnswersPerS: Math.min(...rates),
    maxAnswersPerS: Math.max(...rates),
    p50Us: median(s.map((x) => x.p50_us)),
    p99Us: median(s.map((x) => x.p99_us)),
    userUsPerAnswer: median(s.map((x) => x.userUsPerAnswer)),
    sysUsPerAnswer: median(s.map((x) => x.sysUsPerAnswer)),
    invalid: s.reduce((a, x) => a + x.invalid, 0),
    lost: s.reduce((a, x) => a + x.lost, 0),
    capacityPerS: 1e6 / Math.max(1e-9, median(s.map((x) => x.userUsPerAnswer + x.sysUsPerAnswer))),
  };
}

function table(summaries: readonly Summary[]): string {
  const head = `${'contestant'.padEnd(38)} ${'answers/s'.padStart(10)} ${'(min-max)'.padStart(17)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'CPU µs/answer user+sys'.padStart(24)} ${'1-core cap/s'.padStart(12)} ${'invalid'.padStart(7)} ${'lost'.padStart(6)}`;
  const rows = summaries.map(
    (s) =>
      `${s.label.padEnd(38)} ${s.answersPerS.toFixed(0).padStart(10)} ${`(${s.minAnswersPerS.toFixed(0)}-${s.maxAnswersPerS.toFixed(0)})`.padStart(17)} ${s.p50Us.toFixed(0).padStart(8)} ${s.p99Us.toFixed(0).padStart(8)} ${`${s.userUsPerAnswer.toFixed(2)} + ${s.sysUsPerAnswer.toFixed(2)}`.padStart(24)} ${s.capacityPerS.toFixed(0).padStart(12)} ${String(s.invalid).padStart(7)} ${String(s.lost).padStart(6)}`,
  );
  return [head, ...rows].join('\n');
}

interface Ratio {
  readonly name: string;
  readonly value: number;
  readonly target: string;
  readonly met: boolean;
}

function ratios(by: Map<string, Summary>): Ratio[] {
  const out: Ratio[] = [];
  const ikelb = by.get('ikelb');
  if (ikelb === undefined) return out;
  const add = (name: string, value: number, target: string, met: boolean): void => {
    out.push({ name, value, target, met });
  };
  const c = by.get('c');
  const node = by.get('node');
  const libreswan = by.get('libreswan');
  if (c !== undefined) add('ikelb / C redirector answers/s', ikelb.answersPerS / c.answersPerS, '>= 0.9', ikelb.answersPerS / c.answersPerS >= 0.9);
  if (node !== undefined) add('ikelb / Node dgram answers/s', ikelb.answersPerS / node.answersPerS, '>= 1.8', ikelb.answersPerS / node.answersPerS >= 1.8);
  if (libreswan !== undefined) add('ikelb / libreswan answers/s', ikelb.answersPerS / libreswan.answersPerS, '>= 2.5', ikelb.answersPerS / libreswan.answersPerS >= 2.5);
  if (c !== undefined) add('ikelb / C user CPU per answer', ikelb.userUsPerAnswer / Math.max(c.userUsPerAnswer, 1e-9), '<= 2', ikelb.userUsPerAnswer <= 2 * c.userUsPerAnswer);
  // The same comparisons on CPU-derived capacity (answers/s per full core):
  // what the answers/s ratios are when the server, not the scheduler or the
  // load generator, is the limit. Shown beside them, not instead of them.
  const cap = (name: string, other: Summary | undefined, target: number): void => {
    if (other !== undefined) add(`(capacity) ikelb / ${name}`, ikelb.capacityPerS / other.capacityPerS, `>= ${target}`, ikelb.capacityPerS / other.capacityPerS >= target);
  };
  cap('C redirector', c, 0.9);
  cap('Node dgram', node, 1.8);
  cap('libreswan', libreswan, 2.5);
  return out;
}

async function proofPhase(host: Host, o: Options): Promise<Record<string, unknown>> {
  const countFile = path.join(host.lab.dir, 'malloc-count.txt');
  const server = await startIkelb(host, { preload: countFile });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const memBefore = await memoryOf(server);
    const allocBefore = allocations(countFile, 'ikelb-udp');
    const statsBefore = await dataplane(server);
    const load = await loadgen(host, server.port, { ...o, seconds: Math.min(o.seconds, 3) }, ['--max-answers', '300000']);
    await new Promise((r) => setTimeout(r, 200)); // the counter file is rewritten every 50 ms
    const allocAfter = allocations(countFile, 'ikelb-udp');
    const statsAfter = await dataplane(server);
    const memAfter = await memoryOf(server);
    return {
      answers: load.answers,
      invalid: load.invalid,
      redirectsSent: counter(statsAfter, 'redirects_sent') - counter(statsBefore, 'redirects_sent'),
      ioThreadAllocationsDuringRun: allocAfter - allocBefore,
      ioThreadAllocationsAtStart: allocBefore,
      jsBatchCallbacksDuringRun: counter(statsAfter, 'js_batches') - counter(statsBefore, 'js_batches'),
      passedToJsDuringRun: counter(statsAfter, 'passed_to_js') - counter(statsBefore, 'passed_to_js'),
      heapUsedBefore: memBefore.heapUsed,
      heapUsedAfter: memAfter.heapUsed,
      rssBefore: memBefore.rss,
      rssAfter: memAfter.rss,
    };
  } finally {
    await server.stop();
  }
}

async function floodPhase(host: Host, o: Options): Promise<Record<string, unknown>> {
  const countFile = path.join(host.lab.dir, 'malloc-count-flood.txt');
  const server = await startIkelb(host, { cookieChallenge: 0, preload: countFile });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const memBefore = await memoryOf(server);
    const allocBefore = allocations(countFile, 'ikelb-udp');
    const seconds = Math.min(o.seconds, 3);
    // 512 spoofed-looking sources (127.3.0.1 ...) never complete the exchange;
    // one legitimate client does the cookie round trip beside them.
    const [flood, legit] = await Promise.all([
      loadgen(host, server.port, { ...o, seconds, sockets: 512, window: 4 }, ['--mode', 'flood', '--sources', '127.3.0.1+512']),
      loadgen(host, server.port, { ...o, seconds, sockets: 2, window: 4 }, ['--mode', 'cookie', '--sources', '127.9.0.1']),
    ]);
    await new Promise((r) => setTimeout(r, 200));
    const stats = await dataplane(server);
    const memAfter = await memoryOf(server);
    return {
      floodCookiesPerS: flood.answers_per_s,
      floodInvalid: flood.invalid,
      legitRedirectsPerS: legit.answers_per_s,
      legitP99Us: legit.p99_us,
      legitInvalid: legit.invalid,
      legitLost: legit.lost,
      cookiesSent: stats.counters.cookies_sent,
      cookiesValid: stats.counters.cookies_valid,
      passedToJs: stats.counters.passed_to_js,
      jsBatches: stats.counters.js_batches,
      invalidCookies: stats.drops.invalid_cookie,
      ioThreadAllocationsDuringRun: allocations(countFile, 'ikelb-udp') - allocBefore,
      heapUsedBefore: memBefore.heapUsed,
      heapUsedAfter: memAfter.heapUsed,
      rssBefore: memBefore.rss,
      rssAfter: memAfter.rss,
    };
  } finally {
    await server.stop();
  }
}

// I/O thread vs event loop. Both make no JS call per redirect; what differs
// is whether redirects wait for the JS thread. Saturation with the JS thread
// idle (closed loop), then an open-loop 20,000 requests/s while the JS thread
// is busy 5 ms out of every 25 ms (an IKE gateway at work): on one shared core
// (I/O thread at nice -5, the default, and at nice 0) and with the I/O thread
// on the second core (a gateway has more than one; the load generator there
// is light at this rate), which the event loop cannot use.
async function threadingPhase(host: Host, o: Options): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const openLoop = { sockets: 16, window: 64, extra: ['--rate', '20000'] };
  const cases: { label: string; mode: 'thread' | 'event-loop'; start: IkelbStart; load: { sockets?: number; window?: number; extra?: string[] } }[] = [
    { label: 'saturated, JS idle, 1 core', mode: 'thread', start: {}, load: {} },
    { label: 'saturated, JS idle, 1 core', mode: 'event-loop', start: {}, load: {} },
    { label: '20k/s, JS busy 5/25 ms, 1 core', mode: 'thread', start: { busyMs: 5 }, load: openLoop },
    { label: '20k/s, JS busy 5/25 ms, 1 core, I/O nice 0', mode: 'thread', start: { busyMs: 5, ioThreadNice: 0 }, load: openLoop },
    { label: '20k/s, JS busy 5/25 ms, 1 core', mode: 'event-loop', start: { busyMs: 5 }, load: openLoop },
    { label: '20k/s, JS busy 5/25 ms, I/O thread on core 2', mode: 'thread', start: { busyMs: 5, ioCpu: LOAD_CPU }, load: openLoop },
  ];
  for (const c of cases) {
    const load = { ...o, ...(c.load.sockets !== undefined ? { sockets: c.load.sockets } : {}), ...(c.load.window !== undefined ? { window: c.load.window } : {}) };
    const s = await measure(host, `ikelb-${c.mode}`, 1, load, () => startIkelb(host, { mode: c.mode, ...c.start }), c.load.extra ?? []);
    out.push({ case: c.label, mode: c.mode, answersPerS: Math.round(s.answers_per_s), p50Us: s.p50_us, p99Us: s.p99_us, p999Us: s.p999_us, cpuUsPerAnswer: Number((s.userUsPerAnswer + s.sysUsPerAnswer).toFixed(2)), lost: s.lost });
  }
  return out;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  execFileSync('make', ['-s', '-C', here], { stdio: 'inherit' });
  const teardowns: (() => unknown)[] = [];
  const lab = await createLab({ teardown: (fn) => teardowns.push(fn) });
  try {
    const host = await lab.addHost('bench');
    let contestants = ['c', 'ikelb', 'node', 'libreswan'].filter((c) => o.only.has(c));
    const starters: Record<string, () => Promise<Server & { port: number }>> = {
      c: () => startC(host),
      ikelb: () => startIkelb(host),
      node: () => startNode(host),
      libreswan: () => startLibreswan(host),
    };
    if (contestants.includes('libreswan')) {
      try {
        const probe = await startLibreswan(host);
        await probe.stop();
      } catch (err) {
        process.stdout.write(`libreswan skipped: ${(err as Error).message.split('\n')[0]}\n`);
        contestants = contestants.filter((c) => c !== 'libreswan');
      }
    }
    const loadavg = readFileSync('/proc/loadavg', 'utf8').trim();
    process.stdout.write(`bench/redirect: ${o.rounds} rounds x ${o.seconds} s, ${o.sockets} sockets x ${o.window} in flight; load average ${loadavg}\n`);
    const samples: Sample[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      // Alternate the order so drift on a shared machine hits everyone alike.
      const order = round % 2 === 1 ? contestants : [...contestants].reverse();
      for (const c of order) {
        const start = starters[c];
        if (start === undefined) continue;
        const s = await measure(host, c, round, o, start);
        samples.push(s);
        process.stdout.write(`  round ${round} ${c.padEnd(10)} ${s.answers_per_s.toFixed(0).padStart(8)} answers/s  p99 ${s.p99_us.toFixed(0)} µs  invalid ${s.invalid}\n`);
      }
    }
    const summaries = contestants.map((c) => summarize(samples, c));
    const by = new Map(summaries.map((s) => [s.contestant, s]));
    const r = ratios(by);
    process.stdout.write(`\n${table(summaries)}\n\n`);
    for (const x of r) process.stdout.write(`  ${x.name.padEnd(34)} ${x.value.toFixed(2).padStart(6)}  target ${x.target}  ${x.met ? 'met' : 'NOT met'}\n`);

    const proof = o.proof ? await proofPhase(host, o) : undefined;
    if (proof !== undefined) process.stdout.write(`\nproof (ikelb, redirect-only run): ${JSON.stringify(proof)}\n`);
    const flood = o.flood ? await floodPhase(host, o) : undefined;
    if (flood !== undefined) process.stdout.write(`flood (ikelb, cookie-challenge 0): ${JSON.stringify(flood)}\n`);
    const threading = o.threading ? await threadingPhase(host, o) : undefined;
    if (threading !== undefined) for (const t of threading) process.stdout.write(`threading: ${JSON.stringify(t)}\n`);

    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const dir = path.join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const result = {
      bench: 'redirect',
      date: new Date().toISOString(),
      machine: { cpus: readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? '', loadavg, kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(), node: process.version },
      options: { ...o, only: [...o.only] },
      summaries,
      ratios: r,
      proof,
      flood,
      threading,
      samples,
    };
    const json = path.join(dir, `redirect-${stamp}.json`);
    const svg = path.join(dir, `redirect-${stamp}.svg`);
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(svg, renderSvg(summaries, r, result.date));
    process.stdout.write(`\nwrote ${path.relative(root, json)} and ${path.relative(root, svg)}\n`);
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/redirect failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
