// The config model feeds the CLB (lib/cluster/clb/options-from-config.ts):
// every cluster the config language accepts, including its extreme values,
// must be accepted by resolveClusterOptions, so check-config OK means the
// cluster starts; and the model is the one source of the defaults.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { clusterDefaults, resolveClusterOptions } from '../../lib/cluster/clb/options';
import { clusterOptionsFrom } from '../../lib/cluster/clb/options-from-config';
import type { IkelbConfig } from '../../lib/config';
import { conf, GATEWAY_BASE, parseOk } from './parse-helpers';

function clusterOptionsOf(config: IkelbConfig): ReturnType<typeof resolveClusterOptions> {
  const options = clusterOptionsFrom(config);
  if (options === null) throw new Error('no cluster');
  return options;
}

for (const name of ['gw1.conf', 'gw2.conf', 'gw3.conf']) {
  t.test(`${name}: its cluster becomes valid CLB options with the same values`, async (t) => {
    const file = path.join(__dirname, '..', '..', 'examples', name);
    const config = parseOk(t, readFileSync(file, 'utf8'), file);
    const options = clusterOptionsOf(config);
    t.same(
      [options.standbyGroup, options.port, options.holdtimeMs, options.overloadLimit, options.weightCryptoLoad, options.weightSystemLoad, options.priority, options.maxSession, options.helloMs, options.updateMs, options.shutdown],
      ['group1', 2000, 3000, 90, 100, 50, 90, 1000, 500, 1000, false],
    );
  });
}

const extremes: [string, string[]][] = [
  ['defaults only', []],
  ['lowest values', ['port 1', 'holdtime 200', 'master overload-limit 1', 'master weight crypto-load 0', 'slave priority 1', 'slave max-session 1', 'slave hello 100', 'slave update 100']],
  ['highest values', ['port 65535', 'holdtime 180000', 'master overload-limit 100', 'master weight system-load 0', 'slave priority 255', 'slave max-session 10000000', 'slave hello 60000', 'slave update 60000']],
  ['shut, with members and its own secret', ['shutdown', 'member 192.0.2.12', 'member 192.0.2.13', 'authentication key-string 12345678']],
];

for (const [name, lines] of extremes) {
  t.test(`a cluster with ${name} is accepted by the CLB too`, async (t) => {
    const config = parseOk(t, GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1', ...lines.map((l) => ` ${l}`)));
    t.doesNotThrow(() => clusterOptionsOf(config));
  });
}

t.test('a cluster with only its standby group runs with the config model\'s defaults', async (t) => {
  const config = parseOk(t, GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1'));
  const options = clusterOptionsOf(config);
  t.match(options, clusterDefaults, 'every default the CLB uses is the one the config model filled in');
  t.equal(options.localAddress, config.ikev2.cluster?.standbyGroup.localAddress, 'the cluster address is the HSRP group\'s interface address');
  t.equal(options.secret, 'cluster-secret', "the channel key is the group's md5 key-string");
});

t.test('a gateway without crypto ikev2 cluster has no CLB options', async (t) => {
  const config = parseOk(t, GATEWAY_BASE);
  t.equal(clusterOptionsFrom(config), null);
});

t.test('a value one past a range the config accepts is refused by the CLB as well', async (t) => {
  const config = parseOk(t, GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1', ' slave max-session 10000000'));
  const options = clusterOptionsOf(config);
  t.equal(options.maxSession, 10_000_000);
  t.throws(() => resolveClusterOptions({ ...options, maxSession: 10_000_001 }), { code: 'IKELB_ERR_CONFIG', message: /slave max-session must be 1\.\.10000000/ });
});
