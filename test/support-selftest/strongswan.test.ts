// strongSwan harness: two private charons in two namespaces establish an IKE SA
// with a PSK and install the CHILD_SA through kernel-libipsec; charon as initiator
// against a UDP sink yields its IKE_SA_INIT bytes.
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { captureInitiatorPacket, parseListSas, pskConnection, startCharon } from '../support/strongswan';
import { dissect, field, fields, ikePacket } from '../support/tshark';

t.test('two charons establish an IKE SA with a PSK and install the CHILD_SA via kernel-libipsec', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const { client, gw } = hosts;
  const psk = 'selftest-psk-0123456789';
  const responder = await startCharon(gw, {
    swanctl: pskConnection({ localId: 'gw.example', remoteId: 'client.example', psk }),
  });
  // A charon that died uncleanly leaves this rule behind; startCharon must remove it.
  await client.ip('rule', 'add', 'pref', '99', 'lookup', '220');
  const initiator = await startCharon(client, {
    swanctl: pskConnection({ remoteAddrs: gw.addr(), localId: 'client.example', remoteId: 'gw.example', psk }),
  });
  const started = Date.now();
  const res = await initiator.initiate('net', 10);
  t.ok(res.ok, `swanctl --initiate succeeded: ${res.output}`);
  t.comment(`IKE_SA_INIT + IKE_AUTH took ${Date.now() - started} ms`);

  const [sa] = await initiator.listSas();
  t.ok(sa, 'the initiator lists an IKE SA');
  if (sa === undefined) return;
  t.equal(sa.state, 'ESTABLISHED');
  t.equal(sa.name, 'ikelb');
  t.equal(sa.remoteHost, '192.0.2.2');
  t.equal(sa.remotePort, 4500, 'floated to 4500 (libipsec)');
  t.equal(sa.encrAlg, 'AES_GCM_16');
  t.equal(sa.encrKeysize, 256);
  t.equal(sa.prfAlg, 'PRF_HMAC_SHA2_256');
  t.equal(sa.dhGroup, 'CURVE_25519');
  t.match(sa.initiatorSpi, /^[0-9a-f]{16}$/);
  t.ok(sa.initiator);
  t.ok(typeof sa.rekeyTime === 'number' && sa.rekeyTime > 0, 'rekey time reported');
  const [child] = sa.children;
  t.equal(child?.state, 'INSTALLED', 'CHILD_SA installed');
  t.equal(child?.name, 'net');
  t.match(child?.spiIn ?? '', /^[0-9a-f]{8}$/);
  t.same(child?.localTs, ['192.0.2.1/32']);
  t.same(child?.remoteTs, ['192.0.2.2/32']);

  const gwSa = await responder.waitForSa((s) => s.state === 'ESTABLISHED' && s.children[0]?.state === 'INSTALLED', 5000);
  t.equal(gwSa.responderSpi, sa.responderSpi, 'both ends agree on the SPIs');
  t.notOk(gwSa.initiator);
  await responder.waitForLog(/IKE_SA ikelb\[\d+\] established/, 1000);

  // The userspace ESP path carries traffic: ping through the tunnel.
  const rules = await client.ip('rule', 'show');
  t.equal(rules.stdout.match(/lookup 220/g)?.length, 1, `only charon's own table-220 rule: ${rules.stdout}`);
  t.match(rules.stdout, /not from all fwmark 0x42 lookup 220/, "charon's own packets bypass table 220");
  const ping = await client.exec('ping', ['-c', '2', '-i', '0.2', '-W', '2', gw.addr()]);
  t.equal(ping.code, 0, `ping through the CHILD_SA: ${ping.stdout}`);
  const after = await initiator.listSas();
  t.ok((after[0]?.children[0]?.packetsOut ?? 0) >= 2, 'ESP packets counted');

  const down = await initiator.terminate({ ike: 'ikelb' });
  t.ok(down.ok, down.output);
  t.same(await initiator.listSas(), [], 'no SA after terminate');
  await initiator.stop();
  const rulesAfter = await client.ip('rule', 'show');
  t.notMatch(rulesAfter.stdout, /lookup 220/, 'no table-220 rule left after stop');
});

t.test('captureInitiatorPacket returns strongSwan\'s IKE_SA_INIT as sent', async (t) => {
  const captured = await captureInitiatorPacket(t);
  t.equal(captured.from, '192.0.2.1');
  t.equal(captured.fromPort, 500);
  t.equal(captured.packet[18], 34, 'exchange type IKE_SA_INIT');
  t.equal(captured.packet.readUInt32BE(24), captured.packet.length, 'IKE length = datagram length');
  const [p] = await dissect([ikePacket(captured.packet)]);
  if (p === undefined) throw new Error('no packet');
  t.equal(field(p, 'isakmp.exchangetype'), '34');
  t.ok(fields(p, 'isakmp.notify.msgtype').includes('16406'), 'REDIRECT_SUPPORTED is sent');
  t.ok(fields(p, 'isakmp.typepayload').includes('34'), 'KE payload');

  const v6 = await captureInitiatorPacket(t, { ipv6: true, settings: { follow_redirects: 'no' } });
  t.equal(v6.from, '2001:db8::1');
  const [q] = await dissect([ikePacket(v6.packet, { src: v6.from, dst: v6.to })]);
  if (q === undefined) throw new Error('no packet');
  t.notOk(fields(q, 'isakmp.notify.msgtype').includes('16406'), 'no REDIRECT_SUPPORTED with follow_redirects = no');
});

t.test('list-sas parsing copes with lists, nested sections and values with spaces', async (t) => {
  const text = `list-sa event {
  conn-a {
    uniqueid = 7
    version = 2
    state = ESTABLISHED
    local-id = C=CH, O=strongSwan, CN=gw
    rekey-time = 3000
    child-sas {
      net-9 {
        name = net
        state = INSTALLED
        local-ts = [
          10.1.0.0/16
          192.0.2.1/32
        ]
      }
    }
  }
}
`;
  const [sa] = parseListSas(text);
  t.equal(sa?.uniqueid, 7);
  t.equal(sa?.localId, 'C=CH, O=strongSwan, CN=gw');
  t.equal(sa?.rekeyTime, 3000);
  t.same(sa?.children[0]?.localTs, ['10.1.0.0/16', '192.0.2.1/32']);
});
