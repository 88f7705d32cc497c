import t from 'tap';
import type { LlgPolicy } from '../../../lib/cluster/clb/least-loaded';
import { MemberTable, type TableChange } from '../../../lib/cluster/clb/member-table';
import { Capability } from '../../../lib/cluster/clb/messages';
import { VirtualClock } from '../../support/virtual-clock';

const policy: LlgPolicy = { weights: { crypto: 100, system: 50 }, overloadLimit: 90, hysteresis: 1 };
const hello = (address: string, priority = 90) => ({ address, priority, capabilities: Capability.redirectTarget, maxSession: 1000 });
const load = (sessions: number, systemLoad = 10) => ({
  sessions,
  maxSession: 1000,
  cryptoLoad: sessions / 10,
  systemLoad,
  cpuLoad: systemLoad,
  memoryLoad: 5,
  priority: 90,
  draining: false,
});

function setup(holdtimeMs = 3000) {
  const clock = new VirtualClock();
  const changes: Array<[TableChange, string]> = [];
  const expired: string[] = [];
  const table = new MemberTable({
    clock,
    holdtimeMs,
    policy,
    onChange: (change, address) => changes.push([change, address]),
    onExpired: (address) => expired.push(address),
  });
  return { clock, table, changes, expired };
}

t.test('a member joins on HELLO as joining and is up once it reports load', async (t) => {
  const { table, changes } = setup();
  t.equal(table.hello(7, hello('192.0.2.12')), true);
  t.match(table.get('192.0.2.12'), { state: 'joining', eligible: false, memberId: 7 });
  t.equal(table.load('192.0.2.12', 7, load(100, 40)), true);
  const m = table.get('192.0.2.12');
  t.match(m, { state: 'up', eligible: true, sessions: 100, cryptoLoad: 10, systemLoad: 40 });
  t.equal(m?.score, Math.round(((100 * 10 + 50 * 40) / 150) * 10000) / 10000);
  t.same(changes, [['joined', '192.0.2.12'], ['load', '192.0.2.12']]);
});

t.test('a member silent for holdtime is dead and leaves the table, not a millisecond earlier', async (t) => {
  const { clock, table, expired, changes } = setup(3000);
  table.hello(7, hello('192.0.2.12'));
  table.load('192.0.2.12', 7, load(1));
  clock.advance(2999);
  t.ok(table.has('192.0.2.12'), 'still there at holdtime - 1 ms');
  clock.advance(1);
  t.notOk(table.has('192.0.2.12'), 'gone at holdtime');
  t.same(expired, ['192.0.2.12']);
  t.same(changes.at(-1), ['expired', '192.0.2.12']);
  t.equal(clock.armed, 0, 'no timer left behind');
});

t.test('every valid frame restarts the holdtime', async (t) => {
  const { clock, table, expired } = setup(3000);
  table.hello(7, hello('192.0.2.12'));
  for (let i = 0; i < 10; i++) {
    clock.advance(2000);
    if (i % 2 === 0) table.hello(7, hello('192.0.2.12'));
    else table.load('192.0.2.12', 7, load(i));
  }
  t.ok(table.has('192.0.2.12'), 'alive after 20 s of traffic every 2 s');
  clock.advance(3000);
  t.same(expired, ['192.0.2.12']);
});

t.test("the primary's own row never expires", async (t) => {
  const { clock, table } = setup(1000);
  table.setLocal('192.0.2.11', { priority: 90, capabilities: 1, maxSession: 1000 }, load(5));
  clock.advance(60_000);
  t.match(table.get('192.0.2.11'), { local: true, state: 'up', sessions: 5 });
  t.equal(clock.armed, 0);
});

t.test('a restarted member (new id) starts over; a LOAD under the old id is not believed', async (t) => {
  const { table } = setup();
  table.hello(7, hello('192.0.2.12'));
  table.load('192.0.2.12', 7, load(100));
  table.hello(8, hello('192.0.2.12'));
  t.match(table.get('192.0.2.12'), { memberId: 8, state: 'joining', sessions: 0 });
  t.equal(table.load('192.0.2.12', 7, load(5)), false);
  t.equal(table.load('192.0.2.13', 9, load(5)), false, 'a LOAD from a member that never said HELLO');
});

t.test('a HELLO that changes nothing is not reported as a change; one that changes priority is', async (t) => {
  const { table, changes } = setup();
  table.hello(7, hello('192.0.2.12', 90));
  table.hello(7, hello('192.0.2.12', 90));
  table.hello(7, hello('192.0.2.12', 100));
  t.same(changes, [['joined', '192.0.2.12'], ['hello', '192.0.2.12']]);
});

t.test('remove() drops a member and its timer; clear() empties the table', async (t) => {
  const { clock, table } = setup();
  table.hello(7, hello('192.0.2.12'));
  table.hello(8, hello('2001:db8::13'));
  t.equal(table.remove('192.0.2.12', 99), false, 'not with another member id');
  t.equal(table.remove('192.0.2.12', 7), true);
  t.equal(clock.armed, 1);
  t.same(table.members().map((m) => m.address), ['2001:db8::13']);
  table.clear();
  t.equal(table.size, 0);
  t.equal(clock.armed, 0);
});

t.test('members are listed in address order with their state', async (t) => {
  const { table } = setup();
  table.setLocal('192.0.2.11', { priority: 90, capabilities: 1, maxSession: 1000 }, load(10));
  table.hello(1, hello('192.0.2.100'));
  table.hello(2, hello('192.0.2.9'));
  table.load('192.0.2.9', 2, { ...load(1000), cryptoLoad: 100 });
  t.same(
    table.members().map((m) => [m.address, m.state]),
    [
      ['192.0.2.9', 'full'],
      ['192.0.2.11', 'up'],
      ['192.0.2.100', 'joining'],
    ],
  );
});
