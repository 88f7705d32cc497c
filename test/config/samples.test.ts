// The sample configs of the product (examples/, copied from the shared
// samples) parse into the values they spell, with nothing left undefaulted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { IkelbConfig } from '../../lib/config';
import { parseConfig } from '../../lib/config';

const examples = path.join(__dirname, '..', '..', 'examples');

function load(t: Test, name: string): IkelbConfig {
  const file = path.join(examples, name);
  const result = parseConfig(readFileSync(file, 'utf8'), file);
  t.same(result.ok ? [] : result.errors, [], `${name} has no errors`);
  t.same(result.warnings, [], `${name} has no warnings`);
  if (!result.ok) throw new Error(`${name} did not parse`);
  return result.config;
}

const gateways = [
  { file: 'gw1.conf', hostname: 'gw1', address: '192.0.2.11', priority: 110 },
  { file: 'gw2.conf', hostname: 'gw2', address: '192.0.2.12', priority: 105 },
  { file: 'gw3.conf', hostname: 'gw3', address: '192.0.2.13', priority: 100 },
];

for (const gw of gateways) {
  t.test(`${gw.file}: a cluster gateway with HSRP v2 on eth0, VIP 192.0.2.10, priority ${gw.priority}`, async (t) => {
    const c = load(t, gw.file);
    t.equal(c.hostname, gw.hostname);

    t.equal(c.interfaces.length, 1);
    const eth0 = c.interfaces[0];
    t.equal(eth0?.name, 'eth0');
    t.same(eth0?.ipv4, { address: gw.address, mask: '255.255.255.0', prefixLength: 24 });
    t.equal(eth0?.shutdown, false);
    t.equal(eth0?.standby.version, 2);

    t.equal(c.standbyGroups.length, 1);
    const g = c.standbyGroups[0];
    t.equal(g, eth0?.standby.groups[0], 'the flat list holds the same group objects');
    t.equal(g?.group, 1);
    t.equal(g?.interface, 'eth0');
    t.equal(g?.localAddress, gw.address);
    t.equal(g?.virtualIp, '192.0.2.10');
    t.equal(g?.priority, gw.priority);
    t.same(g?.preempt, { enabled: true, delayMinimumSeconds: 0, delayReloadSeconds: 0, delaySyncSeconds: 0 });
    t.same(g?.timers, { helloMs: 200, holdMs: 700 });
    t.equal(g?.authentication.mode, 'md5');
    t.equal(g?.authentication.key.reveal(), 'cluster-secret');
    t.equal(g?.name, 'group1');
    t.same(g?.unicastPeers, []);

    const proposal = c.ikev2.proposals.find((p) => p.name === 'default');
    t.same(proposal?.encryption, ['aes-gcm-256', 'aes-gcm-128']);
    t.same(proposal?.prf, ['sha256', 'sha384']);
    t.same(proposal?.groups, [31, 19, 14]);
    t.same(proposal?.integrity, []);
    t.equal(proposal?.aead, true);
    t.equal(proposal?.builtIn, false);
    t.equal(c.ikev2.policies.length, 1, 'the built-in default policy');
    t.equal(c.ikev2.policies[0]?.proposals[0], proposal, 'the default policy uses the configured proposal default');

    const keyring = c.ikev2.keyrings[0];
    t.equal(keyring?.name, 'clients');
    t.equal(keyring?.peers[0]?.name, 'any');
    t.same(keyring?.peers[0]?.address, { family: 4, address: '0.0.0.0', mask: '0.0.0.0', prefixLength: 0 });
    t.equal(keyring?.peers[0]?.preSharedKey.local?.reveal(), 's3cret-psk');
    t.equal(keyring?.peers[0]?.preSharedKey.remote?.reveal(), 's3cret-psk');

    const profile = c.ikev2.profiles[0];
    t.equal(profile?.name, 'flexvpn');
    t.same(profile?.matchIdentityRemote, [{ type: 'any' }]);
    t.same(profile?.identityLocal, { type: 'fqdn', value: 'gw.example.com' });
    t.same(profile?.authenticationLocal, { method: 'pre-share', key: null });
    t.same(profile?.authenticationRemote, [{ method: 'pre-share', key: null }]);
    t.equal(profile?.keyring, keyring);
    t.equal(profile?.lifetimeSeconds, 86400);
    t.equal(profile?.childSa.name, 'default');

    const cluster = c.ikev2.cluster;
    t.ok(cluster);
    t.equal(cluster?.enabled, true);
    t.equal(cluster?.standbyGroup, g, 'standby-group group1 resolves to the HSRP group object');
    t.equal(cluster?.port, 2000);
    t.equal(cluster?.holdtimeMs, 3000);
    t.same(cluster?.primary, { overloadLimitPercent: 90, cryptoLoadWeight: 100, systemLoadWeight: 50 });
    t.same(cluster?.subordinate, { helloMs: 500, updateMs: 1000, maxSessions: 1000, priority: 90 });
    t.equal(cluster?.secret.reveal(), 'cluster-secret', 'the CLB secret defaults to the HSRP md5 key-string');
    t.equal(cluster?.secretSource, 'standby-group');

    t.same(c.ikev2.redirect.gateway, { init: true, auth: false, staticTargets: [] });
    t.same(c.ikev2.redirect.client, { enabled: false, maxRedirects: 5 });
    t.same(
      c.ikev2.reconnect.keys.map((k) => [k.id, k.active, k.key.reveal()]),
      [
        [1, true, 'first-reconnect-key'],
        [2, false, 'second-reconnect-key'],
      ],
    );
    t.equal(c.ikev2.reconnect.active?.id, 1);

    t.same(
      c.ikev2.listen.map((l) => [l.address, l.port, l.natTPort]),
      [
        ['0.0.0.0', 500, 4500],
        ['::', 500, 4500],
      ],
    );
    t.equal(c.ikev2.clients.length, 0);
  });
}

t.test('client.conf: a FlexVPN client that knows only the VIP and follows up to 5 redirects', async (t) => {
  const c = load(t, 'client.conf');
  t.equal(c.hostname, 'client1');
  t.same(c.interfaces, []);
  t.same(c.ikev2.redirect.client, { enabled: true, maxRedirects: 5 });
  t.same(c.ikev2.redirect.gateway, { init: false, auth: false, staticTargets: [] });
  t.equal(c.ikev2.cluster, null);

  const proposal = c.ikev2.proposals.find((p) => p.name === 'default');
  t.same([proposal?.encryption, proposal?.prf, proposal?.groups], [['aes-gcm-256'], ['sha256'], [31]]);

  const profile = c.ikev2.profiles[0];
  t.equal(profile?.name, 'cluster');
  t.same(profile?.matchIdentityRemote, [{ type: 'fqdn', domain: false, value: 'gw.example.com' }]);
  t.same(profile?.identityLocal, { type: 'email', value: 'client1@example.com' });
  const local = profile?.authenticationLocal;
  const remote = profile?.authenticationRemote[0];
  t.equal(local?.method === 'pre-share' ? local.key?.reveal() : undefined, 's3cret-psk');
  t.equal(remote?.method === 'pre-share' ? remote.key?.reveal() : undefined, 's3cret-psk');
  t.equal(profile?.keyring, null);

  const client = c.ikev2.clients[0];
  t.equal(client?.name, 'cluster');
  t.same(client?.peers.map((p) => [p.index, p.host, p.port, p.natTPort]), [[1, { type: 'address', family: 4, address: '192.0.2.10' }, 500, 4500]]);
  t.equal(client?.profile, profile);
  t.equal(client?.connect, 'auto');
  t.equal(client?.peerReactivate, false);
});

const shared = '/work/shared/examples';
t.test('examples/ holds the same configs as the shared samples', { skip: existsSync(shared) ? false : 'no shared samples on this machine' }, async (t) => {
  for (const name of readdirSync(shared).filter((f) => f.endsWith('.conf'))) {
    t.equal(readFileSync(path.join(examples, name), 'utf8'), readFileSync(path.join(shared, name), 'utf8'), name);
  }
});

t.test('a loopback demo gateway: unicast HSRP, unprivileged IKE ports, static targets, a pool', async (t) => {
  const file = path.join(__dirname, 'fixtures', 'loopback-gw1.conf');
  const result = parseConfig(readFileSync(file, 'utf8'), file);
  t.same(result.ok ? [] : result.errors, []);
  t.same(result.warnings, []);
  if (!result.ok) return;
  const c = result.config;
  const g = c.standbyGroups[0];
  t.same([g?.interface, g?.localAddress, g?.virtualIp, g?.unicastPeers, g?.timers], ['lo', '127.0.0.11', '127.0.0.10', ['127.0.0.12', '127.0.0.13'], { helloMs: 100, holdMs: 300 }]);
  t.same(
    c.ikev2.listen.map((l) => [l.address, l.port, l.natTPort]),
    [
      ['127.0.0.11', 15500, 14500],
      ['127.0.0.10', 15500, 14500],
    ],
  );
  t.equal(c.ikev2.cookieChallenge, 50);
  t.same(
    c.ikev2.redirect.gateway.staticTargets.map((s) => [s.address, s.capacity]),
    [
      ['127.0.0.12', 100],
      ['127.0.0.13', 100],
    ],
  );
  t.same([c.ikev2.cluster?.port, c.ikev2.cluster?.secretSource, c.ikev2.cluster?.secret.reveal()], [12000, 'cluster', 'demo-clb-channel-key']);
  const pool = c.ikev2.profiles[0]?.authorization[0]?.policy.ipv4Pool;
  t.same([pool?.name, pool?.ranges[0]?.size], ['clients', 191]);
});
