// A table of bad lines: each gives one exact `file:line: 'text': reason`
// error. The rows cover unknown commands, every range, missing arguments, bad
// addresses and masks, wrong modes and the whole-file rules.
import t from 'tap';
import { parseConfig } from '../../lib/config';
import { conf, errorsOf, GATEWAY_BASE } from './parse-helpers';

const base = GATEWAY_BASE.split('\n').length - 1; // lines in GATEWAY_BASE
const iface = (...lines: string[]): string => conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ...lines.map((l) => ` ${l}`));
const cluster = (...lines: string[]): string => GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group group1', ...lines.map((l) => ` ${l}`));
const proposal = (...lines: string[]): string => conf('crypto ikev2 proposal default', ...lines.map((l) => ` ${l}`));
const profile = (...lines: string[]): string => conf('crypto ikev2 profile p', ' match identity remote any', ...lines.map((l) => ` ${l}`));

interface Row {
  readonly name: string;
  readonly text: string;
  readonly error: string;
}

const rows: Row[] = [
  // unknown commands and modes
  { name: 'unknown command with a suggestion', text: conf('hostnme gw1'), error: "bad.conf:1: 'hostnme gw1': unknown command 'hostnme' (did you mean 'hostname'?)" },
  { name: 'unknown command without a suggestion', text: conf('frobnicate now'), error: "bad.conf:1: 'frobnicate now': unknown command 'frobnicate'" },
  {
    name: 'unknown command inside a block names the mode',
    text: iface('standbi 1 ip 192.0.2.10'),
    error: "bad.conf:3: 'standbi 1 ip 192.0.2.10': unknown command 'standbi' in interface mode (config-if) (did you mean 'standby'?)",
  },
  {
    name: 'a command in the wrong block says where it belongs',
    text: profile('encryption aes-gcm-256'),
    error: "bad.conf:3: 'encryption aes-gcm-256': 'encryption' here is a command of crypto ikev2 proposal mode (config-ikev2-proposal), not of crypto ikev2 profile mode (config-ikev2-profile)",
  },
  {
    name: 'an indented global command',
    text: iface(' crypto ikev2 redirect client'),
    error: "bad.conf:3: 'crypto ikev2 redirect client': this is a global command, not a command of interface mode (config-if): remove the indentation",
  },
  {
    name: 'a block command at the top level',
    text: conf('pre-shared-key abc'),
    error: "bad.conf:1: 'pre-shared-key [redacted]': 'pre-shared-key' here is a command of keyring peer mode (config-ikev2-keyring-peer), not of global configuration mode (config)",
  },
  { name: 'an indented line with no block above it', text: conf(' hostname gw1'), error: "bad.conf:1: 'hostname gw1': this line is indented, but no block (interface, crypto ...) is open above it" },
  { name: 'an ambiguous abbreviation', text: iface('standby 1 pr 100'), error: "bad.conf:3: 'standby 1 pr 100': ambiguous abbreviation 'pr': could be priority, preempt" },
  { name: 'an unterminated quote', text: conf('hostname "gw1'), error: "bad.conf:1: 'hostname \"gw1': a quoted value is not closed on this line (quotes have no escapes)" },

  // missing and extra arguments
  { name: 'missing argument', text: conf('hostname'), error: "bad.conf:1: 'hostname': incomplete command: expected hostname WORD" },
  { name: 'missing mask', text: iface('ip address 192.0.2.12'), error: "bad.conf:3: 'ip address 192.0.2.12': incomplete command: expected mask A.B.C.D" },
  { name: 'extra argument', text: conf('hostname gw1 gw2'), error: "bad.conf:1: 'hostname gw1 gw2': unexpected 'gw2': the command is complete before it" },
  { name: 'incomplete dpd', text: conf('crypto ikev2 dpd 10 3'), error: "bad.conf:1: 'crypto ikev2 dpd 10 3': incomplete command: expected one of: on-demand, periodic" },

  // values
  { name: 'bad IPv4 address', text: iface('ip address 192.0.2.300 255.255.255.0'), error: "bad.conf:3: 'ip address 192.0.2.300 255.255.255.0': address must be an IPv4 address (A.B.C.D)" },
  { name: 'non-contiguous mask', text: iface('ip address 192.0.2.12 255.0.255.0 secondary'), error: "bad.conf:3: 'ip address 192.0.2.12 255.0.255.0 secondary': mask must be a contiguous netmask (e.g. 255.255.255.0), not 255.0.255.0" },
  { name: 'network address on an interface', text: conf('interface eth0', ' ip address 192.0.2.0 255.255.255.0'), error: "bad.conf:2: 'ip address 192.0.2.0 255.255.255.0': 192.0.2.0 is the network address of 192.0.2.0/24" },
  { name: 'bad IPv6 prefix', text: iface('ipv6 address 2001:db8::g/64'), error: "bad.conf:3: 'ipv6 address 2001:db8::g/64': address must be an IPv6 prefix (X:X:X:X::X/<0-128>)" },
  { name: 'IOS interface name', text: conf('interface GigabitEthernet0/0'), error: "bad.conf:1: 'interface GigabitEthernet0/0': interface name must be a Linux interface name (at most 15 characters, no \"/\", \":\" or spaces), e.g. eth0" },
  { name: 'bad hostname', text: conf('hostname gw_1'), error: "bad.conf:1: 'hostname gw_1': hostname must start with a letter and hold only letters, digits and inner hyphens (at most 63; RFC 1123)" },
  { name: 'not a number', text: iface('standby 1 priority high'), error: "bad.conf:3: 'standby 1 priority high': priority must be a number 0-255" },

  // HSRP ranges and rules
  { name: 'HSRP priority over 255', text: iface('standby 1 priority 300'), error: "bad.conf:3: 'standby 1 priority 300': priority must be 0-255" },
  { name: 'HSRP group over 4095', text: iface('standby 5000 ip 192.0.2.10'), error: "bad.conf:3: 'standby 5000 ip 192.0.2.10': group must be 0-4095" },
  { name: 'HSRP v1 group over 255', text: iface('standby 300 ip 192.0.2.10'), error: "bad.conf:3: 'standby 300 ip 192.0.2.10': HSRP group 300 needs 'standby version 2' on eth0 (version 1 groups are 0-255)" },
  { name: 'HSRP hello msec below 15', text: iface('standby 1 timers msec 10 msec 100'), error: "bad.conf:3: 'standby 1 timers msec 10 msec 100': hello time must be 15-999" },
  { name: 'HSRP hold under 3 x hello', text: iface('standby 1 timers msec 200 msec 500'), error: "bad.conf:3: 'standby 1 timers msec 200 msec 500': hold time (500 ms) must be at least 3 x hello time (200 ms)" },
  { name: 'HSRP hold under 3 x hello in seconds', text: iface('standby 1 timers 3 5'), error: "bad.conf:3: 'standby 1 timers 3 5': hold time (5000 ms) must be at least 3 x hello time (3000 ms)" },
  { name: 'HSRP preempt delay over 3600', text: iface('standby 1 preempt delay minimum 4000'), error: "bad.conf:3: 'standby 1 preempt delay minimum 4000': minimum delay must be 0-3600" },
  {
    name: 'HSRP text authentication over 8 characters',
    text: iface('standby 1 authentication text longer-than-8'),
    error: "bad.conf:3: 'standby 1 authentication text [redacted]': text authentication is at most 8 characters (RFC 2281 §5: 8 octets on the wire)",
  },
  {
    name: 'HSRP bad type-7 key',
    text: iface('standby 1 authentication md5 key-string 7 XYZ'),
    error: "bad.conf:3: 'standby 1 authentication md5 key-string 7 [redacted]': key-string 7: a type-7 string is two decimal digits followed by hex pairs (e.g. 0822455D0A16)",
  },
  { name: 'HSRP VIP outside the subnet', text: iface('standby 1 ip 198.51.100.10'), error: "bad.conf:3: 'standby 1 ip 198.51.100.10': virtual IP 198.51.100.10 is not in a subnet of interface eth0" },
  { name: 'HSRP VIP equal to the interface address', text: iface('standby 1 ip 192.0.2.11'), error: "bad.conf:3: 'standby 1 ip 192.0.2.11': virtual IP 192.0.2.11 is the interface's own address: HSRP needs a separate address" },
  { name: 'HSRP without an interface address', text: conf('interface eth1', ' standby 1 ip 192.0.2.10'), error: "bad.conf:2: 'standby 1 ip 192.0.2.10': HSRP needs an 'ip address' on interface eth1" },
  { name: 'HSRP track is out of scope', text: iface('standby 1 track 10 decrement 20'), error: "bad.conf:3: 'standby 1 track 10 decrement 20': 'standby track' is not supported by ikelb: object tracking is not implemented; use priority and preempt" },
  {
    name: 'duplicate HSRP group names',
    text: conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 name g', ' standby 2 name g'),
    error: "bad.conf:4: 'standby 2 name g': standby group name 'g' is already used on line 3: names must be unique (the cluster's standby-group refers to one)",
  },

  // cluster
  { name: 'cluster subordinate priority over 255', text: cluster('slave priority 300'), error: `bad.conf:${base + 3}: 'slave priority 300': priority must be 1-255` },
  { name: 'cluster subordinate priority 0', text: cluster('subordinate priority 0'), error: `bad.conf:${base + 3}: 'subordinate priority 0': priority must be 1-255` },
  {
    name: 'cluster secret under 8 characters',
    text: cluster('authentication key-string short'),
    error: `bad.conf:${base + 3}: 'authentication key-string [redacted]': the cluster secret must be at least 8 characters: it keys the CLB channel's HMAC`,
  },
  {
    name: 'cluster secret from a short HSRP key-string',
    text: conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 authentication md5 key-string k', ' standby 1 name g', 'crypto ikev2 cluster', ' standby-group g'),
    error: "bad.conf:3: 'standby 1 authentication md5 key-string [redacted]': the cluster secret (the HSRP group's md5 key-string) must be at least 8 characters: it keys the CLB channel's HMAC",
  },
  { name: 'cluster member that is not an address', text: cluster('member gw2'), error: `bad.conf:${base + 3}: 'member gw2': member address must be an IPv4 address (A.B.C.D) or an IPv6 address (X:X::X)` },
  { name: 'cluster weight over 100', text: cluster('master weight crypto-load 101'), error: `bad.conf:${base + 3}: 'master weight crypto-load 101': weight must be 0-100` },
  { name: 'cluster port 0', text: cluster('port 0'), error: `bad.conf:${base + 3}: 'port 0': port must be 1-65535` },
  { name: 'cluster port over 65535', text: cluster('port 70000'), error: `bad.conf:${base + 3}: 'port 70000': port must be 1-65535` },
  { name: 'cluster overload-limit over 100', text: cluster('primary overload-limit 120'), error: `bad.conf:${base + 3}: 'primary overload-limit 120': overload-limit (%) must be 1-100` },
  {
    name: 'cluster holdtime not longer than hello',
    text: cluster('slave hello 2000', 'holdtime 1000'),
    error: `bad.conf:${base + 4}: 'holdtime 1000': holdtime (1000 ms) must be longer than the subordinate hello (2000 ms), or every member looks dead`,
  },
  { name: 'cluster with both weights 0', text: cluster('master weight crypto-load 0', 'master weight system-load 0'), error: `bad.conf:${base + 4}: 'master weight system-load 0': crypto-load and system-load weights are both 0: the load of a member would be undefined` },
  {
    name: 'cluster standby-group that does not exist',
    text: GATEWAY_BASE + conf('crypto ikev2 cluster', ' standby-group gruop1'),
    error: `bad.conf:${base + 2}: 'standby-group gruop1': no HSRP group is named 'gruop1' (did you mean 'group1'?)`,
  },
  { name: 'cluster without standby-group', text: conf('crypto ikev2 cluster', ' port 2000'), error: "bad.conf:1: 'crypto ikev2 cluster': the cluster needs 'standby-group NAME': the HSRP group whose active router is the CLB primary" },
  {
    name: 'cluster without any secret',
    text: conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 ip 192.0.2.10', ' standby 1 name g', 'crypto ikev2 cluster', ' standby-group g'),
    error: "bad.conf:5: 'crypto ikev2 cluster': the cluster channel needs a secret: add 'authentication key-string SECRET' here, or 'standby authentication md5 key-string' to its HSRP group",
  },

  // redirect and reconnect
  { name: 'max-redirects 0', text: conf('crypto ikev2 redirect client max-redirects 0'), error: "bad.conf:1: 'crypto ikev2 redirect client max-redirects 0': max-redirects must be 1-255" },
  {
    name: 'redirect gateway init without a cluster or static targets',
    text: conf('crypto ikev2 redirect gateway init'),
    error: "bad.conf:1: 'crypto ikev2 redirect gateway init': redirect gateway init has nowhere to send clients: configure 'crypto ikev2 cluster' or 'crypto ikev2 redirect gateway static ADDRESS'",
  },
  {
    name: 'two active reconnect keys',
    text: conf('crypto ikev2 reconnect key 1 active first-reconnect-key', 'crypto ikev2 reconnect key 2 active second-reconnect-key'),
    error: "bad.conf:2: 'crypto ikev2 reconnect key 2 active [redacted]': reconnect keys 1 and 2 are both active: exactly one may be",
  },
  {
    name: 'no active reconnect key',
    text: conf('crypto ikev2 reconnect key 1 first-reconnect-key'),
    error: "bad.conf:1: 'crypto ikev2 reconnect key 1 [redacted]': no reconnect key is active: mark exactly one with 'active' (crypto ikev2 reconnect key N active KEY)",
  },
  { name: 'reconnect key 3', text: conf('crypto ikev2 reconnect key 3 active some-reconnect-key'), error: "bad.conf:1: 'crypto ikev2 reconnect key 3 active [redacted]': key number must be 1-2" },

  // proposals
  {
    name: 'integrity with GCM',
    text: proposal('encryption aes-gcm-256', 'integrity sha256', 'prf sha256', 'group 19'),
    error: "bad.conf:3: 'integrity sha256': proposal default uses aes-gcm, which authenticates by itself: remove 'integrity' (as IOS requires)",
  },
  { name: 'CBC without integrity', text: proposal('encryption aes-cbc-256', 'group 19'), error: "bad.conf:1: 'crypto ikev2 proposal default': proposal default uses aes-cbc and needs 'integrity' (sha256, sha384 or sha512)" },
  {
    name: 'GCM without prf',
    text: proposal('encryption aes-gcm-128', 'group 19'),
    error: "bad.conf:1: 'crypto ikev2 proposal default': proposal default uses aes-gcm and needs 'prf' (IOS derives the PRF from integrity, which AEAD proposals have none of)",
  },
  {
    name: 'GCM and CBC in one proposal',
    text: proposal('encryption aes-gcm-128', 'encryption aes-cbc-128', 'integrity sha256', 'prf sha256', 'group 19'),
    error: "bad.conf:3: 'encryption aes-cbc-128': proposal default mixes aes-gcm with aes-cbc: put AEAD and non-AEAD algorithms in separate proposals (as IOS requires)",
  },
  {
    name: 'unsupported DH group',
    text: proposal('encryption aes-gcm-128', 'prf sha256', 'group 19 5'),
    error: "bad.conf:4: 'group 19 5': DH group 5 is not supported by ikelb (supported: 14 (MODP-2048), 19 (ECP-256), 20 (ECP-384), 31 (Curve25519))",
  },
  {
    name: 'unsupported encryption',
    text: proposal('encryption 3des'),
    error: "bad.conf:2: 'encryption 3des': encryption '3des' is not supported by ikelb (supported: aes-gcm-128, aes-gcm-256, aes-cbc-128, aes-cbc-192, aes-cbc-256)",
  },
  { name: 'proposal without group', text: proposal('encryption aes-gcm-128', 'prf sha256'), error: "bad.conf:1: 'crypto ikev2 proposal default': proposal default is incomplete: it needs 'group'" },
  {
    name: 'policy naming a proposal that does not exist',
    text: conf('crypto ikev2 policy p', ' proposal fast'),
    error: "bad.conf:2: 'proposal fast': no proposal is named 'fast' (no proposal is configured)",
  },

  // keyring and profile
  {
    name: 'type 6 pre-shared key',
    text: conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.0 255.255.255.0', '  pre-shared-key 6 ABCDEF'),
    error: "bad.conf:4: 'pre-shared-key 6 [redacted]': type 6 keys are encrypted with the router's master key, which ikelb does not have: write the key in clear text (type 0)",
  },
  { name: 'keyring peer without a key', text: conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1'), error: "bad.conf:2: 'peer a': keyring peer a has no 'pre-shared-key'" },
  {
    name: 'profile naming an unknown keyring',
    text: conf('crypto ikev2 keyring clients', ' peer a', '  address 192.0.2.1', '  pre-shared-key k') + profile('authentication local pre-share', 'authentication remote pre-share', 'keyring local cleints'),
    error: "bad.conf:9: 'keyring local cleints': no keyring is named 'cleints' (did you mean 'clients'?)",
  },
  { name: 'profile without authentication local', text: profile('authentication remote pre-share key k'), error: "bad.conf:1: 'crypto ikev2 profile p': profile p needs 'authentication local pre-share|rsa-sig|ecdsa-sig'" },
  {
    name: 'pre-share with no key anywhere',
    text: profile('authentication local pre-share', 'authentication remote pre-share key k'),
    error: "bad.conf:3: 'authentication local pre-share': authentication local pre-share needs a key: 'authentication local pre-share key KEY' or 'keyring local NAME'",
  },
  {
    name: 'rsa-sig without a trustpoint',
    text: profile('authentication local pre-share key k', 'authentication remote rsa-sig'),
    error: "bad.conf:4: 'authentication remote rsa-sig': authentication remote rsa-sig needs 'pki trustpoint NAME [verify]' in profile p",
  },
  { name: 'profile lifetime below 120', text: profile('lifetime 60'), error: "bad.conf:3: 'lifetime 60': lifetime (s) must be 120-86400" },
  { name: 'dpd retry over 60', text: profile('dpd 10 90 periodic'), error: "bad.conf:3: 'dpd 10 90 periodic': DPD retry interval (s) must be 2-60" },
  {
    name: 'aaa list that is not defined',
    text: profile('authentication local pre-share key k', 'authentication remote pre-share key k', 'aaa authorization group psk list flex pol'),
    error: "bad.conf:5: 'aaa authorization group psk list flex pol': AAA list 'flex' is not defined: add 'aaa authorization network flex local'",
  },

  // pools, client, ipsec, listen
  { name: 'pool end below start', text: conf('ip local pool p 10.0.0.20 10.0.0.10'), error: "bad.conf:1: 'ip local pool p 10.0.0.20 10.0.0.10': the pool's end address 10.0.0.10 is below its start address 10.0.0.20" },
  {
    name: 'overlapping pools',
    text: conf('ip local pool a 10.0.0.1 10.0.0.100', 'ip local pool b 10.0.0.50 10.0.0.150'),
    error: "bad.conf:2: 'ip local pool b 10.0.0.50 10.0.0.150': range 10.0.0.50-10.0.0.150 overlaps pool a (10.0.0.1-10.0.0.100, line 1)",
  },
  {
    name: 'authorization policy naming an unknown pool',
    text: conf('crypto ikev2 authorization policy a', ' pool nothere'),
    error: "bad.conf:2: 'pool nothere': no ip local pool is named 'nothere' (no ip local pool is configured)",
  },
  { name: 'flexvpn peer index over 10', text: conf('crypto ikev2 client flexvpn c', ' peer 11 192.0.2.10'), error: "bad.conf:2: 'peer 11 192.0.2.10': peer sequence number must be 1-10" },
  {
    name: 'flexvpn client naming an unknown profile',
    text: conf('crypto ikev2 client flexvpn c', ' peer 1 192.0.2.10', ' client connect profile nope'),
    error: "bad.conf:3: 'client connect profile nope': no IKEv2 profile is named 'nope' (no IKEv2 profile is configured)",
  },
  {
    name: 'client connect to a tunnel interface',
    text: conf('crypto ikev2 client flexvpn c', ' peer 1 192.0.2.10', ' client connect Tunnel0'),
    error: "bad.conf:3: 'client connect Tunnel0': ikelb has no tunnel interfaces: write 'client connect profile NAME' with the IKEv2 profile to initiate with",
  },
  {
    name: 'esp-gcm with an integrity transform',
    text: conf('crypto ipsec transform-set t esp-gcm 256 esp-sha256-hmac'),
    error: "bad.conf:1: 'crypto ipsec transform-set t esp-gcm 256 esp-sha256-hmac': esp-gcm authenticates by itself: remove the integrity transform (as IOS requires)",
  },
  { name: 'unknown IPsec transform', text: conf('crypto ipsec transform-set t esp-3des'), error: "bad.conf:1: 'crypto ipsec transform-set t esp-3des': unexpected 'esp-3des': expected one of: esp-gcm, esp-aes, esp-sha256-hmac, esp-sha384-hmac, esp-sha512-hmac" },
  { name: 'listen port equal to nat-t-port', text: conf('crypto ikev2 listen address 127.0.0.1 port 4500'), error: "bad.conf:1: 'crypto ikev2 listen address 127.0.0.1 port 4500': port and nat-t-port are both 4500: IKE and NAT-T need two ports (RFC 3948 §2.2)" },
  { name: 'cookie-challenge negative', text: conf('crypto ikev2 cookie-challenge -1'), error: "bad.conf:1: 'crypto ikev2 cookie-challenge -1': cookie-challenge threshold must be a number 0-1000000" },
  { name: 'IKEv1 is refused with a reason', text: conf('crypto isakmp policy 10'), error: "bad.conf:1: 'crypto isakmp [redacted] [redacted]': 'crypto isakmp' is not supported by ikelb: ikelb speaks IKEv2 only (crypto ikev2 ...)" },
];

t.test('the bad-line table has at least 40 rows', async (t) => {
  t.ok(rows.length >= 40, `${rows.length} rows`);
});

for (const row of rows) {
  t.test(`${row.name}: ${row.error.replace(/^bad\.conf:\d+: /, '')}`, async (t) => {
    const errors = errorsOf(row.text);
    t.ok(errors.includes(row.error), `expected\n  ${row.error}\namong\n  ${errors.join('\n  ')}`);
  });
}

t.test('every error of a file is reported, not only the first', async (t) => {
  const text = conf('hostnme gw1', 'interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 priority 300', ' standby 1 timers 3 5', 'crypto ikev2 window 0', 'crypto ikev2 reconnect key 1 k-k-k-k-k-k-k-k-k');
  const result = parseConfig(text, 'many.conf');
  t.equal(result.ok, false);
  t.same(
    result.ok ? [] : result.errors.map((e) => e.line),
    [1, 4, 5, 6, 7],
  );
});

t.test('a broken block opener still checks the lines of its block', async (t) => {
  const errors = errorsOf(conf('crypto ikev2 proposal', ' encryption 3des', ' group 19'));
  t.equal(errors.length, 2, errors.join('\n'));
  t.match(errors[0], /^bad\.conf:1: 'crypto ikev2 proposal': incomplete command/);
  t.match(errors[1], /^bad\.conf:2: 'encryption 3des': encryption '3des' is not supported/);
});

t.test('the lines of an unknown block are not reported again', async (t) => {
  const errors = errorsOf(conf('router bgp 65000', ' neighbor 192.0.2.1 remote-as 65001', 'hostname gw1'));
  t.same(errors, ["bad.conf:1: 'router bgp 65000': unknown command 'router'"]);
});

t.test('a bad peer address is reported as an address, not accepted as a name', async (t) => {
  t.ok(errorsOf(conf('crypto ikev2 client flexvpn c', ' peer 1 192.0.2.300')).includes("bad.conf:2: 'peer 1 192.0.2.300': peer address must be an IPv4 address (A.B.C.D) or an IPv6 address (X:X::X)"));
});

t.test("a 'no' form ikelb does not have says to leave the command out", async (t) => {
  t.same(errorsOf(conf('crypto ikev2 proposal default', ' no encryption aes-gcm-256')), [
    "bad.conf:1: 'crypto ikev2 proposal default': proposal default is incomplete: it needs 'encryption'",
    "bad.conf:2: 'no encryption aes-gcm-256': this command has no 'no' form in ikelb: a config file starts from the defaults, so leave the command out",
  ]);
  t.same(errorsOf(conf('no hostname gw1')), ["bad.conf:1: 'no hostname gw1': this command has no 'no' form in ikelb: a config file starts from the defaults, so leave the command out"]);
});
