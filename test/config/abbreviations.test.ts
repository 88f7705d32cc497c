// IOS lets an engineer type any unambiguous prefix of a keyword. ikelb
// resolves a prefix against every keyword valid at that position of the
// line, so a prefix of two keywords is an error, never a guess.
import t from 'tap';
import { conf, errorsOf, parseOk } from './parse-helpers';

t.test('abbreviated keywords parse like the full ones', async (t) => {
  const c = parseOk(
    t,
    conf(
      'host gw1',
      'int eth0',
      ' ip add 192.0.2.11 255.255.255.0',
      ' stand ver 2',
      ' stand 1 ip 192.0.2.10',
      ' stand 1 pri 110',
      ' stand 1 pree del min 30',
      ' stand 1 tim mse 200 mse 700',
      ' stand 1 auth md5 key-s cluster-secret',
      ' stand 1 na group1',
      'cry ikev2 prop default',
      ' enc aes-gcm-256 aes-gcm-1',
      ' pr sha256',
      ' gr 31 19',
      'cry ikev2 clu',
      ' standby-g group1',
      ' po 2100',
      ' mas w cry 70',
      ' sl max 500',
      'cry ikev2 redir gate init',
    ),
  );
  const g = c.standbyGroups[0];
  t.same([c.hostname, g?.version, g?.priority, g?.preempt.delayMinimumSeconds, g?.timers, g?.name], ['gw1', 2, 110, 30, { helloMs: 200, holdMs: 700 }, 'group1']);
  t.same(c.ikev2.proposals[0]?.encryption, ['aes-gcm-256', 'aes-gcm-128']);
  t.same([c.ikev2.cluster?.port, c.ikev2.cluster?.primary.cryptoLoadWeight, c.ikev2.cluster?.subordinate.maxSessions], [2100, 70, 500]);
  t.equal(c.ikev2.redirect.gateway.init, true);
});

t.test('keywords are case-insensitive; values keep their case', async (t) => {
  const c = parseOk(t, conf('HOSTNAME Gw1', 'Crypto IKEv2 Redirect Client Max-Redirects 3'));
  t.equal(c.hostname, 'Gw1');
  t.equal(c.ikev2.redirect.client.maxRedirects, 3);
});

t.test('an exact keyword wins over a longer keyword it is a prefix of (ip vs ipv6)', async (t) => {
  const c = parseOk(t, conf('ip local pool p 10.0.0.1 10.0.0.9', 'ipv6 local pool q 2001:db8::/48 64'));
  t.same([c.pools.ipv4[0]?.name, c.pools.ipv6[0]?.name], ['p', 'q']);
});

t.test('a prefix of two keywords valid at the same position is ambiguous', async (t) => {
  t.same(errorsOf(conf('i eth0')), ["bad.conf:1: 'i eth0': ambiguous abbreviation 'i': could be interface, ip, ipv6"]);
  t.same(errorsOf(conf('crypto ikev2 cluster', ' p 2000')), [
    "bad.conf:1: 'crypto ikev2 cluster': the cluster needs 'standby-group NAME': the HSRP group whose active router is the CLB primary",
    "bad.conf:2: 'p 2000': ambiguous abbreviation 'p': could be port, primary",
  ]);
  t.same(errorsOf(conf('crypto ikev2 pro x')), ["bad.conf:1: 'crypto ikev2 pro x': ambiguous abbreviation 'pro': could be proposal, profile"]);
});

t.test('ambiguity is judged across different commands of a mode, not per command', async (t) => {
  // `standby 1 p` could start `priority` or `preempt`: two commands, one position.
  t.match(errorsOf(conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 p 100'))[0], /ambiguous abbreviation 'p': could be priority, preempt/);
});

t.test('the abbreviated no form works', async (t) => {
  const c = parseOk(t, conf('interface eth0', ' shutdown', ' n sh'));
  t.equal(c.interfaces[0]?.shutdown, false);
});

t.test('a word that abbreviates a keyword is read as the keyword; quoted, it is a value', async (t) => {
  const asKeyword = parseOk(t, conf('crypto ikev2 profile p', ' match identity remote fqdn dom example.com', ' authentication local pre-share key a', ' authentication remote pre-share key b'));
  t.same(asKeyword.ikev2.profiles[0]?.matchIdentityRemote, [{ type: 'fqdn', domain: true, value: 'example.com' }]);
  const asValue = parseOk(t, conf('crypto ikev2 profile p', ' match identity remote fqdn "domain"', ' authentication local pre-share key a', ' authentication remote pre-share key b'));
  t.same(asValue.ikev2.profiles[0]?.matchIdentityRemote, [{ type: 'fqdn', domain: false, value: 'domain' }]);
});

t.test('a quoted value may hold spaces', async (t) => {
  const c = parseOk(t, conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key "a key with spaces"', 'crypto ikev2 profile p', ' match identity remote any', ' authentication local pre-share', ' authentication remote pre-share', ' keyring local k'));
  t.equal(c.ikev2.keyrings[0]?.peers[0]?.preSharedKey.local?.reveal(), 'a key with spaces');
});
