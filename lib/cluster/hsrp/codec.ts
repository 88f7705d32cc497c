// HSRP encode/decode for TypeScript: a typed surface over the native codec.
// decode never throws for bad bytes: it answers {ok:false, field, offset,
// reason}; encode throws IkelbError(IKELB_ERR_ENCODE) for a field that does
// not fit its version.
import { IkelbError } from '../../errors';
import { hsrpNative, type DecodeResult, type EncodableMessage, type HsrpAuth } from './hsrp-native';

export type { DecodeResult, DecodedMessage, DecodeFailure, EncodableMessage, HsrpAuth, HsrpOpcode, HsrpState, AuthVerdict } from './hsrp-native';

export function encodeHsrp(message: EncodableMessage, auth?: HsrpAuth): Buffer {
  try {
    return hsrpNative().encode(message, auth);
  } catch (err) {
    throw new IkelbError('IKELB_ERR_ENCODE', `HSRP: ${(err as Error).message}`, { cause: err });
  }
}

/** Decodes one datagram (or `length` octets at `offset`) and checks it against `auth`. */
export function decodeHsrp(datagram: Buffer, auth?: HsrpAuth, offset = 0, length = datagram.length - offset): DecodeResult {
  return hsrpNative().decode(datagram, auth, offset, length);
}

/** The group's virtual MAC: v1 0000.0c07.acXX, v2 0000.0c9f.fXXX (RFC 2281 §5, Cisco v2). */
export function virtualMac(version: 1 | 2, group: number): string {
  return hsrpNative().virtualMac(version, group);
}

/** Multicast group of a version (RFC 2281 §5: 224.0.0.2; v2: 224.0.0.102). */
export function groupAddress(version: 1 | 2): string {
  const c = hsrpNative().constants;
  return version === 1 ? c.groupAddressV1 : c.groupAddressV2;
}

export function hsrpUdpPort(): number {
  return hsrpNative().constants.udpPort;
}
