// Result codes of the native crypto core. Every fallible function returns one;
// nothing throws and nothing aborts on bad input. Each code maps 1:1 to an
// IKELB_ERR_* code of lib/errors.ts (the name table lives in status.cc and is
// exported to TypeScript once, never copied by hand).
#pragma once
#include <cstdint>

namespace ikelb::crypto {

enum class Status : int32_t {
  kOk = 0,
  kInvalidArgument = 1,      // a caller bug: wrong length, unknown group, bad layout
  kDhPeerPublicInvalid = 2,  // peer KE data failed validation (RFC 7296 §5, RFC 6989, RFC 7748 §6.1)
  kSkMalformed = 3,          // SK payload lengths or padding do not add up
  kSkIcvMismatch = 4,        // integrity check failed (GCM tag or truncated HMAC)
  kSkIvExhausted = 5,        // the per-SA GCM IV counter would repeat: rekey
  kSignatureAlgorithm = 6,   // unsupported or mismatched signature algorithm / AUTH encoding
  kSignatureInvalid = 7,     // the signature does not verify
  kKeyLoad = 8,              // a private key could not be loaded
  kCertificate = 9,          // a certificate could not be parsed
  kCertChain = 10,           // the certificate chain does not verify to a trust anchor
  kPoolClosed = 11,          // the job pool was closed before the job ran
  kOpenSsl = 12,             // OpenSSL failed where it should not (out of memory, ...)
};

inline constexpr int32_t kStatusCount = 13;

/** Stable IKELB_ERR_* name of a status (the JavaScript error code). */
const char* StatusCode(Status status);
/** One-line English description of a status. */
const char* StatusMessage(Status status);

}  // namespace ikelb::crypto
