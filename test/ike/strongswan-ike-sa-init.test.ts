// Real packets: strongSwan 5.9.8 (Debian) initiates inside a network
// namespace against a UDP sink; we decode the IKE_SA_INIT it sent. The SA
// must carry exactly the proposals configured in swanctl.conf, the KE the
// first proposal's group with that group's length, a 32-octet nonce, and
// N(REDIRECT_SUPPORTED) (strongSwan follows redirects by default) - and the
// datagram must re-encode octet for octet.
//
// UPDATE_VECTORS=1 also stores the capture as
// test/vectors/ike/valid/strongswan-5.9.8-ike-sa-init.bin (a real-world seed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { main } from '../../lib/cli/main';
import { decodeMessage, encodeMessage } from '../../lib/ike/codec';
import {
  DhGroup,
  EncrId,
  ExchangeType,
  HeaderFlag,
  IntegId,
  NotifyType,
  PrfId,
  ProtocolId,
  TransformAttribute,
  TransformType,
} from '../../lib/ike/constants';
import type { IkeMessage, NotifyPayload, Payload, SaPayload } from '../../lib/ike/message';
import { parseNotifyData } from '../../lib/ike/notify-data';
import { captureInitiatorPacket } from '../support/strongswan';

const proposals = 'aes256gcm16-prfsha256-x25519,aes128-sha256-ecp256,aes256-sha384-modp3072';

const keyLength = (bits: number) => ({ type: TransformAttribute.KEY_LENGTH, value: bits });

// What those three swanctl proposals are on the wire (RFC 7296 §3.3).
const expectedProposals = [
  {
    number: 1,
    protocolId: ProtocolId.IKE,
    spi: '',
    transforms: [
      { type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, attributes: [keyLength(256)] },
      { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_256, attributes: [] },
      { type: TransformType.DH, id: DhGroup.CURVE25519, attributes: [] },
    ],
  },
  {
    number: 2,
    protocolId: ProtocolId.IKE,
    spi: '',
    transforms: [
      { type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, attributes: [keyLength(128)] },
      { type: TransformType.INTEG, id: IntegId.AUTH_HMAC_SHA2_256_128, attributes: [] },
      { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_256, attributes: [] },
      { type: TransformType.DH, id: DhGroup.ECP_256, attributes: [] },
    ],
  },
  {
    number: 3,
    protocolId: ProtocolId.IKE,
    spi: '',
    transforms: [
      { type: TransformType.ENCR, id: EncrId.ENCR_AES_CBC, attributes: [keyLength(256)] },
      { type: TransformType.INTEG, id: IntegId.AUTH_HMAC_SHA2_384_192, attributes: [] },
      { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_384, attributes: [] },
      { type: TransformType.DH, id: DhGroup.MODP_3072, attributes: [] },
    ],
  },
];

function decoded(packet: Buffer): IkeMessage {
  const r = decodeMessage(packet);
  if (!r.ok) throw new Error(`strongSwan's IKE_SA_INIT does not decode: ${r.error.code} at ${r.error.field} (${r.error.offset})`);
  return r.message;
}

const notifyTypes = (m: IkeMessage): number[] =>
  m.payloads.filter((p): p is NotifyPayload => p.kind === 'NOTIFY').map((p) => p.notifyType);

function only<K extends Payload['kind']>(m: IkeMessage, kind: K): Extract<Payload, { kind: K }>[] {
  return m.payloads.filter((p): p is Extract<Payload, { kind: K }> => p.kind === kind);
}

t.test('strongSwan 5.9.8 IKE_SA_INIT over IPv4 decodes with its proposals, KE, 32-octet nonce and REDIRECT_SUPPORTED', async (t) => {
  const cap = await captureInitiatorPacket(t, { proposals });
  const m = decoded(cap.packet);

  t.equal(m.header.exchangeType, ExchangeType.IKE_SA_INIT, 'exchange IKE_SA_INIT');
  t.equal(m.header.flags, HeaderFlag.INITIATOR, 'initiator, request');
  t.equal(m.header.messageId, 0);
  t.equal(m.header.spiR, '0000000000000000', 'no responder SPI yet');
  t.not(m.header.spiI, '0000000000000000', 'an initiator SPI');

  const kinds = m.payloads.map((p) => p.kind);
  t.same(kinds.slice(0, 3), ['SA', 'KE', 'NONCE'], 'SA, KE, Ni first');

  const [sa] = only(m, 'SA') as SaPayload[];
  t.same(sa?.proposals, expectedProposals, 'the three proposals of swanctl.conf, in order');

  const [ke] = only(m, 'KE');
  t.equal(ke?.dhGroup, DhGroup.CURVE25519, "KE uses the first proposal's group");
  t.equal(ke?.data.length, 32, 'Curve25519 public value: 32 octets');

  const [nonce] = only(m, 'NONCE');
  t.equal(nonce?.data.length, 32, 'strongSwan sends a 32-octet nonce');

  const notifies = notifyTypes(m);
  t.ok(notifies.includes(NotifyType.REDIRECT_SUPPORTED), 'N(REDIRECT_SUPPORTED)');
  t.ok(notifies.includes(NotifyType.NAT_DETECTION_SOURCE_IP), 'N(NAT_DETECTION_SOURCE_IP)');
  t.ok(notifies.includes(NotifyType.NAT_DETECTION_DESTINATION_IP), 'N(NAT_DETECTION_DESTINATION_IP)');
  for (const n of only(m, 'NOTIFY')) {
    const parsed = parseNotifyData(n);
    t.ok(parsed.ok, `notify ${n.notifyType} data parses`);
  }
  const redirectSupported = only(m, 'NOTIFY').find((n) => n.notifyType === NotifyType.REDIRECT_SUPPORTED);
  t.equal(redirectSupported?.data.length, 0, 'REDIRECT_SUPPORTED carries no data');

  t.same(encodeMessage(m), cap.packet, 'encode(decode(capture)) is the capture, octet for octet');

  if (process.env.UPDATE_VECTORS === '1') {
    writeFileSync(path.join(__dirname, '..', 'vectors', 'ike', 'valid', 'strongswan-5.9.8-ike-sa-init.bin'), cap.packet);
  }

  // The dissector shows the same.
  const out: Buffer[] = [];
  const sink = { write: (c: string | Buffer) => out.push(Buffer.from(c)) !== 0 } as unknown as NodeJS.WritableStream;
  const code = await main(['decode', '--compact', cap.packet.toString('hex')], { stdout: sink, stderr: sink });
  t.equal(code, 0);
  t.match(JSON.parse(Buffer.concat(out).toString()), {
    header: { exchangeType: 'IKE_SA_INIT' },
    payloads: [{ type: 'SA' }, { type: 'KE', dhGroup: 'CURVE25519', length: 32 }, { type: 'NONCE', length: 32 }],
  });
});

t.test('strongSwan over IPv6 with follow_redirects = no sends no REDIRECT_SUPPORTED', async (t) => {
  const cap = await captureInitiatorPacket(t, { ipv6: true, proposals: 'aes128gcm16-prfsha256-ecp256', settings: { follow_redirects: 'no' } });
  const m = decoded(cap.packet);
  const [ke] = only(m, 'KE');
  t.equal(ke?.dhGroup, DhGroup.ECP_256);
  t.equal(ke?.data.length, 64, 'ECP-256 public value: 64 octets (x | y)');
  t.notOk(notifyTypes(m).includes(NotifyType.REDIRECT_SUPPORTED), 'no N(REDIRECT_SUPPORTED)');
  t.same(encodeMessage(m), cap.packet, 'byte-exact round trip');
});
