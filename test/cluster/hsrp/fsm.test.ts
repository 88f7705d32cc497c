import t from 'tap';
import { encodeHsrp } from '../../../lib/cluster/hsrp/codec';
import { HsrpFsm, outranks, type FsmAction, type FsmConfig } from '../../../lib/cluster/hsrp/fsm';
import type { DecodedMessage, HsrpOpcode, HsrpState } from '../../../lib/cluster/hsrp/hsrp-native';
import { VirtualClock } from '../../support/virtual-clock';
import { gatewayConfig, VirtualLan } from './virtual-lan';

// --- one router fed crafted, already-authenticated datagrams ------------------

const me: FsmConfig = { group: 1, version: 2, priority: 100, preempt: false, preemptDelayMs: 0, helloMs: 200, holdMs: 700, vip: '192.0.2.10', localIp: '192.0.2.12' };

function rig(config: Partial<FsmConfig> = {}) {
  const clock = new VirtualClock();
  const actions: FsmAction[] = [];
  const fsm = new HsrpFsm({ ...me, ...config }, clock, (a) => actions.push(a));
  const from = (ip: string, opcode: HsrpOpcode, state: HsrpState, priority: number, extra: Partial<DecodedMessage> = {}) =>
    fsm.receive({
      sourceIp: ip,
      result: { ok: true, version: 2, opcode, state, priority, group: 1, helloMs: 300, holdMs: 900, ipVersion: 4, vip: '192.0.2.10', authKind: 'md5', auth: 'ok', ...extra },
    });
  const sent = () => actions.filter((a) => a.type === 'send').map((a) => (a.type === 'send' ? a.opcode : ''));
  return { clock, fsm, actions, from, sent };
}

const HIGH = '192.0.2.13'; // priority ties go to the higher address
const LOW = '192.0.2.11';

/** Drives a fresh router to `state` through RFC 2281 events. */
function inState(state: HsrpState, config: Partial<FsmConfig> = {}) {
  const r = rig(config);
  if (state === 'Initial') return r;
  if (state === 'Learn') {
    const learner = rig({ ...config, vip: undefined });
    learner.fsm.enable();
    return learner;
  }
  r.fsm.enable(); // a -> Listen
  if (state === 'Listen') return r;
  r.from(LOW, 'Hello', 'Standby', 50); // l: Listen -> Speak
  if (state === 'Speak') return r;
  r.from(LOW, 'Hello', 'Standby', 50); // l: Speak -> Standby
  if (state === 'Standby') return r;
  r.from(LOW, 'Resign', 'Active', 50); // i: Standby -> Active
  return r;
}

t.test('every router starts in Initial and reaches the state the RFC table names (driver self-check)', async (t) => {
  for (const s of ['Initial', 'Learn', 'Listen', 'Speak', 'Standby', 'Active'] as const) t.equal(inState(s).fsm.state, s);
});

t.test('RFC 2281 §6.5 transitions, event by event', async (t) => {
  const cases: [string, HsrpState, (r: ReturnType<typeof rig>) => void, HsrpState][] = [
    ['a: enabled with a configured VIP', 'Initial', (r) => r.fsm.enable(), 'Listen'],
    ['b: disabled from Listen', 'Listen', (r) => r.fsm.disable(), 'Initial'],
    ['b: disabled from Speak', 'Speak', (r) => r.fsm.disable(), 'Initial'],
    ['b: disabled from Standby', 'Standby', (r) => r.fsm.disable(), 'Initial'],
    ['b: disabled from Active', 'Active', (r) => r.fsm.disable(), 'Initial'],
    ['c: active timer expiry in Listen', 'Listen', (r) => r.clock.advance(700), 'Speak'],
    ['c: active timer expiry in Standby', 'Standby', (r) => r.clock.advance(700), 'Active'],
    ['d: standby timer expiry in Listen', 'Listen', (r) => { r.from(HIGH, 'Hello', 'Active', 200); r.clock.advance(700); }, 'Speak'],
    ['d: standby timer expiry in Speak', 'Speak', (r) => { r.from(HIGH, 'Hello', 'Active', 200, { holdMs: 5000 }); r.clock.advance(901); }, 'Standby'],
    ['f: higher-priority speaker while in Speak', 'Speak', (r) => r.from(HIGH, 'Hello', 'Speak', 200), 'Listen'],
    ['f: higher-priority speaker while in Standby', 'Standby', (r) => r.from(HIGH, 'Hello', 'Speak', 200), 'Listen'],
    ['g: higher-priority active seen in Learn', 'Learn', (r) => r.from(HIGH, 'Hello', 'Active', 200), 'Listen'],
    ['g: higher-priority active seen in Listen', 'Listen', (r) => r.from(HIGH, 'Hello', 'Active', 200), 'Listen'],
    ['g: higher-priority active seen in Active', 'Active', (r) => r.from(HIGH, 'Hello', 'Active', 200), 'Speak'],
    ['h: lower-priority active seen in Learn', 'Learn', (r) => r.from(LOW, 'Hello', 'Active', 50), 'Listen'],
    ['h: lower-priority active, no preempt, in Standby', 'Standby', (r) => r.from(LOW, 'Hello', 'Active', 50), 'Standby'],
    ['i: resign from the active in Listen', 'Listen', (r) => r.from(LOW, 'Resign', 'Active', 50), 'Speak'],
    ['i: resign from the active in Speak', 'Speak', (r) => r.from(LOW, 'Resign', 'Active', 50), 'Speak'],
    ['i: resign from the active in Standby', 'Standby', (r) => r.from(LOW, 'Resign', 'Active', 50), 'Active'],
    ['j: coup from a higher-priority router in Active', 'Active', (r) => r.from(HIGH, 'Coup', 'Standby', 200), 'Speak'],
    ['j: coup from a lower-priority router in Active is ignored', 'Active', (r) => r.from(LOW, 'Coup', 'Standby', 50), 'Active'],
    ['k: higher-priority standby seen in Speak', 'Speak', (r) => r.from(HIGH, 'Hello', 'Standby', 200), 'Listen'],
    ['k: higher-priority standby seen in Standby', 'Standby', (r) => r.from(HIGH, 'Hello', 'Standby', 200), 'Listen'],
    ['k: higher-priority standby seen in Listen', 'Listen', (r) => r.from(HIGH, 'Hello', 'Standby', 200), 'Listen'],
    ['l: lower-priority standby seen in Listen', 'Listen', (r) => r.from(LOW, 'Hello', 'Standby', 50), 'Speak'],
    ['l: lower-priority standby seen in Speak', 'Speak', (r) => r.from(LOW, 'Hello', 'Standby', 50), 'Standby'],
    ['l: lower-priority standby seen in Standby', 'Standby', (r) => r.from(LOW, 'Hello', 'Standby', 50), 'Standby'],
  ];
  for (const [name, start, event, expected] of cases) {
    const r = inState(start);
    event(r);
    t.equal(r.fsm.state, expected, name);
  }
});

t.test('entering Active owns the VIP and says so; leaving it releases the VIP', async (t) => {
  const r = inState('Standby');
  r.from(LOW, 'Resign', 'Active', 50);
  t.match(r.actions.at(-2), { type: 'become-active', vip: '192.0.2.10' });
  t.match(r.actions.at(-1), { type: 'send', opcode: 'Hello', state: 'Active' });
  r.actions.length = 0;
  r.from(HIGH, 'Coup', 'Standby', 200);
  t.same(r.actions.map((a) => (a.type === 'send' ? `${a.opcode}/${a.state}` : a.type)), ['Resign/Active', 'leave-active', 'Hello/Speak']);
});

t.test('an active router that sees a lower-priority active sends a Coup; disabled, it resigns', async (t) => {
  const r = inState('Active');
  r.actions.length = 0;
  r.from(LOW, 'Hello', 'Active', 50);
  t.same(r.sent(), ['Coup']);
  r.fsm.disable();
  t.same(r.sent(), ['Coup', 'Resign']);
  t.match(r.actions.at(-1), { type: 'leave-active' });
});

t.test('preempt: a higher-priority router takes over from a lower-priority active with a Coup', async (t) => {
  const r = inState('Standby', { preempt: true });
  r.actions.length = 0;
  r.from(LOW, 'Hello', 'Active', 50);
  t.equal(r.fsm.state, 'Active');
  t.same(r.sent().slice(0, 2), ['Coup', 'Hello']);
});

t.test('preempt delay: the Coup waits until the delay since start-up has passed', async (t) => {
  const r = inState('Listen', { preempt: true, preemptDelayMs: 2000 });
  r.from(LOW, 'Hello', 'Active', 50);
  t.equal(r.fsm.state, 'Listen', 'no coup before the delay');
  t.ok(r.fsm.armedTimers().includes('preempt'));
  for (let i = 0; i < 9; i++) {
    r.clock.advance(200);
    r.from(LOW, 'Hello', 'Active', 50);
  }
  t.not(r.fsm.state, 'Active', '1.8 s: still waiting');
  t.notOk(r.sent().includes('Coup'), 'no Coup yet');
  r.clock.advance(200);
  t.equal(r.fsm.state, 'Active', 'coup at 2 s');
  t.ok(r.sent().includes('Coup'));
});

t.test('a priority tie goes to the higher IP address', async (t) => {
  t.equal(outranks({ priority: 100, ip: '192.0.2.13' }, { priority: 100, ip: '192.0.2.12' }), true);
  t.equal(outranks({ priority: 100, ip: '192.0.2.9' }, { priority: 100, ip: '192.0.2.12' }), false);
  t.equal(outranks({ priority: 101, ip: '192.0.2.1' }, { priority: 100, ip: '192.0.2.200' }), true);
  const lan = new VirtualLan();
  lan.add('a', gatewayConfig(1, { priority: 100, localIp: '192.0.2.11' }));
  lan.add('b', gatewayConfig(2, { priority: 100, localIp: '192.0.2.12' }));
  for (const r of lan.routers.values()) r.fsm.enable();
  lan.clock.advance(5000);
  t.same(lan.actives(), ['b']);
  t.equal(lan.get('a').fsm.state, 'Standby');
});

t.test('timers and VIP are learned from the active router when not configured', async (t) => {
  const r = rig({ vip: undefined, helloMs: undefined, holdMs: undefined });
  r.fsm.enable();
  t.equal(r.fsm.state, 'Learn');
  t.equal(r.fsm.holdMs, 10000, 'RFC default until learned');
  r.from(LOW, 'Hello', 'Active', 50, { vip: '192.0.2.77', helloMs: 300, holdMs: 900 });
  t.equal(r.fsm.state, 'Listen');
  t.equal(r.fsm.vip, '192.0.2.77');
  t.equal(r.fsm.helloMs, 300);
  t.equal(r.fsm.holdMs, 900);
  const configured = rig();
  configured.fsm.enable();
  configured.from(LOW, 'Hello', 'Active', 50, { vip: '192.0.2.77', helloMs: 300, holdMs: 900 });
  t.equal(configured.fsm.vip, '192.0.2.10', 'a configured VIP wins');
  t.equal(configured.fsm.holdMs, 700, 'configured timers win');
});

t.test('a Hello or Coup with priority 255 and a wrong or missing key is ignored and counted', async (t) => {
  const lan = new VirtualLan();
  for (const n of [1, 2, 3] as const) lan.add(`gw${n}`, gatewayConfig(n));
  for (const r of lan.routers.values()) r.fsm.enable();
  lan.clock.advance(3000);
  t.same(lan.actives(), ['gw1']);
  const forged = { version: 2, group: 1, state: 'Active', helloMs: 200, holdMs: 700, priority: 255, vip: '192.0.2.10' } as const;
  for (let i = 0; i < 10; i++) {
    lan.inject('192.0.2.66', encodeHsrp({ ...forged, opcode: 'Hello' }, { kind: 'md5', key: 'wrong-secret', senderIp: '192.0.2.66' }));
    lan.inject('192.0.2.66', encodeHsrp({ ...forged, opcode: 'Coup' }, { kind: 'text', text: 'cisco' }));
    lan.inject('192.0.2.66', encodeHsrp({ ...forged, opcode: 'Coup' }, { kind: 'none' }));
    lan.clock.advance(100);
  }
  t.same(lan.actives(), ['gw1'], 'the active stays');
  t.equal(lan.get('gw1').fsm.counters.authFailures, 30);
  t.equal(lan.get('gw1').fsm.counters.packetsIn.Coup, 0);
  const garbage = Buffer.from([1, 40, 2, 0]);
  lan.inject('192.0.2.66', garbage);
  t.equal(lan.get('gw2').fsm.counters.malformed, 1);
});

// --- three gateways as in shared/examples: v2, 200/700 ms, MD5, preempt ---------

function threeGateways() {
  const lan = new VirtualLan();
  for (const n of [1, 2, 3] as const) lan.add(`gw${n}`, gatewayConfig(n));
  for (const r of lan.routers.values()) r.fsm.enable();
  lan.clock.advance(3000);
  return lan;
}

t.test('three gateways elect gw1 active and gw2 standby', async (t) => {
  const lan = threeGateways();
  t.same(lan.actives(), ['gw1']);
  t.equal(lan.get('gw2').fsm.state, 'Standby');
  t.equal(lan.get('gw3').fsm.state, 'Listen');
  t.equal(lan.get('gw1').ownsVip, true);
  t.equal(lan.get('gw2').ownsVip || lan.get('gw3').ownsVip, false);
  t.match(lan.get('gw2').fsm.activeRouter, { ip: '192.0.2.11', priority: 110 });
  t.match(lan.get('gw1').fsm.standbyRouter, { ip: '192.0.2.12', priority: 105 });
});

t.test('the active killed: the standby owns the VIP within hold time + one hello; gw1 returns and takes over with a Coup', async (t) => {
  const lan = threeGateways();
  const gw1 = lan.get('gw1');
  gw1.alive = false;
  gw1.fsm.disable('killed'); // nothing it sends arrives: a crash, not a resign
  const took = lan.clock.advanceUntil(() => lan.get('gw2').ownsVip, 5000);
  t.ok(took <= 700 + 200, `standby took over after ${took} ms (hold 700 + hello 200)`);
  t.same(lan.actives(), ['gw2']);
  lan.clock.advance(3000);
  t.equal(lan.get('gw3').fsm.state, 'Standby', 'gw3 becomes the new standby');

  gw1.alive = true;
  const sentBefore = gw1.sent.length;
  gw1.fsm.enable();
  lan.clock.advance(2000);
  t.same(lan.actives(), ['gw1']);
  t.ok(gw1.sent.slice(sentBefore).some((s) => s.opcode === 'Coup'), 'gw1 sent a Coup');
  t.ok(lan.get('gw2').sent.some((s) => s.opcode === 'Resign'), 'gw2 resigned');
  t.equal(lan.get('gw2').ownsVip, false);
});

t.test('the active resigns (SIGTERM): the standby takes over at once', async (t) => {
  const lan = threeGateways();
  lan.get('gw1').fsm.disable('signal');
  lan.clock.advance(0);
  t.same(lan.actives(), ['gw2'], 'no hold time waited');
  t.equal(lan.get('gw1').ownsVip, false);
});

t.test('twenty link flaps end with exactly one active and only the timers its state needs', async (t) => {
  const lan = threeGateways();
  const gw1 = lan.get('gw1');
  for (let i = 0; i < 20; i++) {
    gw1.alive = false;
    gw1.fsm.disable('link down');
    lan.clock.advance(50 + ((i * 37) % 400));
    gw1.alive = true;
    gw1.fsm.enable();
    lan.clock.advance(30 + ((i * 53) % 300));
  }
  lan.clock.advance(5000);
  t.same(lan.actives(), ['gw1']);
  t.same([...lan.routers.values()].filter((r) => r.ownsVip).map((r) => r.name), ['gw1']);
  t.same(gw1.fsm.armedTimers(), ['hello', 'standby'], 'active: hello + standby-router timers only');
  t.same(lan.get('gw2').fsm.armedTimers(), ['active', 'hello'], 'standby: watches the active only');
  t.same(lan.get('gw3').fsm.armedTimers(), ['active', 'standby']);
  gw1.fsm.disable();
  t.same(gw1.fsm.armedTimers(), [], 'disabled: no timer left');
});

t.test('every transition is counted and logged from -> to', async (t) => {
  const lines: { from?: string; to?: string; msg?: string }[] = [];
  const log = { info: (o: { from: string; to: string }, msg: string) => lines.push({ ...o, msg }), warn: () => undefined } as never;
  const clock = new VirtualClock();
  const fsm = new HsrpFsm(me, clock, () => undefined, log);
  fsm.enable();
  clock.advance(3000);
  t.equal(fsm.state, 'Active');
  t.same(lines.map((l) => l.msg), ['Initial -> Listen', 'Listen -> Speak', 'Speak -> Standby', 'Standby -> Active']);
  t.equal(fsm.counters.transitions, 4);
  t.equal(fsm.changes.count, 4);
});

t.test('a standby stays standby when the active resigns to a preempting router it already hears as active', async (t) => {
  const r = inState('Standby');
  r.from(LOW, 'Hello', 'Active', 50); // the current active
  r.from(HIGH, 'Coup', 'Listen', 200); // a higher router preempts...
  r.from(HIGH, 'Hello', 'Active', 200); // ...and is active at once
  r.from(LOW, 'Resign', 'Active', 50); // the old active steps down
  t.equal(r.fsm.state, 'Standby', 'no second active for a moment, no second round of Coups');
  t.equal(r.fsm.activeRouter === 'local' ? 'local' : r.fsm.activeRouter?.ip, HIGH);
  t.notOk(r.actions.some((a) => a.type === 'become-active'));
});

t.test('a standby that heard the preempting Coup waits for the new active instead of taking over on the Resign', async (t) => {
  const r = inState('Standby');
  r.from(LOW, 'Hello', 'Active', 50);
  r.from(HIGH, 'Coup', 'Listen', 200);
  r.from(LOW, 'Resign', 'Active', 50); // arrives before the preempting router's first hello
  t.equal(r.fsm.state, 'Standby');
  r.clock.advance(300);
  r.from(HIGH, 'Hello', 'Active', 200);
  r.clock.advance(600);
  t.equal(r.fsm.state, 'Standby', 'the preempting router is active');
  r.clock.advance(2000); // ...until it falls silent for its hold time
  t.equal(r.fsm.state, 'Active', 'then the standby takes over after all');
});

t.test('a Coup heard longer than a hold time ago does not keep a standby from taking over on a Resign', async (t) => {
  const r = inState('Standby');
  r.from(HIGH, 'Coup', 'Listen', 200);
  for (let i = 0; i < 10; i++) {
    r.clock.advance(300);
    r.from(LOW, 'Hello', 'Active', 50);
  }
  t.equal(r.fsm.state, 'Standby');
  r.from(LOW, 'Resign', 'Active', 50);
  t.equal(r.fsm.state, 'Active');
});
