#include "crypto/status.h"

namespace ikelb::crypto {

namespace {
struct StatusName {
  const char* code;
  const char* message;
};
constexpr StatusName kNames[kStatusCount] = {
    {"IKELB_OK", "ok"},
    {"IKELB_ERR_CRYPTO_ARGUMENT", "invalid argument to a crypto function"},
    {"IKELB_ERR_DH_PEER_PUBLIC", "the peer's Diffie-Hellman public value is invalid"},
    {"IKELB_ERR_SK_MALFORMED", "the Encrypted (SK) payload is malformed"},
    {"IKELB_ERR_SK_ICV", "the Encrypted (SK) payload failed its integrity check"},
    {"IKELB_ERR_SK_IV_EXHAUSTED", "the IKE SA's IV counter is exhausted; rekey the SA"},
    {"IKELB_ERR_AUTH_ALGORITHM", "unsupported or mismatched signature algorithm"},
    {"IKELB_ERR_AUTH_SIGNATURE", "the signature does not verify"},
    {"IKELB_ERR_KEY", "the private key could not be loaded"},
    {"IKELB_ERR_CERT", "the certificate could not be parsed"},
    {"IKELB_ERR_CERT_CHAIN", "the certificate chain does not verify"},
    {"IKELB_ERR_POOL_CLOSED", "the crypto pool was closed"},
    {"IKELB_ERR_CRYPTO", "an OpenSSL operation failed"},
};
}  // namespace

const char* StatusCode(Status status) {
  auto i = static_cast<int32_t>(status);
  return (i >= 0 && i < kStatusCount) ? kNames[i].code : "IKELB_ERR_CRYPTO";
}

const char* StatusMessage(Status status) {
  auto i = static_cast<int32_t>(status);
  return (i >= 0 && i < kStatusCount) ? kNames[i].message : "unknown crypto status";
}

}  // namespace ikelb::crypto
