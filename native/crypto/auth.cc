#include "crypto/auth.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstring>

#include "crypto/ossl.h"

namespace ikelb::crypto {

namespace {

constexpr char kKeyPad[] = "Key Pad for IKEv2";  // RFC 7296 §2.15, 17 octets, no NUL

// --- DER building blocks for the AlgorithmIdentifiers we send (RFC 7427 §3, Appendix A) ---
// OID contents octets (X.690 encoding of the dotted OIDs named next to each).
constexpr uint8_t kOidSha256WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};  // 1.2.840.113549.1.1.11
constexpr uint8_t kOidSha384WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c};  // 1.2.840.113549.1.1.12
constexpr uint8_t kOidSha512WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};  // 1.2.840.113549.1.1.13
constexpr uint8_t kOidRsassaPss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};      // 1.2.840.113549.1.1.10
constexpr uint8_t kOidMgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};           // 1.2.840.113549.1.1.8
constexpr uint8_t kOidEcdsaSha256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};          // 1.2.840.10045.4.3.2
constexpr uint8_t kOidEcdsaSha384[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};          // 1.2.840.10045.4.3.3
constexpr uint8_t kOidEcdsaSha512[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};          // 1.2.840.10045.4.3.4
constexpr uint8_t kOidSha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};         // 2.16.840.1.101.3.4.2.1
constexpr uint8_t kOidSha384[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};         // 2.16.840.1.101.3.4.2.2
constexpr uint8_t kOidSha512[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};         // 2.16.840.1.101.3.4.2.3

using Der = std::vector<uint8_t>;

// Short-form TLV; every structure here is far below 128 octets.
// (Sized up front and filled with memcpy: GCC 12 misreports vector::insert at -O3.)
Der Tlv(uint8_t tag, const Der& content) {
  Der out(2 + content.size());
  out[0] = tag;
  out[1] = static_cast<uint8_t>(content.size());
  if (!content.empty()) std::memcpy(out.data() + 2, content.data(), content.size());
  return out;
}
Der Cat(std::initializer_list<Der> parts) {
  std::size_t total = 0;
  for (const Der& p : parts) total += p.size();
  Der out(total);
  std::size_t at = 0;
  for (const Der& p : parts) {
    if (!p.empty()) std::memcpy(out.data() + at, p.data(), p.size());
    at += p.size();
  }
  return out;
}
template <std::size_t N>
Der Oid(const uint8_t (&oid)[N]) {
  return Tlv(0x06, Der(oid, oid + N));
}
const Der kNull = {0x05, 0x00};

template <std::size_t N>
Der AlgId(const uint8_t (&oid)[N], const Der& params) {
  return Tlv(0x30, Cat({Oid(oid), params}));
}

Der HashAlgId(HashId hash) {
  // With NULL parameters, as RFC 4055 §2.1 allows and strongSwan sends.
  switch (hash) {
    case HashId::kSha384:
      return AlgId(kOidSha384, kNull);
    case HashId::kSha512:
      return AlgId(kOidSha512, kNull);
    default:
      return AlgId(kOidSha256, kNull);
  }
}

// RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 with the same hash, salt = hash length.
Der PssAlgId(HashId hash) {
  Der hashAlg = HashAlgId(hash);
  Der params = Tlv(0x30, Cat({
                             Tlv(0xa0, hashAlg),
                             Tlv(0xa1, AlgId(kOidMgf1, hashAlg)),
                             Tlv(0xa2, Tlv(0x02, Der{static_cast<uint8_t>(HashLength(hash))})),
                         }));
  return AlgId(kOidRsassaPss, params);
}

// --- key inspection ---
enum class KeyKind { kRsa, kP256, kP384, kOther };

KeyKind Kind(EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) return KeyKind::kRsa;
  if (id != EVP_PKEY_EC) return KeyKind::kOther;
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1) {
    ClearOpenSslErrors();
    return KeyKind::kOther;
  }
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  if (nid == NID_X9_62_prime256v1) return KeyKind::kP256;
  if (nid == NID_secp384r1) return KeyKind::kP384;
  return KeyKind::kOther;
}

std::size_t EcScalarLength(KeyKind kind) { return kind == KeyKind::kP256 ? 32 : 48; }

struct Scheme {
  HashId hash;
  bool pss;
  int saltLength;     // PSS
  HashId mgf1Hash;    // PSS
};

// RSASSA-PSS parameters (RFC 7427 §3 via RFC 4055 §3.1) on a sign or verify context; nothing for other schemes.
bool ApplyPss(EVP_PKEY_CTX* pctx, const Scheme& scheme) {
  return !scheme.pss || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, scheme.saltLength) == 1 &&
                         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, HashName(scheme.mgf1Hash), nullptr) == 1);
}

Status DigestSign(EVP_PKEY* key, const Scheme& scheme, Bytes data, Der* sig) {
  MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!md || EVP_DigestSignInit_ex(md.get(), &pctx, HashName(scheme.hash), nullptr, nullptr, key, nullptr) != 1) {
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  if (!ApplyPss(pctx, scheme)) {
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  std::size_t len = 0;
  if (EVP_DigestSign(md.get(), nullptr, &len, data.data(), data.size()) != 1) {
    ClearOpenSslErrors();
    return Status::kOpenSsl;
  }
  sig->resize(len);
  if (EVP_DigestSign(md.get(), sig->data(), &len, data.data(), data.size()) != 1) {
    ClearOpenSslErrors();
    return Status::kOpenSsl;
  }
  sig->resize(len);
  return Status::kOk;
}

Status DigestVerify(EVP_PKEY* key, const Scheme& scheme, Bytes data, Bytes sig) {
  MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!md || EVP_DigestVerifyInit_ex(md.get(), &pctx, HashName(scheme.hash), nullptr, nullptr, key, nullptr) != 1) {
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  if (!ApplyPss(pctx, scheme)) {
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  const int rc = EVP_DigestVerify(md.get(), sig.data(), sig.size(), data.data(), data.size());
  ClearOpenSslErrors();
  return rc == 1 ? Status::kOk : Status::kSignatureInvalid;
}

// ECDSA DER (Ecdsa-Sig-Value) <-> fixed-length r | s (RFC 4754 §7).
Status DerToRaw(Bytes der, std::size_t n, Der* raw) {
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) {
    ClearOpenSslErrors();
    return Status::kOpenSsl;
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  raw->assign(2 * n, 0);
  const bool ok = BN_bn2binpad(r, raw->data(), static_cast<int>(n)) >= 0 &&
                  BN_bn2binpad(s, raw->data() + n, static_cast<int>(n)) >= 0;
  ECDSA_SIG_free(sig);
  return ok ? Status::kOk : Status::kOpenSsl;
}

Status RawToDer(Bytes raw, Der* der) {
  const std::size_t n = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + n, static_cast<int>(n), nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return Status::kOpenSsl;
  }
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (len <= 0) return Status::kOpenSsl;
  der->assign(out, out + len);
  OPENSSL_free(out);
  return Status::kOk;
}

// The scheme method 14 will use for a key and choice, with the AlgorithmIdentifier to send.
Status Method14Scheme(EVP_PKEY* key, const SignatureChoice& choice, Scheme* scheme, Der* algId) {
  if (choice.hash != HashId::kSha256 && choice.hash != HashId::kSha384 && choice.hash != HashId::kSha512) {
    return Status::kSignatureAlgorithm;  // SHA-1 is not offered for RFC 7427 (RFC 8247 §3.2)
  }
  const KeyKind kind = Kind(key);
  *scheme = {choice.hash, false, 0, choice.hash};
  if (kind == KeyKind::kRsa) {
    if (choice.pss) {
      scheme->pss = true;
      scheme->saltLength = static_cast<int>(HashLength(choice.hash));
      *algId = PssAlgId(choice.hash);
    } else {
      *algId = choice.hash == HashId::kSha256   ? AlgId(kOidSha256WithRsa, kNull)
               : choice.hash == HashId::kSha384 ? AlgId(kOidSha384WithRsa, kNull)
                                                : AlgId(kOidSha512WithRsa, kNull);
    }
    return Status::kOk;
  }
  if (kind == KeyKind::kP256 || kind == KeyKind::kP384) {
    if (choice.pss) return Status::kSignatureAlgorithm;
    // ecdsa-with-SHA* carry no parameters (RFC 5758 §3.2).
    *algId = choice.hash == HashId::kSha256   ? Oid(kOidEcdsaSha256)
             : choice.hash == HashId::kSha384 ? Oid(kOidEcdsaSha384)
                                              : Oid(kOidEcdsaSha512);
    *algId = Tlv(0x30, *algId);
    return Status::kOk;
  }
  return Status::kSignatureAlgorithm;
}

bool HashFromOid(const ASN1_OBJECT* obj, HashId* hash) {
  switch (OBJ_obj2nid(obj)) {
    case NID_sha256:
      *hash = HashId::kSha256;
      return true;
    case NID_sha384:
      *hash = HashId::kSha384;
      return true;
    case NID_sha512:
      *hash = HashId::kSha512;
      return true;
    default:
      return false;
  }
}

// Hash AlgorithmIdentifier parameters must be absent or NULL (RFC 4055 §2.1).
bool HashAlgOk(const X509_ALGOR* alg, HashId* hash) {
  const ASN1_OBJECT* obj = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&obj, &ptype, &pval, alg);
  return (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL) && HashFromOid(obj, hash);
}

Status ParsePssParams(const ASN1_STRING* seq, Scheme* scheme) {
  const unsigned char* p = ASN1_STRING_get0_data(seq);
  const long len = ASN1_STRING_length(seq);
  RSA_PSS_PARAMS* params = d2i_RSA_PSS_PARAMS(nullptr, &p, len);
  if (params == nullptr) {
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  Status s = Status::kOk;
  // Absent fields default to SHA-1 / MGF1-SHA-1 / 20 (RFC 4055 §3.1): SHA-1 is refused.
  if (params->hashAlgorithm == nullptr || !HashAlgOk(params->hashAlgorithm, &scheme->hash)) {
    s = Status::kSignatureAlgorithm;
  }
  if (s == Status::kOk) {
    const ASN1_OBJECT* mgfObj = nullptr;
    int mgfType = 0;
    const void* mgfVal = nullptr;
    if (params->maskGenAlgorithm == nullptr) {
      s = Status::kSignatureAlgorithm;
    } else {
      X509_ALGOR_get0(&mgfObj, &mgfType, &mgfVal, params->maskGenAlgorithm);
      if (OBJ_obj2nid(mgfObj) != NID_mgf1 || mgfType != V_ASN1_SEQUENCE) {
        s = Status::kSignatureAlgorithm;
      } else {
        const auto* mgfSeq = static_cast<const ASN1_STRING*>(mgfVal);
        const unsigned char* q = ASN1_STRING_get0_data(mgfSeq);
        X509_ALGOR* mgfHash = d2i_X509_ALGOR(nullptr, &q, ASN1_STRING_length(mgfSeq));
        if (mgfHash == nullptr || !HashAlgOk(mgfHash, &scheme->mgf1Hash)) s = Status::kSignatureAlgorithm;
        X509_ALGOR_free(mgfHash);
      }
    }
  }
  if (s == Status::kOk) {
    long salt = 20;
    if (params->saltLength != nullptr) salt = ASN1_INTEGER_get(params->saltLength);
    if (salt < 0 || salt > 1024) s = Status::kSignatureAlgorithm;
    scheme->saltLength = static_cast<int>(salt);
    if (params->trailerField != nullptr && ASN1_INTEGER_get(params->trailerField) != 1) {
      s = Status::kSignatureAlgorithm;  // trailerFieldBC is the only defined value
    }
  }
  RSA_PSS_PARAMS_free(params);
  ClearOpenSslErrors();
  scheme->pss = true;
  return s;
}

// Parses "ASN.1 Length | AlgorithmIdentifier | Signature" (RFC 7427 §3).
Status ParseMethod14(EVP_PKEY* key, Bytes authData, Scheme* scheme, Bytes* signature, bool* ecdsa) {
  if (authData.empty()) return Status::kSignatureAlgorithm;
  const std::size_t algLen = authData[0];
  if (algLen == 0 || authData.size() < 1 + algLen + 1) return Status::kSignatureAlgorithm;
  const unsigned char* p = authData.data() + 1;
  X509_ALGOR* alg = d2i_X509_ALGOR(nullptr, &p, static_cast<long>(algLen));
  if (alg == nullptr || p != authData.data() + 1 + algLen) {
    X509_ALGOR_free(alg);
    ClearOpenSslErrors();
    return Status::kSignatureAlgorithm;
  }
  const ASN1_OBJECT* obj = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&obj, &ptype, &pval, alg);
  const KeyKind kind = Kind(key);
  const bool noParams = ptype == V_ASN1_UNDEF;
  const bool nullOrNone = noParams || ptype == V_ASN1_NULL;
  Status s = Status::kOk;
  *scheme = {HashId::kSha256, false, 0, HashId::kSha256};
  *ecdsa = false;
  switch (OBJ_obj2nid(obj)) {
    case NID_sha256WithRSAEncryption:
    case NID_sha384WithRSAEncryption:
    case NID_sha512WithRSAEncryption: {
      const int nid = OBJ_obj2nid(obj);
      scheme->hash = nid == NID_sha256WithRSAEncryption   ? HashId::kSha256
                     : nid == NID_sha384WithRSAEncryption ? HashId::kSha384
                                                          : HashId::kSha512;
      if (kind != KeyKind::kRsa || !nullOrNone) s = Status::kSignatureAlgorithm;
      break;
    }
    case NID_rsassaPss:
      if (kind != KeyKind::kRsa || ptype != V_ASN1_SEQUENCE) {
        s = Status::kSignatureAlgorithm;
      } else {
        s = ParsePssParams(static_cast<const ASN1_STRING*>(pval), scheme);
      }
      break;
    case NID_ecdsa_with_SHA256:
    case NID_ecdsa_with_SHA384:
    case NID_ecdsa_with_SHA512: {
      const int nid = OBJ_obj2nid(obj);
      scheme->hash = nid == NID_ecdsa_with_SHA256   ? HashId::kSha256
                     : nid == NID_ecdsa_with_SHA384 ? HashId::kSha384
                                                    : HashId::kSha512;
      *ecdsa = true;
      if ((kind != KeyKind::kP256 && kind != KeyKind::kP384) || !noParams) s = Status::kSignatureAlgorithm;
      break;
    }
    default:
      s = Status::kSignatureAlgorithm;  // SHA-1, DSA, EdDSA, unknown OIDs
  }
  X509_ALGOR_free(alg);
  *signature = authData.subspan(1 + algLen);
  return s;
}

}  // namespace

Status SignedOctets(PrfId prf, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
                    std::vector<uint8_t>* out) {
  if (!PrfSupported(static_cast<uint16_t>(prf)) || realMessage.empty() || peerNonce.empty() || skP.empty()) {
    return Status::kInvalidArgument;
  }
  const std::size_t n = PrfLength(prf);
  out->resize(realMessage.size() + peerNonce.size() + n);
  std::memcpy(out->data(), realMessage.data(), realMessage.size());
  std::memcpy(out->data() + realMessage.size(), peerNonce.data(), peerNonce.size());
  return Prf(prf, skP, {idPayloadBody}, out->data() + realMessage.size() + peerNonce.size());
}

Status PskAuth(PrfId prf, Bytes psk, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
               uint8_t* out) {
  if (!PrfSupported(static_cast<uint16_t>(prf)) || psk.empty() || realMessage.empty() || peerNonce.empty() ||
      skP.empty()) {
    return Status::kInvalidArgument;
  }
  StackSecret<kMaxPrfLength> padded;
  StackSecret<kMaxPrfLength> macedId;
  Status s = Prf(prf, psk, {AsBytes(kKeyPad, sizeof kKeyPad - 1)}, padded.data);
  if (s == Status::kOk) s = Prf(prf, skP, {idPayloadBody}, macedId.data);
  if (s != Status::kOk) return s;
  const std::size_t n = PrfLength(prf);
  return Prf(prf, Bytes(padded.data, n), {realMessage, peerNonce, Bytes(macedId.data, n)}, out);
}

Status PskVerify(PrfId prf, Bytes psk, Bytes realMessage, Bytes peerNonce, Bytes skP, Bytes idPayloadBody,
                 Bytes received) {
  StackSecret<kMaxPrfLength> expected;
  Status s = PskAuth(prf, psk, realMessage, peerNonce, skP, idPayloadBody, expected.data);
  if (s != Status::kOk) return s;
  const std::size_t n = PrfLength(prf);
  if (received.size() != n || CRYPTO_memcmp(expected.data, received.data(), n) != 0) {
    return Status::kSignatureInvalid;
  }
  return Status::kOk;
}

Status SignatureAlgorithmIdentifier(EVP_PKEY* key, const SignatureChoice& choice, std::vector<uint8_t>* der) {
  Scheme scheme;
  return Method14Scheme(key, choice, &scheme, der);
}

Status SignAuth(EVP_PKEY* key, const SignatureChoice& choice, Bytes signedOctets, std::vector<uint8_t>* authData) {
  if (key == nullptr || signedOctets.empty()) return Status::kInvalidArgument;
  const KeyKind kind = Kind(key);
  Der sig;
  switch (choice.method) {
    case AuthMethod::kRsaSignature: {
      // RFC 7296 §3.8: RSASSA-PKCS1-v1_5; the hash is SHA-1 by long-standing convention.
      if (kind != KeyKind::kRsa) return Status::kSignatureAlgorithm;
      Status s = DigestSign(key, {HashId::kSha1, false, 0, HashId::kSha1}, signedOctets, authData);
      return s;
    }
    case AuthMethod::kEcdsaSha256P256:
    case AuthMethod::kEcdsaSha384P384: {
      const bool p256 = choice.method == AuthMethod::kEcdsaSha256P256;
      if (kind != (p256 ? KeyKind::kP256 : KeyKind::kP384)) return Status::kSignatureAlgorithm;
      const HashId hash = p256 ? HashId::kSha256 : HashId::kSha384;
      Status s = DigestSign(key, {hash, false, 0, hash}, signedOctets, &sig);
      if (s != Status::kOk) return s;
      return DerToRaw(sig, EcScalarLength(kind), authData);
    }
    case AuthMethod::kDigitalSignature: {
      Scheme scheme;
      Der algId;
      Status s = Method14Scheme(key, choice, &scheme, &algId);
      if (s != Status::kOk) return s;
      s = DigestSign(key, scheme, signedOctets, &sig);
      if (s != Status::kOk) return s;
      authData->clear();
      authData->push_back(static_cast<uint8_t>(algId.size()));
      authData->insert(authData->end(), algId.begin(), algId.end());
      authData->insert(authData->end(), sig.begin(), sig.end());
      return Status::kOk;
    }
    default:
      return Status::kSignatureAlgorithm;
  }
}

Status VerifyAuth(EVP_PKEY* key, AuthMethod method, Bytes authData, Bytes signedOctets) {
  if (key == nullptr) return Status::kInvalidArgument;
  const KeyKind kind = Kind(key);
  switch (method) {
    case AuthMethod::kRsaSignature:
      if (kind != KeyKind::kRsa) return Status::kSignatureAlgorithm;
      return DigestVerify(key, {HashId::kSha1, false, 0, HashId::kSha1}, signedOctets, authData);
    case AuthMethod::kEcdsaSha256P256:
    case AuthMethod::kEcdsaSha384P384: {
      const bool p256 = method == AuthMethod::kEcdsaSha256P256;
      if (kind != (p256 ? KeyKind::kP256 : KeyKind::kP384)) return Status::kSignatureAlgorithm;
      if (authData.size() != 2 * EcScalarLength(kind)) return Status::kSignatureInvalid;
      Der der;
      if (RawToDer(authData, &der) != Status::kOk) return Status::kSignatureInvalid;
      const HashId hash = p256 ? HashId::kSha256 : HashId::kSha384;
      return DigestVerify(key, {hash, false, 0, hash}, signedOctets, der);
    }
    case AuthMethod::kDigitalSignature: {
      Scheme scheme;
      Bytes signature;
      bool ecdsa = false;
      Status s = ParseMethod14(key, authData, &scheme, &signature, &ecdsa);
      if (s != Status::kOk) return s;
      return DigestVerify(key, scheme, signedOctets, signature);
    }
    default:
      return Status::kSignatureAlgorithm;
  }
}

}  // namespace ikelb::crypto
