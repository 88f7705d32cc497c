import t from 'tap';
import { chooseLeastLoaded, isEligible, loadScore, memberState, type LlgPolicy, type MemberLoad } from '../../../lib/cluster/clb/least-loaded';
import { Balancer } from '../../../lib/cluster/clb/balancer';
import { buildRedirectTargets } from '../../../lib/cluster/clb/redirect-targets';

const policy: LlgPolicy = { weights: { crypto: 100, system: 100 }, overloadLimit: 90, hysteresis: 1 };

function member(address: string, m: Partial<MemberLoad> = {}): MemberLoad {
  return { address, local: false, priority: 1, sessions: 0, maxSession: 1000, cryptoLoad: 0, systemLoad: 0, reported: true, draining: false, redirectTarget: true, ...m };
}
const primary = (m: Partial<MemberLoad> = {}): MemberLoad => member('192.0.2.11', { local: true, ...m });

function target(members: MemberLoad[], p: LlgPolicy = policy, previous?: string): string {
  const d = chooseLeastLoaded(members, p, previous);
  return d.kind === 'redirect' ? d.target.address : `local:${d.reason}`;
}

t.test('the score is the weighted mean of crypto and system load', async (t) => {
  t.equal(loadScore({ cryptoLoad: 40, systemLoad: 10 }, { crypto: 100, system: 100 }), 25);
  t.equal(loadScore({ cryptoLoad: 40, systemLoad: 10 }, { crypto: 100, system: 50 }), 30);
  t.equal(loadScore({ cryptoLoad: 40, systemLoad: 10 }, { crypto: 0, system: 100 }), 10);
  t.equal(loadScore({ cryptoLoad: 40, systemLoad: 10 }, { crypto: 0, system: 0 }), 0, 'both weights 0: load ignored');
});

t.test('the LLG picks by the table of rules', async (t) => {
  const cases: Array<{ name: string; members: MemberLoad[]; policy?: LlgPolicy; previous?: string; expect: string }> = [
    {
      name: 'lowest weighted load wins',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.12', { cryptoLoad: 30 }), member('192.0.2.13', { cryptoLoad: 20 })],
      expect: '192.0.2.13',
    },
    {
      name: 'the weights decide which load counts',
      members: [primary({ cryptoLoad: 80 }), member('192.0.2.12', { cryptoLoad: 10, systemLoad: 60 }), member('192.0.2.13', { cryptoLoad: 40, systemLoad: 0 })],
      policy: { ...policy, weights: { crypto: 0, system: 100 } },
      expect: '192.0.2.13',
    },
    {
      name: 'crypto weight only',
      members: [primary({ cryptoLoad: 80 }), member('192.0.2.12', { cryptoLoad: 10, systemLoad: 60 }), member('192.0.2.13', { cryptoLoad: 40, systemLoad: 0 })],
      policy: { ...policy, weights: { crypto: 100, system: 0 } },
      expect: '192.0.2.12',
    },
    {
      name: 'a member at overload-limit is skipped',
      members: [primary({ cryptoLoad: 95, systemLoad: 95 }), member('192.0.2.12', { cryptoLoad: 90, systemLoad: 90 }), member('192.0.2.13', { cryptoLoad: 89, systemLoad: 89 })],
      expect: '192.0.2.13',
    },
    {
      name: 'a member at max-session is skipped even with a low score',
      members: [primary({ cryptoLoad: 60 }), member('192.0.2.12', { sessions: 10, maxSession: 10, cryptoLoad: 0 }), member('192.0.2.13', { cryptoLoad: 50 })],
      expect: '192.0.2.13',
    },
    {
      name: 'a draining member is skipped',
      members: [primary({ cryptoLoad: 60 }), member('192.0.2.12', { draining: true }), member('192.0.2.13', { cryptoLoad: 50 })],
      expect: '192.0.2.13',
    },
    {
      name: 'a member that has not reported load yet is skipped',
      members: [primary({ cryptoLoad: 60 }), member('192.0.2.12', { reported: false }), member('192.0.2.13', { cryptoLoad: 50 })],
      expect: '192.0.2.13',
    },
    {
      name: 'a member that is no redirect target is skipped',
      members: [primary({ cryptoLoad: 60 }), member('192.0.2.12', { redirectTarget: false }), member('192.0.2.13', { cryptoLoad: 50 })],
      expect: '192.0.2.13',
    },
    {
      name: 'tie on load: the higher priority wins',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.12', { cryptoLoad: 10, priority: 5 }), member('192.0.2.13', { cryptoLoad: 10, priority: 9 })],
      expect: '192.0.2.13',
    },
    {
      name: 'tie on load and priority: fewer sessions win',
      members: [
        primary({ cryptoLoad: 50 }),
        member('192.0.2.12', { cryptoLoad: 10, sessions: 100, maxSession: 1000 }),
        member('192.0.2.13', { cryptoLoad: 10, sessions: 50, maxSession: 500 }),
      ],
      expect: '192.0.2.13',
    },
    {
      name: 'tie on everything: the lower address wins (numerically)',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.100'), member('192.0.2.13'), member('192.0.2.20')],
      expect: '192.0.2.13',
    },
    {
      name: 'the primary keeps the session when every subordinate is more loaded',
      members: [primary({ cryptoLoad: 10 }), member('192.0.2.12', { cryptoLoad: 11 }), member('192.0.2.13', { cryptoLoad: 30 })],
      expect: 'local:primary-least-loaded',
    },
    {
      name: 'the primary redirects when a subordinate is as loaded as itself',
      members: [primary({ cryptoLoad: 10 }), member('192.0.2.12', { cryptoLoad: 10 })],
      expect: '192.0.2.12',
    },
    {
      name: 'the primary redirects on equal load even with a higher priority of its own',
      members: [primary({ cryptoLoad: 10, priority: 200 }), member('192.0.2.12', { cryptoLoad: 10, priority: 1 })],
      expect: '192.0.2.12',
    },
    {
      name: 'an overloaded primary redirects even to a more loaded subordinate',
      members: [primary({ cryptoLoad: 95, systemLoad: 95 }), member('192.0.2.12', { cryptoLoad: 80 })],
      expect: '192.0.2.12',
    },
    {
      name: 'no eligible subordinate: the primary serves',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.12', { cryptoLoad: 95, systemLoad: 95 })],
      expect: 'local:no-eligible-subordinate',
    },
    {
      name: 'a primary alone serves',
      members: [primary({ cryptoLoad: 50 })],
      expect: 'local:no-eligible-subordinate',
    },
    {
      name: 'everyone overloaded or full: no target, serve locally and say so',
      members: [primary({ cryptoLoad: 95, systemLoad: 95 }), member('192.0.2.12', { cryptoLoad: 99, systemLoad: 99 }), member('192.0.2.13', { sessions: 5, maxSession: 5 })],
      expect: 'local:all-overloaded',
    },
    {
      name: 'both weights 0: load is ignored and priority decides',
      members: [primary({ cryptoLoad: 0 }), member('192.0.2.12', { cryptoLoad: 80, priority: 9 }), member('192.0.2.13', { cryptoLoad: 5, priority: 2 })],
      policy: { ...policy, weights: { crypto: 0, system: 0 } },
      expect: '192.0.2.12',
    },
    {
      name: 'hysteresis: the previous target stays while at most 1 point above the best',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.12', { cryptoLoad: 21.9 }), member('192.0.2.13', { cryptoLoad: 20 })],
      previous: '192.0.2.12',
      expect: '192.0.2.12',
    },
    {
      name: 'hysteresis: the previous target is left once more than 1 point above the best',
      members: [primary({ cryptoLoad: 50 }), member('192.0.2.12', { cryptoLoad: 22.1 }), member('192.0.2.13', { cryptoLoad: 20 })],
      previous: '192.0.2.12',
      expect: '192.0.2.13',
    },
    {
      name: 'hysteresis never keeps an overloaded previous target',
      members: [primary({ cryptoLoad: 99, systemLoad: 99 }), member('192.0.2.12', { cryptoLoad: 90, systemLoad: 90 }), member('192.0.2.13', { cryptoLoad: 89.5, systemLoad: 89.5 })],
      previous: '192.0.2.12',
      expect: '192.0.2.13',
    },
    {
      name: 'hysteresis does not override the primary-keeps rule',
      members: [primary({ cryptoLoad: 5 }), member('192.0.2.12', { cryptoLoad: 5.5 })],
      previous: '192.0.2.12',
      expect: 'local:primary-least-loaded',
    },
  ];
  for (const c of cases) t.equal(target(c.members, c.policy ?? policy, c.previous), c.expect, c.name);
});

t.test('member states follow overload-limit, max-session, draining and reporting', async (t) => {
  t.equal(memberState(member('192.0.2.1', { cryptoLoad: 89.99, systemLoad: 89.99 }), policy), 'up');
  t.equal(memberState(member('192.0.2.1', { cryptoLoad: 90, systemLoad: 90 }), policy), 'overloaded');
  t.equal(memberState(member('192.0.2.1', { sessions: 1000 }), policy), 'full');
  t.equal(memberState(member('192.0.2.1', { draining: true, sessions: 1000 }), policy), 'draining');
  t.equal(memberState(member('192.0.2.1', { reported: false }), policy), 'joining');
});

// A small deterministic PRNG (mulberry32) so a failing table can be reproduced from its seed.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('on random tables the choice is never overloaded or full and no eligible member scores strictly lower', async (t) => {
  const runs = 2000;
  let redirects = 0;
  let locals = 0;
  const violations: string[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const p: LlgPolicy = { weights: { crypto: pick([0, 1, 50, 100]), system: pick([0, 1, 50, 100]) }, overloadLimit: pick([50, 80, 90, 100]), hysteresis: pick([0, 1, 5]) };
    const n = 1 + Math.floor(rnd() * 9);
    const members: MemberLoad[] = [];
    for (let i = 0; i < n; i++) {
      const maxSession = pick([1, 10, 1000]);
      const sessions = Math.min(maxSession, Math.floor(rnd() * maxSession * 1.2));
      members.push(
        member(`192.0.2.${10 + i}`, {
          local: i === 0,
          priority: pick([1, 2, 90, 255]),
          sessions,
          maxSession,
          cryptoLoad: Math.round((sessions / maxSession) * 10000) / 100,
          systemLoad: pick([0, 10, 50, 89.99, 90, 100, Math.round(rnd() * 10000) / 100]),
          draining: rnd() < 0.05,
          reported: rnd() > 0.05,
        }),
      );
    }
    const previous = rnd() < 0.5 ? pick(members).address : undefined;
    const d = chooseLeastLoaded(members, p, previous);
    const eligible = members.filter((m) => isEligible(m, p));
    const minScore = Math.min(...eligible.map((m) => loadScore(m, p.weights)));
    const self = eligible.find((m) => m.local);
    const broken = (rule: string): void => {
      violations.push(`seed ${seed}: ${rule}: ${JSON.stringify({ p, members, previous, d })}`);
    };
    if (d.kind === 'redirect') {
      redirects++;
      const score = loadScore(d.target, p.weights);
      if (!isEligible(d.target, p)) broken('the target is not eligible');
      if (d.target.local) broken('a redirect targets the primary');
      if (d.target.sessions >= d.target.maxSession || score >= p.overloadLimit) broken('the target is full or overloaded');
      // Only the hysteresis may pick a target above the minimum, and by at most its margin.
      if (score > minScore + (d.target.address === previous ? p.hysteresis : 0)) broken('an eligible member scores strictly lower');
      if (self !== undefined && loadScore(self, p.weights) < minScore) broken('redirected although the primary was strictly less loaded');
    } else {
      locals++;
      if (d.reason === 'all-overloaded') {
        if (eligible.length !== 0) broken('all-overloaded with an eligible member');
      } else if (self === undefined) {
        broken('served locally by a primary that is not eligible');
      } else {
        for (const sub of eligible.filter((m) => !m.local)) if (loadScore(sub, p.weights) <= loadScore(self, p.weights)) broken('kept although a subordinate is not more loaded');
      }
    }
  }
  t.same(violations, [], `${runs} random tables obey the rules`);
  t.ok(redirects > runs / 10 && locals > runs / 20, `both outcomes were exercised (${redirects} redirects, ${locals} local)`);
});

t.test('projected load spreads a burst between two reports over equal members', async (t) => {
  const balancer = new Balancer({ ...policy, hysteresis: 0 });
  const members = [primary({ cryptoLoad: 50 }), member('192.0.2.12', { maxSession: 100 }), member('192.0.2.13', { maxSession: 100 }), member('192.0.2.14', { maxSession: 100 })];
  const counts = new Map<string, number>();
  for (let i = 0; i < 90; i++) {
    const d = balancer.choose(members);
    t.equal(d.kind, 'redirect');
    if (d.kind !== 'redirect') break;
    balancer.noteRedirect(d.target.address);
    counts.set(d.target.address, (counts.get(d.target.address) ?? 0) + 1);
  }
  t.same([...counts.values()], [30, 30, 30], 'each of three equal members got a third');
  balancer.reportArrived('192.0.2.12');
  t.equal(balancer.pending('192.0.2.12'), 0, 'a load report replaces the projection');
  t.equal(balancer.pending('192.0.2.13'), 30);
});

t.test('with 1 % hysteresis a burst stays on one member until it is 1 point above the others', async (t) => {
  const balancer = new Balancer(policy);
  // maxSession 100 and equal weights: each redirect adds 0.5 points to the score.
  const members = [primary({ cryptoLoad: 50 }), member('192.0.2.12', { maxSession: 100 }), member('192.0.2.13', { maxSession: 100 })];
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    const d = balancer.choose(members);
    if (d.kind !== 'redirect') break;
    balancer.noteRedirect(d.target.address);
    order.push(d.target.address.slice(-2));
  }
  // .12 stays chosen at 0.5 and 1.0 points above .13, and is left at 1.5; then .13 holds the same way.
  t.same(order, ['12', '12', '12', '13', '13', '13']);
});

t.test('the redirect target table ranks every member and marks who is eligible', async (t) => {
  const members = [
    primary({ cryptoLoad: 20, sessions: 200 }),
    member('192.0.2.12', { cryptoLoad: 10, sessions: 100 }),
    member('192.0.2.13', { cryptoLoad: 95, systemLoad: 95, sessions: 950 }),
    member('192.0.2.14', { sessions: 1000, cryptoLoad: 100 }),
  ];
  const table = buildRedirectTargets(members, { ...policy, weights: { crypto: 100, system: 50 } }, 7);
  t.equal(table.generation, 7);
  t.same(
    table.targets.map((x) => [x.address, x.local, x.eligible, x.rank, x.capacity]),
    [
      ['192.0.2.12', false, true, 0, 900],
      ['192.0.2.11', true, true, 1, 800],
      ['192.0.2.14', false, false, 2, 0], // full; score 66.7 ranks it before .13
      ['192.0.2.13', false, false, 3, 50], // overloaded at 95
    ],
  );
  const first = table.targets[0];
  t.equal(first?.loadScore, Math.round(((100 * 10 + 50 * 0) / 150) * 10000) / 10000);
  t.equal(first?.scorePerSession, (100 * 100) / (1000 * 150), 'one more session raises the score by wc*100/(max*(wc+ws))');
  t.ok(Object.isFrozen(table) && Object.isFrozen(table.targets), 'the table is immutable');
});
