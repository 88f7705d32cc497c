import t from 'tap';
import { DhGroup, GatewayIdentityType, NotifyType } from '../../lib/ike/constants';
import { notifies, parseNotifyData, redirectData, redirectedFromData, ticketLtOpaqueData } from '../../lib/ike/notify-data';

const nonce = Buffer.alloc(32, 0x4e);

function parsed(notifyType: number, data: Buffer): unknown {
  const r = parseNotifyData({ notifyType, data });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.detail}`);
  return r.value;
}

t.test('REDIRECT to an IPv4 gateway with the initiator nonce: type 1, length 4, address, nonce', async (t) => {
  const data = redirectData('192.0.2.20', nonce);
  t.same(data, Buffer.concat([Buffer.from([1, 4, 192, 0, 2, 20]), nonce]));
  t.same(parsed(NotifyType.REDIRECT, data), {
    kind: 'REDIRECT',
    gwIdentType: GatewayIdentityType.IPV4,
    gwIdent: Buffer.from([192, 0, 2, 20]),
    gateway: '192.0.2.20',
    nonce,
  });
});

t.test('REDIRECT to an IPv4 gateway without a nonce (IKE_AUTH, INFORMATIONAL)', async (t) => {
  const data = redirectData('198.51.100.7');
  t.same(data, Buffer.from([1, 4, 198, 51, 100, 7]));
  t.notOk((parsed(NotifyType.REDIRECT, data) as { nonce?: Buffer }).nonce, 'no nonce');
});

t.test('REDIRECT to an IPv6 gateway: type 2, length 16', async (t) => {
  const data = redirectData('2001:db8::20', nonce);
  t.same(data.subarray(0, 2), Buffer.from([2, 16]));
  t.same(data.subarray(2, 18), Buffer.from('20010db8000000000000000000000020', 'hex'));
  t.match(parsed(NotifyType.REDIRECT, data), { gwIdentType: 2, gateway: '2001:db8::20', nonce });
  t.match(parsed(NotifyType.REDIRECT, redirectData('2001:db8::20')), { gwIdentType: 2, gateway: '2001:db8::20' });
});

t.test('REDIRECT to an FQDN gateway: type 3, length, name', async (t) => {
  const data = redirectData('gw2.example.com', nonce);
  t.same(data.subarray(0, 17), Buffer.concat([Buffer.from([3, 15]), Buffer.from('gw2.example.com')]));
  t.match(parsed(NotifyType.REDIRECT, data), { gwIdentType: 3, gateway: 'gw2.example.com', nonce });
  t.match(parsed(NotifyType.REDIRECT, redirectData('gw2.example.com')), { gwIdentType: 3, gateway: 'gw2.example.com' });
});

t.test('a REDIRECT with an FQDN over 255 octets is refused naming the field and offset', async (t) => {
  const long = `${'a'.repeat(250)}.example`;
  t.throws(() => redirectData(long), {
    code: 'IKELB_ERR_ENCODE',
    field: 'N(REDIRECT).gwIdent',
    decodeError: { code: 'FQDN_LENGTH', offset: 2, value: 258, max: 255 },
  });
  t.doesNotThrow(() => redirectData(`${'a'.repeat(247)}.example`), 'exactly 255 octets is fine');
});

t.test('a REDIRECT nonce outside 16..256 octets is refused', async (t) => {
  t.throws(() => redirectData('192.0.2.1', Buffer.alloc(10)), { code: 'IKELB_ERR_ENCODE', decodeError: { code: 'REDIRECT_NONCE_LENGTH', offset: 6 } });
  t.throws(() => redirectData('192.0.2.1', Buffer.alloc(257)), { code: 'IKELB_ERR_ENCODE', decodeError: { code: 'REDIRECT_NONCE_LENGTH' } });
});

t.test('a gateway that is neither an address nor an ASCII FQDN is refused', async (t) => {
  t.throws(() => redirectData('gätewäy.example'), { code: 'IKELB_ERR_ENCODE', message: /neither an IP address nor an ASCII FQDN/ });
  t.throws(() => redirectData(''), { code: 'IKELB_ERR_ENCODE' });
});

t.test('REDIRECTED_FROM carries the original gateway and no nonce', async (t) => {
  t.same(redirectedFromData('192.0.2.1'), Buffer.from([1, 4, 192, 0, 2, 1]));
  t.same(parsed(NotifyType.REDIRECTED_FROM, redirectedFromData('2001:db8::1')), {
    kind: 'REDIRECTED_FROM',
    gwIdentType: 2,
    gwIdent: Buffer.from('20010db8000000000000000000000001', 'hex'),
    gateway: '2001:db8::1',
  });
  const withNonce = Buffer.concat([redirectedFromData('192.0.2.1'), nonce]);
  const r = parseNotifyData({ notifyType: NotifyType.REDIRECTED_FROM, data: withNonce });
  t.equal(r.ok, false);
  if (!r.ok) t.match(r.error, { code: 'REDIRECTED_FROM_TRAILING', offset: 6, value: 32 });
});

t.test('REDIRECT_SUPPORTED is an empty notify', async (t) => {
  t.same(notifies.redirectSupported(), { kind: 'NOTIFY', notifyType: NotifyType.REDIRECT_SUPPORTED, data: Buffer.alloc(0) });
  t.same(parsed(NotifyType.REDIRECT_SUPPORTED, Buffer.alloc(0)), { kind: 'REDIRECT_SUPPORTED' });
});

t.test('TICKET_LT_OPAQUE carries a 4-octet lifetime then the ticket (RFC 5723)', async (t) => {
  const ticket = Buffer.from('opaque-ticket-bytes');
  const data = ticketLtOpaqueData(3600, ticket);
  t.same(data, Buffer.concat([Buffer.from([0, 0, 0x0e, 0x10]), ticket]));
  t.same(parsed(NotifyType.TICKET_LT_OPAQUE, data), { kind: 'TICKET_LT_OPAQUE', lifetime: 3600, ticket });
  t.throws(() => ticketLtOpaqueData(3600, Buffer.alloc(0)), { code: 'IKELB_ERR_ENCODE' }, 'a ticket is required');
});

t.test('TICKET_OPAQUE carries the ticket; TICKET_REQUEST, TICKET_ACK and TICKET_NACK carry nothing', async (t) => {
  const ticket = Buffer.from('ticket');
  t.same(parsed(NotifyType.TICKET_OPAQUE, notifies.ticketOpaque(ticket).data), { kind: 'TICKET_OPAQUE', ticket });
  for (const [make, kind] of [
    [notifies.ticketRequest, 'TICKET_REQUEST'],
    [notifies.ticketAck, 'TICKET_ACK'],
    [notifies.ticketNack, 'TICKET_NACK'],
  ] as const) {
    const n = make();
    t.equal(n.data.length, 0, `${kind} has no data`);
    t.same(parsed(n.notifyType, n.data), { kind });
  }
  const r = parseNotifyData({ notifyType: NotifyType.TICKET_ACK, data: Buffer.of(1) });
  t.equal(r.ok, false, 'TICKET_ACK with data is refused');
  t.throws(() => notifies.ticketOpaque(Buffer.alloc(0)), { code: 'IKELB_ERR_ENCODE' }, 'an empty ticket is refused');
});

t.test('COOKIE, INVALID_KE_PAYLOAD, NAT detection and SIGNATURE_HASH_ALGORITHMS parse to their values', async (t) => {
  t.same(parsed(NotifyType.COOKIE, Buffer.alloc(8, 1)), { kind: 'COOKIE', cookie: Buffer.alloc(8, 1) });
  t.same(parsed(NotifyType.INVALID_KE_PAYLOAD, notifies.invalidKePayload(DhGroup.ECP_256).data), {
    kind: 'INVALID_KE_PAYLOAD',
    dhGroup: 19,
  });
  t.same(parsed(NotifyType.NAT_DETECTION_SOURCE_IP, Buffer.alloc(20, 2)), {
    kind: 'NAT_DETECTION_SOURCE_IP',
    digest: Buffer.alloc(20, 2),
  });
  t.same(parsed(NotifyType.SIGNATURE_HASH_ALGORITHMS, notifies.signatureHashAlgorithms([2, 3, 4]).data), {
    kind: 'SIGNATURE_HASH_ALGORITHMS',
    hashAlgorithms: [2, 3, 4],
  });
  t.same(parsed(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED, Buffer.alloc(0)), { kind: 'IKEV2_FRAGMENTATION_SUPPORTED' });
  t.same(parsed(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, Buffer.of(99)), { kind: 'UNSUPPORTED_CRITICAL_PAYLOAD', payloadType: 99 });
  t.equal(parsed(NotifyType.INITIAL_CONTACT, Buffer.alloc(0)), null, 'no structure known: null');
});

t.test('notify builders refuse data the decoder would refuse', async (t) => {
  t.throws(() => notifies.cookie(Buffer.alloc(65)), { code: 'IKELB_ERR_ENCODE', message: /N\(COOKIE\)/ });
  t.throws(() => notifies.natDetectionSourceIp(Buffer.alloc(16)), { code: 'IKELB_ERR_ENCODE' });
  t.throws(() => notifies.raw(NotifyType.REDIRECT_SUPPORTED, Buffer.of(1)), { code: 'IKELB_ERR_ENCODE' });
});
