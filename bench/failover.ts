// bench/failover: how long after `kill -9` of the HSRP active the VIP works
// again. Three real `ikelb gateway` processes (examples/gw1..gw3.conf: v2,
// MD5, preempt, CLB, redirect gateway init) and a client host in network
// namespaces on a Linux bridge (test/cluster/cluster-lab.ts), at two HSRP
// timer profiles. For each kill of the active (gw1) it records:
//   vipAddr - `ip addr` on the new active (gw2) shows the VIP
//   arp     - the VIP answers ARP from the client with gw2's MAC
//   hello   - gw2's hello as active (from the virtual MAC) is seen on the wire
//   ike     - the VIP ANSWERS IKE again: the first answer to a stateless
//             IKE_SA_INIT probe (lib/cluster/ike-probe.ts, one every 5 ms from
//             the client, with REDIRECT_SUPPORTED as a FlexVPN client sends it)
//             sent after the kill — gw2's IKE gateway or its fast path
// then gw1 is restarted and preempts (Coup) before the next kill. p50 and max
// per profile against issue 5's target p50(ike) <= hold + hello (ratio
// printed). Writes bench/results/failover.{json,svg,txt}.
//   npm run bench:failover [-- --kills N]     (root; ~2 min for 2 x 10 kills)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { preciseNow, type IkeProbeAnswer } from '../lib/cluster/ike-probe';
import { clusterLab, VIP, type ConfigChanges } from '../test/cluster/cluster-lab';
import type { Proc } from '../test/support/proc';

interface Profile {
  readonly helloMs: number;
  readonly holdMs: number;
}

interface Sample {
  readonly vipAddr: number;
  readonly arp: number;
  readonly hello: number;
  readonly ike: number;
  /** What answered first: 'redirect' (gw2's fast path) or 'invalid-ke' (gw2's IKE gateway, the probe's KE is wrong on purpose). */
  readonly ikeAnswer: string;
}

type Metric = 'vipAddr' | 'arp' | 'hello' | 'ike';
const METRICS: readonly Metric[] = ['vipAddr', 'arp', 'hello', 'ike'];
const LABELS: Record<Metric, string> = { vipAddr: 'ip addr shows VIP', arp: 'VIP answers ARP', hello: 'new active hello seen', ike: 'VIP answers IKE' };

const profiles: Profile[] = [
  { helloMs: 100, holdMs: 300 },
  { helloMs: 200, holdMs: 700 },
];
const killsArg = process.argv.indexOf('--kills');
const kills = killsArg > 0 ? Number(process.argv[killsArg + 1]) : 10;
const PROBE_INTERVAL_MS = 5;
const resultsDir = path.join(__dirname, 'results');
const report: string[] = [];
const say = (line: string): void => {
  report.push(line);
  process.stdout.write(`${line}\n`);
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function pollUntil(check: () => Promise<boolean>, limitMs: number, stepMs: number): Promise<boolean> {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return false;
}

async function since(proc: Proc, pattern: RegExp, mark: number, killedAt: number, limitMs: number): Promise<number> {
  await proc.waitForOutput(pattern, limitMs, mark);
  return Math.round(preciseNow() - killedAt);
}

/** The first probe answer to a request sent at or after `killedAt`. */
function firstAnswerAfter(prober: Proc, mark: number, killedAt: number, limitMs: number): Promise<IkeProbeAnswer> {
  return prober.waitUntil(
    () => {
      const text = prober.output.slice(Math.max(0, mark - (prober.mark() - prober.output.length)));
      for (const m of text.matchAll(/^answer (\{.*\})$/gm)) {
        const answer = JSON.parse(m[1] as string) as IkeProbeAnswer;
        if (answer.sentAt >= killedAt) return answer;
      }
      return undefined;
    },
    limitMs,
    'see an IKE answer on the VIP after the kill',
  );
}

async function runProfile(profile: Profile): Promise<Sample[]> {
  const teardowns: (() => unknown)[] = [];
  try {
    const cl = await clusterLab({ teardown: (fn) => teardowns.push(fn) }, 1);
    const client = cl.clients[0];
    if (client === undefined) throw new Error('no client host');
    const changes: ConfigChanges = { hsrp: profile };
    await Promise.all((['gw1', 'gw2', 'gw3'] as const).map((n) => cl.start(n, changes)));
    const mac2 = (await cl.gw.gw2.interface('eth0')).mac;
    const arping = client.spawn('arping', 'arping', ['-i', 'eth0', '-W', '0.01', VIP]);
    const tcpdump = client.spawn('tcpdump', 'tcpdump', ['-l', '-n', '-e', '-i', 'eth0', 'udp port 1985 and src host 192.0.2.12']);
    await tcpdump.waitForOutput(/listening on/, 10_000);
    const prober = client.spawnNode('ike-prober', 'test/fixtures/ike-prober.ts', [VIP, '500', String(PROBE_INTERVAL_MS)]);
    await prober.waitForOutput(/ike-prober probing/, 20_000);
    const settled = async (): Promise<boolean> => {
      const [s1, s2, c1] = await Promise.all([cl.standby('gw1'), cl.standby('gw2'), cl.cluster('gw1')]);
      return s1.state === 'Active' && s2.state === 'Standby' && c1.role === 'primary' && c1.members.filter((m) => m.state === 'up').length === 3;
    };
    const samples: Sample[] = [];
    for (let i = 0; i < kills; i++) {
      if (!(await pollUntil(() => settled().catch(() => false), 30_000, 50))) throw new Error('the cluster did not settle (gw1 active and CLB primary of three)');
      await new Promise((r) => setTimeout(r, profile.holdMs * 2));
      // gw1 answers the probes before the kill: the measurement starts from a working VIP.
      await prober.waitForOutput(/^answer /m, 5000, prober.mark());
      const arpMark = arping.mark();
      const helloMark = tcpdump.mark();
      const probeMark = prober.mark();
      const gw1 = cl.daemon('gw1');
      const killedAt = preciseNow();
      gw1.proc.kill();
      const [vipAddr, arp, hello, answer] = await Promise.all([
        pollUntil(() => cl.hasVip('gw2'), 10_000, 5).then((ok) => (ok ? Math.round(preciseNow() - killedAt) : NaN)),
        since(arping, new RegExp(`from ${mac2}`), arpMark, killedAt, 10_000),
        since(tcpdump, /00:00:0c:9f:f0:01 > 01:00:5e:00:00:66/, helloMark, killedAt, 10_000),
        firstAnswerAfter(prober, probeMark, killedAt, 10_000),
      ]);
      const ike = Math.round(answer.receivedAt - killedAt);
      samples.push({ vipAddr, arp, hello, ike, ikeAnswer: answer.kind });
      say(`  hello ${profile.helloMs}/hold ${profile.holdMs}: kill ${i + 1}: vip ${vipAddr} ms, arp ${arp} ms, hello ${hello} ms, IKE answered ${ike} ms (${answer.kind}${answer.target === undefined ? '' : ` to ${answer.target}`})`);
      await gw1.proc.exited;
      await cl.start('gw1', changes);
    }
    return samples;
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

function svg(results: { profile: Profile; samples: Sample[] }[]): string {
  const width = 820;
  const height = 380;
  const left = 60;
  const bottom = 310;
  const maxMs = Math.max(...results.flatMap((r) => r.samples.flatMap((s) => METRICS.map((k) => s[k]))), ...results.map((r) => r.profile.holdMs + r.profile.helloMs)) * 1.1;
  const y = (ms: number) => bottom - (ms / maxMs) * (bottom - 30);
  const colors: Record<Metric, string> = { vipAddr: '#1f77b4', arp: '#2ca02c', hello: '#d62728', ike: '#9467bd' };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">kill -9 of the active ikelb gateway: time until ... (ms, each dot one kill)</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="30" x2="${left}" y2="${bottom}" stroke="black"/>`,
  ];
  for (let ms = 0; ms <= maxMs; ms += 200) parts.push(`<text x="${left - 6}" y="${y(ms) + 4}" text-anchor="end">${ms}</text><line x1="${left}" x2="${width - 20}" y1="${y(ms)}" y2="${y(ms)}" stroke="#eee"/>`);
  const band = (width - left - 40) / results.length;
  results.forEach((r, i) => {
    const x0 = left + 20 + i * band;
    const target = r.profile.holdMs + r.profile.helloMs;
    parts.push(`<line x1="${x0}" x2="${x0 + band - 40}" y1="${y(target)}" y2="${y(target)}" stroke="#999" stroke-dasharray="4"/>`);
    parts.push(`<text x="${x0 + band - 40}" y="${y(target) - 4}" text-anchor="end" fill="#666">target hold+hello ${target}</text>`);
    parts.push(`<text x="${x0 + (band - 40) / 2}" y="${bottom + 18}" text-anchor="middle">hello ${r.profile.helloMs} / hold ${r.profile.holdMs} ms</text>`);
    METRICS.forEach((k, j) => {
      r.samples.forEach((s, n) => {
        const x = x0 + j * ((band - 40) / METRICS.length) + 10 + (n % 10) * 6;
        parts.push(`<circle cx="${x}" cy="${y(s[k])}" r="3" fill="${colors[k]}"/>`);
      });
    });
  });
  METRICS.forEach((k, j) => {
    parts.push(`<circle cx="${left + 10 + j * 180}" cy="${height - 20}" r="4" fill="${colors[k]}"/><text x="${left + 18 + j * 180}" y="${height - 16}">${LABELS[k]}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:failover needs root (network namespaces)');
  const results: { profile: Profile; samples: Sample[] }[] = [];
  for (const profile of profiles) results.push({ profile, samples: await runProfile(profile) });
  const rows = results.map(({ profile, samples }) => {
    const target = profile.holdMs + profile.helloMs;
    const stat = (k: Metric) => ({ p50: percentile(samples.map((s) => s[k]), 50), max: Math.max(...samples.map((s) => s[k])) });
    const answers: Record<string, number> = {};
    for (const s of samples) answers[s.ikeAnswer] = (answers[s.ikeAnswer] ?? 0) + 1;
    return { helloMs: profile.helloMs, holdMs: profile.holdMs, target, kills: samples.length, vipAddr: stat('vipAddr'), arp: stat('arp'), hello: stat('hello'), ike: stat('ike'), ikeFirstAnswers: answers };
  });
  const line = (cols: (string | number)[]) => cols.map((c, i) => String(c).padStart(i === 0 ? 12 : 9)).join(' ');
  say('');
  say(line(['hello/hold', 'kills', 'target', 'vip p50', 'vip max', 'arp p50', 'arp max', 'hello p50', 'hello max', 'IKE p50', 'IKE max', 'IKE/target']));
  for (const r of rows) {
    say(line([`${r.helloMs}/${r.holdMs}`, r.kills, r.target, r.vipAddr.p50, r.vipAddr.max, r.arp.p50, r.arp.max, r.hello.p50, r.hello.max, r.ike.p50, r.ike.max, (r.ike.p50 / r.target).toFixed(2)]));
  }
  say('(ms after kill -9 of the active; target: p50 of "VIP answers IKE" <= hold + hello, i.e. IKE/target <= 1.00)');
  mkdirSync(resultsDir, { recursive: true });
  const json = {
    bench: 'failover',
    date: new Date().toISOString(),
    node: process.version,
    setup: 'three ikelb gateway processes (examples/gw1..gw3.conf, timers replaced) + a client host in network namespaces on one bridge; kill -9 of gw1, gw2 takes over; IKE probe every 5 ms from the client',
    rows,
    samples: results,
  };
  writeFileSync(path.join(resultsDir, 'failover.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'failover.svg'), svg(results));
  writeFileSync(path.join(resultsDir, 'failover.txt'), `${report.join('\n')}\n`);
  process.stdout.write(`\nwrote ${path.join(resultsDir, 'failover.{json,svg,txt}')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:failover: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
