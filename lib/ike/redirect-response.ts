// The stateless answer of a redirecting CLB primary to an IKE_SA_INIT
// request (RFC 5685): HDR(SPIi, SPIr = 0, IKE_SA_INIT, R) N(REDIRECT(gateway,
// Ni)), built by the same zero-allocation C++ as the data-plane fast path
// (native/ike/redirect.h). Whether to redirect (the client announced
// REDIRECT_SUPPORTED or REDIRECTED_FROM) is the caller's policy.
import { decodeError } from './codec-errors';
import { encodeError, isEncodeFailure } from './codec';
import { codecNative } from './codec-native';
import type { DecodeError } from './message';
import { gatewayIdentity, type GatewayIdentity } from './notify-data';

export type RedirectResponseResult =
  | { readonly ok: true; readonly response: Buffer }
  | { readonly ok: false; readonly error: DecodeError }
  | { readonly ok: false; readonly notInitRequest: true };

/**
 * The redirect response to `request`; a malformed request gives its decode
 * error, anything but an IKE_SA_INIT request gives notInitRequest. Throws
 * IkelbError IKELB_ERR_ENCODE for a gateway REDIRECT cannot carry.
 */
export function redirectResponse(request: Uint8Array, gateway: GatewayIdentity): RedirectResponseResult {
  const r = codecNative().redirectResponse(request, gatewayIdentity(gateway));
  if (Buffer.isBuffer(r)) return { ok: true, response: r };
  if (isEncodeFailure(r)) {
    if (r.encodeError === 'INPUT' && r.detail === 'not an IKE_SA_INIT request') return { ok: false, notInitRequest: true };
    throw encodeError(r);
  }
  return { ok: false, error: decodeError(r) };
}
