// The Encrypted (SK) payload (RFC 7296 §3.14) over a whole IKE message buffer.
//
//   IKE header | ... | SK generic header (4) | IV | inner payloads | padding | pad length (1) | ICV
//   ^0                ^skOffset
//
// AES-GCM-16 (RFC 5282): 8-byte explicit IV, nonce = 4-byte salt | IV, AAD =
// the IKE header through the SK generic header, 16-byte ICV, no padding needed.
// AES-CBC (RFC 3602) with HMAC-SHA2-256-128/384-192/512-256 (RFC 4868): random
// 16-byte IV, padding to the block size, ICV = the truncated HMAC over the
// whole message up to the ICV.
//
// The keys of one direction of an IKE SA live in an "SK context": a small
// byte buffer (kSkContextLength) the caller owns (a Node Buffer it can wipe).
// For GCM it carries the IV counter: each protect uses the next 64-bit value
// as the explicit IV and stores the increment before encrypting, so an IV is
// never used twice under one key as long as the context is not copied. At
// 2^64 - 1 protect refuses (kSkIvExhausted): the SA must be rekeyed.
#pragma once
#include "crypto/bytes.h"
#include "crypto/status.h"

namespace ikelb::crypto {

// IANA Transform Type 1 (encryption) and Type 3 (integrity) IDs used here.
inline constexpr uint16_t kEncrAesCbc = 12;     // RFC 3602
inline constexpr uint16_t kEncrAesGcm16 = 20;   // RFC 5282 (16-octet ICV)
inline constexpr uint16_t kIntegNone = 0;
inline constexpr uint16_t kIntegHmacSha256_128 = 12;  // RFC 4868
inline constexpr uint16_t kIntegHmacSha384_192 = 13;  // RFC 4868
inline constexpr uint16_t kIntegHmacSha512_256 = 14;  // RFC 4868

inline constexpr std::size_t kIkeHeaderLength = 28;
inline constexpr std::size_t kGenericPayloadHeaderLength = 4;

// SK context layout (offsets exported to TypeScript, never copied by hand).
inline constexpr std::size_t kSkCtxMagic = 0;       // 4 bytes "IKSK"
inline constexpr std::size_t kSkCtxSuite = 4;       // 1 byte, internal suite id
inline constexpr std::size_t kSkCtxNextIv = 8;      // 8 bytes big-endian GCM IV counter
inline constexpr std::size_t kSkCtxEncKey = 16;     // up to 32 bytes
inline constexpr std::size_t kSkCtxSalt = 48;       // 4 bytes (GCM)
inline constexpr std::size_t kSkCtxIntegKey = 52;   // up to 64 bytes
inline constexpr std::size_t kSkContextLength = 120;

struct SkKeyLengths {
  std::size_t encr;   // encryption key material (GCM: key + 4-byte salt, RFC 5282 §7)
  std::size_t integ;  // integrity key (0 for GCM)
};

/** Key material lengths of an encr/integ transform pair; kInvalidArgument if unsupported. */
Status SkKeyMaterialLengths(uint16_t encrId, uint16_t keyBits, uint16_t integId, SkKeyLengths* out);

/** Fills an SK context from key material (SK_e with salt, SK_a) of one direction. */
Status SkContextInit(MutableBytes ctx, uint16_t encrId, uint16_t keyBits, uint16_t integId, Bytes encKey,
                     Bytes integKey);

struct SkSizes {
  std::size_t iv;
  std::size_t padding;
  std::size_t icv;
  std::size_t payload;  // whole SK payload, generic header included
};

/** Layout of an SK payload carrying plaintextLength bytes of inner payloads. */
Status SkSealedSizes(Bytes ctx, std::size_t plaintextLength, SkSizes* out);

/**
 * Encrypts in place. The message must be exactly skOffset + SkSealedSizes().payload
 * bytes with the IKE header length and the SK payload length already set and the
 * inner payloads at skOffset + 4 + iv. Writes IV, padding, pad length and ICV.
 * Advances the GCM IV counter in ctx.
 */
Status SkProtect(MutableBytes ctx, MutableBytes message, std::size_t skOffset, std::size_t plaintextLength);

/**
 * Verifies the ICV (constant time) and decrypts in place. On success the inner
 * payloads are message[*plaintextOffset, *plaintextOffset + *plaintextLength).
 * On an ICV failure the ciphertext area is wiped: unauthenticated plaintext is
 * never left behind.
 */
Status SkUnprotect(Bytes ctx, MutableBytes message, std::size_t skOffset, std::size_t* plaintextOffset,
                   std::size_t* plaintextLength);

}  // namespace ikelb::crypto
