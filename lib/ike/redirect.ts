// RFC 5685 wire helpers: the notify data of REDIRECT and REDIRECTED_FROM and
// the checks a client runs on a REDIRECT. Deciding *whether* to redirect is
// the RedirectProvider's job (redirect-provider.ts); this file only says how
// it looks on the wire.
//
//   REDIRECT (16407, §8.2):        GW Ident Type | GW Ident Len | GW Identity [| Nonce Data]
//   REDIRECTED_FROM (16408, §8.3): GW Ident Type | GW Ident Len | GW Identity
//   REDIRECT_SUPPORTED (16406, §8.1): no data
//
// The nonce (the initiator's Ni, copied verbatim) is present only in the
// IKE_SA_INIT response (§4); never in IKE_AUTH (§6) or INFORMATIONAL (§5).
import net from 'node:net';
import { GatewayIdentityType, NotifyType } from './constants';
import { notify, type NotifyPayload } from './payloads';
import type { RedirectTarget } from './redirect-provider';
import { addressToBytes, bytesToAddress } from '../ip-address';

function identityBytes(target: RedirectTarget): { type: number; bytes: Buffer } {
  switch (target.type) {
    case 'ipv4':
      return { type: GatewayIdentityType.IPV4, bytes: addressToBytes(target.address) };
    case 'ipv6':
      return { type: GatewayIdentityType.IPV6, bytes: addressToBytes(target.address) };
    case 'fqdn': {
      const bytes = Buffer.from(target.name, 'ascii');
      if (bytes.length < 1 || bytes.length > 255) throw new RangeError(`redirect FQDN must be 1-255 octets, not ${bytes.length}`);
      return { type: GatewayIdentityType.FQDN, bytes };
    }
  }
}

/** A target from an address text or an FQDN. */
export function targetFrom(text: string): RedirectTarget {
  const family = net.isIP(text);
  if (family === 4) return { type: 'ipv4', address: text };
  if (family === 6) return { type: 'ipv6', address: text };
  return { type: 'fqdn', name: text };
}

/** N(REDIRECT) with the target and, in IKE_SA_INIT, the initiator's nonce. */
export function redirectNotify(target: RedirectTarget, nonce?: Buffer): NotifyPayload {
  const { type, bytes } = identityBytes(target);
  const head = Buffer.from([type, bytes.length]);
  return notify(NotifyType.REDIRECT, Buffer.concat(nonce === undefined ? [head, bytes] : [head, bytes, nonce]));
}

/** N(REDIRECTED_FROM) naming the gateway that redirected us. */
export function redirectedFromNotify(original: RedirectTarget): NotifyPayload {
  const { type, bytes } = identityBytes(original);
  return notify(NotifyType.REDIRECTED_FROM, Buffer.concat([Buffer.from([type, bytes.length]), bytes]));
}

export function redirectSupportedNotify(): NotifyPayload {
  return notify(NotifyType.REDIRECT_SUPPORTED);
}

export interface ParsedRedirect {
  readonly target: RedirectTarget;
  /** Nonce data after the identity (empty when absent). */
  readonly nonce: Buffer;
}

/** Parses REDIRECT or REDIRECTED_FROM data; undefined when malformed (§8.2 lengths). */
export function parseRedirectData(data: Buffer): ParsedRedirect | undefined {
  if (data.length < 3) return undefined;
  const type = data[0] as number;
  const length = data[1] as number;
  if (length === 0 || 2 + length > data.length) return undefined;
  const identity = data.subarray(2, 2 + length);
  const nonce = data.subarray(2 + length);
  let target: RedirectTarget;
  if (type === GatewayIdentityType.IPV4) {
    if (length !== 4) return undefined;
    target = { type: 'ipv4', address: bytesToAddress(identity) };
  } else if (type === GatewayIdentityType.IPV6) {
    if (length !== 16) return undefined;
    target = { type: 'ipv6', address: bytesToAddress(identity) };
  } else if (type === GatewayIdentityType.FQDN) {
    target = { type: 'fqdn', name: identity.toString('ascii') };
  } else {
    return undefined;
  }
  return { target, nonce };
}
