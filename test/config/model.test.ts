// The model contract: deeply frozen, every default filled in, references
// resolved to the objects they name, built-ins present where IOS has them.
import t from 'tap';
import type { IkelbConfig } from '../../lib/config';
import { conf, GATEWAY_BASE, parseOk, warningsOf } from './parse-helpers';

function everyObject(value: unknown, seen = new Set<unknown>()): unknown[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  return [value, ...Object.values(value).flatMap((v) => everyObject(v, seen))];
}

t.test('the config is deeply frozen: no object or array in it can change', async (t) => {
  const c = parseOk(t, GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1'));
  const objects = everyObject(c);
  t.ok(objects.length > 50, `${objects.length} objects`);
  t.ok(objects.every((o) => Object.isFrozen(o)), 'all frozen');
  t.throws(() => {
    (c as { hostname: string }).hostname = 'x';
  });
  t.throws(() => {
    (c.standbyGroups as StandbyGroupArray).push(c.standbyGroups[0] as StandbyGroupArray[number]);
  });
});
type StandbyGroupArray = IkelbConfig['standbyGroups'][number][];

t.test('an empty config resolves to IOS defaults and ikelb built-ins', async (t) => {
  const c = parseOk(t, '');
  t.equal(c.hostname, 'Router');
  t.same(c.interfaces, []);
  t.same(
    c.ikev2.listen.map((l) => [l.address, l.family, l.port, l.natTPort]),
    [
      ['0.0.0.0', 4, 500, 4500],
      ['::', 6, 500, 4500],
    ],
  );
  t.same(
    [c.ikev2.cookieChallenge, c.ikev2.limits, c.ikev2.dpd, c.ikev2.natKeepaliveSeconds, c.ikev2.windowSize, c.ikev2.fragmentation],
    [null, { maxInNegotiationSa: null, maxInNegotiationDirection: 'both', maxSa: null }, null, null, 5, { enabled: false, mtu: 576 }],
  );
  const proposal = c.ikev2.proposals[0];
  t.same(
    [proposal?.name, proposal?.builtIn, proposal?.encryption, proposal?.prf, proposal?.groups],
    ['default', true, ['aes-gcm-256', 'aes-gcm-128'], ['sha512', 'sha384', 'sha256'], [31, 19, 20, 14]],
  );
  t.same(
    c.ikev2.policies.map((p) => [p.name, p.builtIn, p.proposals[0] === proposal, p.matchAddressLocal]),
    [['default', true, true, []]],
  );
  t.same(c.ikev2.redirect, { client: { enabled: false, maxRedirects: 5 }, gateway: { init: false, auth: false, staticTargets: [] } });
  t.same(c.ikev2.reconnect, { keys: [], active: null });
  t.equal(c.ikev2.cluster, null);
  const ipsecDefault = c.ipsec.profiles.find((p) => p.name === 'default');
  t.same(
    [ipsecDefault?.builtIn, ipsecDefault?.lifetimeSeconds, ipsecDefault?.lifetimeKilobytes, ipsecDefault?.pfs],
    [true, 3600, 4608000, null],
  );
  t.same(c.aaa, { newModel: false, authorizationNetworkLists: [] });
});

t.test('an HSRP group with nothing but an IP gets the RFC 2281 defaults', async (t) => {
  const c = parseOk(t, conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 7 ip 192.0.2.10'));
  const g = c.standbyGroups[0];
  t.same(
    [g?.version, g?.name, g?.priority, g?.preempt.enabled, g?.timers, g?.authentication.mode, g?.authentication.key.reveal(), g?.unicastPeers, g?.useBia],
    [1, 'hsrp-eth0-7', 100, false, { helloMs: 3000, holdMs: 10000 }, 'text', 'cisco', [], false],
  );
});

t.test('a cluster with only standby-group and a secret gets the documented defaults', async (t) => {
  const c = parseOk(t, GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1', 'crypto ikev2 redirect gateway init'));
  const cluster = c.ikev2.cluster;
  t.same(
    [cluster?.enabled, cluster?.port, cluster?.holdtimeMs, cluster?.allowedMembers, cluster?.primary, cluster?.subordinate],
    [true, 2000, 3000, [], { overloadLimitPercent: 95, cryptoLoadWeight: 100, systemLoadWeight: 100 }, { helloMs: 1000, updateMs: 1000, maxSessions: 10000, priority: 1 }],
  );
});

t.test('an ipsec profile without transform sets uses the built-in ones, listed once', async (t) => {
  const c = parseOk(
    t,
    conf('crypto ikev2 profile p', ' match identity remote any', ' authentication local pre-share key a', ' authentication remote pre-share key b', 'crypto ipsec profile child', ' set ikev2-profile p'),
  );
  t.same(
    c.ipsec.transformSets.map((s) => [s.name, s.builtIn]),
    [
      ['default-gcm256', true],
      ['default-gcm128', true],
      ['default-cbc256', true],
    ],
  );
  t.equal(c.ikev2.profiles[0]?.childSa.transformSets[0], c.ipsec.transformSets[0]);
});

t.test('warnings point at what is configured but unused', async (t) => {
  t.same(warningsOf(conf('crypto ikev2 proposal fast', ' encryption aes-gcm-128', ' prf sha256', ' group 19')), [
    "test.conf:1: 'crypto ikev2 proposal fast': warning: proposal fast is never used: without a 'crypto ikev2 policy' only proposal 'default' is used (IOS)",
  ]);
  t.same(warningsOf(conf('crypto ipsec transform-set t esp-gcm')), ["test.conf:1: 'crypto ipsec transform-set t esp-gcm': warning: transform set t is not used by any ipsec profile ('set transform-set t')"]);
});
