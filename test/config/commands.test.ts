// Every command of the language, table-driven: a config that uses it parses
// into the value the model documents.
import t from 'tap';
import type { IkelbConfig, InterfaceConfig, StandbyGroup } from '../../lib/config';
import { conf, GATEWAY_BASE, parseOk } from './parse-helpers';

const eth0 = (c: IkelbConfig): InterfaceConfig => c.interfaces.find((i) => i.name === 'eth0') as InterfaceConfig;
const group = (c: IkelbConfig, n = 1): StandbyGroup => eth0(c).standby.groups.find((g) => g.group === n) as StandbyGroup;
const iface = (...lines: string[]): string => conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ...lines.map((l) => ` ${l}`));
const cluster = (...lines: string[]): string => GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1', ...lines.map((l) => ` ${l}`));
const profile = (...lines: string[]): string =>
  conf('crypto ikev2 profile p', ' match identity remote any', ' authentication local pre-share key k1', ' authentication remote pre-share key k2', ...lines.map((l) => ` ${l}`));

interface Row {
  readonly name: string;
  readonly text: string;
  readonly get: (c: IkelbConfig) => unknown;
  readonly want: unknown;
}

const rows: Row[] = [
  // global and interface
  { name: 'hostname', text: conf('hostname gw9'), get: (c) => c.hostname, want: 'gw9' },
  { name: 'interface description keeps the rest of the line', text: iface('description uplink to LAN 1 ! not a comment'), get: (c) => eth0(c).description, want: 'uplink to LAN 1 ! not a comment' },
  { name: 'no description', text: iface('description x', 'no description'), get: (c) => eth0(c).description, want: null },
  { name: 'shutdown', text: iface('shutdown'), get: (c) => eth0(c).shutdown, want: true },
  { name: 'no shutdown', text: iface('shutdown', 'no shutdown'), get: (c) => eth0(c).shutdown, want: false },
  { name: 'ip address', text: iface(), get: (c) => eth0(c).ipv4, want: { address: '192.0.2.11', mask: '255.255.255.0', prefixLength: 24 } },
  { name: 'ip address secondary', text: iface('ip address 198.51.100.1 255.255.255.128 secondary'), get: (c) => eth0(c).ipv4Secondary, want: [{ address: '198.51.100.1', mask: '255.255.255.128', prefixLength: 25 }] },
  { name: 'ipv6 address is stored in RFC 5952 form', text: iface('ipv6 address 2001:DB8:0:0:0:0:0:1/64'), get: (c) => eth0(c).ipv6, want: [{ address: '2001:db8::1', prefixLength: 64 }] },

  // HSRP
  { name: 'standby version 2', text: iface('standby version 2', 'standby 1 ip 192.0.2.10'), get: (c) => group(c).version, want: 2 },
  { name: 'standby use-bia', text: iface('standby use-bia', 'standby 1 ip 192.0.2.10'), get: (c) => [eth0(c).standby.useBia, group(c).useBia], want: [true, true] },
  { name: 'standby ip without a group is group 0', text: iface('standby ip 192.0.2.10'), get: (c) => [group(c, 0).group, group(c, 0).virtualIp], want: [0, '192.0.2.10'] },
  { name: 'standby ip without an address learns the VIP', text: iface('standby 3 ip'), get: (c) => group(c, 3).virtualIp, want: null },
  { name: 'standby ip secondary', text: iface('standby 1 ip 192.0.2.10', 'standby 1 ip 192.0.2.20 secondary'), get: (c) => group(c).secondaryVirtualIps, want: ['192.0.2.20'] },
  { name: 'standby priority', text: iface('standby 1 priority 110'), get: (c) => group(c).priority, want: 110 },
  { name: 'standby priority 0 is allowed', text: iface('standby 1 priority 0'), get: (c) => group(c).priority, want: 0 },
  { name: 'standby preempt', text: iface('standby 1 preempt'), get: (c) => group(c).preempt, want: { enabled: true, delayMinimumSeconds: 0, delayReloadSeconds: 0, delaySyncSeconds: 0 } },
  {
    name: 'standby preempt delay minimum reload sync',
    text: iface('standby 1 preempt delay minimum 30 reload 60 sync 10'),
    get: (c) => group(c).preempt,
    want: { enabled: true, delayMinimumSeconds: 30, delayReloadSeconds: 60, delaySyncSeconds: 10 },
  },
  { name: 'standby preempt delay N (old syntax)', text: iface('standby 1 preempt delay 15'), get: (c) => group(c).preempt.delayMinimumSeconds, want: 15 },
  { name: 'no standby preempt', text: iface('standby 1 preempt', 'no standby 1 preempt'), get: (c) => group(c).preempt.enabled, want: false },
  { name: 'standby timers in seconds', text: iface('standby 1 timers 1 4'), get: (c) => group(c).timers, want: { helloMs: 1000, holdMs: 4000 } },
  { name: 'standby timers msec msec', text: iface('standby 1 timers msec 100 msec 300'), get: (c) => group(c).timers, want: { helloMs: 100, holdMs: 300 } },
  { name: 'standby timers msec hello, seconds hold', text: iface('standby 1 timers msec 250 1'), get: (c) => group(c).timers, want: { helloMs: 250, holdMs: 1000 } },
  { name: 'standby authentication text', text: iface('standby 1 authentication text abc'), get: (c) => [group(c).authentication.mode, group(c).authentication.key.reveal()], want: ['text', 'abc'] },
  { name: 'standby authentication STRING (old text form)', text: iface('standby 1 authentication pass8'), get: (c) => [group(c).authentication.mode, group(c).authentication.key.reveal()], want: ['text', 'pass8'] },
  { name: 'standby authentication md5 key-string', text: iface('standby 1 authentication md5 key-string k3y'), get: (c) => [group(c).authentication.mode, group(c).authentication.key.reveal()], want: ['md5', 'k3y'] },
  {
    name: 'standby authentication md5 key-string 7 is decoded',
    text: iface('standby 1 authentication md5 key-string 7 0822455D0A16'),
    get: (c) => [group(c).authentication.key.reveal(), group(c).authentication.key.encoding],
    want: ['cisco', 'type7'],
  },
  { name: 'standby name', text: iface('standby 1 name group1'), get: (c) => group(c).name, want: 'group1' },
  { name: 'standby unicast-peer (repeatable)', text: iface('standby 1 unicast-peer 192.0.2.12', 'standby 1 unicast-peer 192.0.2.13'), get: (c) => group(c).unicastPeers, want: ['192.0.2.12', '192.0.2.13'] },

  // cluster
  { name: 'cluster standby-group resolves to the HSRP group', text: cluster(), get: (c) => c.ikev2.cluster?.standbyGroup.virtualIp, want: '192.0.2.10' },
  { name: 'cluster port', text: cluster('port 2100'), get: (c) => c.ikev2.cluster?.port, want: 2100 },
  { name: 'cluster holdtime', text: cluster('holdtime 5000'), get: (c) => c.ikev2.cluster?.holdtimeMs, want: 5000 },
  { name: 'master overload-limit', text: cluster('master overload-limit 80'), get: (c) => c.ikev2.cluster?.primary.overloadLimitPercent, want: 80 },
  { name: 'master weight crypto-load', text: cluster('master weight crypto-load 70'), get: (c) => c.ikev2.cluster?.primary.cryptoLoadWeight, want: 70 },
  { name: 'primary weight system-load', text: cluster('primary weight system-load 30'), get: (c) => c.ikev2.cluster?.primary.systemLoadWeight, want: 30 },
  { name: 'short form master crypto-load', text: cluster('master crypto-load 40'), get: (c) => c.ikev2.cluster?.primary.cryptoLoadWeight, want: 40 },
  { name: 'slave hello', text: cluster('slave hello 400'), get: (c) => c.ikev2.cluster?.subordinate.helloMs, want: 400 },
  { name: 'subordinate update', text: cluster('subordinate update 1500'), get: (c) => c.ikev2.cluster?.subordinate.updateMs, want: 1500 },
  { name: 'slave max-session', text: cluster('slave max-session 1000'), get: (c) => c.ikev2.cluster?.subordinate.maxSessions, want: 1000 },
  { name: 'slave priority', text: cluster('slave priority 90'), get: (c) => c.ikev2.cluster?.subordinate.priority, want: 90 },
  {
    name: 'cluster authentication key-string overrides the HSRP key',
    text: cluster('authentication key-string clb-channel-secret'),
    get: (c) => [c.ikev2.cluster?.secret.reveal(), c.ikev2.cluster?.secretSource],
    want: ['clb-channel-secret', 'cluster'],
  },
  { name: 'cluster secret spelt as in docs/CLB-PROTOCOL.md', text: cluster('secret clb-channel-secret'), get: (c) => [c.ikev2.cluster?.secret.reveal(), c.ikev2.cluster?.secretSource], want: ['clb-channel-secret', 'cluster'] },
  {
    name: 'cluster authentication key-string 7 is decoded',
    text: cluster('authentication key-string 7 0822455D0A16', 'secret longer-than-cisco'),
    get: (c) => c.ikev2.cluster?.secret.reveal(),
    want: 'longer-than-cisco',
  },
  { name: 'cluster member (repeatable)', text: cluster('member 192.0.2.12', 'member 2001:db8::13'), get: (c) => c.ikev2.cluster?.allowedMembers, want: ['192.0.2.12', '2001:db8::13'] },
  { name: 'cluster secret defaults to the HSRP md5 key-string', text: cluster(), get: (c) => [c.ikev2.cluster?.secret.reveal(), c.ikev2.cluster?.secretSource], want: ['cluster-secret', 'standby-group'] },
  { name: 'cluster shutdown', text: cluster('shutdown'), get: (c) => c.ikev2.cluster?.enabled, want: false },
  { name: 'cluster no shutdown', text: cluster('shutdown', 'no shutdown'), get: (c) => c.ikev2.cluster?.enabled, want: true },

  // redirect and reconnect
  { name: 'redirect client', text: conf('crypto ikev2 redirect client'), get: (c) => c.ikev2.redirect.client, want: { enabled: true, maxRedirects: 5 } },
  { name: 'redirect client max-redirects', text: conf('crypto ikev2 redirect client max-redirects 3'), get: (c) => c.ikev2.redirect.client.maxRedirects, want: 3 },
  { name: 'no redirect client', text: conf('crypto ikev2 redirect client', 'no crypto ikev2 redirect client'), get: (c) => c.ikev2.redirect.client.enabled, want: false },
  { name: 'redirect gateway init', text: cluster() + conf('crypto ikev2 redirect gateway init'), get: (c) => c.ikev2.redirect.gateway.init, want: true },
  { name: 'redirect gateway auth', text: cluster() + conf('crypto ikev2 redirect gateway auth'), get: (c) => [c.ikev2.redirect.gateway.auth, c.ikev2.profiles[0]?.redirectGatewayAuth], want: [true, true] },
  {
    name: 'redirect gateway static targets (IPv4 and IPv6, with capacity)',
    text: conf('crypto ikev2 redirect gateway static 192.0.2.12 capacity 500', 'crypto ikev2 redirect gateway static 2001:db8::12', 'crypto ikev2 redirect gateway init'),
    get: (c) => c.ikev2.redirect.gateway.staticTargets.map((s) => [s.address, s.family, s.capacity]),
    want: [
      ['192.0.2.12', 4, 500],
      ['2001:db8::12', 6, 10000],
    ],
  },
  {
    name: 'reconnect keys, the active one resolved',
    text: conf('crypto ikev2 reconnect key 2 second-reconnect-key', 'crypto ikev2 reconnect key 1 active first-reconnect-key'),
    get: (c) => [c.ikev2.reconnect.keys.map((k) => [k.id, k.active]), c.ikev2.reconnect.active?.id, c.ikev2.reconnect.active?.key.reveal()],
    want: [
      [
        [1, true],
        [2, false],
      ],
      1,
      'first-reconnect-key',
    ],
  },

  // global IKEv2
  {
    name: 'listen address with ports',
    text: conf('crypto ikev2 listen address 127.0.0.1 port 15500 nat-t-port 14500'),
    get: (c) => c.ikev2.listen.map((l) => [l.address, l.family, l.port, l.natTPort]),
    want: [['127.0.0.1', 4, 15500, 14500]],
  },
  {
    name: 'listen address any binds both families',
    text: conf('crypto ikev2 listen address any port 15500 nat-t-port 14500'),
    get: (c) => c.ikev2.listen.map((l) => [l.address, l.port]),
    want: [
      ['0.0.0.0', 15500],
      ['::', 15500],
    ],
  },
  { name: 'listen IPv6 address with default ports', text: conf('crypto ikev2 listen address ::1'), get: (c) => c.ikev2.listen.map((l) => [l.address, l.family, l.port, l.natTPort]), want: [['::1', 6, 500, 4500]] },
  { name: 'cookie-challenge 0 (ikelb: always)', text: conf('crypto ikev2 cookie-challenge 0'), get: (c) => c.ikev2.cookieChallenge, want: 0 },
  { name: 'cookie-challenge N', text: conf('crypto ikev2 cookie-challenge 100'), get: (c) => c.ikev2.cookieChallenge, want: 100 },
  { name: 'no cookie-challenge', text: conf('crypto ikev2 cookie-challenge 100', 'no crypto ikev2 cookie-challenge'), get: (c) => c.ikev2.cookieChallenge, want: null },
  {
    name: 'limit max-in-negotiation-sa incoming',
    text: conf('crypto ikev2 limit max-in-negotiation-sa 500 incoming'),
    get: (c) => [c.ikev2.limits.maxInNegotiationSa, c.ikev2.limits.maxInNegotiationDirection],
    want: [500, 'incoming'],
  },
  { name: 'limit max-sa', text: conf('crypto ikev2 limit max-sa 100000'), get: (c) => c.ikev2.limits.maxSa, want: 100000 },
  { name: 'dpd', text: conf('crypto ikev2 dpd 10 3 on-demand'), get: (c) => c.ikev2.dpd, want: { intervalSeconds: 10, retrySeconds: 3, mode: 'on-demand' } },
  { name: 'nat keepalive', text: conf('crypto ikev2 nat keepalive 20'), get: (c) => c.ikev2.natKeepaliveSeconds, want: 20 },
  { name: 'window', text: conf('crypto ikev2 window 10'), get: (c) => c.ikev2.windowSize, want: 10 },
  { name: 'fragmentation', text: conf('crypto ikev2 fragmentation'), get: (c) => c.ikev2.fragmentation, want: { enabled: true, mtu: 576 } },
  { name: 'fragmentation mtu', text: conf('crypto ikev2 fragmentation mtu 1280'), get: (c) => c.ikev2.fragmentation, want: { enabled: true, mtu: 1280 } },

  // proposal and policy
  {
    name: 'proposal lists keep preference order',
    text: conf('crypto ikev2 proposal default', ' encryption aes-gcm-128 aes-gcm-256', ' prf sha384 sha256', ' group 19 31 14 20'),
    get: (c) => {
      const p = c.ikev2.proposals.find((x) => x.name === 'default');
      return [p?.encryption, p?.prf, p?.groups, p?.aead, p?.builtIn];
    },
    want: [['aes-gcm-128', 'aes-gcm-256'], ['sha384', 'sha256'], [19, 31, 14, 20], true, false],
  },
  {
    name: 'a CBC proposal without prf uses its integrity hashes (IOS)',
    text: conf('crypto ikev2 proposal default', ' encryption aes-cbc-256 aes-cbc-192 aes-cbc-128', ' integrity sha512 sha256', ' group 14'),
    get: (c) => {
      const p = c.ikev2.proposals.find((x) => x.name === 'default');
      return [p?.encryption, p?.integrity, p?.prf, p?.aead];
    },
    want: [['aes-cbc-256', 'aes-cbc-192', 'aes-cbc-128'], ['sha512', 'sha256'], ['sha512', 'sha256'], false],
  },
  {
    name: 'repeated encryption lines add algorithms',
    text: conf('crypto ikev2 proposal default', ' encryption aes-gcm-256', ' encryption aes-gcm-128 aes-gcm-256', ' prf sha256', ' group 31'),
    get: (c) => c.ikev2.proposals.find((x) => x.name === 'default')?.encryption,
    want: ['aes-gcm-256', 'aes-gcm-128'],
  },
  {
    name: 'policy with proposals and match address local',
    text: conf('crypto ikev2 proposal fast', ' encryption aes-gcm-128', ' prf sha256', ' group 31', 'crypto ikev2 policy edge', ' proposal fast', ' proposal default', ' match address local 192.0.2.10'),
    get: (c) => c.ikev2.policies.map((p) => [p.name, p.proposals.map((x) => [x.name, x.builtIn]), p.matchAddressLocal]),
    want: [
      [
        'edge',
        [
          ['fast', false],
          ['default', true],
        ],
        ['192.0.2.10'],
      ],
    ],
  },

  // keyring
  {
    name: 'keyring peer with address, mask and both keys',
    text: GATEWAY_BASE,
    get: (c) => {
      const peer = c.ikev2.keyrings[0]?.peers[0];
      return [peer?.name, peer?.address, peer?.preSharedKey.local?.reveal(), peer?.preSharedKey.remote?.reveal()];
    },
    want: ['any', { family: 4, address: '0.0.0.0', mask: '0.0.0.0', prefixLength: 0 }, 's3cret-psk', 's3cret-psk'],
  },
  {
    name: 'keyring peer with IPv6 prefix, hostname, identity and separate keys',
    text: conf(
      'crypto ikev2 keyring k',
      ' peer branch',
      '  description branch office',
      '  address 2001:db8:1::/48',
      '  hostname branch.example.com',
      '  identity fqdn domain example.com',
      '  pre-shared-key local l0cal-key',
      '  pre-shared-key remote rem0te-key',
    ) + profile('keyring local k'),
    get: (c) => {
      const peer = c.ikev2.keyrings[0]?.peers[0];
      return [peer?.description, peer?.address, peer?.hostname, peer?.identity, peer?.preSharedKey.local?.reveal(), peer?.preSharedKey.remote?.reveal()];
    },
    want: [
      'branch office',
      { family: 6, address: '2001:db8:1::', prefixLength: 48 },
      'branch.example.com',
      { type: 'fqdn', domain: true, value: 'example.com' },
      'l0cal-key',
      'rem0te-key',
    ],
  },
  {
    name: 'keyring peer host address without mask is a /32',
    text: conf('crypto ikev2 keyring k', ' peer one', '  address 192.0.2.50', '  pre-shared-key 0 clear-key') + profile('keyring local k'),
    get: (c) => [c.ikev2.keyrings[0]?.peers[0]?.address, c.ikev2.keyrings[0]?.peers[0]?.preSharedKey.local?.reveal()],
    want: [{ family: 4, address: '192.0.2.50', mask: '255.255.255.255', prefixLength: 32 }, 'clear-key'],
  },

  // profile
  {
    name: 'profile match identity remote variants (repeatable)',
    text: profile('match identity remote address 198.51.100.0 255.255.255.0', 'match identity remote fqdn domain example.com', 'match identity remote email user@example.com', 'match identity remote key-id grp1'),
    get: (c) => c.ikev2.profiles[0]?.matchIdentityRemote,
    want: [
      { type: 'any' },
      { type: 'address', family: 4, address: '198.51.100.0', mask: '255.255.255.0', prefixLength: 24 },
      { type: 'fqdn', domain: true, value: 'example.com' },
      { type: 'email', domain: false, value: 'user@example.com' },
      { type: 'key-id', value: 'grp1' },
    ],
  },
  {
    name: 'profile match identity local and match address local',
    text: profile('match identity local fqdn gw.example.com', 'match address local 192.0.2.10'),
    get: (c) => [c.ikev2.profiles[0]?.matchIdentityLocal, c.ikev2.profiles[0]?.matchAddressLocal],
    want: [[{ type: 'fqdn', domain: false, value: 'gw.example.com' }], ['192.0.2.10']],
  },
  { name: 'identity local fqdn', text: profile('identity local fqdn GW.Example.com'), get: (c) => c.ikev2.profiles[0]?.identityLocal, want: { type: 'fqdn', value: 'gw.example.com' } },
  { name: 'identity local email', text: profile('identity local email client1@example.com'), get: (c) => c.ikev2.profiles[0]?.identityLocal, want: { type: 'email', value: 'client1@example.com' } },
  { name: 'identity local address', text: profile('identity local address 192.0.2.11'), get: (c) => c.ikev2.profiles[0]?.identityLocal, want: { type: 'address', family: 4, address: '192.0.2.11' } },
  { name: 'identity local key-id', text: profile('identity local key-id group-a'), get: (c) => c.ikev2.profiles[0]?.identityLocal, want: { type: 'key-id', value: 'group-a' } },
  {
    name: 'authentication methods with inline keys',
    text: profile(),
    get: (c) => {
      const p = c.ikev2.profiles[0];
      const l = p?.authenticationLocal;
      const r = p?.authenticationRemote[0];
      return [l?.method, l?.method === 'pre-share' ? l.key?.reveal() : undefined, r?.method, r?.method === 'pre-share' ? r.key?.reveal() : undefined];
    },
    want: ['pre-share', 'k1', 'pre-share', 'k2'],
  },
  { name: 'keyring local resolves to the keyring object', text: GATEWAY_BASE, get: (c) => c.ikev2.profiles[0]?.keyring === c.ikev2.keyrings[0], want: true },
  { name: 'profile lifetime', text: profile('lifetime 3600'), get: (c) => c.ikev2.profiles[0]?.lifetimeSeconds, want: 3600 },
  { name: 'profile dpd', text: profile('dpd 30 5 periodic'), get: (c) => c.ikev2.profiles[0]?.dpd, want: { intervalSeconds: 30, retrySeconds: 5, mode: 'periodic' } },
  { name: 'profile dpd falls back to crypto ikev2 dpd', text: conf('crypto ikev2 dpd 60 10 on-demand') + profile(), get: (c) => c.ikev2.profiles[0]?.dpd?.intervalSeconds, want: 60 },
  { name: 'profile nat keepalive', text: profile('nat keepalive 25'), get: (c) => c.ikev2.profiles[0]?.natKeepaliveSeconds, want: 25 },
  { name: 'profile redirect gateway auth', text: conf('crypto ikev2 redirect gateway static 192.0.2.12') + profile('redirect gateway auth'), get: (c) => c.ikev2.profiles[0]?.redirectGatewayAuth, want: true },
  {
    name: 'aaa authorization group psk list with a policy and its pools',
    text: conf(
      'aaa new-model',
      'aaa authorization network flexvpn-list local',
      'ip local pool clients 10.10.0.10 10.10.0.250',
      'ipv6 local pool clients6 2001:db8:ff::/48 64',
      'crypto ikev2 authorization policy flex',
      ' pool clients',
      ' ipv6 pool clients6',
      ' dns 192.0.2.53 192.0.2.54',
      ' netmask 255.255.255.0',
    ) + profile('aaa authorization group psk list flexvpn-list flex'),
    get: (c) => {
      const a = c.ikev2.profiles[0]?.authorization[0];
      return [a?.scope, a?.list, a?.policy.name, a?.policy.ipv4Pool?.name, a?.policy.ipv6Pool?.name, a?.policy.dns, a?.policy.netmask, c.aaa];
    },
    want: ['psk', 'flexvpn-list', 'flex', 'clients', 'clients6', ['192.0.2.53', '192.0.2.54'], '255.255.255.0', { newModel: true, authorizationNetworkLists: ['flexvpn-list'] }],
  },
  {
    name: 'aaa authorization without a policy name uses the default policy',
    text: conf('aaa authorization network default local') + profile('aaa authorization group cert list default'),
    get: (c) => [c.ikev2.profiles[0]?.authorization[0]?.policy.name, c.ikev2.profiles[0]?.authorization[0]?.policy.builtIn],
    want: ['default', true],
  },

  // pools
  {
    name: 'ip local pool with one address, a range, and a second range by repeating the name',
    text: conf('ip local pool one 10.0.0.1', 'ip local pool many 10.1.0.1 10.1.0.100', 'ip local pool many 10.2.0.1 10.2.0.10'),
    get: (c) => c.pools.ipv4.map((p) => [p.name, p.ranges.map((r) => [r.start, r.end, r.size])]),
    want: [
      ['one', [['10.0.0.1', '10.0.0.1', 1]]],
      [
        'many',
        [
          ['10.1.0.1', '10.1.0.100', 100],
          ['10.2.0.1', '10.2.0.10', 10],
        ],
      ],
    ],
  },
  {
    name: 'ipv6 local pool',
    text: conf('ipv6 local pool v6 2001:DB8:AA::/48 64'),
    get: (c) => c.pools.ipv6.map((p) => [p.name, p.prefix, p.prefixLength, p.assignedLength]),
    want: [['v6', '2001:db8:aa::', 48, 64]],
  },

  // client
  {
    name: 'flexvpn client peers (address, fqdn, bare name with ports), sorted by sequence',
    text:
      profile() +
      conf(
        'crypto ikev2 client flexvpn c',
        ' peer 3 vpn.example.com port 15500 nat-t-port 14500',
        ' peer 1 192.0.2.10',
        ' peer 2 fqdn gw.example.com dynamic',
        ' client connect profile p',
        ' peer reactivate',
        ' connect manual',
      ),
    get: (c) => {
      const client = c.ikev2.clients[0];
      return [client?.peers.map((p) => [p.index, p.host, p.port, p.natTPort]), client?.profile === c.ikev2.profiles[0], client?.peerReactivate, client?.connect];
    },
    want: [
      [
        [1, { type: 'address', family: 4, address: '192.0.2.10' }, 500, 4500],
        [2, { type: 'fqdn', value: 'gw.example.com' }, 500, 4500],
        [3, { type: 'fqdn', value: 'vpn.example.com' }, 15500, 14500],
      ],
      true,
      true,
      'manual',
    ],
  },

  // IPsec
  {
    name: 'transform sets: esp-gcm 256, esp-aes with integrity and transport mode',
    text:
      profile() +
      conf(
        'crypto ipsec transform-set gcm esp-gcm 256',
        'crypto ipsec transform-set cbc esp-aes 256 esp-sha256-hmac',
        ' mode transport',
        'crypto ipsec transform-set gcm128 esp-gcm',
        'crypto ipsec profile child',
        ' set transform-set gcm cbc gcm128',
        ' set ikev2-profile p',
      ),
    get: (c) => c.ikev2.profiles[0]?.childSa.transformSets.map((s) => [s.name, s.encryption, s.keyLength, s.integrity, s.mode]),
    want: [
      ['gcm', 'esp-gcm', 256, null, 'tunnel'],
      ['cbc', 'esp-aes', 256, 'esp-sha256-hmac', 'transport'],
      ['gcm128', 'esp-gcm', 128, null, 'tunnel'],
    ],
  },
  {
    name: 'ipsec profile lifetimes and pfs',
    text:
      profile() +
      conf(
        'crypto ipsec profile child',
        ' set ikev2-profile p',
        ' set security-association lifetime seconds 1800',
        ' set security-association lifetime kilobytes 100000',
        ' set pfs group19',
      ),
    get: (c) => {
      const s = c.ikev2.profiles[0]?.childSa;
      return [s?.name, s?.lifetimeSeconds, s?.lifetimeKilobytes, s?.pfs];
    },
    want: ['child', 1800, 100000, 19],
  },
  {
    name: 'set pfs without a group uses the IKE SA group; kilobytes disable',
    text: profile() + conf('crypto ipsec profile child', ' set ikev2-profile p', ' set pfs', ' set security-association lifetime kilobytes disable'),
    get: (c) => [c.ikev2.profiles[0]?.childSa.pfs, c.ikev2.profiles[0]?.childSa.lifetimeKilobytes],
    want: ['ike', null],
  },
  {
    name: 'a profile no ipsec profile names gets the built-in default CHILD_SA settings',
    text: profile(),
    get: (c) => [c.ikev2.profiles[0]?.childSa.name, c.ikev2.profiles[0]?.childSa.builtIn, c.ikev2.profiles[0]?.childSa.transformSets.map((s) => s.name)],
    want: ['default', true, ['default-gcm256', 'default-gcm128', 'default-cbc256']],
  },
];

for (const row of rows) {
  t.test(`'${row.name}' parses into the documented value`, async (t) => {
    const config = parseOk(t, row.text);
    t.same(row.get(config), row.want);
  });
}
