import { isIP } from 'node:net';
import t from 'tap';
import { ipv4Text, ipv6Text, parseAddress } from '../../lib/ip-address';

const v6 = ['::', '::1', '2001:db8::', '2001:db8::ffff', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.1', '2001:db8:0:0:1::1', 'fe80::1:2', '1::',
  ':1', '1:', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '::192.0.2.300', '1:2:3:4:5:6:192.0.2.1',
  '1:2:3:4:5:6:7:192.0.2.1', '::1.2.3', '', '2001:DB8::A'];
const v4 = ['192.0.2.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', ' 1.2.3.4', ''];

t.test('IPv6 text is accepted exactly when Node accepts it, and formats back to RFC 5952 form', async (t) => {
  for (const text of v6) {
    const b = parseAddress(text, 6);
    t.equal(b !== undefined, isIP(text) === 6, `${JSON.stringify(text)}`);
    if (b !== undefined) t.same(parseAddress(ipv6Text(b), 6), b, `${text} -> ${ipv6Text(b)} -> same octets`);
  }
  t.equal(ipv6Text(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8::1');
  t.equal(ipv6Text(Buffer.from('20010db8000000010000000000000001', 'hex')), '2001:db8:0:1::1');
  t.equal(ipv6Text(Buffer.alloc(16)), '::');
});

t.test('IPv4 text is accepted exactly when Node accepts it', async (t) => {
  for (const text of v4) t.equal(parseAddress(text, 4) !== undefined, isIP(text) === 4, JSON.stringify(text));
  t.equal(ipv4Text(Buffer.from([192, 0, 2, 1])), '192.0.2.1');
});
