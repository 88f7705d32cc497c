// bench/redirect/callgrind.ts: user-space instructions per redirected answer,
// counted by callgrind (npm run bench:redirect:callgrind). On this shared,
// noisy machine instruction counts are repeatable where CPU times are not, so
// this is how the user-CPU target of issue 4 (ikelb within 2 x the minimal C
// redirector) is tracked between changes; bench:redirect's perf-sampled user
// CPU is the timing view of the same thing.
//
// Each contestant runs under `valgrind --tool=callgrind --separate-threads=yes`
// in a lab namespace (loopback only). The load generator (not under valgrind)
// first warms it up, then the counters are zeroed (callgrind_control -z), a
// fixed number of answers is generated (closed loop, 16 sockets x 32 in
// flight, so every recvmmsg returns a full batch as under load), and the
// counters are dumped (callgrind_control -d). Instructions per answer = the
// dump's instructions / answers. Startup and shutdown are not counted.
//   c       the minimal C redirector (bench/redirect/c-redirector.c)
//   ikelb   the real daemon of bench:redirect (ikelb-server.ts: node, the
//           data-plane component, the addon); all threads of the process
//           are counted, and the I/O thread alone is shown beside them
//   engine  engine-host.cc: the same engine and fast path without Node
//           (the addon's flags; its inlining can differ from the addon's)
// Output: a table with the top functions of each, and
// bench/results/callgrind-<time>.json.
//
// Options: --answers N (50000) --only c,ikelb,engine --keep DIR (copy the dumps there)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLab, tsLoaderImport, type Host } from '../../test/support/netns';
import type { Proc } from '../../test/support/proc';

const root = path.join(__dirname, '..', '..');
const here = __dirname;
const build = path.join(here, 'build');
const TARGETS = ['192.0.2.11', '192.0.2.12', '192.0.2.13'];
const WARMUP_ANSWERS = 5000;

interface Options {
  answers: number;
  only: Set<string>;
  /** Copy each contestant's busiest-thread dump here (for callgrind_annotate --auto=yes). */
  keep: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = { answers: 50_000, only: new Set(['c', 'ikelb', 'engine']), keep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1] ?? '';
    if (a === '--answers') (o.answers = Math.max(1000, Math.min(1_000_000, Number(v)))), i++;
    else if (a === '--only') (o.only = new Set(v.split(','))), i++;
    else if (a === '--keep') (o.keep = path.resolve(v)), i++;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

interface FunctionCost {
  readonly perAnswer: number;
  readonly name: string;
}

interface Measurement {
  readonly contestant: string;
  readonly answers: number;
  readonly invalid: number;
  /** Every thread of the process, between zero and dump. */
  readonly instructions: number;
  readonly perAnswer: number;
  /** The busiest thread alone. */
  readonly busiestThreadPerAnswer: number;
  /** The thread that ran the engine (the I/O thread of ikelb; the only thread of the others). */
  readonly ioThreadPerAnswer: number;
  readonly top: readonly FunctionCost[];
}

const LABELS: Record<string, string> = {
  c: 'C redirector (recvmmsg/sendmmsg)',
  ikelb: 'ikelb fast path (real daemon)',
  engine: 'ikelb engine without Node (engine-host)',
};

function cleanEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _drop, ...env } = process.env;
  return { ...env, TS_NODE_TRANSPILE_ONLY: '1' };
}

let portCounter = 5700;

function serverCommand(contestant: string, port: number, dir: string): string[] {
  const common = ['--address', '127.0.0.1', '--port', String(port), '--target', TARGETS.join(',')];
  if (contestant === 'c') return [path.join(build, 'c-redirector'), ...common];
  if (contestant === 'engine') return [path.join(build, 'engine-host'), ...common];
  const config = { address: '127.0.0.1', port, targets: TARGETS, controlPath: path.join(dir, `ikelb-${port}.sock`), mode: 'thread', cookieChallenge: null };
  return [process.execPath, tsLoaderImport(), path.join(here, 'ikelb-server.ts'), JSON.stringify(config)];
}

async function loadgen(host: Host, port: number, answers: number): Promise<{ answers: number; invalid: number; lost: number }> {
  const args = ['--port', String(port), '--duration-ms', '300000', '--warmup-ms', '0', '--max-answers', String(answers), '--sockets', '16', '--window', '32'];
  const r = await host.exec(path.join(build, 'loadgen'), args, { timeoutMs: 320_000 });
  if (r.code !== 0) throw new Error(`loadgen failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as { answers: number; invalid: number; lost: number };
}

function summaryOf(file: string): number {
  const m = /^summary:\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  return m === null ? 0 : Number(m[1]);
}

// The self cost of the functions of one thread's dump. Frames that were on
// the stack when the counters were zeroed (clone, start_thread, main...) are
// listed by callgrind_annotate with the whole total as if it were their own:
// those rows are left out.
function topFunctions(file: string, total: number, answers: number): FunctionCost[] {
  const out = execFileSync('callgrind_annotate', ['--threshold=100', '--inclusive=no', '--auto=no', file], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const rows: FunctionCost[] = [];
  // The function table: after the "file:function" heading and its rule, up to the next rule.
  const lines = out.split('\n');
  const start = lines.findIndex((l) => /file:function/.test(l));
  for (const line of lines.slice(start + 2)) {
    if (line.startsWith('-----')) break;
    const m = /^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const ir = Number((m[1] ?? '0').replace(/,/g, ''));
    if (ir >= 0.995 * total) continue;
    // "path/file.cc:ns::Function(args) [object]" -> "file.cc: ns::Function" (the
    // file tells where an inlined body came from).
    const text = (m[2] ?? '').replace(/\s*\[[^\]]*\]\s*$/, '');
    const colon = text.search(/:(?=[A-Za-z_~])/);
    const where = colon < 0 ? '' : path.basename(text.slice(0, colon));
    const fn = (colon < 0 ? text : text.slice(colon + 1)).replace(/\(.*$/, '').replace(/^std::thread::_State_impl<.*Engine::StartThread.*$/, 'ikelb-udp thread body');
    rows.push({ perAnswer: Number((ir / answers).toFixed(1)), name: where === '' || where === '???' ? fn : `${where}: ${fn}` });
  }
  return rows.slice(0, 12);
}

async function measure(host: Host, contestant: string, o: Options): Promise<Measurement> {
  const port = portCounter++;
  const dir = path.join(host.lab.dir, `callgrind-${contestant}`);
  mkdirSync(dir, { recursive: true });
  const prefix = path.join(dir, 'cg.out');
  const proc: Proc = host.spawn(
    `callgrind-${contestant}`,
    'valgrind',
    ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${prefix}.%p`, ...serverCommand(contestant, port, host.lab.dir)],
    { env: cleanEnv(), cwd: root },
  );
  try {
    await proc.waitForOutput(/^ready/m, contestant === 'ikelb' ? 600_000 : 60_000);
    // node under valgrind keeps compiling for a while after it is ready: a
    // longer warm-up leaves less of that in the counted window.
    await loadgen(host, port, contestant === 'ikelb' ? 6 * WARMUP_ANSWERS : WARMUP_ANSWERS);
    execFileSync('callgrind_control', ['-z', String(proc.pid)], { stdio: 'ignore' });
    const load = await loadgen(host, port, o.answers);
    execFileSync('callgrind_control', ['-d', String(proc.pid)], { stdio: 'ignore' });
    // The first dump: cg.out.<pid>.1 (one thread) or cg.out.<pid>.1-NN (per thread).
    const dumps = readdirSync(dir)
      .filter((f) => f.startsWith(`cg.out.${proc.pid}.1`))
      .map((f) => path.join(dir, f));
    if (dumps.length === 0) throw new Error(`callgrind wrote no dump for ${contestant} in ${dir}`);
    const perThread = dumps.map((f) => ({ file: f, ir: summaryOf(f) })).sort((a, b) => b.ir - a.ir);
    const instructions = perThread.reduce((s, t) => s + t.ir, 0);
    const busiest = perThread[0] ?? { file: '', ir: 0 };
    // The engine's I/O thread (the one that ran Engine::ReceiveBatch): the
    // fast path itself. The other threads of node (JIT compiler, GC sweeper)
    // still work off start-up on a loaded machine; they are counted in
    // `instructions` but do not scale with answers.
    const io = perThread.find((t) => readFileSync(t.file, 'utf8').includes('Engine::ReceiveBatch')) ?? busiest;
    if (o.keep !== undefined) {
      mkdirSync(o.keep, { recursive: true });
      copyFileSync(busiest.file, path.join(o.keep, `callgrind.${contestant}.out`));
      for (const t of perThread) copyFileSync(t.file, path.join(o.keep, `callgrind.${contestant}.${path.basename(t.file)}`));
    }
    return {
      contestant,
      answers: load.answers,
      invalid: load.invalid,
      instructions,
      perAnswer: Number((instructions / load.answers).toFixed(1)),
      busiestThreadPerAnswer: Number((busiest.ir / load.answers).toFixed(1)),
      ioThreadPerAnswer: Number((io.ir / load.answers).toFixed(1)),
      top: topFunctions(io.file, io.ir, load.answers),
    };
  } finally {
    // Let valgrind exit by itself (it removes its vgdb FIFOs from /tmp).
    await proc.stop(120_000);
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  execFileSync('make', ['-s', '-C', here], { stdio: 'inherit' });
  const teardowns: (() => unknown)[] = [];
  const lab = await createLab({ teardown: (fn) => teardowns.push(fn) });
  try {
    const host = await lab.addHost('callgrind');
    const results: Measurement[] = [];
    for (const c of ['c', 'ikelb', 'engine'].filter((x) => o.only.has(x))) {
      process.stdout.write(`measuring ${c} (${o.answers} answers under callgrind)...\n`);
      const m = await measure(host, c, o);
      results.push(m);
      process.stdout.write(`  ${c}: ${m.perAnswer} instructions per answer (I/O thread ${m.ioThreadPerAnswer}, busiest thread ${m.busiestThreadPerAnswer}), ${m.answers} answers, ${m.invalid} invalid\n`);
      for (const f of m.top) process.stdout.write(`    ${f.perAnswer.toFixed(1).padStart(7)}  ${f.name}\n`);
    }
    const by = new Map(results.map((r) => [r.contestant, r]));
    const c = by.get('c');
    process.stdout.write(`\n${'contestant'.padEnd(42)} ${'instructions/answer'.padStart(20)} ${'x C'.padStart(6)}\n`);
    for (const r of results) {
      const ratio = c === undefined ? '' : (r.perAnswer / c.perAnswer).toFixed(2);
      process.stdout.write(`${(LABELS[r.contestant] ?? r.contestant).padEnd(42)} ${r.perAnswer.toFixed(1).padStart(20)} ${ratio.padStart(6)}\n`);
    }
    const ikelb = by.get('ikelb');
    const ratio = ikelb !== undefined && c !== undefined ? ikelb.perAnswer / c.perAnswer : undefined;
    if (ratio !== undefined) process.stdout.write(`\n  ikelb / C instructions per answer ${ratio.toFixed(2)}  target <= 2  ${ratio <= 2 ? 'met' : 'NOT met'}\n`);
    const ioRatio = ikelb !== undefined && c !== undefined ? ikelb.ioThreadPerAnswer / c.ioThreadPerAnswer : undefined;
    if (ioRatio !== undefined) process.stdout.write(`  ikelb I/O thread / C instructions per answer ${ioRatio.toFixed(2)}\n`);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const dir = path.join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `callgrind-${stamp}.json`);
    const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    writeFileSync(file, `${JSON.stringify({ bench: 'redirect-callgrind', date: new Date().toISOString(), commit, options: { ...o, only: [...o.only] }, ratio, ioRatio, results }, null, 2)}\n`);
    process.stdout.write(`\nwrote ${path.relative(root, file)}\n`);
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/redirect/callgrind failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
