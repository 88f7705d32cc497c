// Keys and certificates for signature authentication: private keys from PEM
// (RSA and EC, PKCS#8 or traditional, optionally encrypted), X.509
// certificates from DER or PEM, chain verification against trust anchors with
// OpenSSL's X509_STORE (signatures, validity dates, CA basic constraints, path
// length), and the identity checks that bind an IKE ID to a certificate.
#pragma once
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/ossl.h"
#include "crypto/status.h"

namespace ikelb::crypto {

enum class KeyType { kUnsupported, kRsa, kEcP256, kEcP384 };

/** Loads a private key; detail gets OpenSSL's reason on failure (never key bytes). */
Status LoadPrivateKeyPem(Bytes pem, Bytes passphrase, PkeyPtr* out, std::string* detail);

/** Key type and size in bits of a key (private or public). */
KeyType KeyTypeOf(EVP_PKEY* key, int* bits);

/** Parses one DER certificate (all bytes must be consumed) or every certificate of a PEM text. */
Status ParseCertificates(Bytes data, std::vector<X509Ptr>* out, std::string* detail);

struct ChainResult {
  int error = 0;   // X509_V_* code, 0 when valid
  int depth = 0;   // depth of the certificate at fault
};

/**
 * Verifies leaf up to one of the store's anchors, using `untrusted` as
 * intermediates. atTime is seconds since the epoch (0: now). Returns kOk or
 * kCertChain with result filled in.
 */
Status VerifyChain(X509_STORE* store, X509* leaf, const std::vector<X509*>& untrusted, int64_t atTime,
                   ChainResult* result);

/** OpenSSL's text for an X509_V_* code. */
const char* ChainErrorString(int error);

// Identity binding (RFC 7296 §3.5 ID types; RFC 4945 §3.1 matching rules).
// Names are matched against subjectAltName entries only, exactly (no wildcards,
// no fallback to the subject CN), case-insensitively for DNS names.
bool CertMatchesDnsName(X509* cert, std::string_view fqdn);
bool CertMatchesEmail(X509* cert, std::string_view email);
bool CertMatchesIp(X509* cert, Bytes address);  // 4 or 16 octets
/** ID_DER_ASN1_DN: the ID's DER-encoded Name equals the certificate's subject (X509_NAME_cmp). */
bool CertMatchesSubjectDer(X509* cert, Bytes derName);
/** DER encoding of the certificate's subject (to send as an ID_DER_ASN1_DN). */
Status CertSubjectDer(X509* cert, std::vector<uint8_t>* out);
/** DER encoding of the certificate (CERT payload, encoding 4). */
Status CertDer(X509* cert, std::vector<uint8_t>* out);

}  // namespace ikelb::crypto
