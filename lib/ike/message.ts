// The typed model of an IKEv2 message as decodeMessage returns it and
// encodeMessage takes it (lib/ike/codec.ts). It mirrors the wire one to one
// so that encodeMessage(decodeMessage(x)) === x octet for octet:
//
// - Byte strings (nonces, KE data, notification data, ...) are Buffers.
// - SPIs are lowercase hex strings: the IKE SPIs 16 digits, proposal, notify
//   and delete SPIs 2 x their size ('' when empty). Handy as Map keys and in logs.
// - Traffic selector addresses are text ('192.0.2.1', '2001:db8::1').
// - Numbers are wire values; lib/ike/constants.ts names them (generated from
//   native/ike/constants.def) and lib/ike/names.ts turns them into names.
// - Reserved fields appear only when the peer set them (non-zero), so they
//   survive a round trip; leave them out when building a message.
// - Next Payload fields, lengths and counts are derived when encoding.
import { PayloadType } from './constants';

export interface IkeHeader {
  /** Initiator's SPI, 16 hex digits. */
  readonly spiI: string;
  /** Responder's SPI, 16 hex digits ('0000000000000000' in a first IKE_SA_INIT). */
  readonly spiR: string;
  /** 2 for IKEv2 (decodeMessage rejects anything else; encodeMessage defaults to 2). */
  readonly majorVersion?: number;
  readonly minorVersion?: number;
  /** ExchangeType (RFC 7296 §3.1). */
  readonly exchangeType: number;
  /** HeaderFlag bits: INITIATOR 0x08, VERSION 0x10, RESPONSE 0x20 (reserved bits kept). */
  readonly flags: number;
  readonly messageId: number;
}

interface PayloadBase {
  /** The critical bit (RFC 7296 §2.5); false for every payload type ikelb knows. */
  readonly critical?: boolean;
  /** The 7 reserved bits after the critical bit, only when non-zero. */
  readonly reservedFlags?: number;
}

/** Transform attribute (RFC 7296 §3.3.5): TV form carries `value`, TLV form `data`. */
export type TransformAttribute =
  | { readonly type: number; readonly value: number }
  | { readonly type: number; readonly data: Buffer };

export interface Transform {
  /** TransformType: ENCR 1, PRF 2, INTEG 3, DH 4, ESN 5. */
  readonly type: number;
  /** EncrId / PrfId / IntegId / DhGroup / EsnId, by type. */
  readonly id: number;
  readonly attributes: readonly TransformAttribute[];
  readonly reserved1?: number;
  readonly reserved2?: number;
}

export interface Proposal {
  readonly number: number;
  /** ProtocolId: IKE 1, AH 2, ESP 3. */
  readonly protocolId: number;
  /** '' (IKE_SA_INIT), 16 hex digits (IKE rekey) or 8 (AH/ESP). */
  readonly spi: string;
  readonly transforms: readonly Transform[];
  readonly reserved?: number;
}

export interface SaPayload extends PayloadBase {
  readonly kind: 'SA';
  readonly proposals: readonly Proposal[];
}

export interface KePayload extends PayloadBase {
  readonly kind: 'KE';
  /** DhGroup of the data. */
  readonly dhGroup: number;
  readonly data: Buffer;
  readonly reserved?: number;
}

export interface IdPayload extends PayloadBase {
  readonly kind: 'IDi' | 'IDr';
  /** IdType: ID_IPV4_ADDR 1, ID_FQDN 2, ID_RFC822_ADDR 3, ID_IPV6_ADDR 5, ... */
  readonly idType: number;
  readonly data: Buffer;
  readonly reserved?: number;
}

export interface CertPayload extends PayloadBase {
  readonly kind: 'CERT' | 'CERTREQ';
  /** CertEncoding. */
  readonly encoding: number;
  readonly data: Buffer;
}

export interface AuthPayload extends PayloadBase {
  readonly kind: 'AUTH';
  /** AuthMethod. */
  readonly method: number;
  readonly data: Buffer;
  readonly reserved?: number;
}

export interface NoncePayload extends PayloadBase {
  readonly kind: 'NONCE';
  /** 16..256 octets. */
  readonly data: Buffer;
}

export interface NotifyPayload extends PayloadBase {
  readonly kind: 'NOTIFY';
  /** ProtocolId of the SA the SPI names; 0 when there is no SPI. */
  readonly protocolId?: number;
  /** Hex; '' (the usual case) or 8 digits for a Child SA. */
  readonly spi?: string;
  /** NotifyType. */
  readonly notifyType: number;
  /** Notification data; lib/ike/notify-data.ts parses and builds the typed ones. */
  readonly data: Buffer;
}

export interface DeletePayload extends PayloadBase {
  readonly kind: 'DELETE';
  readonly protocolId: number;
  /** 0 for IKE, 4 for AH/ESP. */
  readonly spiSize: number;
  /** Each 2 x spiSize hex digits. */
  readonly spis: readonly string[];
}

export interface VendorIdPayload extends PayloadBase {
  readonly kind: 'VENDOR_ID';
  readonly data: Buffer;
}

/** TS_IPV4_ADDR_RANGE (7) or TS_IPV6_ADDR_RANGE (8), RFC 7296 §3.13.1. */
export interface AddressRangeSelector {
  readonly tsType: 7 | 8;
  /** 0 = any protocol. */
  readonly ipProtocol: number;
  readonly startPort: number;
  readonly endPort: number;
  readonly startAddress: string;
  readonly endAddress: string;
}

/** Any other TS type, kept raw (the octets after the 4-octet selector header). */
export interface OpaqueSelector {
  readonly tsType: number;
  readonly ipProtocol: number;
  readonly data: Buffer;
}

export type TrafficSelector = AddressRangeSelector | OpaqueSelector;

export interface TsPayload extends PayloadBase {
  readonly kind: 'TSi' | 'TSr';
  readonly selectors: readonly TrafficSelector[];
  readonly reserved?: number;
}

export interface SkPayload extends PayloadBase {
  readonly kind: 'SK';
  /** Type of the first payload inside the encrypted data (the SK's Next Payload). */
  readonly innerNextPayload: number;
  /** IV | ciphertext | ICV, opaque to the codec. */
  readonly data: Buffer;
}

export interface SkfPayload extends PayloadBase {
  readonly kind: 'SKF';
  readonly innerNextPayload: number;
  readonly fragmentNumber: number;
  readonly totalFragments: number;
  readonly data: Buffer;
}

export interface ConfigAttribute {
  /** CfgAttribute. */
  readonly type: number;
  /** Empty in a CFG_REQUEST. */
  readonly value: Buffer;
  /** The reserved top bit, only when set. */
  readonly reservedBit?: true;
}

export interface CpPayload extends PayloadBase {
  readonly kind: 'CP';
  /** CfgType. */
  readonly cfgType: number;
  readonly attributes: readonly ConfigAttribute[];
  readonly reserved?: number;
}

export interface EapPayload extends PayloadBase {
  readonly kind: 'EAP';
  /** The whole EAP message (RFC 3748 §4). */
  readonly message: Buffer;
}

/** A payload type ikelb does not decode, skipped (it was not critical) and kept. */
export interface UnknownPayload extends PayloadBase {
  readonly kind: 'UNKNOWN';
  readonly type: number;
  readonly data: Buffer;
}

export type Payload =
  | SaPayload
  | KePayload
  | IdPayload
  | CertPayload
  | AuthPayload
  | NoncePayload
  | NotifyPayload
  | DeletePayload
  | VendorIdPayload
  | TsPayload
  | SkPayload
  | SkfPayload
  | CpPayload
  | EapPayload
  | UnknownPayload;

export type PayloadKind = Payload['kind'];

/** The Next Payload number of every decoded kind (RFC 7296 §3.2, RFC 7383 §2.5 for SKF). */
export const payloadTypeOfKind: Readonly<Record<Exclude<PayloadKind, 'UNKNOWN'>, number>> = Object.freeze({
  SA: PayloadType.SA,
  KE: PayloadType.KE,
  IDi: PayloadType.IDi,
  IDr: PayloadType.IDr,
  CERT: PayloadType.CERT,
  CERTREQ: PayloadType.CERTREQ,
  AUTH: PayloadType.AUTH,
  NONCE: PayloadType.NONCE,
  NOTIFY: PayloadType.NOTIFY,
  DELETE: PayloadType.DELETE,
  VENDOR_ID: PayloadType.VENDOR_ID,
  TSi: PayloadType.TSi,
  TSr: PayloadType.TSr,
  SK: PayloadType.SK,
  SKF: PayloadType.SKF,
  CP: PayloadType.CP,
  EAP: PayloadType.EAP,
});

export interface IkeMessage {
  readonly header: IkeHeader;
  readonly payloads: readonly Payload[];
}

/** Why a datagram could not be decoded: stable code, field, absolute offset. */
export interface DecodeError {
  /** One of DecodeErrors in lib/ike/constants.ts, e.g. 'NONCE_LENGTH'. */
  readonly code: string;
  /** The field at fault, e.g. 'NONCE.data', 'SA.proposal.transform.attribute.length'. */
  readonly field: string;
  /** Absolute byte offset of that field in the datagram. */
  readonly offset: number;
  /** One sentence with the numbers. */
  readonly detail: string;
  /** The notify a responder answers with (INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD, ...). */
  readonly notifyType: number;
  /** Its notification data: the payload type for UNSUPPORTED_CRITICAL_PAYLOAD, else empty. */
  readonly notifyData: Buffer;
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

export type DecodeResult = { readonly ok: true; readonly message: IkeMessage } | { readonly ok: false; readonly error: DecodeError };

export type DecodePayloadsResult =
  | { readonly ok: true; readonly payloads: readonly Payload[] }
  | { readonly ok: false; readonly error: DecodeError };
