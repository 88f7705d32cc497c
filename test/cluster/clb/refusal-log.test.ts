import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { RefusalCounter, refusalLogIntervalMs, refusalReasons } from '../../../lib/cluster/clb/refusals';
import { VirtualClock } from '../../support/virtual-clock';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, stream) };
}

t.test('a flood of refusals is counted in full but logged once per interval per reason', async (t) => {
  const clock = new VirtualClock();
  const { lines, log } = capture();
  const counter = new RefusalCounter(clock, log);
  for (let i = 0; i < 1000; i++) counter.refuse('bad-mac', '192.0.2.66:40000');
  counter.refuse('replay', '192.0.2.66:40001');
  await new Promise((r) => setImmediate(r));
  t.equal(counter.snapshot()['bad-mac'], 1000);
  t.equal(counter.total(), 1001);
  t.same(lines.map((l) => l.reason), ['bad-mac', 'replay'], 'one line per reason');
  clock.advance(refusalLogIntervalMs);
  counter.refuse('bad-mac', '192.0.2.66:40002');
  await new Promise((r) => setImmediate(r));
  t.match(lines.at(-1), { reason: 'bad-mac', suppressedSinceLastLog: 999, total: 1001, msg: 'CLB peer refused' });
});

t.test('every reason starts at zero', async (t) => {
  const counts = new RefusalCounter(new VirtualClock(), pino({ level: 'silent' })).snapshot();
  t.same(Object.keys(counts), [...refusalReasons]);
  t.ok(Object.values(counts).every((n) => n === 0));
});
