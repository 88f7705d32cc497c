// AES-GCM seal/open over caller buffers, outside of IKE framing: for the
// cluster's reconnect tickets and for known-answer tests of the cipher
// against the NIST GCM vectors (the SK payload's AAD is never empty).
#pragma once
#include "crypto/bytes.h"
#include "crypto/status.h"

namespace ikelb::crypto {

inline constexpr std::size_t kGcmTagLength = 16;

/** out = ciphertext | 16-byte tag; out.size() == plaintext.size() + 16. key 16 or 32 bytes, nonce 12. */
Status AesGcmSeal(Bytes key, Bytes nonce, Bytes aad, Bytes plaintext, MutableBytes out);

/** out = plaintext; input = ciphertext | tag. kSkIcvMismatch when the tag does not verify (out wiped). */
Status AesGcmOpen(Bytes key, Bytes nonce, Bytes aad, Bytes input, MutableBytes out);

}  // namespace ikelb::crypto
