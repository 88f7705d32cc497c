// The IkeWire port over the IKEv2 codec: datagrams to the state machines'
// model (payloads.ts: Buffers, payload type numbers) and back. codecWire
// reads and writes the codec's tape directly (wire-decoder.ts,
// wire-encoder.ts); codecModelWire goes through the codec's public model
// (lib/ike/codec.ts: hex SPIs, text addresses, payload `kind`s) and is the
// reference the tests hold it to (test/ike/wire.test.ts).
// Unknown non-critical payloads are dropped here, as RFC 7296 §2.5 says to
// ignore them; unknown critical ones never get this far (the codec refuses them).
import { decodeMessage, decodePayloads, encodeMessage, encodePayloads, formatDecodeError } from './codec';
import { decodeError } from './codec-errors';
import { WireDecoder } from './wire-decoder';
import { WireEncoder } from './wire-encoder';
import { HeaderFlag, PayloadType, TransformAttribute } from './constants';
import * as M from './message';
import type { Payload, Proposal } from './payloads';
import { addressToBytes, bytesToAddress } from '../ip-address';
import { type TrafficSelector, type TsType } from './traffic-selectors';
import type { DecodedDatagram, DecodedInner, IkeWire, OutHeader, WireError } from './wire-port';

const ikeHeaderLength = 28;
const empty = Buffer.alloc(0);

function hex(b: Buffer): string {
  return b.toString('hex');
}

function bytes(h: string | undefined): Buffer {
  return h === undefined || h === '' ? empty : Buffer.from(h, 'hex');
}

function fromCodec(p: M.Payload): Payload | undefined {
  switch (p.kind) {
    case 'SA':
      return { type: PayloadType.SA, proposals: p.proposals.map(proposalFromCodec) };
    case 'KE':
      return { type: PayloadType.KE, group: p.dhGroup, data: p.data };
    case 'IDi':
      return { type: PayloadType.IDi, idType: p.idType, data: p.data };
    case 'IDr':
      return { type: PayloadType.IDr, idType: p.idType, data: p.data };
    case 'CERT':
      return { type: PayloadType.CERT, encoding: p.encoding, data: p.data };
    case 'CERTREQ':
      return { type: PayloadType.CERTREQ, encoding: p.encoding, data: p.data };
    case 'AUTH':
      return { type: PayloadType.AUTH, method: p.method, data: p.data };
    case 'NONCE':
      return { type: PayloadType.NONCE, data: p.data };
    case 'NOTIFY':
      return { type: PayloadType.NOTIFY, protocol: p.protocolId ?? 0, spi: bytes(p.spi), notifyType: p.notifyType, data: p.data };
    case 'DELETE':
      return { type: PayloadType.DELETE, protocol: p.protocolId, spis: p.spis.map(bytes) };
    case 'VENDOR_ID':
      return { type: PayloadType.VENDOR_ID, data: p.data };
    case 'TSi':
    case 'TSr':
      return { type: p.kind === 'TSi' ? PayloadType.TSi : PayloadType.TSr, selectors: selectorsFromCodec(p.selectors) };
    case 'CP':
      return { type: PayloadType.CP, cfgType: p.cfgType, attributes: p.attributes.map((a) => ({ type: a.type, value: a.value })) };
    case 'EAP':
      return { type: PayloadType.EAP, data: p.message };
    default:
      return undefined;
  }
}

function proposalFromCodec(p: M.Proposal): Proposal {
  return {
    number: p.number,
    protocol: p.protocolId,
    spi: bytes(p.spi),
    transforms: p.transforms.map((t) => {
      const kl = t.attributes.find((a) => a.type === TransformAttribute.KEY_LENGTH && 'value' in a);
      return kl !== undefined && 'value' in kl ? { type: t.type, id: t.id, keyLength: kl.value } : { type: t.type, id: t.id };
    }),
  };
}

function selectorsFromCodec(list: readonly M.TrafficSelector[]): TrafficSelector[] {
  const out: TrafficSelector[] = [];
  for (const s of list) {
    if (!('startAddress' in s)) continue; // opaque selector types cannot be narrowed: ignored
    out.push({ type: s.tsType as TsType, protocol: s.ipProtocol, startPort: s.startPort, endPort: s.endPort, startAddress: addressToBytes(s.startAddress), endAddress: addressToBytes(s.endAddress) });
  }
  return out;
}

function toCodec(p: Payload): M.Payload {
  switch (p.type) {
    case PayloadType.SA:
      return { kind: 'SA', proposals: p.proposals.map(proposalToCodec) };
    case PayloadType.KE:
      return { kind: 'KE', dhGroup: p.group, data: p.data };
    case PayloadType.IDi:
    case PayloadType.IDr:
      return { kind: p.type === PayloadType.IDi ? 'IDi' : 'IDr', idType: p.idType, data: p.data };
    case PayloadType.CERT:
      return { kind: 'CERT', encoding: p.encoding, data: p.data };
    case PayloadType.CERTREQ:
      return { kind: 'CERTREQ', encoding: p.encoding, data: p.data };
    case PayloadType.AUTH:
      return { kind: 'AUTH', method: p.method, data: p.data };
    case PayloadType.NONCE:
      return { kind: 'NONCE', data: p.data };
    case PayloadType.NOTIFY:
      return { kind: 'NOTIFY', protocolId: p.protocol, spi: hex(p.spi), notifyType: p.notifyType, data: p.data };
    case PayloadType.DELETE:
      return { kind: 'DELETE', protocolId: p.protocol, spiSize: p.spis[0]?.length ?? (p.protocol === 1 ? 0 : 4), spis: p.spis.map(hex) };
    case PayloadType.VENDOR_ID:
      return { kind: 'VENDOR_ID', data: p.data };
    case PayloadType.TSi:
    case PayloadType.TSr:
      return {
        kind: p.type === PayloadType.TSi ? 'TSi' : 'TSr',
        selectors: p.selectors.map((s) => ({ tsType: s.type, ipProtocol: s.protocol, startPort: s.startPort, endPort: s.endPort, startAddress: bytesToAddress(s.startAddress), endAddress: bytesToAddress(s.endAddress) })),
      };
    case PayloadType.CP:
      return { kind: 'CP', cfgType: p.cfgType, attributes: p.attributes.map((a) => ({ type: a.type, value: a.value })) };
    case PayloadType.EAP:
      return { kind: 'EAP', message: p.data };
  }
}

function proposalToCodec(p: Proposal): M.Proposal {
  return {
    number: p.number,
    protocolId: p.protocol,
    spi: hex(p.spi),
    transforms: p.transforms.map((t) => ({ type: t.type, id: t.id, attributes: t.keyLength === undefined ? [] : [{ type: TransformAttribute.KEY_LENGTH, value: t.keyLength }] })),
  };
}

function wireError(e: M.DecodeError): WireError {
  return { ok: false, reason: e.code, detail: formatDecodeError(e), notify: e.notifyType };
}

function convert(list: readonly M.Payload[]): { payloads: Payload[]; types: number[]; sk: M.SkPayload | undefined; skIndex: number } {
  const payloads: Payload[] = [];
  const types: number[] = [];
  let sk: M.SkPayload | undefined;
  let skIndex = -1;
  list.forEach((p, i) => {
    if (p.kind === 'UNKNOWN') return; // RFC 7296 §2.5: unknown, not critical: ignored
    if (p.kind === 'SK') {
      sk = p;
      skIndex = i;
      return;
    }
    types.push(M.payloadTypeOfKind[p.kind]);
    const mine = fromCodec(p);
    if (mine !== undefined) payloads.push(mine);
  });
  return { payloads, types, sk, skIndex };
}

const decoder = new WireDecoder();
const encoder = new WireEncoder();

/**
 * The IkeWire the gateway and client run on: the codec's tape read into
 * payloads.ts objects and written from them directly (wire-decoder.ts,
 * wire-encoder.ts), with no intermediate codec model. Byte strings of a
 * decode are subarrays of the datagram, which the core owns (IkeCore.receive).
 */
export const codecWire: IkeWire = {
  decode(datagram: Buffer): DecodedDatagram | WireError {
    const r = decoder.decodeMessage(datagram);
    if ('code' in r) return wireError(decodeError(r));
    const { header, majorVersion } = r;
    const { payloads, types, skIndex, skFirstType } = r.chain;
    if (skIndex < 0) return { ok: true, header, majorVersion, payloads, types };
    // SK must come first for us to find it at a known offset; anything before it is refused by the core.
    return { ok: true, header, majorVersion, payloads, types, sk: { offset: skIndex === 0 ? ikeHeaderLength : -1, firstType: skFirstType } };
  },

  decodeInner(plaintext: Buffer, firstType: number): DecodedInner | WireError {
    const r = decoder.decodePayloads(plaintext, firstType);
    if ('code' in r) return wireError(decodeError(r));
    const { payloads, types, skIndex } = r;
    if (skIndex >= 0) types.push(PayloadType.SK);
    return { ok: true, payloads, types };
  },

  encode(header: OutHeader, payloads: readonly Payload[]): Buffer {
    return encoder.encodeMessage(header, payloads);
  },

  encodeChain(payloads: readonly Payload[]): { bytes: Buffer; firstType: number } {
    const first = payloads[0];
    if (first === undefined) return { bytes: empty, firstType: PayloadType.NONE };
    return { bytes: encoder.encodePayloads(payloads), firstType: first.type };
  },
};

/**
 * The same port through the codec's public model (lib/ike/codec.ts): kept as
 * the reference the direct adapter is tested against (test/ike/wire.test.ts).
 */
export const codecModelWire: IkeWire = {
  decode(datagram: Buffer): DecodedDatagram | WireError {
    const r = decodeMessage(datagram);
    if (!r.ok) return wireError(r.error);
    const m = r.message;
    const h = m.header;
    const { payloads, types, sk, skIndex } = convert(m.payloads);
    const base: DecodedDatagram = {
      ok: true,
      header: {
        spiI: Buffer.from(h.spiI, 'hex'),
        spiR: Buffer.from(h.spiR, 'hex'),
        exchange: h.exchangeType,
        initiator: (h.flags & HeaderFlag.INITIATOR) !== 0,
        response: (h.flags & HeaderFlag.RESPONSE) !== 0,
        messageId: h.messageId,
      },
      majorVersion: h.majorVersion ?? 2,
      payloads,
      types,
    };
    if (sk === undefined) return base;
    // SK must come first for us to find it at a known offset; anything before it is refused by the core.
    return { ...base, sk: { offset: skIndex === 0 ? ikeHeaderLength : -1, firstType: sk.innerNextPayload } };
  },

  decodeInner(plaintext: Buffer, firstType: number): DecodedInner | WireError {
    const r = decodePayloads(plaintext, firstType, 0);
    if (!r.ok) return wireError(r.error);
    const { payloads, types, sk } = convert(r.payloads);
    if (sk !== undefined) types.push(PayloadType.SK);
    return { ok: true, payloads, types };
  },

  encode(header: OutHeader, payloads: readonly Payload[]): Buffer {
    return encodeMessage({
      header: {
        spiI: hex(header.spiI),
        spiR: hex(header.spiR),
        exchangeType: header.exchange,
        flags: (header.initiator ? HeaderFlag.INITIATOR : 0) | (header.response ? HeaderFlag.RESPONSE : 0),
        messageId: header.messageId,
      },
      payloads: payloads.map(toCodec),
    });
  },

  encodeChain(payloads: readonly Payload[]): { bytes: Buffer; firstType: number } {
    if (payloads.length === 0) return { bytes: empty, firstType: PayloadType.NONE };
    const r = encodePayloads(payloads.map(toCodec));
    return { bytes: r.plaintext, firstType: r.firstPayloadType };
  },
};
