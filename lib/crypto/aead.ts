// AES-GCM (128/256) seal/open outside IKE framing, e.g. for opaque reconnect
// tickets. 12-octet nonce, 16-octet tag appended. Never reuse a nonce with a key.
import { check, cryptoNative } from './native';

export const GCM_TAG_LENGTH = 16;
export const GCM_NONCE_LENGTH = 12;

/** ciphertext | tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  const out = Buffer.alloc(plaintext.length + GCM_TAG_LENGTH);
  check(cryptoNative().aesGcmSeal(key, nonce, aad, plaintext, out), 'AES-GCM seal');
  return out;
}

/** The plaintext; IKELB_ERR_SK_ICV when the tag does not verify. */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer {
  const out = Buffer.alloc(Math.max(0, sealed.length - GCM_TAG_LENGTH));
  check(cryptoNative().aesGcmOpen(key, nonce, aad, sealed, out), 'AES-GCM open');
  return out;
}
