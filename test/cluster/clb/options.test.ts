import t from 'tap';
import { clusterDefaults, resolveClusterOptions } from '../../../lib/cluster/clb/options';

const base = { standbyGroup: 'group1', secret: 'cluster-secret', localAddress: '192.0.2.11' };

t.test('defaults fill what the config leaves out, and the result is frozen', async (t) => {
  const o = resolveClusterOptions(base);
  t.match(o, { ...clusterDefaults, listenAddress: '0.0.0.0', allowedMembers: [] });
  t.equal(o.port, 2000);
  t.ok(Object.isFrozen(o));
  t.equal(resolveClusterOptions({ ...base, localAddress: '2001:db8::11' }).listenAddress, '::');
  t.equal(resolveClusterOptions({ ...base, port: undefined as unknown as number }).port, 2000, 'an undefined field takes the default');
});

t.test('each bad value is refused naming the IOS field and the value', async (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ port: 0 }, /port must be 1\.\.65535, not 0/],
    [{ holdtimeMs: 1000, helloMs: 1000 }, /holdtime \(1000 ms\) must be longer than slave hello \(1000 ms\)/],
    [{ overloadLimit: 101 }, /master overload-limit must be 1\.\.100 percent, not 101/],
    [{ weightCryptoLoad: -1 }, /master weight crypto-load must be 0\.\.100, not -1/],
    [{ weightSystemLoad: 100.5 }, /master weight system-load/],
    [{ priority: 0 }, /slave priority must be 1\.\.255, not 0/],
    [{ maxSession: 0 }, /slave max-session/],
    [{ helloMs: 50 }, /slave hello must be 100\.\.60000 ms, not 50/],
    [{ updateMs: 70_000 }, /slave update/],
    [{ secret: 'short' }, /secret must be at least 8 characters/],
    [{ localAddress: 'gw1' }, /local address must be an IP address, not 'gw1'/],
    [{ allowedMembers: ['192.0.2.12', 'gw3'] }, /member must be an IP address, not 'gw3'/],
    [{ standbyGroup: '' }, /standby-group must name an HSRP group/],
  ];
  for (const [override, message] of cases) {
    t.throws(() => resolveClusterOptions({ ...base, ...override }), { code: 'IKELB_ERR_CONFIG', message }, JSON.stringify(override));
  }
});
