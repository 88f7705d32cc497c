#include "crypto/pki.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstring>

namespace ikelb::crypto {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string LastOpenSslError() {
  const unsigned long e = ERR_peek_last_error();
  std::string out;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out = buf;
  }
  ERR_clear_error();
  return out;
}

// Never NULL as the callback: OpenSSL's default would prompt on the terminal.
int PassphraseCallback(char* buf, int size, int /*rwflag*/, void* u) {
  const auto* pass = static_cast<const Bytes*>(u);
  if (pass == nullptr || pass->empty() || pass->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buf, pass->data(), pass->size());
  return static_cast<int>(pass->size());
}

}  // namespace

KeyType KeyTypeOf(EVP_PKEY* key, int* bits) {
  if (bits != nullptr) *bits = EVP_PKEY_get_bits(key);
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) return KeyType::kRsa;
  if (id != EVP_PKEY_EC) return KeyType::kUnsupported;
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) {
    ERR_clear_error();
    return KeyType::kUnsupported;
  }
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  if (nid == NID_X9_62_prime256v1) return KeyType::kEcP256;
  if (nid == NID_secp384r1) return KeyType::kEcP384;
  return KeyType::kUnsupported;
}

Status LoadPrivateKeyPem(Bytes pem, Bytes passphrase, PkeyPtr* out, std::string* detail) {
  if (pem.empty() || pem.size() > (1u << 20)) return Status::kInvalidArgument;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Status::kOpenSsl;
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &passphrase);
  if (key == nullptr) {
    *detail = LastOpenSslError();
    if (detail->empty()) *detail = "no private key found in PEM input";
    return Status::kKeyLoad;
  }
  out->reset(key);
  int bits = 0;
  const KeyType type = KeyTypeOf(key, &bits);
  if (type == KeyType::kUnsupported) {
    *detail = "unsupported key type (RSA, EC P-256 and EC P-384 are supported)";
    out->reset();
    return Status::kKeyLoad;
  }
  if (type == KeyType::kRsa && bits < 2048) {
    *detail = "RSA keys shorter than 2048 bits are refused";
    out->reset();
    return Status::kKeyLoad;
  }
  return Status::kOk;
}

Status ParseCertificates(Bytes data, std::vector<X509Ptr>* out, std::string* detail) {
  out->clear();
  if (data.empty() || data.size() > (1u << 20)) return Status::kInvalidArgument;
  if (data[0] == 0x30) {  // DER: a SEQUENCE
    const unsigned char* p = data.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(data.size()));
    if (cert == nullptr || p != data.data() + data.size()) {
      X509_free(cert);
      *detail = cert == nullptr ? LastOpenSslError() : "trailing bytes after the DER certificate";
      ERR_clear_error();
      return Status::kCertificate;
    }
    out->emplace_back(cert);
    return Status::kOk;
  }
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) return Status::kOpenSsl;
  for (;;) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    out->emplace_back(cert);
  }
  const unsigned long e = ERR_peek_last_error();
  // Reaching the end of the input is the normal way out of the loop.
  const bool endOfInput = ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
  if (e != 0 && !endOfInput) {
    *detail = LastOpenSslError();
    out->clear();
    return Status::kCertificate;
  }
  ERR_clear_error();
  if (out->empty()) {
    *detail = "no certificate found";
    return Status::kCertificate;
  }
  return Status::kOk;
}

Status VerifyChain(X509_STORE* store, X509* leaf, const std::vector<X509*>& untrusted, int64_t atTime,
                   ChainResult* result) {
  *result = {};
  if (store == nullptr || leaf == nullptr) return Status::kInvalidArgument;
  STACK_OF(X509)* chain = sk_X509_new_null();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  Status s = Status::kOpenSsl;
  if (chain != nullptr && ctx != nullptr) {
    bool ok = true;
    for (X509* c : untrusted) ok = ok && sk_X509_push(chain, c) > 0;  // borrowed, not owned
    if (ok && X509_STORE_CTX_init(ctx, store, leaf, chain) == 1) {
      if (atTime > 0) X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), static_cast<time_t>(atTime));
      if (X509_verify_cert(ctx) == 1) {
        s = Status::kOk;
      } else {
        result->error = X509_STORE_CTX_get_error(ctx);
        result->depth = X509_STORE_CTX_get_error_depth(ctx);
        s = Status::kCertChain;
      }
    }
  }
  X509_STORE_CTX_free(ctx);
  sk_X509_free(chain);
  ERR_clear_error();
  return s;
}

const char* ChainErrorString(int error) { return X509_verify_cert_error_string(error); }

bool CertMatchesDnsName(X509* cert, std::string_view fqdn) {
  if (fqdn.empty()) return false;
  const unsigned flags = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_WILDCARDS;
  const int rc = X509_check_host(cert, fqdn.data(), fqdn.size(), flags, nullptr);
  ERR_clear_error();
  return rc == 1;
}

bool CertMatchesEmail(X509* cert, std::string_view email) {
  if (email.empty()) return false;
  const int rc = X509_check_email(cert, email.data(), email.size(), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  ERR_clear_error();
  return rc == 1;
}

bool CertMatchesIp(X509* cert, Bytes address) {
  if (address.size() != 4 && address.size() != 16) return false;
  const int rc = X509_check_ip(cert, address.data(), address.size(), 0);
  ERR_clear_error();
  return rc == 1;
}

bool CertMatchesSubjectDer(X509* cert, Bytes derName) {
  const unsigned char* p = derName.data();
  X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(derName.size()));
  bool match = false;
  if (name != nullptr && p == derName.data() + derName.size()) {
    match = X509_NAME_cmp(name, X509_get_subject_name(cert)) == 0;
  }
  X509_NAME_free(name);
  ERR_clear_error();
  return match;
}

Status CertSubjectDer(X509* cert, std::vector<uint8_t>* out) {
  unsigned char* der = nullptr;
  const int len = i2d_X509_NAME(X509_get_subject_name(cert), &der);
  if (len <= 0) return Status::kOpenSsl;
  out->assign(der, der + len);
  OPENSSL_free(der);
  return Status::kOk;
}

Status CertDer(X509* cert, std::vector<uint8_t>* out) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return Status::kOpenSsl;
  out->assign(der, der + len);
  OPENSSL_free(der);
  return Status::kOk;
}

}  // namespace ikelb::crypto
