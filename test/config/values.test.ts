// Value parsers: addresses, masks and prefixes in their canonical forms.
import t from 'tap';
import { formatIpv6, maskToPrefixLength, parseIpv4, parseIpv6 } from '../../lib/config/ip';
import { email, enumValue, fqdn, int, ipv4Mask, ipv6Prefix } from '../../lib/config/values';

t.test('IPv6 addresses are printed in RFC 5952 form', async (t) => {
  const cases: [string, string][] = [
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:1:1:1:1:1:1', '2001:db8:1:1:1:1:1:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ];
  for (const [input, want] of cases) {
    const groups = parseIpv6(input);
    t.ok(groups, input);
    if (groups !== undefined) t.equal(formatIpv6(groups), want, input);
  }
  for (const bad of ['2001:db8::1::1', '2001:db8:::1', '12345::', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', 'g::1', '']) {
    t.equal(parseIpv6(bad), undefined, `${bad} is refused`);
  }
});

t.test('IPv4 addresses are strict dotted quads', async (t) => {
  t.equal(parseIpv4('192.0.2.1'), 0xc0000201);
  for (const bad of ['192.0.2', '192.0.2.256', '192.0.02.1', '1.2.3.4.5', '192.0.2.-1', ' 192.0.2.1']) t.equal(parseIpv4(bad), undefined, bad);
});

t.test('masks must be contiguous', async (t) => {
  t.equal(maskToPrefixLength(0), 0);
  t.equal(maskToPrefixLength(0xffffffff), 32);
  t.equal(maskToPrefixLength(0xffffff80), 25);
  t.equal(maskToPrefixLength(0xff00ff00), undefined);
  t.same(ipv4Mask.parse('255.255.255.252'), { ok: true, value: { mask: '255.255.255.252', prefixLength: 30 } });
  t.equal(ipv4Mask.parse('255.255.0.255').ok, false);
});

t.test('IPv6 prefixes need a length 0-128', async (t) => {
  t.same(ipv6Prefix.parse('2001:DB8::/32'), { ok: true, value: { address: '2001:db8::', groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], prefixLength: 32 } });
  t.equal(ipv6Prefix.parse('2001:db8::/129').ok, false);
  t.equal(ipv6Prefix.parse('2001:db8::').ok, false);
});

t.test('ranges, names and enums say what they expect', async (t) => {
  t.same(int(0, 255).parse('256'), { ok: false, reason: 'must be 0-255' });
  t.same(int(0, 255).parse('x'), { ok: false, reason: 'must be a number 0-255' });
  t.same(fqdn.parse('GW.Example.COM.'), { ok: true, value: 'gw.example.com' });
  t.equal(fqdn.parse('-bad.example.com').ok, false);
  t.equal(fqdn.parse('999.1.1.1').ok, false, 'a bad IPv4 address is not a host name');
  t.equal(fqdn.parse(`${'a'.repeat(64)}.example.com`).ok, false, 'a label over 63 octets');
  t.same(email.parse('user@Example.com'), { ok: true, value: 'user@example.com' });
  t.equal(email.parse('user@').ok, false);
  const e = enumValue(['aes-gcm-128', 'aes-gcm-256']);
  t.same(e.parse('aes-gcm-1'), { ok: true, value: 'aes-gcm-128' });
  t.same(e.parse('aes-gcm'), { ok: false, reason: "'aes-gcm' is ambiguous: could be aes-gcm-128, aes-gcm-256" });
});
