// The payloads the state machines read and write (RFC 7296 §3), as plain
// data. wire.ts converts between these and the codec (lib/ike/codec.ts), so
// exchange logic never depends on how the codec lays out its objects, and the
// codec never depends on the state machines.
import { PayloadType } from './constants';
import type { TrafficSelector } from './traffic-selectors';

/** A transform (RFC 7296 §3.3.2); keyLength is the Key Length attribute (§3.3.5) when present. */
export interface Transform {
  readonly type: number;
  readonly id: number;
  readonly keyLength?: number;
}

/** A proposal substructure (RFC 7296 §3.3.1). */
export interface Proposal {
  readonly number: number;
  readonly protocol: number;
  /** Empty in IKE_SA_INIT (§3.3.1); 8 octets when rekeying an IKE SA; 4 for ESP/AH. */
  readonly spi: Buffer;
  readonly transforms: readonly Transform[];
}

export interface SaPayload {
  readonly type: typeof PayloadType.SA;
  readonly proposals: readonly Proposal[];
}

export interface KePayload {
  readonly type: typeof PayloadType.KE;
  readonly group: number;
  readonly data: Buffer;
}

export interface IdPayload {
  readonly type: typeof PayloadType.IDi | typeof PayloadType.IDr;
  readonly idType: number;
  readonly data: Buffer;
}

export interface CertPayload {
  readonly type: typeof PayloadType.CERT;
  readonly encoding: number;
  readonly data: Buffer;
}

export interface CertReqPayload {
  readonly type: typeof PayloadType.CERTREQ;
  readonly encoding: number;
  /** Concatenated SHA-1 hashes of CA public keys (RFC 7296 §3.7). */
  readonly data: Buffer;
}

export interface AuthPayload {
  readonly type: typeof PayloadType.AUTH;
  readonly method: number;
  readonly data: Buffer;
}

export interface NoncePayload {
  readonly type: typeof PayloadType.NONCE;
  readonly data: Buffer;
}

export interface NotifyPayload {
  readonly type: typeof PayloadType.NOTIFY;
  readonly protocol: number;
  /** Empty unless the notify concerns a CHILD SA (§3.10). */
  readonly spi: Buffer;
  readonly notifyType: number;
  readonly data: Buffer;
}

export interface DeletePayload {
  readonly type: typeof PayloadType.DELETE;
  readonly protocol: number;
  /** SPIs of the deleted SAs (none for the IKE SA, §3.11). */
  readonly spis: readonly Buffer[];
}

export interface VendorIdPayload {
  readonly type: typeof PayloadType.VENDOR_ID;
  readonly data: Buffer;
}

export interface TsPayload {
  readonly type: typeof PayloadType.TSi | typeof PayloadType.TSr;
  readonly selectors: readonly TrafficSelector[];
}

export interface CpAttribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface CpPayload {
  readonly type: typeof PayloadType.CP;
  readonly cfgType: number;
  readonly attributes: readonly CpAttribute[];
}

export interface EapPayload {
  readonly type: typeof PayloadType.EAP;
  readonly data: Buffer;
}

export type Payload =
  | SaPayload
  | KePayload
  | IdPayload
  | CertPayload
  | CertReqPayload
  | AuthPayload
  | NoncePayload
  | NotifyPayload
  | DeletePayload
  | VendorIdPayload
  | TsPayload
  | CpPayload
  | EapPayload;

/** The IKE header fields the state machines use (RFC 7296 §3.1). */
export interface Header {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  readonly exchange: number;
  readonly initiator: boolean;
  readonly response: boolean;
  readonly messageId: number;
}

/** A decoded message: the header, and the plaintext payloads (inside SK once decrypted). */
export interface Message {
  readonly header: Header;
  readonly payloads: readonly Payload[];
}

// ------------------------------------------------------------ small readers

type Narrow<P, T> = P extends { readonly type: infer U } ? (T extends U ? P : never) : never;
/** The payload interface(s) whose type field admits T. */
export type PayloadOf<T extends number> = Narrow<Payload, T>;

export function findPayload<T extends Payload['type']>(payloads: readonly Payload[], type: T): PayloadOf<T> | undefined {
  for (const p of payloads) if (p.type === type) return p as PayloadOf<T>;
  return undefined;
}

export function allPayloads<T extends Payload['type']>(payloads: readonly Payload[], type: T): PayloadOf<T>[] {
  return payloads.filter((p) => p.type === type) as PayloadOf<T>[];
}

export function findNotify(payloads: readonly Payload[], notifyType: number): NotifyPayload | undefined {
  for (const p of payloads) if (p.type === PayloadType.NOTIFY && p.notifyType === notifyType) return p;
  return undefined;
}

export function notifies(payloads: readonly Payload[]): NotifyPayload[] {
  return payloads.filter((p): p is NotifyPayload => p.type === PayloadType.NOTIFY);
}

/** First error notify (types below 16384, RFC 7296 §3.10.1), if any. */
export function errorNotify(payloads: readonly Payload[]): NotifyPayload | undefined {
  for (const p of payloads) if (p.type === PayloadType.NOTIFY && p.notifyType < 16384) return p;
  return undefined;
}

export function notify(notifyType: number, data: Buffer = Buffer.alloc(0), protocol = 0, spi: Buffer = Buffer.alloc(0)): NotifyPayload {
  return { type: PayloadType.NOTIFY, protocol, spi, notifyType, data };
}
