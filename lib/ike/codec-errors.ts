// Decode errors as TypeScript sees them: the native error plus the notify
// data a responder would send with it.
import type { NativeDecodeError } from './codec-native';
import type { DecodeError } from './message';

const noData = Buffer.alloc(0);

export function decodeError(e: NativeDecodeError): DecodeError {
  // RFC 7296 §3.10.1: UNSUPPORTED_CRITICAL_PAYLOAD carries the one-octet type.
  const notifyData = e.code === 'UNSUPPORTED_CRITICAL_PAYLOAD' ? Buffer.of(e.value) : noData;
  return { ...e, notifyData };
}

/** "NONCE_LENGTH at NONCE.data (offset 44): nonce of 0 octets is outside 16..256" */
export function formatDecodeError(e: Pick<DecodeError, 'code' | 'field' | 'offset' | 'detail'>): string {
  return `${e.code} at ${e.field} (offset ${e.offset}): ${e.detail}`;
}
