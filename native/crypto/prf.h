// PRF HMAC-SHA2-256/384/512 (RFC 4868) and prf+ (RFC 7296 §2.13).
// Contexts are cached per thread, so these are cheap enough to run inline on
// the JavaScript thread.
#pragma once
#include <initializer_list>

#include "crypto/bytes.h"
#include "crypto/status.h"

namespace ikelb::crypto {

/** IKEv2 Transform Type 2 (PRF) IDs, IANA "Transform Type 2" (RFC 4868 §6). */
enum class PrfId : uint16_t {
  kHmacSha256 = 5,  // PRF_HMAC_SHA2_256
  kHmacSha384 = 6,  // PRF_HMAC_SHA2_384
  kHmacSha512 = 7,  // PRF_HMAC_SHA2_512
};

/** Digests used by HMAC (PRF, integrity) and signatures; values are RFC 7427 §4 hash IDs. */
enum class HashId : uint16_t {
  kSha1 = 1,
  kSha256 = 2,
  kSha384 = 3,
  kSha512 = 4,
};

inline constexpr std::size_t kMaxPrfLength = 64;

bool PrfSupported(uint16_t id);
/** Output length of the PRF; for HMAC-SHA2 also its preferred key length (RFC 4868 §2.1.2). */
std::size_t PrfLength(PrfId id);
HashId PrfHash(PrfId id);
const char* HashName(HashId id);  // OpenSSL digest name
std::size_t HashLength(HashId id);

/** HMAC(key, data[0] | data[1] | ...) with a cached per-thread context; out gets HashLength bytes. */
Status Hmac(HashId hash, Bytes key, std::initializer_list<Bytes> data, uint8_t* out);

/**
 * Plain digest of data[0] | data[1] | ... (no key); out gets HashLength bytes.
 * Cheap enough for the JavaScript thread (NAT detection, RFC 7296 §2.23: four
 * SHA-1 of about 40 octets per handshake).
 */
Status Digest(HashId hash, std::initializer_list<Bytes> data, uint8_t* out);

/** prf(key, data...) ; out gets PrfLength(id) bytes. */
inline Status Prf(PrfId id, Bytes key, std::initializer_list<Bytes> data, uint8_t* out) {
  return Hmac(PrfHash(id), key, data, out);
}

/**
 * prf+ (K, S) = T1 | T2 | ... with T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n)
 * (RFC 7296 §2.13); S is the concatenation of seed. At most 255 iterations.
 */
Status PrfPlus(PrfId id, Bytes key, std::initializer_list<Bytes> seed, MutableBytes out);

}  // namespace ikelb::crypto
