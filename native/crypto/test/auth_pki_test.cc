// AUTH signatures, key loading and certificate parsing under ASan/UBSan,
// including random method-14 AUTH data and random certificate bytes.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>

#include "crypto/auth.h"
#include "crypto/pki.h"
#include "crypto/test/check.h"

using namespace ikelb::crypto;
using namespace ikelb::crypto::test;

namespace {
PkeyPtr Generate(const char* type, const char* param) {
  if (std::strcmp(type, "RSA") == 0) return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  return PkeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", param));
}
const char kOctets[] = "signed octets";
}  // namespace

TEST(auth_psk_and_signed_octets) {
  std::vector<uint8_t> psk(10, 1), msg(100, 2), nonce(32, 3), skp(32, 4), id(20, 5), out(32);
  CHECK(PskAuth(PrfId::kHmacSha256, psk, msg, nonce, skp, id, out.data()) == Status::kOk);
  CHECK(PskVerify(PrfId::kHmacSha256, psk, msg, nonce, skp, id, out) == Status::kOk);
  out[0] ^= 1;
  CHECK(PskVerify(PrfId::kHmacSha256, psk, msg, nonce, skp, id, out) == Status::kSignatureInvalid);
  CHECK(PskVerify(PrfId::kHmacSha256, psk, msg, nonce, skp, id, Bytes(out.data(), 5)) == Status::kSignatureInvalid);
  std::vector<uint8_t> so;
  CHECK(SignedOctets(PrfId::kHmacSha512, msg, nonce, skp, id, &so) == Status::kOk && so.size() == 100 + 32 + 64);
}

TEST(auth_sign_verify_every_method) {
  struct Case {
    PkeyPtr key;
    std::vector<SignatureChoice> choices;
  };
  std::vector<Case> cases;
  cases.push_back({Generate("RSA", nullptr),
                   {{AuthMethod::kRsaSignature, HashId::kSha1, false},
                    {AuthMethod::kDigitalSignature, HashId::kSha256, false},
                    {AuthMethod::kDigitalSignature, HashId::kSha384, true}}});
  cases.push_back({Generate("EC", "P-256"),
                   {{AuthMethod::kEcdsaSha256P256, HashId::kSha256, false},
                    {AuthMethod::kDigitalSignature, HashId::kSha512, false}}});
  cases.push_back({Generate("EC", "P-384"),
                   {{AuthMethod::kEcdsaSha384P384, HashId::kSha384, false},
                    {AuthMethod::kDigitalSignature, HashId::kSha384, false}}});
  Bytes octets(reinterpret_cast<const uint8_t*>(kOctets), sizeof kOctets);
  Rng rng;
  for (auto& c : cases) {
    CHECK(c.key != nullptr);
    for (const auto& choice : c.choices) {
      std::vector<uint8_t> auth;
      CHECK(SignAuth(c.key.get(), choice, octets, &auth) == Status::kOk);
      CHECK(VerifyAuth(c.key.get(), choice.method, auth, octets) == Status::kOk);
      for (int i = 0; i < 150; ++i) {
        std::vector<uint8_t> m(auth.begin(), auth.begin() + static_cast<std::ptrdiff_t>(rng.Below(static_cast<uint32_t>(auth.size() + 1))));
        if (!m.empty()) m[rng.Below(static_cast<uint32_t>(m.size()))] ^= static_cast<uint8_t>(1 + rng.Below(255));
        Status s = VerifyAuth(c.key.get(), choice.method, m, octets);
        CHECK(s == Status::kSignatureInvalid || s == Status::kSignatureAlgorithm);
      }
    }
  }
}

TEST(pki_garbage_is_a_status) {
  Rng rng;
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> junk(1 + rng.Below(600));
    for (auto& b : junk) b = static_cast<uint8_t>(rng.Next());
    if (i % 2 == 0) junk[0] = 0x30;
    std::vector<X509Ptr> certs;
    std::string detail;
    CHECK(ParseCertificates(junk, &certs, &detail) == Status::kCertificate);
    PkeyPtr key;
    CHECK(LoadPrivateKeyPem(junk, {}, &key, &detail) == Status::kKeyLoad);
  }
}

TEST(pki_self_signed_chain) {
  PkeyPtr key = Generate("EC", "P-256");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("t"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  CHECK(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  std::vector<uint8_t> der;
  CHECK(CertDer(cert.get(), &der) == Status::kOk);
  std::vector<X509Ptr> parsed;
  std::string detail;
  CHECK(ParseCertificates(der, &parsed, &detail) == Status::kOk && parsed.size() == 1);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, cert.get());
  ChainResult result;
  CHECK(VerifyChain(store, parsed[0].get(), {}, 0, &result) == Status::kOk);
  CHECK(VerifyChain(store, parsed[0].get(), {}, 4102444800, &result) == Status::kCertChain);  // 2100: expired
  X509_STORE_free(store);
  std::vector<uint8_t> subject;
  CHECK(CertSubjectDer(cert.get(), &subject) == Status::kOk && CertMatchesSubjectDer(cert.get(), subject));
  CHECK(!CertMatchesDnsName(cert.get(), "t"));
}
