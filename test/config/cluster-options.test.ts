// The config model feeds the CLB (lib/cluster/clb/options.ts): every cluster
// the config language accepts, including its extreme values, must be accepted
// by resolveClusterOptions, so check-config OK means the cluster starts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { resolveClusterOptions, type ClusterOptionsInput } from '../../lib/cluster/clb/options';
import type { IkelbConfig } from '../../lib/config';
import { conf, GATEWAY_BASE, parseOk } from './parse-helpers';

/** How a gateway turns the config into CLB options (the wiring, in one place for this check). */
function clusterOptionsFrom(config: IkelbConfig): ClusterOptionsInput {
  const c = config.ikev2.cluster;
  if (c === null) throw new Error('no cluster');
  return {
    standbyGroup: c.standbyGroup.name,
    port: c.port,
    holdtimeMs: c.holdtimeMs,
    overloadLimit: c.primary.overloadLimitPercent,
    weightCryptoLoad: c.primary.cryptoLoadWeight,
    weightSystemLoad: c.primary.systemLoadWeight,
    priority: c.subordinate.priority,
    maxSession: c.subordinate.maxSessions,
    helloMs: c.subordinate.helloMs,
    updateMs: c.subordinate.updateMs,
    shutdown: !c.enabled,
    secret: c.secret.reveal(),
    localAddress: c.standbyGroup.localAddress,
    allowedMembers: c.allowedMembers,
  };
}

for (const name of ['gw1.conf', 'gw2.conf', 'gw3.conf']) {
  t.test(`${name}: its cluster becomes valid CLB options with the same values`, async (t) => {
    const file = path.join(__dirname, '..', '..', 'examples', name);
    const config = parseOk(t, readFileSync(file, 'utf8'), file);
    const options = resolveClusterOptions(clusterOptionsFrom(config));
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
    t.doesNotThrow(() => resolveClusterOptions(clusterOptionsFrom(config)));
  });
}
