// Typed notification data: parse what a peer sent, build what we send.
// RFC 5685 redirect (REDIRECT, REDIRECTED_FROM, REDIRECT_SUPPORTED), RFC 5723
// session resumption (TICKET_*), and the fixed-format RFC 7296 / 7383 / 7427
// notifies. Parsing and the structured encoders run in native code (the same
// code the redirect fast path uses), so both sides follow one definition.
import { isIP } from 'node:net';
import { IkelbError } from '../errors';
import { decodeError as toDecodeError } from './codec-errors';
import { encodeError, isEncodeFailure } from './codec';
import { codecNative, type NativeEncodeFailure, type NativeRedirectData } from './codec-native';
import { GatewayIdentityType, NotifyType } from './constants';
import type { DecodeError, NotifyPayload } from './message';
import { constantName } from './names';

/** A gateway identity: text (IPv4, IPv6 or an ASCII FQDN, detected) or explicit raw octets. */
export type GatewayIdentity = string | { readonly gwIdentType: number; readonly gwIdent: Uint8Array };

export interface RedirectInfo {
  /** GatewayIdentityType: IPV4 1, IPV6 2, FQDN 3; other values are kept raw. */
  readonly gwIdentType: number;
  /** The identity as text for IPv4, IPv6 and FQDN. */
  readonly gateway?: string;
  /** The identity's octets as sent. */
  readonly gwIdent: Buffer;
  /** REDIRECT in IKE_SA_INIT: the initiator's Ni, which the client must check (RFC 5685). */
  readonly nonce?: Buffer;
}

export type NotifyData =
  | ({ readonly kind: 'REDIRECT' | 'REDIRECTED_FROM' } & RedirectInfo)
  | { readonly kind: 'TICKET_LT_OPAQUE'; readonly lifetime: number; readonly ticket: Buffer }
  | { readonly kind: 'TICKET_OPAQUE'; readonly ticket: Buffer }
  | { readonly kind: 'COOKIE'; readonly cookie: Buffer }
  | { readonly kind: 'NAT_DETECTION_SOURCE_IP' | 'NAT_DETECTION_DESTINATION_IP'; readonly digest: Buffer }
  | { readonly kind: 'INVALID_KE_PAYLOAD'; readonly dhGroup: number }
  | { readonly kind: 'UNSUPPORTED_CRITICAL_PAYLOAD'; readonly payloadType: number }
  | { readonly kind: 'SET_WINDOW_SIZE'; readonly windowSize: number }
  | { readonly kind: 'AUTH_LIFETIME'; readonly seconds: number }
  | { readonly kind: 'IPCOMP_SUPPORTED'; readonly cpi: number; readonly transformId: number }
  | { readonly kind: 'ADDITIONAL_IP4_ADDRESS' | 'ADDITIONAL_IP6_ADDRESS'; readonly address: string }
  | { readonly kind: 'SIGNATURE_HASH_ALGORITHMS'; readonly hashAlgorithms: readonly number[] }
  | {
      readonly kind:
        | 'REDIRECT_SUPPORTED'
        | 'TICKET_REQUEST'
        | 'TICKET_ACK'
        | 'TICKET_NACK'
        | 'IKEV2_FRAGMENTATION_SUPPORTED';
    };

export type NotifyDataResult =
  | { readonly ok: true; readonly value: NotifyData | null }
  | { readonly ok: false; readonly error: DecodeError };

/**
 * Parses the data of a notify of a type with known structure; value is null
 * for other types. Offsets in errors are relative to the data.
 */
export function parseNotifyData(notify: Pick<NotifyPayload, 'notifyType' | 'data'>): NotifyDataResult {
  const r = codecNative().parseNotifyData(notify.notifyType, notify.data);
  if (!r.ok) return { ok: false, error: toDecodeError(r.error) };
  if (r.value === null) return { ok: true, value: null };
  const kind = constantName('NotifyType', notify.notifyType);
  return { ok: true, value: { kind, ...r.value } as NotifyData };
}

function encoded(r: Buffer | NativeEncodeFailure): Buffer {
  if (isEncodeFailure(r)) throw encodeError(r);
  return r;
}

/** A gateway identity as the native encoders take it (type detected from text). */
export function gatewayIdentity(gateway: GatewayIdentity): NativeRedirectData {
  if (typeof gateway !== 'string') return { gwIdentType: gateway.gwIdentType, gwIdent: gateway.gwIdent };
  switch (isIP(gateway)) {
    case 4:
      return { gwIdentType: GatewayIdentityType.IPV4, gateway };
    case 6:
      return { gwIdentType: GatewayIdentityType.IPV6, gateway };
    default:
      // RFC 5685 §8.2: an FQDN; internationalised names go as their ASCII
      // (punycode) form, as in DNS.
      if (!/^[\x21-\x7e]+$/.test(gateway)) {
        throw new IkelbError('IKELB_ERR_ENCODE', `gateway '${gateway}' is neither an IP address nor an ASCII FQDN`);
      }
      return { gwIdentType: GatewayIdentityType.FQDN, gateway };
  }
}

/** REDIRECT data (RFC 5685 §8.2); pass the initiator's Ni as nonce in an IKE_SA_INIT response. */
export function redirectData(gateway: GatewayIdentity, nonce?: Uint8Array): Buffer {
  const data = gatewayIdentity(gateway);
  return encoded(codecNative().encodeRedirectData(nonce === undefined ? data : { ...data, nonce }, false));
}

/** REDIRECTED_FROM data (RFC 5685 §8.3): the gateway that redirected us. */
export function redirectedFromData(gateway: GatewayIdentity): Buffer {
  return encoded(codecNative().encodeRedirectData(gatewayIdentity(gateway), true));
}

/** TICKET_LT_OPAQUE data (RFC 5723 §4): lifetime in seconds, then the ticket. */
export function ticketLtOpaqueData(lifetimeSeconds: number, ticket: Uint8Array): Buffer {
  return encoded(codecNative().encodeTicketLtOpaque(lifetimeSeconds, ticket));
}

function notify(notifyType: number, data: Uint8Array = Buffer.alloc(0)): NotifyPayload {
  const payload: NotifyPayload = { kind: 'NOTIFY', notifyType, data: Buffer.from(data) };
  // Refuse here what the decoder would refuse, naming the notify.
  const check = codecNative().parseNotifyData(notifyType, payload.data);
  if (!check.ok) {
    throw Object.assign(
      new IkelbError('IKELB_ERR_ENCODE', `N(${constantName('NotifyType', notifyType) ?? notifyType}): ${check.error.detail}`),
      { field: check.error.field, decodeError: toDecodeError(check.error) },
    );
  }
  return payload;
}

export const notifies = {
  redirectSupported: (): NotifyPayload => notify(NotifyType.REDIRECT_SUPPORTED),
  redirect: (gateway: GatewayIdentity, nonce?: Uint8Array): NotifyPayload =>
    notify(NotifyType.REDIRECT, redirectData(gateway, nonce)),
  redirectedFrom: (gateway: GatewayIdentity): NotifyPayload =>
    notify(NotifyType.REDIRECTED_FROM, redirectedFromData(gateway)),
  ticketLtOpaque: (lifetimeSeconds: number, ticket: Uint8Array): NotifyPayload =>
    notify(NotifyType.TICKET_LT_OPAQUE, ticketLtOpaqueData(lifetimeSeconds, ticket)),
  ticketRequest: (): NotifyPayload => notify(NotifyType.TICKET_REQUEST),
  ticketAck: (): NotifyPayload => notify(NotifyType.TICKET_ACK),
  ticketNack: (): NotifyPayload => notify(NotifyType.TICKET_NACK),
  ticketOpaque: (ticket: Uint8Array): NotifyPayload => notify(NotifyType.TICKET_OPAQUE, ticket),
  cookie: (cookie: Uint8Array): NotifyPayload => notify(NotifyType.COOKIE, cookie),
  invalidKePayload: (dhGroup: number): NotifyPayload => {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(dhGroup);
    return notify(NotifyType.INVALID_KE_PAYLOAD, data);
  },
  natDetectionSourceIp: (digest: Uint8Array): NotifyPayload => notify(NotifyType.NAT_DETECTION_SOURCE_IP, digest),
  natDetectionDestinationIp: (digest: Uint8Array): NotifyPayload =>
    notify(NotifyType.NAT_DETECTION_DESTINATION_IP, digest),
  signatureHashAlgorithms: (hashAlgorithms: readonly number[]): NotifyPayload => {
    const data = Buffer.alloc(hashAlgorithms.length * 2);
    hashAlgorithms.forEach((id, i) => data.writeUInt16BE(id, i * 2));
    return notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, data);
  },
  fragmentationSupported: (): NotifyPayload => notify(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED),
  unsupportedCriticalPayload: (payloadType: number): NotifyPayload =>
    notify(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, Buffer.of(payloadType)),
  /** Any notify with raw data (checked like the decoder checks it). */
  raw: (notifyType: number, data?: Uint8Array): NotifyPayload => notify(notifyType, data),
} as const;
