import t from 'tap';
import { cryptoLoad, parseCpuTimes, parseMemoryLoad, SystemLoadSampler, type ProcReader } from '../../../lib/cluster/clb/system-load';

const meminfo = 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nBuffers:          100 kB\n';

t.test('CPU load is the busy share of the time between two /proc/stat samples', async (t) => {
  const stats = [
    'cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n',
    // +300 busy (user 200, system 50, irq 50), +100 idle, +100 iowait
    'cpu  300 0 150 900 100 50 0 0 0 0\ncpu0 1 1 1 1 1 1 1 1 1 1\n',
  ];
  let i = 0;
  const read: ProcReader = (path) => (path === '/proc/stat' ? (stats[Math.min(i++, 1)] as string) : meminfo);
  const sampler = new SystemLoadSampler(read);
  const sample = sampler.sample();
  t.equal(sample.cpuLoad, 60, '300 busy of 500 ticks');
  t.equal(sample.memoryLoad, 75, '1 - MemAvailable/MemTotal');
  t.equal(sample.systemLoad, 75, 'system load is the higher of the two');
  t.equal(sampler.sample().cpuLoad, 60, 'no tick elapsed: the last figure is repeated');
});

t.test('malformed or missing /proc content gives 0, not an exception', async (t) => {
  t.equal(parseCpuTimes('intr 1 2 3\n'), undefined);
  t.equal(parseCpuTimes('cpu  1 x 3 4\n'), undefined);
  t.equal(parseMemoryLoad('MemTotal: 100 kB\n'), undefined);
  const sampler = new SystemLoadSampler(() => {
    throw new Error('ENOENT');
  });
  t.same(sampler.sample(), { cpuLoad: 0, memoryLoad: 0, systemLoad: 0 });
});

t.test('crypto load is sessions against max-session, capped at 100', async (t) => {
  t.equal(cryptoLoad(250, 1000), 25);
  t.equal(cryptoLoad(2000, 1000), 100);
});

t.test('this machine reports CPU and memory load between 0 and 100', async (t) => {
  const sampler = new SystemLoadSampler();
  await new Promise((r) => setTimeout(r, 50));
  const s = sampler.sample();
  for (const v of [s.cpuLoad, s.memoryLoad, s.systemLoad]) t.ok(v >= 0 && v <= 100, `${v}`);
  t.ok(s.memoryLoad > 0, 'a running machine uses some memory');
});
