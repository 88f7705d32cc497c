// The standby groups of a config become the HSRP component's options: the
// sample gateways' group with every field, the RFC 2281 defaults of a bare
// group, and the loopback demo's unicast group (which runs without root).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { resolveGroupOptions } from '../../../lib/cluster/hsrp/options';
import { hsrpGroupsFrom } from '../../../lib/cluster/hsrp/options-from-config';
import { conf, parseOk } from '../../config/parse-helpers';

const examples = path.join(__dirname, '..', '..', '..', 'examples');

t.test("gw1.conf's standby group 1 maps field by field", async (t) => {
  const file = path.join(examples, 'gw1.conf');
  const config = parseOk(t, readFileSync(file, 'utf8'), file);
  const groups = hsrpGroupsFrom(config);
  t.same(groups, [
    {
      interface: 'eth0',
      group: 1,
      version: 2,
      vip: '192.0.2.10',
      priority: 110,
      preempt: true,
      preemptDelayMs: 0,
      helloMs: 200,
      holdMs: 700,
      auth: { kind: 'md5', key: 'cluster-secret' },
      name: 'group1',
      unicastPeers: [],
      localIp: '192.0.2.11',
    },
  ]);
  const resolved = resolveGroupOptions(groups[0] as (typeof groups)[number]);
  t.equal(resolved.vipOwner, 'interface', 'an Ethernet group adds the VIP to its interface');
  t.equal(resolved.port, 1985);
});

t.test('a bare group gets the RFC 2281 defaults: v1, priority 100, 3/10 s, text "cisco", no preempt, VIP learned', async (t) => {
  const config = parseOk(t, conf('interface eth1', ' ip address 198.51.100.2 255.255.255.0', ' standby 7 ip'));
  const [group] = hsrpGroupsFrom(config);
  t.match(group, { interface: 'eth1', group: 7, version: 1, priority: 100, preempt: false, helloMs: 3000, holdMs: 10_000, auth: { kind: 'text', text: 'cisco' }, name: 'hsrp-eth1-7', localIp: '198.51.100.2' });
  t.notOk(group !== undefined && 'vip' in group, 'no VIP: it is learned from the active router');
  t.doesNotThrow(() => resolveGroupOptions(group as NonNullable<typeof group>));
});

t.test('preempt delay minimum is carried in milliseconds', async (t) => {
  const config = parseOk(t, conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 ip 192.0.2.10', ' standby 1 preempt delay minimum 30'));
  t.match(hsrpGroupsFrom(config)[0], { preempt: true, preemptDelayMs: 30_000 });
});

t.test('the loopback demo group uses unicast peers and the loopback VIP owner (no root)', async (t) => {
  const file = path.join(examples, 'demo', 'gw2.conf');
  const config = parseOk(t, readFileSync(file, 'utf8'), file);
  const [group] = hsrpGroupsFrom(config);
  t.match(group, { interface: 'lo', vip: '127.0.0.10', localIp: '127.0.0.12', unicastPeers: ['127.0.0.11', '127.0.0.13'] });
  t.equal(resolveGroupOptions(group as NonNullable<typeof group>).vipOwner, 'loopback');
});
