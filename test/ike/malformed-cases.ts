// The malformed-input table of issue 2: each case is a datagram a hostile or
// broken peer could send, and the exact error decodeMessage must report.
// test/ike/malformed.test.ts runs each as its own test; the vectors test
// writes each to test/vectors/ike/malformed/<code>--<slug>.bin for the
// sanitizer regression runner and the fuzzer's seed corpus.
import {
  bytes,
  cat,
  ikeProposal,
  messageBytes,
  notifyBody,
  proposalBytes,
  transformBytes,
  u16,
  u32,
  u8,
  type RawPayloadSpec,
} from '../support/ike-bytes';

export interface MalformedCase {
  /** What a user sees: the test name. */
  readonly name: string;
  /** File name stem under test/vectors/ike/malformed/. */
  readonly slug: string;
  readonly datagram: Buffer;
  readonly code: string;
  readonly field: string;
  readonly offset: number;
  /** Optional extra expectations on the error. */
  readonly value?: number;
  readonly notifyType?: number;
}

// Payload type numbers, spelled out so these bytes do not depend on the
// constants under test.
const SA = 33;
const KE = 34;
const IDi = 35;
const AUTH = 39;
const NONCE = 40;
const N = 41;
const D = 42;
const TSi = 44;
const SK = 46;
const CP = 47;
const EAP = 48;
const SKF = 53;

const nonce = (n = 32): RawPayloadSpec => ({ type: NONCE, body: bytes(n, 0x11) });
const ke = (group: number, n: number): RawPayloadSpec => ({ type: KE, body: cat(u16(group), u16(0), bytes(n, 0x22)) });
const notify = (type: number, data: Buffer = Buffer.alloc(0), spi: Buffer = Buffer.alloc(0), protocol = 0): RawPayloadSpec => ({
  type: N,
  body: notifyBody(type, data, spi, protocol),
});
const sa = (proposals: Buffer): RawPayloadSpec => ({ type: SA, body: proposals });

// First payload starts at 28, its body at 32.
const P0 = 28;
const B0 = 32;

function tenThousandNotifies(): Buffer {
  const specs: RawPayloadSpec[] = [];
  for (let i = 0; i < 10_000; i++) specs.push(notify(16384));
  return messageBytes(specs);
}

function withTrailing(buf: Buffer, extra: Buffer): Buffer {
  return Buffer.concat([buf, extra]);
}

const valid = messageBytes([sa(ikeProposal()), ke(31, 32), nonce()]);

export const malformedCases: readonly MalformedCase[] = [
  // --- header -----------------------------------------------------------------
  {
    name: 'a datagram shorter than the 28-octet header is refused as a truncated header',
    slug: 'truncated-header',
    datagram: valid.subarray(0, 20),
    code: 'TRUNCATED_HEADER',
    field: 'header',
    offset: 0,
    value: 20,
  },
  {
    name: 'an empty datagram is refused as a truncated header',
    slug: 'empty-datagram',
    datagram: Buffer.alloc(0),
    code: 'TRUNCATED_HEADER',
    field: 'header',
    offset: 0,
  },
  {
    name: 'an IKEv1 datagram (major version 1) is refused and answered with INVALID_MAJOR_VERSION',
    slug: 'major-version-1',
    datagram: messageBytes([nonce()], { version: 0x10 }),
    code: 'UNSUPPORTED_MAJOR_VERSION',
    field: 'header.majorVersion',
    offset: 17,
    value: 1,
    notifyType: 5,
  },
  {
    name: 'a header length field longer than the datagram is refused naming header.length',
    slug: 'length-exceeds-datagram',
    datagram: messageBytes([nonce()], { length: 28 + 36 + 100 }),
    code: 'LENGTH_EXCEEDS_DATAGRAM',
    field: 'header.length',
    offset: 24,
    value: 164,
  },
  {
    name: 'a header length below 28 is refused',
    slug: 'header-length-too-small',
    datagram: messageBytes([], { length: 12 }),
    code: 'HEADER_LENGTH_TOO_SMALL',
    field: 'header.length',
    offset: 24,
    value: 12,
  },
  {
    name: 'trailing garbage after the length the header announces is refused at its first octet',
    slug: 'trailing-garbage',
    datagram: withTrailing(valid, bytes(7, 0xee)),
    code: 'TRAILING_BYTES',
    field: 'datagram',
    offset: valid.length,
    value: 7,
  },
  // --- payload chain ------------------------------------------------------------
  {
    name: 'octets after the last payload (Next Payload 0) inside the message are refused',
    slug: 'data-after-last-payload',
    datagram: fixLength(
      Buffer.concat([messageBytes([], { nextPayload: NONCE }), cat(u8(0), u8(0), u16(36), bytes(32, 0x11), bytes(5, 0xee))]),
    ),
    code: 'DATA_AFTER_LAST_PAYLOAD',
    field: 'payload',
    offset: 28 + 36,
    value: 5,
  },
  {
    name: 'a payload length below the 4-octet generic header is refused',
    slug: 'payload-length-below-4',
    datagram: messageBytes([{ ...nonce(), length: 3 }]),
    code: 'PAYLOAD_LENGTH_TOO_SMALL',
    field: 'payload.length',
    offset: P0 + 2,
    value: 3,
  },
  {
    name: 'a payload length of zero is refused (no endless loop)',
    slug: 'payload-length-zero',
    datagram: messageBytes([{ ...nonce(), length: 0 }]),
    code: 'PAYLOAD_LENGTH_TOO_SMALL',
    field: 'payload.length',
    offset: P0 + 2,
    value: 0,
  },
  {
    name: 'a payload chain that runs past the end of the message is refused',
    slug: 'payload-chain-overrun',
    datagram: messageBytes([sa(ikeProposal()), { ...ke(31, 32), length: 4 + 36 + 50 }]),
    code: 'PAYLOAD_LENGTH_OVERRUN',
    field: 'payload.length',
    offset: P0 + 4 + ikeProposal().length + 2,
  },
  {
    name: 'a Next Payload that promises a payload where the message ends is refused',
    slug: 'payload-header-truncated',
    datagram: messageBytes([{ ...nonce(), next: KE }]),
    code: 'PAYLOAD_HEADER_TRUNCATED',
    field: 'payload',
    offset: P0 + 36,
    value: 0,
  },
  {
    name: 'an unknown payload type marked critical is refused and answered with UNSUPPORTED_CRITICAL_PAYLOAD',
    slug: 'unknown-critical-payload',
    datagram: messageBytes([nonce(), { type: 201, body: bytes(8), critical: true }]),
    code: 'UNSUPPORTED_CRITICAL_PAYLOAD',
    field: 'payload.critical',
    offset: P0 + 36 + 1,
    value: 201,
    notifyType: 1,
  },
  {
    name: '10,000 notifies fail fast after 256 payloads, naming the offset of the first one too many',
    slug: 'ten-thousand-notifies',
    datagram: tenThousandNotifies(),
    code: 'TOO_MANY_PAYLOADS',
    field: 'payload',
    offset: P0 + 256 * 8,
    value: 257,
  },
  {
    name: 'a payload after the SK payload is refused: SK must be last',
    slug: 'sk-not-last',
    datagram: messageBytes([{ type: SK, body: bytes(40), next: NONCE }, nonce()]).subarray(0),
    code: 'SK_NOT_LAST',
    field: 'payload',
    offset: P0 + 44,
    value: 36,
  },
  // --- payload bodies -------------------------------------------------------------
  {
    name: 'a zero-length nonce is refused',
    slug: 'nonce-zero-length',
    datagram: messageBytes([nonce(0)]),
    code: 'NONCE_LENGTH',
    field: 'NONCE.data',
    offset: B0,
    value: 0,
  },
  {
    name: 'a 15-octet nonce is refused (RFC 7296 §3.9: at least 16)',
    slug: 'nonce-15',
    datagram: messageBytes([nonce(15)]),
    code: 'NONCE_LENGTH',
    field: 'NONCE.data',
    offset: B0,
    value: 15,
  },
  {
    name: 'a 257-octet nonce is refused (RFC 7296 §3.9: at most 256)',
    slug: 'nonce-257',
    datagram: messageBytes([nonce(257)]),
    code: 'NONCE_LENGTH',
    field: 'NONCE.data',
    offset: B0,
    value: 257,
  },
  {
    name: 'oversized KE data for MODP-2048 (257 octets) is refused',
    slug: 'ke-oversized-modp2048',
    datagram: messageBytes([ke(14, 257)]),
    code: 'KE_DATA_LENGTH',
    field: 'KE.data',
    offset: B0 + 4,
    value: 257,
  },
  {
    name: 'short KE data for ECP-256 (63 octets) is refused',
    slug: 'ke-short-ecp256',
    datagram: messageBytes([ke(19, 63)]),
    code: 'KE_DATA_LENGTH',
    field: 'KE.data',
    offset: B0 + 4,
    value: 63,
  },
  {
    name: 'zero-length KE data for Curve25519 is refused',
    slug: 'ke-zero-curve25519',
    datagram: messageBytes([ke(31, 0)]),
    code: 'KE_DATA_LENGTH',
    field: 'KE.data',
    offset: B0 + 4,
    value: 0,
  },
  {
    name: 'zero-length KE data for an unknown group is refused',
    slug: 'ke-zero-unknown-group',
    datagram: messageBytes([ke(1234, 0)]),
    code: 'KE_DATA_SIZE',
    field: 'KE.data',
    offset: B0 + 4,
    value: 0,
  },
  {
    name: 'KE data over 2048 octets for an unknown group is refused',
    slug: 'ke-oversized-unknown-group',
    datagram: messageBytes([ke(1234, 4000)]),
    code: 'KE_DATA_SIZE',
    field: 'KE.data',
    offset: B0 + 4,
    value: 4000,
  },
  {
    name: 'a KE payload too short for its group field is refused',
    slug: 'ke-body-too-short',
    datagram: messageBytes([{ type: KE, body: u16(31) }]),
    code: 'PAYLOAD_TOO_SHORT',
    field: 'KE',
    offset: P0,
    value: 2,
  },
  {
    name: 'a transform attribute whose length runs past the transform is refused',
    slug: 'attribute-past-transform',
    datagram: messageBytes([
      sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 1, 12, cat(u16(0x0001), u16(40), bytes(4)))])),
    ]),
    code: 'ATTRIBUTE_OVERRUN',
    field: 'SA.proposal.transform.attribute.length',
    offset: B0 + 8 + 8 + 2,
    value: 44,
  },
  {
    name: 'a transform attribute cut off inside its 4-octet header is refused',
    slug: 'attribute-header-truncated',
    datagram: messageBytes([sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 1, 12, cat(u16(0x800e)))]))]),
    code: 'ATTRIBUTE_OVERRUN',
    field: 'SA.proposal.transform.attribute',
    offset: B0 + 8 + 8,
    value: 4,
  },
  {
    name: 'an SA payload without proposals is refused',
    slug: 'sa-no-proposals',
    datagram: messageBytes([sa(Buffer.alloc(0))]),
    code: 'SA_NO_PROPOSALS',
    field: 'SA',
    offset: B0,
  },
  {
    name: 'a proposal length running past the SA payload is refused',
    slug: 'proposal-length-overrun',
    datagram: messageBytes([sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 4, 31)], { length: 200 }))]),
    code: 'PROPOSAL_LENGTH',
    field: 'SA.proposal.length',
    offset: B0 + 2,
    value: 200,
  },
  {
    name: 'a proposal announcing more proposals where none follow is refused',
    slug: 'proposal-chain-broken',
    datagram: messageBytes([sa(proposalBytes(2, 1, 1, Buffer.alloc(0), [transformBytes(0, 4, 31)]))]),
    code: 'PROPOSAL_CHAIN',
    field: 'SA.proposal.lastSubstruc',
    offset: B0,
    value: 2,
  },
  {
    name: 'an ESP proposal with a 3-octet SPI is refused',
    slug: 'proposal-esp-spi-size',
    datagram: messageBytes([sa(proposalBytes(0, 1, 3, bytes(3), [transformBytes(0, 1, 20)]))]),
    code: 'PROPOSAL_SPI_SIZE',
    field: 'SA.proposal.spiSize',
    offset: B0 + 6,
    value: 3,
  },
  {
    name: 'a proposal announcing 3 transforms but carrying 2 is refused',
    slug: 'transform-count-mismatch',
    datagram: messageBytes([
      sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(3, 1, 20), transformBytes(0, 4, 31)], { announced: 3 })),
    ]),
    code: 'TRANSFORM_COUNT',
    field: 'SA.proposal.numTransforms',
    offset: B0 + 7,
    value: 3,
  },
  {
    name: 'a transform length below 8 is refused',
    slug: 'transform-length-below-8',
    datagram: messageBytes([sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 4, 31, Buffer.alloc(0), 6)]))]),
    code: 'TRANSFORM_LENGTH',
    field: 'SA.proposal.transform.length',
    offset: B0 + 8 + 2,
    value: 6,
  },
  {
    name: 'a transform marked last with more transforms after it is refused',
    slug: 'transform-chain-broken',
    datagram: messageBytes([
      sa(proposalBytes(0, 1, 1, Buffer.alloc(0), [transformBytes(0, 1, 20), transformBytes(0, 4, 31)])),
    ]),
    code: 'TRANSFORM_CHAIN',
    field: 'SA.proposal.transform.lastSubstruc',
    offset: B0 + 8,
    value: 0,
  },
  {
    name: 'an FQDN identity over 255 octets in IDi is refused',
    slug: 'idi-fqdn-256',
    datagram: messageBytes([{ type: IDi, body: cat(u8(2), u8(0), u16(0), Buffer.alloc(256, 0x61)) }], { exchangeType: 35 }),
    code: 'FQDN_LENGTH',
    field: 'IDi.data',
    offset: B0 + 4,
    value: 256,
  },
  {
    name: 'an IPv4 identity of 5 octets is refused',
    slug: 'idi-ipv4-5-octets',
    datagram: messageBytes([{ type: IDi, body: cat(u8(1), u8(0), u16(0), bytes(5)) }], { exchangeType: 35 }),
    code: 'ID_DATA_LENGTH',
    field: 'IDi.data',
    offset: B0 + 4,
    value: 5,
  },
  {
    name: 'an AUTH payload without its method and reserved octets is refused',
    slug: 'auth-too-short',
    datagram: messageBytes([{ type: AUTH, body: cat(u8(2), u8(0)) }], { exchangeType: 35 }),
    code: 'PAYLOAD_TOO_SHORT',
    field: 'AUTH',
    offset: P0,
  },
  {
    name: 'a notify whose SPI size runs past the payload is refused',
    slug: 'notify-spi-overrun',
    datagram: messageBytes([{ type: N, body: cat(u8(3), u8(16), u16(16393), bytes(4)) }]),
    code: 'NOTIFY_SPI_SIZE',
    field: 'NOTIFY.spiSize',
    offset: B0 + 1,
    value: 16,
  },
  {
    name: 'a REKEY_SA notify without an ESP SPI is refused',
    slug: 'rekey-sa-without-spi',
    datagram: messageBytes([notify(16393)]),
    code: 'NOTIFY_SPI_SIZE',
    field: 'NOTIFY.spiSize',
    offset: B0 + 1,
    value: 0,
  },
  {
    name: 'a 65-octet COOKIE is refused (RFC 7296 §2.6: 1..64)',
    slug: 'cookie-65',
    datagram: messageBytes([notify(16390, bytes(65)), nonce()]),
    code: 'NOTIFY_DATA_LENGTH',
    field: 'NOTIFY.data',
    offset: B0 + 4,
    value: 65,
  },
  {
    name: 'a NAT_DETECTION_SOURCE_IP that is not a 20-octet SHA-1 digest is refused',
    slug: 'nat-detection-19',
    datagram: messageBytes([nonce(), notify(16388, bytes(19))]),
    code: 'NOTIFY_DATA_LENGTH',
    field: 'NOTIFY.data',
    offset: P0 + 36 + 8,
    value: 19,
  },
  {
    name: 'an INVALID_KE_PAYLOAD without its 2-octet group is refused',
    slug: 'invalid-ke-payload-empty',
    datagram: messageBytes([notify(17)], { flags: 0x20 }),
    code: 'NOTIFY_DATA_LENGTH',
    field: 'NOTIFY.data',
    offset: B0 + 4,
    value: 0,
  },
  {
    name: 'a REDIRECT whose gateway identity length runs past the data is refused',
    slug: 'redirect-ident-overrun',
    datagram: messageBytes([notify(16407, cat(u8(3), u8(40), Buffer.from('gw.example.com')))], { flags: 0x20 }),
    code: 'REDIRECT_IDENTITY',
    field: 'N(REDIRECT).gwIdentLen',
    offset: B0 + 4 + 1,
    value: 40,
  },
  {
    name: 'a REDIRECT with an IPv4 identity of 5 octets is refused',
    slug: 'redirect-ipv4-5-octets',
    datagram: messageBytes([notify(16407, cat(u8(1), u8(5), bytes(5)))], { flags: 0x20 }),
    code: 'REDIRECT_IDENTITY',
    field: 'N(REDIRECT).gwIdentLen',
    offset: B0 + 4 + 1,
    value: 5,
  },
  {
    name: 'a REDIRECT with an empty FQDN is refused',
    slug: 'redirect-fqdn-empty',
    datagram: messageBytes([notify(16407, cat(u8(3), u8(0), bytes(32)))], { flags: 0x20 }),
    code: 'FQDN_LENGTH',
    field: 'N(REDIRECT).gwIdent',
    offset: B0 + 4 + 2,
    value: 0,
  },
  {
    name: 'a REDIRECT whose nonce is 10 octets is refused',
    slug: 'redirect-nonce-10',
    datagram: messageBytes([notify(16407, cat(u8(1), u8(4), Buffer.from([192, 0, 2, 1]), bytes(10)))], { flags: 0x20 }),
    code: 'REDIRECT_NONCE_LENGTH',
    field: 'N(REDIRECT).nonce',
    offset: B0 + 4 + 6,
    value: 10,
  },
  {
    name: 'a REDIRECTED_FROM with octets after the gateway identity is refused',
    slug: 'redirected-from-trailing',
    datagram: messageBytes([notify(16408, cat(u8(1), u8(4), Buffer.from([192, 0, 2, 1]), bytes(16))), nonce()]),
    code: 'REDIRECTED_FROM_TRAILING',
    field: 'N(REDIRECTED_FROM).nonce',
    offset: B0 + 4 + 6,
    value: 16,
  },
  {
    name: 'a REDIRECT_SUPPORTED carrying data is refused',
    slug: 'redirect-supported-with-data',
    datagram: messageBytes([notify(16406, bytes(4)), nonce()]),
    code: 'NOTIFY_DATA_LENGTH',
    field: 'NOTIFY.data',
    offset: B0 + 4,
    value: 4,
  },
  {
    name: 'a TICKET_LT_OPAQUE without a ticket after its lifetime is refused',
    slug: 'ticket-lt-opaque-no-ticket',
    datagram: messageBytes([notify(16409, u32(3600))], { exchangeType: 35 }),
    code: 'NOTIFY_DATA_LENGTH',
    field: 'NOTIFY.data',
    offset: B0 + 4,
    value: 4,
  },
  {
    name: 'a SIGNATURE_HASH_ALGORITHMS list of odd length is refused',
    slug: 'signature-hash-odd',
    datagram: messageBytes([notify(16431, bytes(5)), nonce()]),
    code: 'HASH_ALGORITHMS_LENGTH',
    field: 'NOTIFY.data',
    offset: B0 + 4,
    value: 5,
  },
  {
    name: 'a Delete whose SPIs do not fill the payload is refused',
    slug: 'delete-spi-count',
    datagram: messageBytes([{ type: D, body: cat(u8(3), u8(4), u16(3), bytes(8)) }], { exchangeType: 37 }),
    code: 'DELETE_SPIS',
    field: 'DELETE.numSpis',
    offset: B0 + 2,
    value: 3,
  },
  {
    name: 'an IKE SA Delete with a 4-octet SPI size is refused',
    slug: 'delete-ike-spi-size',
    datagram: messageBytes([{ type: D, body: cat(u8(1), u8(4), u16(1), bytes(4)) }], { exchangeType: 37 }),
    code: 'DELETE_SPI_SIZE',
    field: 'DELETE.spiSize',
    offset: B0 + 1,
    value: 4,
  },
  {
    name: 'an IPv4 traffic selector whose length is not 16 is refused',
    slug: 'ts-ipv4-length-20',
    datagram: messageBytes(
      [{ type: TSi, body: cat(u8(1), u8(0), u16(0), u8(7), u8(0), u16(20), u16(0), u16(65535), bytes(12)) }],
      { exchangeType: 35 },
    ),
    code: 'TS_LENGTH',
    field: 'TSi.selector.length',
    offset: B0 + 4 + 2,
    value: 20,
  },
  {
    name: 'a TS payload announcing 2 selectors but carrying 1 is refused',
    slug: 'ts-count-mismatch',
    datagram: messageBytes(
      [{ type: TSi, body: cat(u8(2), u8(0), u16(0), u8(7), u8(0), u16(16), u16(0), u16(65535), bytes(8)) }],
      { exchangeType: 35 },
    ),
    code: 'TS_COUNT',
    field: 'TSi.count',
    offset: B0,
    value: 2,
  },
  {
    name: 'a configuration attribute running past the CP payload is refused',
    slug: 'cp-attribute-overrun',
    datagram: messageBytes([{ type: CP, body: cat(u8(1), u8(0), u16(0), u16(1), u16(8), bytes(4)) }], { exchangeType: 35 }),
    code: 'ATTRIBUTE_OVERRUN',
    field: 'CP.attribute.length',
    offset: B0 + 4 + 2,
    value: 12,
  },
  {
    name: 'an EAP message whose length disagrees with the payload is refused',
    slug: 'eap-length-mismatch',
    datagram: messageBytes([{ type: EAP, body: cat(u8(1), u8(1), u16(40), u8(1), bytes(5)) }], { exchangeType: 35 }),
    code: 'EAP_LENGTH',
    field: 'EAP.length',
    offset: B0 + 2,
    value: 40,
  },
  {
    name: 'an encrypted fragment numbered 0 is refused',
    slug: 'skf-fragment-zero',
    datagram: messageBytes([{ type: SKF, body: cat(u16(0), u16(2), bytes(32)), next: 35 }], { exchangeType: 35 }),
    code: 'FRAGMENT_NUMBER',
    field: 'SKF.fragmentNumber',
    offset: B0,
    value: 0,
  },
  {
    name: 'an encrypted fragment numbered above the total is refused',
    slug: 'skf-fragment-3-of-2',
    datagram: messageBytes([{ type: SKF, body: cat(u16(3), u16(2), bytes(32)), next: 0 }], { exchangeType: 35 }),
    code: 'FRAGMENT_NUMBER',
    field: 'SKF.fragmentNumber',
    offset: B0,
    value: 3,
  },
];

/** Sets the header length to the datagram's length. */
function fixLength(buf: Buffer): Buffer {
  buf.writeUInt32BE(buf.length, 24);
  return buf;
}
