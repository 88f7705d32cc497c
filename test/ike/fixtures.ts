// IKEv2 messages covering every payload type ikelb decodes, built with the
// typed model. Shared by the round-trip test, the vectors test and the
// tshark cross-check.
import { createHash } from 'node:crypto';
import {
  AuthMethod,
  CertEncoding,
  CfgAttribute,
  CfgType,
  DhGroup,
  EapCode,
  EncrId,
  EsnId,
  ExchangeType,
  HeaderFlag,
  IdType,
  IntegId,
  NotifyType,
  PayloadType,
  PrfId,
  ProtocolId,
  TransformAttribute,
  TransformType,
  TsType,
} from '../../lib/ike/constants';
import type { IkeHeader, IkeMessage, Payload, Proposal } from '../../lib/ike/message';
import { notifies } from '../../lib/ike/notify-data';

/** Deterministic bytes (so vectors are stable): a SHA-256 stream of a label. */
export function fill(label: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(createHash('sha256').update(`${label}/${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

export const initHeader: IkeHeader = {
  spiI: 'a1b2c3d4e5f60718',
  spiR: '0000000000000000',
  majorVersion: 2,
  minorVersion: 0,
  exchangeType: ExchangeType.IKE_SA_INIT,
  flags: HeaderFlag.INITIATOR,
  messageId: 0,
};

export const authHeader: IkeHeader = {
  ...initHeader,
  spiR: '1122334455667788',
  exchangeType: ExchangeType.IKE_AUTH,
  messageId: 1,
};

const keyLength = (bits: number) => ({ type: TransformAttribute.KEY_LENGTH, value: bits });

export function ikeProposal(number: number, encr: number, bits: number | undefined, prf: number, integ: number | undefined, dh: number): Proposal {
  return {
    number,
    protocolId: ProtocolId.IKE,
    spi: '',
    transforms: [
      { type: TransformType.ENCR, id: encr, attributes: bits === undefined ? [] : [keyLength(bits)] },
      { type: TransformType.PRF, id: prf, attributes: [] },
      ...(integ === undefined ? [] : [{ type: TransformType.INTEG, id: integ, attributes: [] }]),
      { type: TransformType.DH, id: dh, attributes: [] },
    ],
  };
}

export const initNonce = fill('Ni', 32);

/** An IKE_SA_INIT request like strongSwan sends: SA (3 proposals), KE, Ni, NAT-D, redirect and fragmentation support. */
export const ikeSaInitRequest: IkeMessage = {
  header: initHeader,
  payloads: [
    {
      kind: 'SA',
      proposals: [
        ikeProposal(1, EncrId.ENCR_AES_GCM_16, 256, PrfId.PRF_HMAC_SHA2_256, undefined, DhGroup.CURVE25519),
        ikeProposal(2, EncrId.ENCR_AES_CBC, 128, PrfId.PRF_HMAC_SHA2_256, IntegId.AUTH_HMAC_SHA2_256_128, DhGroup.ECP_256),
        ikeProposal(3, EncrId.ENCR_CHACHA20_POLY1305, undefined, PrfId.PRF_HMAC_SHA2_512, undefined, DhGroup.MODP_2048),
      ],
    },
    { kind: 'KE', dhGroup: DhGroup.CURVE25519, data: fill('KEi', 32) },
    { kind: 'NONCE', data: initNonce },
    notifies.natDetectionSourceIp(fill('natd-src', 20)),
    notifies.natDetectionDestinationIp(fill('natd-dst', 20)),
    notifies.fragmentationSupported(),
    notifies.signatureHashAlgorithms([2, 3, 4, 5]),
    notifies.redirectSupported(),
  ],
};

/** The redirect a CLB primary answers with: HDR(SPIi, SPIr=0), N(REDIRECT) carrying Ni. */
export function redirectResponse(gateway: string): IkeMessage {
  return {
    header: { ...initHeader, flags: HeaderFlag.RESPONSE },
    payloads: [notifies.redirect(gateway, initNonce)],
  };
}

/** IKE_AUTH-like plaintext with every payload the SK carries (built unencrypted for the codec tests). */
export const ikeAuthPlain: IkeMessage = {
  header: authHeader,
  payloads: [
    { kind: 'IDi', idType: IdType.ID_FQDN, data: Buffer.from('client.example.com') },
    { kind: 'CERT', encoding: CertEncoding.X509_SIGNATURE, data: fill('cert', 300) },
    { kind: 'CERTREQ', encoding: CertEncoding.X509_SIGNATURE, data: fill('ca-hashes', 40) },
    { kind: 'IDr', idType: IdType.ID_IPV4_ADDR, data: Buffer.from([192, 0, 2, 10]) },
    { kind: 'AUTH', method: AuthMethod.SHARED_KEY_MIC, data: fill('auth', 32) },
    {
      kind: 'CP',
      cfgType: CfgType.CFG_REQUEST,
      attributes: [
        { type: CfgAttribute.INTERNAL_IP4_ADDRESS, value: Buffer.alloc(0) },
        { type: CfgAttribute.INTERNAL_IP4_DNS, value: Buffer.alloc(0) },
        { type: CfgAttribute.INTERNAL_IP6_ADDRESS, value: Buffer.alloc(0) },
      ],
    },
    {
      kind: 'SA',
      proposals: [
        {
          number: 1,
          protocolId: ProtocolId.ESP,
          spi: 'c0ffee01',
          transforms: [
            { type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, attributes: [keyLength(256)] },
            { type: TransformType.ESN, id: EsnId.NO_ESN, attributes: [] },
          ],
        },
      ],
    },
    {
      kind: 'TSi',
      selectors: [
        { tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: '198.51.100.0', endAddress: '198.51.100.255' },
        { tsType: TsType.TS_IPV6_ADDR_RANGE, ipProtocol: 17, startPort: 500, endPort: 500, startAddress: '2001:db8::', endAddress: '2001:db8::ffff' },
      ],
    },
    {
      kind: 'TSr',
      selectors: [
        { tsType: TsType.TS_IPV4_ADDR_RANGE, ipProtocol: 6, startPort: 443, endPort: 443, startAddress: '203.0.113.1', endAddress: '203.0.113.1' },
      ],
    },
    notifies.raw(NotifyType.INITIAL_CONTACT),
    notifies.ticketRequest(),
    { kind: 'VENDOR_ID', data: fill('vid', 16) },
  ],
};

/** INFORMATIONAL plaintext payloads: Delete, EAP, ticket notifies. */
export const informationalPlain: IkeMessage = {
  header: { ...authHeader, exchangeType: ExchangeType.INFORMATIONAL, messageId: 2 },
  payloads: [
    { kind: 'DELETE', protocolId: ProtocolId.ESP, spiSize: 4, spis: ['c0ffee01', 'c0ffee02'] },
    { kind: 'DELETE', protocolId: ProtocolId.IKE, spiSize: 0, spis: [] },
    { kind: 'EAP', message: Buffer.from([EapCode.REQUEST, 7, 0, 10, 1, ...Buffer.from('hello')]) },
    notifies.ticketLtOpaque(86400, fill('ticket', 64)),
    notifies.ticketAck(),
    notifies.ticketNack(),
    notifies.ticketOpaque(fill('ticket', 64)),
    notifies.redirectedFrom('192.0.2.1'),
    notifies.cookie(fill('cookie', 32)),
    notifies.invalidKePayload(DhGroup.MODP_2048),
    {
      kind: 'NOTIFY',
      protocolId: ProtocolId.ESP,
      spi: 'c0ffee03',
      notifyType: NotifyType.REKEY_SA,
      data: Buffer.alloc(0),
    },
  ],
};

/** A protected IKE_AUTH as it travels: the SK block is opaque to the codec. */
export const ikeAuthEncrypted: IkeMessage = {
  header: authHeader,
  payloads: [{ kind: 'SK', innerNextPayload: PayloadType.IDi, data: fill('sk', 96) }],
};

/** One fragment of a fragmented IKE_AUTH (RFC 7383). */
export const ikeAuthFragment: IkeMessage = {
  header: authHeader,
  payloads: [{ kind: 'SKF', innerNextPayload: PayloadType.IDi, fragmentNumber: 1, totalFragments: 3, data: fill('skf', 80) }],
};

/** A payload type ikelb does not know, not critical: kept raw. */
export const withUnknownPayload: IkeMessage = {
  header: initHeader,
  payloads: [
    { kind: 'UNKNOWN', type: 200, data: fill('unknown', 12) },
    { kind: 'NONCE', data: initNonce },
  ],
};

/** CREATE_CHILD_SA rekeying an IKE SA: 8-octet proposal SPI, KE of MODP-2048. */
export const createChildSaPlain: IkeMessage = {
  header: { ...authHeader, exchangeType: ExchangeType.CREATE_CHILD_SA, messageId: 3 },
  payloads: [
    {
      kind: 'SA',
      proposals: [{ ...ikeProposal(1, EncrId.ENCR_AES_CBC, 256, PrfId.PRF_HMAC_SHA2_384, IntegId.AUTH_HMAC_SHA2_384_192, DhGroup.MODP_2048), spi: '0102030405060708' }],
    },
    { kind: 'NONCE', data: fill('Ni2', 64) },
    { kind: 'KE', dhGroup: DhGroup.MODP_2048, data: fill('KE2', 256) },
  ],
};

/** Every fixture by name: one vector file each under test/vectors/ike/valid/. */
export const fixtures: Readonly<Record<string, IkeMessage>> = {
  'ike-sa-init-request': ikeSaInitRequest,
  'redirect-response-ipv4': redirectResponse('192.0.2.20'),
  'redirect-response-ipv6': redirectResponse('2001:db8::20'),
  'redirect-response-fqdn': redirectResponse('gw2.example.com'),
  'ike-auth-plain': ikeAuthPlain,
  'informational-plain': informationalPlain,
  'ike-auth-encrypted': ikeAuthEncrypted,
  'ike-auth-fragment': ikeAuthFragment,
  'unknown-noncritical-payload': withUnknownPayload,
  'create-child-sa-plain': createChildSaPlain,
};

/** Every payload kind the fixtures cover (the round-trip test checks none is missing). */
export function kindsCovered(): Set<Payload['kind']> {
  const kinds = new Set<Payload['kind']>();
  for (const m of Object.values(fixtures)) for (const p of m.payloads) kinds.add(p.kind);
  return kinds;
}
