// Random bytes from OpenSSL's DRBG (RAND_bytes) for nonces, SPIs and IVs.
import { check, cryptoNative } from './native';

/** Our nonce length: RFC 7296 §2.10 asks for 16..256 octets and at least half the PRF key size. */
export const DEFAULT_NONCE_LENGTH = 32;

// Small requests (nonces, SPIs: a few dozen octets per handshake) are served
// from a 4 KiB block filled by one RAND_bytes call: RAND_bytes costs about as
// much for 32 octets as for 4096 (its per-call overhead dominates), and an
// N-API call per SPI is not free either. The bytes are the DRBG's output all
// the same; each is handed out once and zeroed in the block as it goes, so
// the block never holds a value that was already given away.
const BLOCK = 4096;
const SMALL = 256;
const block = Buffer.allocUnsafeSlow(BLOCK);
let used = BLOCK;

function fillSmall(out: Uint8Array, offset: number, length: number): void {
  if (used + length > BLOCK) {
    check(cryptoNative().randomFill(block), 'random');
    used = 0;
  }
  out.set(block.subarray(used, used + length), offset);
  block.fill(0, used, used + length);
  used += length;
}

/** Fills `out` (or a slice of it) with random bytes and returns it. */
export function randomFill<T extends Uint8Array>(out: T): T {
  if (out.length <= SMALL) fillSmall(out, 0, out.length);
  else check(cryptoNative().randomFill(out), 'random');
  return out;
}

export function randomBytes(length: number): Buffer {
  return randomFill(Buffer.allocUnsafe(length));
}

/** A fresh Ni/Nr (RFC 7296 §3.9: 16..256 octets). */
export function newNonce(length: number = DEFAULT_NONCE_LENGTH): Buffer {
  if (!Number.isInteger(length) || length < 16 || length > 256) {
    throw new RangeError(`nonce length ${length} is outside 16..256 (RFC 7296 §3.9)`);
  }
  return randomBytes(length);
}

/** A fresh 8-octet IKE SPI; never all zero, which means "unknown" (RFC 7296 §3.1). */
export function newIkeSpi(): Buffer {
  const spi = Buffer.allocUnsafe(8);
  do randomFill(spi);
  while (spi.readBigUInt64BE(0) === 0n);
  return spi;
}
