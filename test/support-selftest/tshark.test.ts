// Our pcap writer and tshark agree: crafted IKE and HSRP datagrams round-trip
// through Ethernet/IP/UDP framing and tshark's dissectors, and a live capture in a
// lab host sees what another host sends.
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { buildFrame, dissect, field, fields, hsrpPacket, ikePacket, numField, startCapture } from '../support/tshark';

/** Minimal IKE_SA_INIT request: header + N(REDIRECT_SUPPORTED) (RFC 7296 §3.1, RFC 5685 §3). */
function ikeSaInit(): Buffer {
  const header = Buffer.alloc(28);
  Buffer.from('0102030405060708', 'hex').copy(header, 0); // SPIi; SPIr stays 0
  header[16] = 41; // next payload: Notify
  header[17] = 0x20; // version 2.0
  header[18] = 34; // IKE_SA_INIT
  header[19] = 0x08; // Initiator
  header.writeUInt32BE(0, 20);
  header.writeUInt32BE(36, 24);
  const notify = Buffer.alloc(8);
  notify.writeUInt16BE(8, 2);
  notify.writeUInt16BE(16406, 6); // REDIRECT_SUPPORTED
  return Buffer.concat([header, notify]);
}

/** HSRP v1 hello (RFC 2281 §5): active, priority 110, group 1, VIP 192.0.2.100. */
function hsrpHello(): Buffer {
  return Buffer.concat([
    Buffer.from([0, 0, 16, 3, 10, 110, 1, 0]),
    Buffer.from('cisco\0\0\0', 'latin1'),
    Buffer.from([192, 0, 2, 100]),
  ]);
}

t.test('a crafted IKE datagram round-trips through the pcap writer and tshark', async (t) => {
  const ike = ikeSaInit();
  const [v4, natt, v6] = await dissect([
    ikePacket(ike),
    ikePacket(ike, { sport: 4500, dport: 4500 }),
    ikePacket(ike, { src: '2001:db8::1', dst: '2001:db8::2' }),
  ]);
  if (v4 === undefined || natt === undefined || v6 === undefined) throw new Error('tshark returned fewer packets');
  t.same(v4.protocols, ['eth', 'ethertype', 'ip', 'udp', 'isakmp']);
  t.equal(field(v4, 'ip.src'), '192.0.2.1');
  t.equal(field(v4, 'ip.dst'), '192.0.2.2');
  t.equal(field(v4, 'udp.srcport'), '500');
  t.equal(field(v4, 'isakmp.ispi'), '01:02:03:04:05:06:07:08');
  t.equal(numField(v4, 'isakmp.exchangetype'), 34, 'IKE_SA_INIT');
  t.same(fields(v4, 'isakmp.notify.msgtype'), ['16406'], 'REDIRECT_SUPPORTED');

  t.ok(natt.protocols.includes('udpencap'), 'port 4500 goes through udpencap');
  t.equal(field(natt, 'udp.length'), String(8 + 4 + ike.length), 'non-ESP marker included');
  t.equal(numField(natt, 'isakmp.exchangetype'), 34, 'and the IKE message behind it dissects');

  t.ok(v6.protocols.includes('ipv6'));
  t.equal(field(v6, 'ipv6.src'), '2001:db8::1');
  t.equal(numField(v6, 'isakmp.exchangetype'), 34);
});

t.test('repeated payloads come back as several values of one field', async (t) => {
  const base = ikeSaInit();
  // Two notifies: N(REDIRECT_SUPPORTED), N(NAT_DETECTION_SOURCE_IP with 20 octets).
  const first = Buffer.from(base.subarray(28));
  first[0] = 41;
  const second = Buffer.alloc(28);
  second.writeUInt16BE(28, 2);
  second.writeUInt16BE(16388, 6);
  const header = Buffer.from(base.subarray(0, 28));
  header.writeUInt32BE(28 + first.length + second.length, 24);
  const [p] = await dissect([ikePacket(Buffer.concat([header, first, second]))]);
  if (p === undefined) throw new Error('no packet');
  t.same(fields(p, 'isakmp.notify.msgtype'), ['16406', '16388']);
});

t.test('an HSRP hello dissects with its fields, and checksums verify', async (t) => {
  const [p] = await dissect([hsrpPacket(hsrpHello())], { filter: 'hsrp' });
  if (p === undefined) throw new Error('no packet');
  t.equal(field(p, 'ip.dst'), '224.0.0.2');
  t.equal(field(p, 'eth.dst'), '01:00:5e:00:00:02', 'multicast MAC derived from the group');
  t.equal(field(p, 'ip.ttl'), '1');
  t.equal(numField(p, 'hsrp.state'), 16, 'Active');
  t.equal(numField(p, 'hsrp.priority'), 110);
  t.equal(numField(p, 'hsrp.group'), 1);
  t.equal(field(p, 'hsrp.virt_ip'), '192.0.2.100');
  t.equal(field(p, 'hsrp.auth_data'), 'cisco');

});

t.test('our IPv4, IPv6 and UDP checksums verify in tshark', async (t) => {
  const checks = { 'ip.check_checksum': 'TRUE', 'udp.check_checksum': 'TRUE' };
  const packets = await dissect(
    [hsrpPacket(hsrpHello()), ikePacket(ikeSaInit(), { sport: 4500, dport: 4500 }), ikePacket(Buffer.from([1, 2, 3]), { src: '2001:db8::7', dst: '2001:db8:1::9' })],
    { preferences: checks },
  );
  t.equal(packets.length, 3);
  for (const p of packets) {
    t.equal(field(p, 'udp.checksum.status'), '1', `UDP checksum good (${p.protocols.join(':')})`);
    if (p.protocols.includes('ip')) t.equal(field(p, 'ip.checksum.status'), '1', 'IPv4 header checksum good');
  }
  t.equal(buildFrame(hsrpPacket(hsrpHello())).length, 14 + 20 + 8 + 20, 'Ethernet + IPv4 + UDP + 20-octet hello');
});

t.test('a live capture in a lab host sees datagrams another host sends', async (t) => {
  const { hosts } = await pointToPoint(t, { a: ['192.0.2.1/24'], b: ['192.0.2.2/24'] });
  const cap = await startCapture(hosts.b, { filter: 'udp port 500', count: 1, durationMs: 10_000 });
  const payload = ikeSaInit().toString('hex');
  const send = `const s = require('node:dgram').createSocket('udp4');
    s.bind(500, () => s.send(Buffer.from('${payload}', 'hex'), 500, '192.0.2.2', () => s.close()));`;
  await hosts.a.execOk(process.execPath, ['-e', send]);
  const packets = await cap.packets();
  t.equal(packets.length, 1);
  const [p] = packets;
  if (p === undefined) return;
  t.equal(field(p, 'ip.src'), '192.0.2.1');
  t.equal(numField(p, 'isakmp.exchangetype'), 34);
  t.same(fields(p, 'isakmp.notify.msgtype'), ['16406']);
});
