import net from 'node:net';
import t from 'tap';
import { addressBytes, parseAddress } from '../../lib/ike/traffic-selectors';

t.test('address text is parsed exactly as net.isIP accepts it', async (t) => {
  const cases = ['1.2.3.4', '0.0.0.0', '255.255.255.255', '192.0.2.1', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5', '1..2.3', 'a.b.c.d', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.-4', '999.1.1.1', '', '::1', '2001:db8::1', '::ffff:192.0.2.1', 'gw.example.com'];
  for (const text of cases) {
    const bytes = parseAddress(text);
    t.equal(bytes !== undefined, net.isIP(text) !== 0, `"${text}" accepted iff net.isIP accepts it`);
    if (net.isIP(text) === 4) t.same([...(bytes ?? [])], text.split('.').map(Number), `"${text}" octets`);
  }
  t.same([...addressBytes('2001:db8::1')], [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  t.throws(() => addressBytes('gw.example.com'), /not an IP address/);
});
