// The stateless redirect answer the CLB primary sends (native/ike/redirect.h,
// the fast path's C++), checked against the same message built with the
// typed model and encodeMessage.
import t from 'tap';
import { decodeMessage, encodeMessage } from '../../lib/ike/codec';
import { HeaderFlag } from '../../lib/ike/constants';
import { parseNotifyData } from '../../lib/ike/notify-data';
import { redirectResponse } from '../../lib/ike/redirect-response';
import { ikeSaInitRequest, initNonce, redirectResponse as expectedResponse } from './fixtures';
import { malformedCases } from './malformed-cases';

const request = encodeMessage(ikeSaInitRequest);

for (const gateway of ['192.0.2.20', '2001:db8::20', 'gw2.example.com']) {
  t.test(`the redirect to ${gateway} echoes SPIi and Ni and is what the typed model encodes`, async (t) => {
    const r = redirectResponse(request, gateway);
    t.ok(r.ok);
    if (!r.ok) return;
    t.same(r.response, encodeMessage(expectedResponse(gateway)), 'octet for octet');
    const d = decodeMessage(r.response);
    t.ok(d.ok);
    if (!d.ok) return;
    t.match(d.message.header, { spiI: ikeSaInitRequest.header.spiI, spiR: '0000000000000000', flags: HeaderFlag.RESPONSE, messageId: 0 });
    t.equal(d.message.payloads.length, 1, 'N(REDIRECT) and nothing else');
    const n = d.message.payloads[0];
    const data = n?.kind === 'NOTIFY' ? parseNotifyData(n) : undefined;
    t.match(data, { ok: true, value: { kind: 'REDIRECT', gateway, nonce: initNonce } });
  });
}

t.test('a malformed request gets its decode error, not a redirect', async (t) => {
  const bad = malformedCases.find((c) => c.slug === 'nonce-zero-length')?.datagram ?? Buffer.alloc(0);
  const r = redirectResponse(bad, '192.0.2.20');
  t.match(r, { ok: false, error: { code: 'NONCE_LENGTH', offset: 32 } });
});

t.test('an IKE_AUTH or a response is not answered with a redirect', async (t) => {
  const response = encodeMessage({ ...ikeSaInitRequest, header: { ...ikeSaInitRequest.header, flags: HeaderFlag.RESPONSE } });
  t.match(redirectResponse(response, '192.0.2.20'), { ok: false, notInitRequest: true });
});

t.test('a gateway FQDN over 255 octets is refused', async (t) => {
  t.throws(() => redirectResponse(request, `${'a'.repeat(300)}.example`), { code: 'IKELB_ERR_ENCODE', decodeError: { code: 'FQDN_LENGTH' } });
});
