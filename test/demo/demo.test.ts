// `npm run demo` (= `ikelb demo`) as a user without root runs it: three
// gateways and FlexVPN clients on loopback, an HSRP election, clients
// redirected to the least loaded gateway, a failover and a preempt, then
// everything stopped. Run as `nobody` when the test is root. The demo's own
// configs (examples/demo) are used with their loopback addresses and ports
// shifted per test process (--configs), so two test runs on one host do not
// collide; everything else is what `npm run demo` does.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { startProc, type Proc } from '../support/proc';
import { run as runProgram } from '../support/run';

const NOBODY = 65534;
const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const isRoot = process.getuid?.() === 0;
// A checkout under a folder only root may enter (/root/...) cannot be run by
// `nobody`; then the demo runs as root and the test says so.
const nobodyCanRun = isRoot && spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', 'test', '-r', cli]).status === 0;
const dropToNobody = isRoot && nobodyCanRun;
if (isRoot && !nobodyCanRun) t.comment(`${cli} is not readable by nobody: the demo runs as root here`);

/** examples/demo with 127.0.0.x -> 127.<a>.<b>.x and every port shifted (unique per test process and run). */
function shiftedConfigs(dir: string, run: number): string {
  const a = 100 + (process.pid % 100);
  const b = (Math.floor(process.pid / 100) + run) % 250;
  const shift = 1000 + (process.pid % 4000) * 10;
  const out = path.join(dir, 'configs');
  mkdirSync(out);
  for (const file of readdirSync(path.join(root, 'examples', 'demo'))) {
    const text = readFileSync(path.join(root, 'examples', 'demo', file), 'utf8')
      .replace(/127\.0\.0\./g, `127.${a}.${b}.`)
      .replace(/\b(port|nat-t-port) (\d+)/g, (_m, word: string, port: string) => `${word} ${Number(port) + shift}`);
    writeFileSync(path.join(out, file), text);
  }
  return out;
}

function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

interface DemoRun {
  readonly proc: Proc;
  /** The demo's TMPDIR (holds only the shifted configs before it starts). */
  readonly dir: string;
  /** Runs a command line as the demo's user, in the demo's environment and folder. */
  asUser(commandLine: string): ReturnType<typeof runProgram>;
}

/**
 * `node dist/cli/main.js demo ...` — what `npm run demo` runs — as `nobody`
 * when the test is root, with TMPDIR and HOME in a fresh folder so that
 * anything the demo leaves behind is seen. tap's process-info hook injects
 * NODE_OPTIONS into every child; `env -u` takes it out again, so the demo
 * runs exactly as a user's shell would start it.
 */
function startDemo(t: Test, run: number, demoArgs: readonly string[]): DemoRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-demo-test-'));
  chmodSync(dir, 0o755);
  const configs = shiftedConfigs(dir, run);
  if (dropToNobody) chownSync(dir, NOBODY, NOBODY);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS$|_TAPJS_|TAP)/.test(k))), HOME: dir, TMPDIR: dir };
  const asUser = (command: readonly string[]): [string, string[]] => {
    const line = ['env', '-u', 'NODE_OPTIONS', ...command];
    return dropToNobody ? ['setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', ...line]] : [line[0] as string, line.slice(1)];
  };
  const [file, args] = asUser([process.execPath, cli, 'demo', '--configs', configs, ...demoArgs]);
  const proc = startProc('demo', file, args, { env, cwd: root });
  t.teardown(() => proc.stop());
  return {
    proc,
    dir,
    asUser: (commandLine) => {
      // The printed hint starts with `node`: the same node as the demo's.
      const [first, ...rest] = commandLine.split(' ');
      const [f, a] = asUser([first === 'node' ? process.execPath : (first as string), ...rest]);
      return runProgram(f, a, { env, cwd: root });
    },
  };
}

/** Nothing of the demo is left: no process, no scratch folder, no other file in its TMPDIR/HOME. */
function assertNothingLeft(t: Test, run: DemoRun): void {
  const out = run.proc.output;
  const scratch = /logs and control sockets: (\S+)/.exec(out)?.[1];
  t.ok(scratch !== undefined && !existsSync(scratch), 'the scratch folder (logs, control sockets) is removed');
  t.same(processesMentioning(run.dir), [], 'no process of the demo is left');
  t.same(readdirSync(run.dir), ['configs'], 'the demo left no file behind');
  if (dropToNobody) t.notMatch(out, /EACCES|EPERM/, 'nothing needed root');
}

t.test('the demo elects gw1, spreads clients over the three gateways, fails over and back, and stops everything', async (t) => {
  const run = startDemo(t, 0, ['--seconds', '14']);
  const status = await run.proc.exited;
  const out = run.proc.output;
  t.comment(out);
  t.equal(status.code, 0, 'exit 0');
  t.match(out, /gw1 \(priority 110\) is active: it owns the VIP 127\.\d+\.\d+\.10 and is the CLB primary/);
  t.match(out, /show crypto ikev2 cluster on gw1:[\s\S]*Members\s+: 3/);
  t.match(out, /try while it runs: node dist\/cli\/main\.js show crypto ikev2 cluster --control \S+\/gw1\.sock/, 'the hint names a command that works in a checkout');
  t.match(out, /6 of 6 clients established/);
  const first = /IKE SAs per gateway \(show crypto ikev2 sa\): gw1 (\d+), gw2 (\d+), gw3 (\d+)/.exec(out);
  t.ok(first, 'SAs per gateway printed');
  if (first !== null) {
    const counts = first.slice(1).map(Number);
    t.equal(counts.reduce((x, y) => x + y, 0), 6, 'every client has its SA on one gateway');
    t.ok(counts.every((n) => n >= 1 && n <= 3), `spread over all three gateways (${counts.join('/')}), none with more than half`);
  }
  const redirects = /Redirects sent by the running gateways: (\d+) in IKE_SA_INIT/.exec(out);
  t.ok(redirects !== null && Number(redirects[1]) >= 3, 'the primary redirected clients from its fast path');
  t.match(out, /kill -9 gw1/);
  const failover = /gw2 is HSRP active after (\d+) ms; the VIP answers IKE_SA_INIT again after (\d+) ms/.exec(out);
  t.ok(failover, 'gw2 took over and the VIP answered IKE again');
  if (failover !== null) t.comment(`demo failover: gw2 active after ${failover[1]} ms, IKE on the VIP after ${failover[2]} ms (hold 700 + hello 200)`);
  t.match(out, /show crypto ikev2 cluster on gw2: gw2 primary \d+\/10 sessions, gw3 subordinate/);
  t.match(out, /3 of 3 clients established/);
  t.match(out, /gw1 is active and CLB primary again/);
  t.match(out, /demo finished/);
  assertNothingLeft(t, run);
});

t.test('while the demo runs, the command it prints answers; Ctrl-C then stops every gateway and client, exit status 130', async (t) => {
  const run = startDemo(t, 1, ['--seconds', '60', '--no-failover']);
  await run.proc.waitForOutput(/running until the 60 s are up/, 30_000);
  const hint = /try while it runs: (.*)$/m.exec(run.proc.output)?.[1];
  t.ok(hint, 'the demo prints a command to try');
  if (hint !== undefined) {
    const shown = await run.asUser(hint);
    t.equal(shown.code, 0, `${hint}: ${shown.stderr}`);
    t.match(shown.stdout, /Role\s+: primary \(HSRP active in demo\)/, 'and that command shows gw1 as the CLB primary');
  }
  run.proc.signal('SIGINT');
  const status = await run.proc.exited;
  const out = run.proc.output;
  t.comment(out);
  t.equal(status.code, 130, 'exit status 128 + SIGINT');
  t.match(out, /SIGINT: stopping the clients and the gateways/);
  t.match(out, /demo interrupted \(SIGINT\)/);
  t.notMatch(out, /IKE SAs per gateway at the end/, 'it stopped at once, not after its 60 s');
  assertNothingLeft(t, run);
});
