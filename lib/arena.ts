// Where the bytes an SA keeps for its whole life are allocated: key material,
// CHILD SA KEYMAT, packed selectors, the peer's identity, the cached response.
//
// Why not Node's buffer pool (Buffer.allocUnsafe): its 8 KiB slabs are shared
// with every short-lived Buffer of a handshake (decoded payloads, nonces,
// messages), and a slab lives as long as any slice of it does, so each SA's
// few hundred live octets pinned about 860 octets of slab at 100,000 SAs.
// Why not one Buffer.alloc each: every ArrayBuffer costs a V8 object plus a
// C++ BackingStore and extension record (~250 octets of RSS) besides its data.
// Here long-lived bytes only share slabs with other long-lived bytes, so a
// slab is nearly all live data and is freed when its last SA goes.
//
// Slices are zero-filled on allocation. Secrets in a slice are wiped by their
// owner (IkeSaKeys.wipe, IkeSa.wipe) like any other Buffer.

/** Big enough to amortise the ArrayBuffer; small enough that a slab pinned by one survivor costs little. */
const slabSize = 16 * 1024;
/** Larger requests get an ArrayBuffer of their own. */
const maxSlice = 2048;

let slab: Buffer = Buffer.allocUnsafeSlow(slabSize);
let used = 0;

/** `length` zeroed octets that share a long-lived slab (16-octet aligned, like malloc). */
export function allocRetained(length: number): Buffer {
  if (length > maxSlice) return Buffer.alloc(length);
  if (used + length > slabSize) {
    slab = Buffer.allocUnsafeSlow(slabSize);
    used = 0;
  }
  const out = slab.subarray(used, used + length);
  used += (length + 15) & ~15;
  return out.fill(0);
}

/** A copy of `bytes` in a long-lived slab. */
export function retainCopy(bytes: Uint8Array): Buffer {
  const out = allocRetained(bytes.length);
  out.set(bytes);
  return out;
}
