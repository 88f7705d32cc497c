// A second decoder: Wireshark (tshark -T json) dissects the datagrams our
// encoder writes, and every field it reports must match our model: header,
// payload types and lengths, notify types, redirect gateway identity and
// nonce, proposals and transform IDs, DH group, KE and nonce data, IDs,
// traffic selectors, CP and Delete.
import t, { type Test } from 'tap';
import { encodeMessage } from '../../lib/ike/codec';
import { IdType, PayloadType } from '../../lib/ike/constants';
import { payloadTypeOfKind, type IkeMessage, type Payload } from '../../lib/ike/message';
import { notifies } from '../../lib/ike/notify-data';
import { dissect, ikePacket, type DissectedPacket, type UdpPacketSpec } from '../support/tshark';
import { authHeader, fill, ikeAuthPlain, ikeSaInitRequest, informationalPlain, initHeader, initNonce, redirectResponse } from './fixtures';

type Node = Record<string, unknown>;

const colonHex = (b: Buffer | string): string => (typeof b === 'string' ? b : b.toString('hex')).replace(/(..)(?!$)/g, '$1:');

function typeOf(p: Payload): number {
  return p.kind === 'UNKNOWN' ? p.type : payloadTypeOfKind[p.kind];
}

/** A value or list of values of one key of a tshark tree node, always as a list. */
function list(node: Node | undefined, key: string): unknown[] {
  const v = node?.[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function str(node: Node | undefined, key: string): string | undefined {
  const v = node?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** Payload lengths read from our bytes by walking the generic headers. */
function payloadLengths(bytes: Buffer): number[] {
  const out: number[] = [];
  let next = bytes[16] ?? 0;
  let off = 28;
  while (next !== 0 && off + 4 <= bytes.length) {
    const len = bytes.readUInt16BE(off + 2);
    out.push(len);
    next = next === PayloadType.SK || next === PayloadType.SKF ? 0 : (bytes[off] ?? 0);
    off += len;
  }
  return out;
}

function checkPayload(t: Tap, p: Payload, node: Node, at: string): void {
  switch (p.kind) {
    case 'SA': {
      const proposals = list(node, 'isakmp.typepayload_tree') as Node[];
      t.equal(proposals.length, p.proposals.length, `${at}: proposal count`);
      p.proposals.forEach((pr, i) => {
        const pn = proposals[i];
        t.equal(str(pn, 'isakmp.prop.number'), String(pr.number), `${at}: proposal ${i} number`);
        t.equal(str(pn, 'isakmp.prop.protoid'), String(pr.protocolId), `${at}: proposal ${i} protocol`);
        t.equal(str(pn, 'isakmp.prop.transforms'), String(pr.transforms.length), `${at}: proposal ${i} transform count`);
        const transforms = list(pn, 'isakmp.typepayload_tree') as Node[];
        pr.transforms.forEach((tr, j) => {
          const tn = transforms[j];
          t.equal(str(tn, 'isakmp.tf.type'), String(tr.type), `${at}: proposal ${i} transform ${j} type`);
          const idKey = Object.keys(tn ?? {}).find((k) => k.startsWith('isakmp.tf.id.'));
          t.equal(idKey === undefined ? undefined : str(tn, idKey), String(tr.id), `${at}: proposal ${i} transform ${j} id (${idKey})`);
          const keyLength = tr.attributes.find((a) => a.type === 14 && 'value' in a);
          if (keyLength !== undefined && 'value' in keyLength) {
            const attr = list(tn, 'isakmp.ike2.attr')[0] as Node | undefined;
            t.equal(str(attr, 'isakmp.ike2.attr.key_length'), String(keyLength.value), `${at}: key length`);
          }
        });
      });
      break;
    }
    case 'KE':
      t.equal(str(node, 'isakmp.key_exchange.dh_group'), String(p.dhGroup), `${at}: DH group`);
      t.equal(str(node, 'isakmp.key_exchange.data'), colonHex(p.data), `${at}: KE data`);
      break;
    case 'NONCE':
      t.equal(str(node, 'isakmp.nonce'), colonHex(p.data), `${at}: nonce data`);
      break;
    case 'NOTIFY': {
      t.equal(str(node, 'isakmp.notify.msgtype'), String(p.notifyType), `${at}: notify type`);
      t.equal(str(node, 'isakmp.notify.data'), colonHex(p.data), `${at}: notification data`);
      break;
    }
    case 'IDi':
    case 'IDr': {
      t.equal(str(node, 'isakmp.id.type'), String(p.idType), `${at}: ID type`);
      const data = node['isakmp.id.data'] as Node | undefined;
      if (p.idType === IdType.ID_FQDN) t.equal(str(data, 'isakmp.id.data.fqdn'), p.data.toString(), `${at}: FQDN`);
      if (p.idType === IdType.ID_IPV4_ADDR) t.equal(str(data, 'isakmp.id.data.ipv4_addr'), [...p.data].join('.'), `${at}: IPv4`);
      break;
    }
    case 'AUTH':
      t.equal(str(node, 'isakmp.auth.method'), String(p.method), `${at}: auth method`);
      t.equal(str(node, 'isakmp.auth.data'), colonHex(p.data), `${at}: auth data`);
      break;
    case 'TSi':
    case 'TSr': {
      t.equal(str(node, 'isakmp.ts.number'), String(p.selectors.length), `${at}: selector count`);
      const selectors = list(node, 'isakmp.ts.data') as Node[];
      p.selectors.forEach((s, i) => {
        const sn = selectors[i];
        t.equal(str(sn, 'isakmp.ts.type'), String(s.tsType), `${at}: selector ${i} type`);
        t.equal(str(sn, 'isakmp.ts.protoid'), String(s.ipProtocol), `${at}: selector ${i} protocol`);
        if ('startAddress' in s) {
          const v = s.tsType === 8 ? 'ipv6' : 'ipv4';
          t.equal(str(sn, 'isakmp.ts.start_port'), String(s.startPort), `${at}: selector ${i} start port`);
          t.equal(str(sn, 'isakmp.ts.end_port'), String(s.endPort), `${at}: selector ${i} end port`);
          t.equal(str(sn, `isakmp.ts.start_${v}`), s.startAddress, `${at}: selector ${i} start address`);
          t.equal(str(sn, `isakmp.ts.end_${v}`), s.endAddress, `${at}: selector ${i} end address`);
        }
      });
      break;
    }
    case 'CP': {
      t.equal(str(node, 'isakmp.cfg.type'), String(p.cfgType), `${at}: CFG type`);
      const attrs = list(node, 'isakmp.cfg.attr') as Node[];
      t.same(
        attrs.map((a) => str(a, 'isakmp.cfg.attr.type')),
        p.attributes.map((a) => String(a.type)),
        `${at}: attribute types`,
      );
      break;
    }
    case 'DELETE':
      t.equal(str(node, 'isakmp.delete.protoid'), String(p.protocolId), `${at}: protocol`);
      t.equal(str(node, 'isakmp.spisize'), String(p.spiSize), `${at}: SPI size`);
      t.equal(str(node, 'isakmp.spinum'), String(p.spis.length), `${at}: SPI count`);
      t.same(list(node, 'isakmp.delete.spi'), p.spis.map(colonHex), `${at}: SPIs`);
      break;
    case 'SKF':
      t.equal(str(node, 'isakmp.frag.number'), String(p.fragmentNumber), `${at}: fragment number`);
      t.equal(str(node, 'isakmp.frag.total'), String(p.totalFragments), `${at}: total fragments`);
      break;
    default:
      break;
  }
}

type Tap = Test;

function checkMessage(t: Tap, message: IkeMessage, bytes: Buffer, packet: DissectedPacket | undefined): void {
  t.ok(packet, 'tshark dissected the frame');
  if (packet === undefined) return;
  t.ok(packet.protocols.includes('isakmp'), `tshark sees ISAKMP (${packet.protocols.join(':')})`);
  t.notOk('_ws.malformed' in packet.layers || JSON.stringify(packet.layers).includes('"_ws.malformed"'), 'tshark reports nothing malformed');
  const isakmp = packet.layers.isakmp as Node;
  const h = message.header;
  t.equal(str(isakmp, 'isakmp.ispi'), colonHex(h.spiI), 'initiator SPI');
  t.equal(str(isakmp, 'isakmp.rspi'), colonHex(h.spiR), 'responder SPI');
  t.equal(str(isakmp, 'isakmp.exchangetype'), String(h.exchangeType), 'exchange type');
  t.equal(Number(str(isakmp, 'isakmp.flags')), h.flags, 'flags');
  t.equal(Number(str(isakmp, 'isakmp.messageid')), h.messageId, 'message ID');
  t.equal(str(isakmp, 'isakmp.length'), String(bytes.length), 'length');
  t.same(list(isakmp, 'isakmp.typepayload'), message.payloads.map((p) => String(typeOf(p))), 'payload types in order');
  const trees = list(isakmp, 'isakmp.typepayload_tree') as Node[];
  t.same(
    trees.map((n) => Number(str(n, 'isakmp.payloadlength'))),
    payloadLengths(bytes),
    'payload lengths',
  );
  message.payloads.forEach((p, i) => {
    const node = trees[i];
    if (node !== undefined) checkPayload(t, p, node, `payload ${i} ${p.kind}`);
  });
}

/** ID, AUTH, CP, SA (ESP), TS and notifies without a (fake, BER-invalid) certificate. */
const authForTshark: IkeMessage = {
  header: authHeader,
  payloads: ikeAuthPlain.payloads.filter((p) => p.kind !== 'CERT' && p.kind !== 'CERTREQ'),
};

const cases: { name: string; message: IkeMessage; spec?: Partial<UdpPacketSpec> }[] = [
  { name: 'IKE_SA_INIT request with three proposals, KE, nonce, NAT-D and N(REDIRECT_SUPPORTED)', message: ikeSaInitRequest },
  { name: 'REDIRECT to an IPv4 gateway with the nonce', message: redirectResponse('192.0.2.20') },
  { name: 'REDIRECT to an IPv6 gateway with the nonce', message: redirectResponse('2001:db8::20') },
  { name: 'REDIRECT to an FQDN gateway with the nonce', message: redirectResponse('gw2.example.com') },
  {
    name: 'REDIRECT without a nonce and REDIRECTED_FROM (IKE_AUTH, INFORMATIONAL)',
    message: { header: authHeader, payloads: [notifies.redirect('198.51.100.9'), notifies.redirectedFrom('192.0.2.1')] },
  },
  { name: 'IDi, IDr, AUTH, CP, ESP SA, TSi/TSr over UDP 4500 with the non-ESP marker', message: authForTshark, spec: { sport: 4500, dport: 4500 } },
  { name: 'Delete, EAP and RFC 5723 ticket notifies', message: informationalPlain },
  {
    name: 'an encrypted fragment',
    message: { header: authHeader, payloads: [{ kind: 'SKF', innerNextPayload: 35, fragmentNumber: 2, totalFragments: 3, data: fill('skf', 64) }] },
  },
];

t.test('tshark agrees with our encoding field by field', async (t) => {
  const encoded = cases.map((c) => encodeMessage(c.message));
  const packets = await dissect(cases.map((c, i) => ikePacket(encoded[i] ?? Buffer.alloc(0), c.spec ?? {})));
  t.equal(packets.length, cases.length, 'one dissected frame per datagram');
  cases.forEach((c, i) => {
    t.test(c.name, async (t) => checkMessage(t, c.message, encoded[i] ?? Buffer.alloc(0), packets[i]));
  });
});

t.test('tshark reads the redirect gateway identity and nonce we put in each REDIRECT', async (t) => {
  const gateways = [
    { gateway: '192.0.2.20', type: '1', len: '4', key: 'isakmp.notify.data.redirect.new_resp_gw_ident.ipv4' },
    { gateway: '2001:db8::20', type: '2', len: '16', key: 'isakmp.notify.data.redirect.new_resp_gw_ident.ipv6' },
    { gateway: 'gw2.example.com', type: '3', len: '15', key: 'isakmp.notify.data.redirect.new_resp_gw_ident.fqdn' },
  ];
  const packets = await dissect(gateways.map((g) => ikePacket(encodeMessage(redirectResponse(g.gateway)), { src: '192.0.2.1', dst: '192.0.2.2' })));
  gateways.forEach((g, i) => {
    const n = ((packets[i]?.layers.isakmp as Node | undefined)?.['isakmp.typepayload_tree'] ?? {}) as Node;
    t.equal(str(n, 'isakmp.notify.data.redirect.gw_ident.type'), g.type, `${g.gateway}: GW Ident Type`);
    t.equal(str(n, 'isakmp.notify.data.redirect.gw_ident.len'), g.len, `${g.gateway}: GW Ident Len`);
    t.equal(str(n, g.key), g.gateway, `${g.gateway}: the identity`);
    t.equal(str(n, 'isakmp.notify.data.redirect.nonce_data'), colonHex(initNonce), `${g.gateway}: the nonce is Ni`);
  });
  const from = await dissect([ikePacket(encodeMessage({ header: initHeader, payloads: [notifies.redirectedFrom('192.0.2.1'), { kind: 'NONCE', data: initNonce }] }))]);
  const trees = list(from[0]?.layers.isakmp as Node, 'isakmp.typepayload_tree') as Node[];
  t.equal(str(trees[0], 'isakmp.notify.data.redirect.org_resp_gw_ident.ipv4'), '192.0.2.1', 'REDIRECTED_FROM original gateway');
});
