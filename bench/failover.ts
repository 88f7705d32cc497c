// bench/failover: how long after `kill -9` of the HSRP active the VIP works
// again, on three namespaces on a Linux bridge (gw1 priority 110, gw2 105,
// client), v2, MD5, preempt, at two timer profiles. For each kill it records:
//   vipAddr  - `ip addr` on the new active shows the VIP
//   arp      - the VIP answers ARP from the client with the new active's MAC
//   hello    - the new active's hello (from the virtual MAC) is seen on the wire
//   ike      - the VIP answers IKE (hook: ikeProbe below; not measured until the IKE gateway exists)
// p50 and max per profile, against the target p50 <= hold + hello (the ratio is
// printed). Writes bench/results/failover.json and failover.svg.
//   npm run bench:failover [-- --kills N]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLab, type Host } from '../test/support/netns';
import type { Proc } from '../test/support/proc';
import { hasVip, pollUntil, sampleGroup, show, startGateway, VIP, type RunningGateway } from '../test/cluster/hsrp/gateways';

interface Profile {
  readonly helloMs: number;
  readonly holdMs: number;
}

interface Sample {
  readonly vipAddr: number;
  readonly arp: number;
  readonly hello: number;
  readonly ike: number | null;
}

/**
 * Hook for the lead: resolve true once the VIP answers an IKE_SA_INIT (e.g. with
 * test/support/strongswan.ts or our own initiator). null = not measured yet.
 */
const ikeProbe: ((client: Host, vip: string) => Promise<boolean>) | null = null;

const profiles: Profile[] = [
  { helloMs: 100, holdMs: 300 },
  { helloMs: 200, holdMs: 700 },
];
const killsArg = process.argv.indexOf('--kills');
const kills = killsArg > 0 ? Number(process.argv[killsArg + 1]) : 10;
const resultsDir = path.join(__dirname, 'results');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function settled(g1: RunningGateway, g2: RunningGateway): Promise<boolean> {
  return (await show(g1)).state === 'Active' && (await show(g2)).state === 'Standby';
}

async function since(proc: Proc, pattern: RegExp, mark: number, start: number, limitMs: number): Promise<number> {
  await proc.waitForOutput(pattern, limitMs, mark);
  return Math.round(performance.now() - start);
}

async function runProfile(profile: Profile): Promise<Sample[]> {
  const teardowns: (() => unknown)[] = [];
  const lab = await createLab({ teardown: (fn) => teardowns.push(fn) });
  try {
    const network = await lab.addLan('lan');
    const h1 = await lab.addHost('gw1');
    const h2 = await lab.addHost('gw2');
    const client = await lab.addHost('client');
    await network.attach(h1, { addresses: ['192.0.2.11/24'] });
    await network.attach(h2, { addresses: ['192.0.2.12/24'] });
    await network.attach(client, { addresses: ['192.0.2.100/24'] });
    const mac2 = (await h2.interface('eth0')).mac;
    const timers = { helloMs: profile.helloMs, holdMs: profile.holdMs };
    let g1 = await startGateway(h1, [sampleGroup('gw1', timers)]);
    const g2 = await startGateway(h2, [sampleGroup('gw2', timers)]);
    const arping = client.spawn('arping', 'arping', ['-i', 'eth0', '-W', '0.01', VIP]);
    const tcpdump = client.spawn('tcpdump', 'tcpdump', ['-l', '-n', '-e', '-i', 'eth0', 'udp port 1985 and src host 192.0.2.12']);
    await tcpdump.waitForOutput(/listening on/, 10_000);
    const samples: Sample[] = [];
    for (let i = 0; i < kills; i++) {
      if ((await pollUntil(() => settled(g1, g2), 20_000, 50)) < 0) throw new Error('gateways did not settle');
      await new Promise((r) => setTimeout(r, profile.holdMs * 2));
      const arpMark = arping.mark();
      const helloMark = tcpdump.mark();
      const start = performance.now();
      g1.proc.kill();
      const [vipAddr, arp, hello] = await Promise.all([
        pollUntil(() => hasVip(h2), 10_000, 5).then((ms) => (ms < 0 ? NaN : Math.round(performance.now() - start))),
        since(arping, new RegExp(`from ${mac2}`), arpMark, start, 10_000),
        since(tcpdump, /00:00:0c:9f:f0:01 > 01:00:5e:00:00:66/, helloMark, start, 10_000),
      ]);
      let ike: number | null = null;
      const probe = ikeProbe as ((client: Host, vip: string) => Promise<boolean>) | null;
      if (probe !== null) {
        const ms = await pollUntil(() => probe(client, VIP), 10_000, 5);
        ike = ms < 0 ? NaN : Math.round(performance.now() - start);
      }
      samples.push({ vipAddr, arp, hello, ike });
      process.stdout.write(`  hello ${profile.helloMs}/hold ${profile.holdMs}: kill ${i + 1}: vip ${vipAddr} ms, arp ${arp} ms, hello ${hello} ms\n`);
      await g1.proc.exited;
      g1 = await startGateway(h1, [sampleGroup('gw1', timers)], `-${i + 1}`);
    }
    return samples;
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

function svg(results: { profile: Profile; samples: Sample[] }[]): string {
  const width = 720;
  const height = 360;
  const left = 60;
  const bottom = 300;
  const maxMs = Math.max(...results.flatMap((r) => r.samples.flatMap((s) => [s.vipAddr, s.arp, s.hello])), ...results.map((r) => r.profile.holdMs + r.profile.helloMs)) * 1.1;
  const y = (ms: number) => bottom - (ms / maxMs) * (bottom - 30);
  const colors = { vipAddr: '#1f77b4', arp: '#2ca02c', hello: '#d62728' } as const;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">HSRP failover after kill -9 of the active (ms, each dot one kill)</text>`,
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
    (['vipAddr', 'arp', 'hello'] as const).forEach((k, j) => {
      r.samples.forEach((s, n) => {
        const x = x0 + j * ((band - 40) / 3) + 10 + (n % 10) * 6;
        parts.push(`<circle cx="${x}" cy="${y(s[k])}" r="3" fill="${colors[k]}"/>`);
      });
    });
  });
  (['vipAddr', 'arp', 'hello'] as const).forEach((k, j) => {
    parts.push(`<circle cx="${left + 10 + j * 170}" cy="${height - 20}" r="4" fill="${colors[k]}"/><text x="${left + 18 + j * 170}" y="${height - 16}">${{ vipAddr: 'ip addr shows VIP', arp: 'VIP answers ARP', hello: 'new active hello seen' }[k]}</text>`);
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
    const stat = (k: keyof Omit<Sample, 'ike'>) => ({ p50: percentile(samples.map((s) => s[k]), 50), max: Math.max(...samples.map((s) => s[k])) });
    return { helloMs: profile.helloMs, holdMs: profile.holdMs, target, kills: samples.length, vipAddr: stat('vipAddr'), arp: stat('arp'), hello: stat('hello') };
  });
  const line = (cols: (string | number)[]) => cols.map((c, i) => String(c).padStart(i === 0 ? 12 : 9)).join(' ');
  process.stdout.write(`\n${line(['hello/hold', 'kills', 'target', 'vip p50', 'vip max', 'arp p50', 'arp max', 'hello p50', 'hello max', 'arp/target'])}\n`);
  for (const r of rows) {
    process.stdout.write(`${line([`${r.helloMs}/${r.holdMs}`, r.kills, r.target, r.vipAddr.p50, r.vipAddr.max, r.arp.p50, r.arp.max, r.hello.p50, r.hello.max, (r.arp.p50 / r.target).toFixed(2)])}\n`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const json = { bench: 'failover', date: new Date().toISOString(), node: process.version, ike: 'not measured (ikeProbe hook unset)', rows, samples: results };
  writeFileSync(path.join(resultsDir, 'failover.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'failover.svg'), svg(results));
  process.stdout.write(`\nwrote ${path.join(resultsDir, 'failover.json')} and failover.svg\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:failover: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
