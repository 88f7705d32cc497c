// Diffie-Hellman for IKEv2: groups 14 (MODP-2048, RFC 3526), 19 and 20
// (ECP-256/384, RFC 5903) and 31 (Curve25519, RFC 8031). Wire formats:
//   MODP: g^x big-endian, left-padded to the modulus length (RFC 7296 §3.4);
//   ECP:  x | y, each padded to the field length, no 0x04 prefix (RFC 5903 §7);
//   X25519: the 32-byte u-coordinate (RFC 8031 §2).
// Shared secrets: MODP padded to the modulus length (RFC 7296 §2.14), ECP the
// x-coordinate (RFC 5903 §7), X25519 the 32-byte output (RFC 7748 §6.1).
//
// A private key crosses the API as an opaque blob (private scalar | own public
// value), so the caller holds it in a Buffer it can wipe and no native handle
// has to outlive a job.
#pragma once
#include "crypto/bytes.h"
#include "crypto/status.h"

namespace ikelb::crypto {

/** IKEv2 Transform Type 4 (Key Exchange Method) IDs used here (IANA). */
enum class DhGroup : uint16_t {
  kModp2048 = 14,
  kEcp256 = 19,
  kEcp384 = 20,
  kCurve25519 = 31,
};

inline constexpr std::size_t kMaxDhPublicLength = 256;
inline constexpr std::size_t kMaxDhSharedLength = 256;
inline constexpr std::size_t kMaxDhPrivateLength = 512;

bool DhGroupSupported(uint16_t id);

/** Which X25519 implementation runs: "ossl_x25519" (OpenSSL's function, found at run time) or "evp". */
const char* DhX25519Backend();
std::size_t DhPublicLength(DhGroup group);
std::size_t DhSharedLength(DhGroup group);
std::size_t DhPrivateLength(DhGroup group);

/**
 * Validates a peer's KE data without using any secret:
 *   MODP: exact length and 1 < y < p-1 (RFC 7296 §5 / RFC 6989 §2.1: for a safe
 *         prime this also excludes the order-2 subgroup);
 *   ECP:  exact length, x < p and y < p, the point is on the curve (a point
 *         given as affine x|y can never be the point at infinity);
 *   X25519: exact length and not one of the known low-order points (the
 *         all-zero shared secret check in DhDerive is the authoritative one).
 */
Status DhValidatePeerPublic(DhGroup group, Bytes peer);

/** New key pair: publicOut gets DhPublicLength, privateOut DhPrivateLength bytes. */
Status DhGenerate(DhGroup group, uint8_t* publicOut, uint8_t* privateOut);

/** Shared secret g^ir from our private blob and the peer's public value (validated first). */
Status DhDerive(DhGroup group, Bytes privateBlob, Bytes peer, uint8_t* sharedOut);

/** Responder shortcut: validate peer, generate a key pair, derive; the private key never leaves. */
Status DhRespond(DhGroup group, Bytes peer, uint8_t* publicOut, uint8_t* sharedOut);

}  // namespace ikelb::crypto
