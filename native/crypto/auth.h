// AUTH payload data (RFC 7296 §2.15, §3.8): pre-shared keys, RFC 7427 digital
// signatures (auth method 14) and the classic methods 1 (RSA, SHA-1) and 9/10
// (ECDSA P-256/SHA-256 and P-384/SHA-384, RFC 4754).
#pragma once
#include <openssl/evp.h>

#include <vector>

#include "crypto/prf.h"

namespace ikelb::crypto {

/** IKEv2 Authentication Method (IANA; RFC 7296 §3.8, RFC 4754, RFC 7427). */
enum class AuthMethod : uint8_t {
  kRsaSignature = 1,
  kSharedKeyMic = 2,
  kEcdsaSha256P256 = 9,
  kEcdsaSha384P384 = 10,
  kDigitalSignature = 14,
};

/**
 * SignedOctets = RealMessage | NonceData | prf(SK_p, RestOfIDPayload) (RFC 7296 §2.15).
 * idPayloadBody is the ID payload without its 4-byte generic header.
 */
Status SignedOctets(PrfId prf, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
                    std::vector<uint8_t>* out);

/** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets); out gets PrfLength bytes. */
Status PskAuth(PrfId prf, Bytes psk, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
               uint8_t* out);

/** Constant-time check of a received PSK AUTH; kSignatureInvalid if it differs. */
Status PskVerify(PrfId prf, Bytes psk, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
                 Bytes received);

struct SignatureChoice {
  AuthMethod method;
  HashId hash;  // method 14 only; methods 1, 9, 10 fix their own hash
  bool pss;     // method 14 with an RSA key: RSASSA-PSS instead of PKCS#1 v1.5
};

/** Signs SignedOctets; authData gets the AUTH payload's Authentication Data. */
Status SignAuth(EVP_PKEY* key, const SignatureChoice& choice, Bytes signedOctets, std::vector<uint8_t>* authData);

/** Verifies received Authentication Data with the peer's public key. */
Status VerifyAuth(EVP_PKEY* key, AuthMethod method, Bytes authData, Bytes signedOctets);

/** The RFC 7427 AlgorithmIdentifier DER this implementation sends for a choice (for tests and docs). */
Status SignatureAlgorithmIdentifier(EVP_PKEY* key, const SignatureChoice& choice, std::vector<uint8_t>* der);

}  // namespace ikelb::crypto
