// N-API glue of the crypto core (exports.crypto). Glue only: argument
// unpacking, handles for OpenSSL objects, and the job pool's delivery to
// JavaScript. Functions return a numeric status (native/crypto/status.h)
// instead of throwing: lib/crypto/ turns it into an IkelbError with the code
// from `statusCodes`, which this file exports once. Wrong argument *types* are
// programming errors and throw a TypeError.
#include <napi.h>

#include <time.h>

#include <cstring>
#include <mutex>
#include <set>

#include "crypto/aead.h"
#include "crypto/auth.h"
#include "crypto/dh.h"
#include "crypto/jobs.h"
#include "crypto/keys.h"
#include "crypto/pki.h"
#include "crypto/pool.h"
#include "crypto/prf.h"
#include "crypto/random.h"
#include "crypto/sk.h"
#include "napi/modules.h"

namespace ikelb::napi {

namespace {

using crypto::Bytes;
using crypto::MutableBytes;
using crypto::Status;

// ---------------------------------------------------------------- arguments

Napi::Value ThrowType(Napi::Env env, const char* message) {
  Napi::Error err = Napi::TypeError::New(env, message);
  err.Set("code", Napi::String::New(env, "IKELB_ERR_CRYPTO_ARGUMENT"));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool IsBytes(const Napi::Value& v) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

// A Uint8Array/Buffer argument; null/undefined give an empty span when optional.
bool ArgBytes(const Napi::CallbackInfo& info, std::size_t i, MutableBytes* out, bool optional = false) {
  Napi::Value v = info[i];
  if (optional && (v.IsNull() || v.IsUndefined())) {
    *out = {};
    return true;
  }
  if (!IsBytes(v)) return false;
  auto a = v.As<Napi::Uint8Array>();
  *out = {a.Data(), a.ByteLength()};
  return true;
}

bool ArgU32(const Napi::CallbackInfo& info, std::size_t i, uint32_t* out) {
  if (!info[i].IsNumber()) return false;
  *out = info[i].As<Napi::Number>().Uint32Value();
  return true;
}

Napi::Value StatusValue(Napi::Env env, Status s) { return Napi::Number::New(env, static_cast<int32_t>(s)); }

#define REQUIRE(cond, message)                   \
  do {                                           \
    if (!(cond)) return ThrowType(env, message); \
  } while (0)

// ----------------------------------------------------- handles (externals)

template <class T, void (*Free)(T*)>
Napi::External<T> Wrap(Napi::Env env, T* p) {
  return Napi::External<T>::New(env, p, [](Napi::Env, T* q) { Free(q); });
}

// Externals carry a type tag so a certificate can never be passed as a key.
const napi_type_tag kKeyTag = {0x696b656c62000001ULL, 0x6b6579ULL};
const napi_type_tag kCertTag = {0x696b656c62000002ULL, 0x63657274ULL};
const napi_type_tag kStoreTag = {0x696b656c62000003ULL, 0x73746f7265ULL};
const napi_type_tag kPoolTag = {0x696b656c62000004ULL, 0x706f6f6cULL};

template <class T>
T* Unwrap(const Napi::Value& v, const napi_type_tag& tag) {
  if (!v.IsExternal()) return nullptr;
  bool ok = false;
  if (napi_check_object_type_tag(v.Env(), v, &tag, &ok) != napi_ok || !ok) return nullptr;
  return v.As<Napi::External<T>>().Data();
}

template <class T>
Napi::Value Tagged(Napi::External<T> ext, const napi_type_tag& tag) {
  napi_type_tag_object(ext.Env(), ext, &tag);
  return ext;
}

void FreePkey(EVP_PKEY* p) { EVP_PKEY_free(p); }
void FreeX509(X509* p) { X509_free(p); }
void FreeStore(X509_STORE* p) { X509_STORE_free(p); }

// -------------------------------------------------------------- constants

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  Napi::Array codes = Napi::Array::New(env, crypto::kStatusCount);
  for (int32_t i = 0; i < crypto::kStatusCount; ++i) {
    codes.Set(static_cast<uint32_t>(i), Napi::String::New(env, crypto::StatusCode(static_cast<Status>(i))));
  }
  c.Set("statusCodes", codes);
  Napi::Array messages = Napi::Array::New(env, crypto::kStatusCount);
  for (int32_t i = 0; i < crypto::kStatusCount; ++i) {
    messages.Set(static_cast<uint32_t>(i), Napi::String::New(env, crypto::StatusMessage(static_cast<Status>(i))));
  }
  c.Set("statusMessages", messages);
  c.Set("skContextLength", Napi::Number::New(env, crypto::kSkContextLength));
  c.Set("skContextNextIvOffset", Napi::Number::New(env, crypto::kSkCtxNextIv));
  c.Set("spiLength", Napi::Number::New(env, crypto::kSpiLength));
  c.Set("maxDhPrivateLength", Napi::Number::New(env, crypto::kMaxDhPrivateLength));
  c.Set("x25519Backend", Napi::String::New(env, crypto::DhX25519Backend()));
  return c;
}

// --------------------------------------------------------------- random

Napi::Value RandomFill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes out;
  REQUIRE(ArgBytes(info, 0, &out), "randomFill(out)");
  return StatusValue(env, crypto::RandomFill(out));
}

// ------------------------------------------------------------ PRF, keys

Napi::Value Hmac(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t hash = 0;
  MutableBytes key, data, out;
  REQUIRE(ArgU32(info, 0, &hash) && ArgBytes(info, 1, &key) && ArgBytes(info, 2, &data) && ArgBytes(info, 3, &out),
          "hmac(hashId, key, data, out)");
  if (hash < 1 || hash > 4 || out.size() != crypto::HashLength(static_cast<crypto::HashId>(hash))) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  return StatusValue(env, crypto::Hmac(static_cast<crypto::HashId>(hash), key, {Bytes(data)}, out.data()));
}

Napi::Value Digest(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t hash = 0;
  MutableBytes data, out;
  REQUIRE(ArgU32(info, 0, &hash) && ArgBytes(info, 1, &data) && ArgBytes(info, 2, &out), "digest(hashId, data, out)");
  if (hash < 1 || hash > 4 || out.size() != crypto::HashLength(static_cast<crypto::HashId>(hash))) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  return StatusValue(env, crypto::Digest(static_cast<crypto::HashId>(hash), {Bytes(data)}, out.data()));
}

Napi::Value PrfPlus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes key, seed, out;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &key) && ArgBytes(info, 2, &seed) && ArgBytes(info, 3, &out),
          "prfPlus(prfId, key, seed, out)");
  if (!crypto::PrfSupported(static_cast<uint16_t>(prf))) return StatusValue(env, Status::kInvalidArgument);
  return StatusValue(env, crypto::PrfPlus(static_cast<crypto::PrfId>(prf), key, {Bytes(seed)}, out));
}

Napi::Value DeriveIkeSaKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes ni, nr, gir, spii, spir, oldSkD, out;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &ni) && ArgBytes(info, 2, &nr) && ArgBytes(info, 3, &gir, true) &&
              ArgBytes(info, 4, &spii) && ArgBytes(info, 5, &spir) && ArgBytes(info, 6, &oldSkD, true) &&
              info[7].IsBoolean() && ArgBytes(info, 8, &out),
          "deriveIkeSaKeys(prfId, ni, nr, gir|null, spii, spir, oldSkD|null, resumption, out)");
  return StatusValue(env, crypto::DeriveIkeSaKeys(static_cast<crypto::PrfId>(prf), ni, nr, gir, spii, spir, oldSkD,
                                                  info[7].As<Napi::Boolean>().Value(), out));
}

// deriveIkeSaKeyMaterial(prfId, encrId, keyBits, integId, ni, nr, gir|null, spii, spir, oldSkD|null, resumption, out)
Napi::Value DeriveIkeSaKeyMaterial(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0, encr = 0, bits = 0, integ = 0;
  MutableBytes ni, nr, gir, spii, spir, oldSkD, out;
  REQUIRE(ArgU32(info, 0, &prf) && ArgU32(info, 1, &encr) && ArgU32(info, 2, &bits) && ArgU32(info, 3, &integ) &&
              ArgBytes(info, 4, &ni) && ArgBytes(info, 5, &nr) && ArgBytes(info, 6, &gir, true) &&
              ArgBytes(info, 7, &spii) && ArgBytes(info, 8, &spir) && ArgBytes(info, 9, &oldSkD, true) &&
              info[10].IsBoolean() && ArgBytes(info, 11, &out),
          "deriveIkeSaKeyMaterial(prfId, encrId, keyBits, integId, ni, nr, gir|null, spii, spir, oldSkD|null, "
          "resumption, out)");
  if (encr > 0xFFFF || bits > 0xFFFF || integ > 0xFFFF) return StatusValue(env, Status::kInvalidArgument);
  return StatusValue(env, crypto::DeriveIkeSaKeyMaterial(static_cast<crypto::PrfId>(prf), static_cast<uint16_t>(encr),
                                                         static_cast<uint16_t>(bits), static_cast<uint16_t>(integ), ni,
                                                         nr, gir, spii, spir, oldSkD, info[10].As<Napi::Boolean>().Value(),
                                                         out));
}

Napi::Value DeriveChildKeymat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes skD, gir, ni, nr, out;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &skD) && ArgBytes(info, 2, &gir, true) &&
              ArgBytes(info, 3, &ni) && ArgBytes(info, 4, &nr) && ArgBytes(info, 5, &out),
          "deriveChildKeymat(prfId, skD, gir|null, ni, nr, out)");
  return StatusValue(env, crypto::DeriveChildKeymat(static_cast<crypto::PrfId>(prf), skD, gir, ni, nr, out));
}

// ------------------------------------------------------------- raw AES-GCM

Napi::Value AesGcm(const Napi::CallbackInfo& info, bool seal) {
  Napi::Env env = info.Env();
  MutableBytes key, nonce, aad, in, out;
  REQUIRE(ArgBytes(info, 0, &key) && ArgBytes(info, 1, &nonce) && ArgBytes(info, 2, &aad) && ArgBytes(info, 3, &in) &&
              ArgBytes(info, 4, &out),
          "aesGcmSeal/aesGcmOpen(key, nonce, aad, input, out)");
  return StatusValue(env, seal ? crypto::AesGcmSeal(key, nonce, aad, in, out) : crypto::AesGcmOpen(key, nonce, aad, in, out));
}
Napi::Value AesGcmSeal(const Napi::CallbackInfo& info) { return AesGcm(info, true); }
Napi::Value AesGcmOpen(const Napi::CallbackInfo& info) { return AesGcm(info, false); }

// --------------------------------------------------------------- SK payload

Napi::Value SkKeyLengths(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t encr = 0, bits = 0, integ = 0;
  REQUIRE(ArgU32(info, 0, &encr) && ArgU32(info, 1, &bits) && ArgU32(info, 2, &integ),
          "skKeyLengths(encrId, keyBits, integId)");
  crypto::SkKeyLengths lengths;
  if (crypto::SkKeyMaterialLengths(static_cast<uint16_t>(encr), static_cast<uint16_t>(bits),
                                   static_cast<uint16_t>(integ), &lengths) != Status::kOk) {
    return env.Null();
  }
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, static_cast<double>(lengths.encr)));
  a.Set(1u, Napi::Number::New(env, static_cast<double>(lengths.integ)));
  return a;
}

Napi::Value SkContextInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes ctx, enc, integ;
  uint32_t encr = 0, bits = 0, integId = 0;
  REQUIRE(ArgBytes(info, 0, &ctx) && ArgU32(info, 1, &encr) && ArgU32(info, 2, &bits) && ArgU32(info, 3, &integId) &&
              ArgBytes(info, 4, &enc) && ArgBytes(info, 5, &integ, true),
          "skContextInit(ctx, encrId, keyBits, integId, encKey, integKey|null)");
  return StatusValue(env, crypto::SkContextInit(ctx, static_cast<uint16_t>(encr), static_cast<uint16_t>(bits),
                                                static_cast<uint16_t>(integId), enc, integ));
}

// Writes [iv, padding, icv, payload] into out (Int32Array of 4); returns status.
Napi::Value SkSizes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes ctx;
  uint32_t length = 0;
  REQUIRE(ArgBytes(info, 0, &ctx) && ArgU32(info, 1, &length) && info[2].IsTypedArray(),
          "skSizes(ctx, plaintextLength, out)");
  auto out = info[2].As<Napi::Int32Array>();
  REQUIRE(out.TypedArrayType() == napi_int32_array && out.ElementLength() >= 4, "skSizes: out is an Int32Array(4)");
  crypto::SkSizes sizes;
  Status s = crypto::SkSealedSizes(ctx, length, &sizes);
  if (s == Status::kOk) {
    out[0] = static_cast<int32_t>(sizes.iv);
    out[1] = static_cast<int32_t>(sizes.padding);
    out[2] = static_cast<int32_t>(sizes.icv);
    out[3] = static_cast<int32_t>(sizes.payload);
  }
  return StatusValue(env, s);
}

Napi::Value SkProtect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes ctx, message;
  uint32_t skOffset = 0, length = 0;
  REQUIRE(ArgBytes(info, 0, &ctx) && ArgBytes(info, 1, &message) && ArgU32(info, 2, &skOffset) &&
              ArgU32(info, 3, &length),
          "skProtect(ctx, message, skOffset, plaintextLength)");
  return StatusValue(env, crypto::SkProtect(ctx, message, skOffset, length));
}

// Writes [plaintextOffset, plaintextLength] into out (Int32Array of 2); returns status.
Napi::Value SkUnprotect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes ctx, message;
  uint32_t skOffset = 0;
  REQUIRE(ArgBytes(info, 0, &ctx) && ArgBytes(info, 1, &message) && ArgU32(info, 2, &skOffset) &&
              info[3].IsTypedArray(),
          "skUnprotect(ctx, message, skOffset, out)");
  auto out = info[3].As<Napi::Int32Array>();
  REQUIRE(out.TypedArrayType() == napi_int32_array && out.ElementLength() >= 2, "skUnprotect: out is an Int32Array(2)");
  std::size_t offset = 0, length = 0;
  Status s = crypto::SkUnprotect(ctx, message, skOffset, &offset, &length);
  if (s == Status::kOk) {
    out[0] = static_cast<int32_t>(offset);
    out[1] = static_cast<int32_t>(length);
  }
  return StatusValue(env, s);
}

// ----------------------------------------------------------------- AUTH

Napi::Value SignedOctets(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes message, nonce, skP, idBody;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &message) && ArgBytes(info, 2, &nonce) &&
              ArgBytes(info, 3, &skP) && ArgBytes(info, 4, &idBody),
          "signedOctets(prfId, realMessage, peerNonce, skP, idPayloadBody)");
  std::vector<uint8_t> out;
  Status s = crypto::SignedOctets(static_cast<crypto::PrfId>(prf), message, nonce, skP, idBody, &out);
  if (s != Status::kOk) return StatusValue(env, s);
  return Napi::Buffer<uint8_t>::Copy(env, out.data(), out.size());
}

Napi::Value PskAuth(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes psk, message, nonce, skP, idBody, out;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &psk) && ArgBytes(info, 2, &message) &&
              ArgBytes(info, 3, &nonce) && ArgBytes(info, 4, &skP) && ArgBytes(info, 5, &idBody) &&
              ArgBytes(info, 6, &out),
          "pskAuth(prfId, psk, realMessage, peerNonce, skP, idPayloadBody, out)");
  if (!crypto::PrfSupported(static_cast<uint16_t>(prf)) ||
      out.size() != crypto::PrfLength(static_cast<crypto::PrfId>(prf))) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  return StatusValue(env, crypto::PskAuth(static_cast<crypto::PrfId>(prf), psk, message, nonce, skP, idBody,
                                          out.data()));
}

Napi::Value PskVerify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t prf = 0;
  MutableBytes psk, message, nonce, skP, idBody, received;
  REQUIRE(ArgU32(info, 0, &prf) && ArgBytes(info, 1, &psk) && ArgBytes(info, 2, &message) &&
              ArgBytes(info, 3, &nonce) && ArgBytes(info, 4, &skP) && ArgBytes(info, 5, &idBody) &&
              ArgBytes(info, 6, &received),
          "pskVerify(prfId, psk, realMessage, peerNonce, skP, idPayloadBody, received)");
  return StatusValue(env, crypto::PskVerify(static_cast<crypto::PrfId>(prf), psk, message, nonce, skP, idBody,
                                            received));
}

bool ArgChoice(const Napi::CallbackInfo& info, std::size_t i, crypto::SignatureChoice* choice) {
  uint32_t method = 0, hash = 0;
  if (!ArgU32(info, i, &method) || !ArgU32(info, i + 1, &hash) || !info[i + 2].IsBoolean()) return false;
  *choice = {static_cast<crypto::AuthMethod>(method), static_cast<crypto::HashId>(hash),
             info[i + 2].As<Napi::Boolean>().Value()};
  return true;
}

Napi::Value SignAuthSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[0], kKeyTag);
  crypto::SignatureChoice choice;
  MutableBytes data;
  REQUIRE(key != nullptr && ArgChoice(info, 1, &choice) && ArgBytes(info, 4, &data),
          "signAuth(key, method, hash, pss, signedOctets)");
  std::vector<uint8_t> out;
  Status s = crypto::SignAuth(key, choice, data, &out);
  if (s != Status::kOk) return StatusValue(env, s);
  return Napi::Buffer<uint8_t>::Copy(env, out.data(), out.size());
}

Napi::Value VerifyAuthSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[0], kKeyTag);
  uint32_t method = 0;
  MutableBytes authData, data;
  REQUIRE(key != nullptr && ArgU32(info, 1, &method) && ArgBytes(info, 2, &authData) && ArgBytes(info, 3, &data),
          "verifyAuth(key, method, authData, signedOctets)");
  return StatusValue(env, crypto::VerifyAuth(key, static_cast<crypto::AuthMethod>(method), authData, data));
}

Napi::Value SignatureAlgorithmIdentifier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[0], kKeyTag);
  crypto::SignatureChoice choice;
  REQUIRE(key != nullptr && ArgChoice(info, 1, &choice), "signatureAlgorithmIdentifier(key, method, hash, pss)");
  std::vector<uint8_t> der;
  Status s = crypto::SignatureAlgorithmIdentifier(key, choice, &der);
  if (s != Status::kOk) return StatusValue(env, s);
  return Napi::Buffer<uint8_t>::Copy(env, der.data(), der.size());
}

// ------------------------------------------------------------ keys, certs

// Returns [status, handle | detail].
Napi::Value Pair(Napi::Env env, Status s, Napi::Value v) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, StatusValue(env, s));
  a.Set(1u, v);
  return a;
}

Napi::Value LoadPrivateKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes pem, pass;
  REQUIRE(ArgBytes(info, 0, &pem) && ArgBytes(info, 1, &pass, true), "loadPrivateKey(pem, passphrase|null)");
  crypto::PkeyPtr key;
  std::string detail;
  Status s = crypto::LoadPrivateKeyPem(pem, pass, &key, &detail);
  if (s != Status::kOk) return Pair(env, s, Napi::String::New(env, detail));
  return Pair(env, s, Tagged(Wrap<EVP_PKEY, FreePkey>(env, key.release()), kKeyTag));
}

Napi::Value KeyInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[0], kKeyTag);
  REQUIRE(key != nullptr, "keyInfo(key)");
  int bits = 0;
  crypto::KeyType type = crypto::KeyTypeOf(key, &bits);
  Napi::Object o = Napi::Object::New(env);
  const char* name = type == crypto::KeyType::kRsa       ? "rsa"
                     : type == crypto::KeyType::kEcP256 ? "ecdsa-p256"
                     : type == crypto::KeyType::kEcP384 ? "ecdsa-p384"
                                                        : "unsupported";
  o.Set("type", Napi::String::New(env, name));
  o.Set("bits", Napi::Number::New(env, bits));
  return o;
}

Napi::Value ParseCertificates(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MutableBytes data;
  REQUIRE(ArgBytes(info, 0, &data), "parseCertificates(derOrPem)");
  std::vector<crypto::X509Ptr> certs;
  std::string detail;
  Status s = crypto::ParseCertificates(data, &certs, &detail);
  if (s != Status::kOk) return Pair(env, s, Napi::String::New(env, detail));
  Napi::Array a = Napi::Array::New(env, certs.size());
  for (std::size_t i = 0; i < certs.size(); ++i) {
    a.Set(static_cast<uint32_t>(i), Tagged(Wrap<X509, FreeX509>(env, certs[i].release()), kCertTag));
  }
  return Pair(env, s, a);
}

Napi::Value CertPublicKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  X509* cert = Unwrap<X509>(info[0], kCertTag);
  REQUIRE(cert != nullptr, "certPublicKey(cert)");
  EVP_PKEY* key = X509_get_pubkey(cert);  // takes a reference
  if (key == nullptr) {
    ERR_clear_error();
    return env.Null();
  }
  return Tagged(Wrap<EVP_PKEY, FreePkey>(env, key), kKeyTag);
}

Napi::Value CertDerValue(const Napi::CallbackInfo& info, bool subject) {
  Napi::Env env = info.Env();
  X509* cert = Unwrap<X509>(info[0], kCertTag);
  REQUIRE(cert != nullptr, "certDer(cert) / certSubjectDer(cert)");
  std::vector<uint8_t> der;
  Status s = subject ? crypto::CertSubjectDer(cert, &der) : crypto::CertDer(cert, &der);
  if (s != Status::kOk) return StatusValue(env, s);
  return Napi::Buffer<uint8_t>::Copy(env, der.data(), der.size());
}
Napi::Value CertDer(const Napi::CallbackInfo& info) { return CertDerValue(info, false); }
Napi::Value CertSubjectDer(const Napi::CallbackInfo& info) { return CertDerValue(info, true); }

// certMatches(cert, kind, value): kind 1 dNSName, 2 rfc822Name, 3 iPAddress, 4 subject DN (DER).
Napi::Value CertMatches(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  X509* cert = Unwrap<X509>(info[0], kCertTag);
  uint32_t kind = 0;
  MutableBytes value;
  REQUIRE(cert != nullptr && ArgU32(info, 1, &kind) && ArgBytes(info, 2, &value), "certMatches(cert, kind, value)");
  std::string_view text(reinterpret_cast<const char*>(value.data()), value.size());
  bool match = false;
  switch (kind) {
    case 1:
      match = crypto::CertMatchesDnsName(cert, text);
      break;
    case 2:
      match = crypto::CertMatchesEmail(cert, text);
      break;
    case 3:
      match = crypto::CertMatchesIp(cert, value);
      break;
    case 4:
      match = crypto::CertMatchesSubjectDer(cert, value);
      break;
    default:
      return ThrowType(env, "certMatches: kind is 1..4");
  }
  return Napi::Boolean::New(env, match);
}

Napi::Value CreateTrustStore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  REQUIRE(info[0].IsArray(), "createTrustStore(certs)");
  Napi::Array certs = info[0].As<Napi::Array>();
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr) return env.Null();
  for (uint32_t i = 0; i < certs.Length(); ++i) {
    X509* cert = Unwrap<X509>(certs.Get(i), kCertTag);
    if (cert == nullptr) {
      X509_STORE_free(store);
      return ThrowType(env, "createTrustStore: every element is a certificate handle");
    }
    if (X509_STORE_add_cert(store, cert) != 1) ERR_clear_error();  // a duplicate anchor is harmless
  }
  return Tagged(Wrap<X509_STORE, FreeStore>(env, store), kStoreTag);
}

Napi::Value ChainErrorString(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t code = 0;
  REQUIRE(ArgU32(info, 0, &code), "chainErrorString(code)");
  return Napi::String::New(env, crypto::ChainErrorString(static_cast<int>(code)));
}

// ------------------------------------------------------------------ DH (sync)

bool ArgGroup(const Napi::CallbackInfo& info, std::size_t i, crypto::DhGroup* group) {
  uint32_t g = 0;
  if (!ArgU32(info, i, &g)) return false;
  *group = static_cast<crypto::DhGroup>(g);
  return true;
}

Napi::Value DhLengths(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  REQUIRE(ArgGroup(info, 0, &g), "dhLengths(group)");
  if (!crypto::DhGroupSupported(static_cast<uint16_t>(g))) return env.Null();
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, static_cast<double>(crypto::DhPublicLength(g))));
  a.Set(1u, Napi::Number::New(env, static_cast<double>(crypto::DhSharedLength(g))));
  a.Set(2u, Napi::Number::New(env, static_cast<double>(crypto::DhPrivateLength(g))));
  return a;
}

bool GroupOk(crypto::DhGroup g) { return crypto::DhGroupSupported(static_cast<uint16_t>(g)); }

Napi::Value DhValidate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  MutableBytes peer;
  REQUIRE(ArgGroup(info, 0, &g) && ArgBytes(info, 1, &peer), "dhValidate(group, peer)");
  return StatusValue(env, crypto::DhValidatePeerPublic(g, peer));
}

Napi::Value DhGenerateSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  MutableBytes pub, priv;
  REQUIRE(ArgGroup(info, 0, &g) && ArgBytes(info, 1, &pub) && ArgBytes(info, 2, &priv),
          "dhGenerate(group, publicOut, privateOut)");
  if (!GroupOk(g) || pub.size() != crypto::DhPublicLength(g) || priv.size() != crypto::DhPrivateLength(g)) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  return StatusValue(env, crypto::DhGenerate(g, pub.data(), priv.data()));
}

Napi::Value DhDeriveSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  MutableBytes priv, peer, out;
  REQUIRE(ArgGroup(info, 0, &g) && ArgBytes(info, 1, &priv) && ArgBytes(info, 2, &peer) && ArgBytes(info, 3, &out),
          "dhDerive(group, private, peer, sharedOut)");
  if (!GroupOk(g) || out.size() != crypto::DhSharedLength(g)) return StatusValue(env, Status::kInvalidArgument);
  return StatusValue(env, crypto::DhDerive(g, priv, peer, out.data()));
}

Napi::Value DhRespondSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  MutableBytes peer, pub, out;
  REQUIRE(ArgGroup(info, 0, &g) && ArgBytes(info, 1, &peer) && ArgBytes(info, 2, &pub) && ArgBytes(info, 3, &out),
          "dhRespond(group, peer, publicOut, sharedOut)");
  if (!GroupOk(g) || pub.size() != crypto::DhPublicLength(g) || out.size() != crypto::DhSharedLength(g)) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  return StatusValue(env, crypto::DhRespond(g, peer, pub.data(), out.data()));
}

// Benchmark only (bench/handshake's DH-bound limit): CPU nanoseconds per key
// generation and per derivation of `group` through this module's own DH code
// (the code the gateway runs), measured here on this thread with no
// JavaScript in the loop: [keygenNs, deriveNs].
Napi::Value DhCost(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  uint32_t iterations = 0;
  REQUIRE(ArgGroup(info, 0, &g) && ArgU32(info, 1, &iterations) && iterations > 0 && iterations <= 1000000,
          "dhCost(group, iterations 1..1e6)");
  if (!GroupOk(g)) return StatusValue(env, Status::kInvalidArgument);
  std::vector<uint8_t> pub(crypto::DhPublicLength(g)), peer(crypto::DhPublicLength(g)), shared(crypto::DhSharedLength(g));
  crypto::Secret priv(crypto::DhPrivateLength(g)), peerPriv(crypto::DhPrivateLength(g));
  if (crypto::DhGenerate(g, peer.data(), peerPriv.data()) != Status::kOk) return StatusValue(env, Status::kOpenSsl);
  auto cpuNs = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
  };
  double t0 = cpuNs();
  for (uint32_t i = 0; i < iterations; ++i) {
    if (crypto::DhGenerate(g, pub.data(), priv.data()) != Status::kOk) return StatusValue(env, Status::kOpenSsl);
  }
  double t1 = cpuNs();
  for (uint32_t i = 0; i < iterations; ++i) {
    if (crypto::DhDerive(g, priv, peer, shared.data()) != Status::kOk) return StatusValue(env, Status::kOpenSsl);
  }
  double t2 = cpuNs();
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, (t1 - t0) / iterations));
  out.Set(1u, Napi::Number::New(env, (t2 - t1) / iterations));
  return out;
}

// ---------------------------------------------------------------- job pool

constexpr uint32_t kCompletionFields = 4;  // id, status, length, detail

struct PoolHandle;
void DeliverCompleted(PoolHandle* h, napi_env env, bool callJs);

// Every live pool, so a process exit (static destruction, which runs before
// OpenSSL's own atexit cleanup) can join worker threads that are mid-job.
struct PoolRegistry {
  std::mutex mutex;
  std::set<crypto::JobPool*> pools;
  ~PoolRegistry() {
    std::lock_guard<std::mutex> lock(mutex);
    for (crypto::JobPool* p : pools) p->Close();
    pools.clear();
  }
};
PoolRegistry g_registry;

struct PoolHandle {
  std::unique_ptr<crypto::JobPool> pool;
  napi_env env = nullptr;
  napi_threadsafe_function tsfn = nullptr;
  napi_ref completions = nullptr;  // Int32Array(capacity * kCompletionFields)
  napi_ref owner = nullptr;        // the JS pool object: strong while jobs are in flight
  uint32_t inFlight = 0;
  bool closed = false;
  // The handle is freed when both the JS external and the threadsafe function
  // are finalized: a notification queued before close may still reach CallJs
  // after the TSFN was released, and must find the handle alive.
  bool externalFinalized = false;
  bool tsfnFinalized = false;
  std::vector<std::unique_ptr<crypto::PoolJob>> scratch;

  void JobStarted() {
    if (inFlight++ == 0) {
      // Pending jobs keep the process alive and the JS pool (with the output
      // buffers it holds) reachable, like an active libuv handle.
      napi_ref_threadsafe_function(env, tsfn);
      uint32_t count = 0;
      napi_reference_ref(env, owner, &count);
    }
  }
  void JobsFinished(uint32_t n) {
    if (n == 0 || inFlight == 0) return;
    inFlight -= std::min(n, inFlight);
    if (inFlight == 0) {
      napi_unref_threadsafe_function(env, tsfn);
      uint32_t count = 0;
      napi_reference_unref(env, owner, &count);
    }
  }
};

void NotifyFromWorker(void* context) {
  auto* h = static_cast<PoolHandle*>(context);
  napi_call_threadsafe_function(h->tsfn, nullptr, napi_tsfn_nonblocking);
}

void CallJs(napi_env env, napi_value /*callback*/, void* context, void* /*data*/) {
  if (env == nullptr) return;  // the environment is being torn down
  auto* h = static_cast<PoolHandle*>(context);
  if (h->closed) return;
  DeliverCompleted(h, env, true);
}

// Copies results into the caller's buffers, fills the completion records and
// calls the JS callback once per batch of up to `capacity` completions.
// Raw napi_* calls here, every status checked: this runs from the TSFN and
// from close(), also while a worker's environment is terminating, where
// node-addon-api's throw-on-failure would abort the process.
void DeliverCompleted(PoolHandle* h, napi_env env, bool callJs) {
  h->scratch.clear();
  h->pool->TakeCompleted(&h->scratch);
  if (h->scratch.empty()) return;
  napi_handle_scope scope = nullptr;
  if (napi_open_handle_scope(env, &scope) != napi_ok) scope = nullptr;
  int32_t* records = nullptr;
  std::size_t capacity = 0;
  napi_value owner = nullptr;
  napi_value deliver = nullptr;
  bool canCall = callJs && scope != nullptr;
  if (canCall) {
    napi_value completions = nullptr;
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    canCall = napi_get_reference_value(env, h->completions, &completions) == napi_ok && completions != nullptr &&
              napi_get_typedarray_info(env, completions, &type, &length, &data, nullptr, nullptr) == napi_ok &&
              type == napi_int32_array && napi_get_reference_value(env, h->owner, &owner) == napi_ok &&
              owner != nullptr && napi_get_named_property(env, owner, "onNativeCompletions", &deliver) == napi_ok;
    if (canCall) {
      napi_valuetype t = napi_undefined;
      canCall = napi_typeof(env, deliver, &t) == napi_ok && t == napi_function;
      records = static_cast<int32_t*>(data);
      capacity = length / kCompletionFields;
      canCall = canCall && capacity > 0;
    }
  }
  std::size_t used = 0;
  const std::size_t total = h->scratch.size();
  for (std::size_t i = 0; i < total && canCall; ++i) {
    crypto::PoolJob& job = *h->scratch[i];
    int32_t length = 0;
    int32_t detail = 0;
    if (job.status == Status::kOk) {
      switch (static_cast<crypto::JobKind>(job.kind)) {
        case crypto::JobKind::kDhGenerate:
        case crypto::JobKind::kDhRespond:
        case crypto::JobKind::kDhDerive: {
          auto& dh = static_cast<crypto::DhJob&>(job);
          const bool derive = job.kind == static_cast<uint32_t>(crypto::JobKind::kDhDerive);
          const bool generate = job.kind == static_cast<uint32_t>(crypto::JobKind::kDhGenerate);
          if (!derive) std::memcpy(job.user[0], dh.publicValue.data(), dh.publicValue.size());
          if (generate) std::memcpy(job.user[1], dh.privateBlob.data(), dh.privateBlob.size());
          if (derive) std::memcpy(job.user[0], dh.shared.data(), dh.shared.size());
          if (job.kind == static_cast<uint32_t>(crypto::JobKind::kDhRespond)) {
            std::memcpy(job.user[1], dh.shared.data(), dh.shared.size());
          }
          break;
        }
        case crypto::JobKind::kDhRespondKeys: {
          auto& dh = static_cast<crypto::DhJob&>(job);
          std::memcpy(job.user[0], dh.publicValue.data(), dh.publicValue.size());
          std::memcpy(job.user[1], dh.material.data(), dh.material.size());
          break;
        }
        case crypto::JobKind::kSign: {
          auto& sign = static_cast<crypto::SignJob&>(job);
          if (sign.authData.size() > job.userLength[0]) {
            job.status = Status::kInvalidArgument;  // the caller's buffer is too small
          } else {
            std::memcpy(job.user[0], sign.authData.data(), sign.authData.size());
            length = static_cast<int32_t>(sign.authData.size());
          }
          break;
        }
        default:
          break;
      }
    }
    if (job.kind == static_cast<uint32_t>(crypto::JobKind::kVerifyChain)) {
      auto& chain = static_cast<crypto::ChainJob&>(job);
      detail = chain.result.error;
      length = chain.result.depth;
    }
    int32_t* r = records + used * kCompletionFields;
    r[0] = static_cast<int32_t>(job.id);
    r[1] = static_cast<int32_t>(job.status);
    r[2] = length;
    r[3] = detail;
    ++used;
    if (used == capacity || i + 1 == total) {
      // Batches of at most `capacity` completions per call: one JS call
      // delivers everything that finished since the last wake-up.
      napi_value count = nullptr;
      napi_value ignored = nullptr;
      bool pending = false;
      if (napi_create_uint32(env, static_cast<uint32_t>(used), &count) != napi_ok ||
          napi_call_function(env, owner, deliver, 1, &count, &ignored) != napi_ok ||
          (napi_is_exception_pending(env, &pending) == napi_ok && pending)) {
        // onNativeCompletions never throws (pool.ts reports a throwing user
        // callback itself): the environment is terminating. Leave any
        // exception pending for N-API and stop calling into JavaScript.
        canCall = false;
      }
      used = 0;
    }
  }
  if (scope != nullptr) napi_close_handle_scope(env, scope);
  h->JobsFinished(static_cast<uint32_t>(total));
  h->scratch.clear();  // destroys the jobs; Secret outputs are wiped
}

void ClosePool(PoolHandle* h, bool envAlive) {
  if (h->closed) return;
  {
    std::lock_guard<std::mutex> lock(g_registry.mutex);
    g_registry.pools.erase(h->pool.get());
  }
  h->pool->Close();  // joins workers; queued jobs complete with kPoolClosed
  if (envAlive) {
    DeliverCompleted(h, h->env, true);
  } else {
    std::vector<std::unique_ptr<crypto::PoolJob>> dropped;
    h->pool->TakeCompleted(&dropped);
  }
  h->closed = true;
  if (envAlive && h->inFlight > 0) h->JobsFinished(h->inFlight);
  napi_release_threadsafe_function(h->tsfn, napi_tsfn_release);
}

void MaybeDelete(PoolHandle* h) {
  if (h->externalFinalized && h->tsfnFinalized) delete h;
}

void FinalizeTsfn(napi_env /*env*/, void* data, void* /*hint*/) {
  auto* h = static_cast<PoolHandle*>(data);
  h->tsfnFinalized = true;
  MaybeDelete(h);
}

void CleanupHook(void* arg) {
  auto* h = static_cast<PoolHandle*>(arg);
  ClosePool(h, false);
}

void FinalizePool(Napi::Env env, PoolHandle* h) {
  napi_remove_env_cleanup_hook(env, CleanupHook, h);
  ClosePool(h, false);
  napi_delete_reference(env, h->completions);
  napi_delete_reference(env, h->owner);
  h->completions = nullptr;
  h->owner = nullptr;
  h->externalFinalized = true;
  MaybeDelete(h);
}

// createPool(threads, completions: Int32Array, owner: { onNativeCompletions(count) }) -> handle
Napi::Value CreatePool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t threads = 0;
  REQUIRE(ArgU32(info, 0, &threads) && info[1].IsTypedArray() && info[2].IsObject(),
          "createPool(threads, completions, owner)");
  auto completions = info[1].As<Napi::Int32Array>();
  REQUIRE(completions.TypedArrayType() == napi_int32_array && completions.ElementLength() >= kCompletionFields,
          "createPool: completions is an Int32Array of capacity * 4");
  auto* h = new PoolHandle();
  h->env = env;
  napi_create_reference(env, completions, 1, &h->completions);
  napi_create_reference(env, info[2], 0, &h->owner);
  Napi::String name = Napi::String::New(env, "ikelb.crypto.pool");
  if (napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, h, FinalizeTsfn, h, CallJs, &h->tsfn) !=
      napi_ok) {
    napi_delete_reference(env, h->completions);
    napi_delete_reference(env, h->owner);
    delete h;
    Napi::Error::New(env, "cannot create the crypto pool's threadsafe function").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  napi_unref_threadsafe_function(env, h->tsfn);  // an idle pool does not keep the process alive
  h->pool = std::make_unique<crypto::JobPool>(threads, NotifyFromWorker, h);
  {
    std::lock_guard<std::mutex> lock(g_registry.mutex);
    g_registry.pools.insert(h->pool.get());
  }
  napi_add_env_cleanup_hook(env, CleanupHook, h);
  auto ext = Napi::External<PoolHandle>::New(env, h, FinalizePool);
  return Tagged(ext, kPoolTag);
}

PoolHandle* ArgPool(const Napi::CallbackInfo& info) { return Unwrap<PoolHandle>(info[0], kPoolTag); }

Napi::Value PoolThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  REQUIRE(h != nullptr, "poolThreads(pool)");
  return Napi::Number::New(env, h->closed ? 0 : h->pool->threads());
}

Napi::Value PoolClose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  REQUIRE(h != nullptr, "poolClose(pool)");
  if (!h->closed) {
    napi_remove_env_cleanup_hook(env, CleanupHook, h);
    ClosePool(h, true);
  }
  return env.Undefined();
}

// Jobs from JavaScript are queued without waking a worker: pool.ts calls
// poolWake() once per event-loop turn (setImmediate), so the jobs a turn
// submits are handed over together (JobPool::Wake::kDeferred).
Napi::Value Submit(Napi::Env env, PoolHandle* h, std::unique_ptr<crypto::PoolJob> job) {
  if (h->closed) return StatusValue(env, Status::kPoolClosed);
  if (!h->pool->Submit(job, crypto::JobPool::Wake::kDeferred)) return StatusValue(env, Status::kPoolClosed);
  h->JobStarted();
  return StatusValue(env, Status::kOk);
}

// poolWake(pool): wakes idle workers for the jobs queued since the last call.
Napi::Value PoolWake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  REQUIRE(h != nullptr, "poolWake(pool)");
  if (!h->closed) h->pool->WakeDeferred();
  return env.Undefined();
}

// poolDh(pool, id, kind, group, private|null, peer|null, out0, out1|null)
//   generate: out0 = public, out1 = private blob; derive: out0 = shared;
//   respond: out0 = public, out1 = shared.
Napi::Value PoolDh(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0, kind = 0;
  crypto::DhGroup g;
  MutableBytes priv, peer, out0, out1;
  REQUIRE(h != nullptr && ArgU32(info, 1, &id) && ArgU32(info, 2, &kind) && ArgGroup(info, 3, &g) &&
              ArgBytes(info, 4, &priv, true) && ArgBytes(info, 5, &peer, true) && ArgBytes(info, 6, &out0) &&
              ArgBytes(info, 7, &out1, true),
          "poolDh(pool, id, kind, group, private|null, peer|null, out0, out1|null)");
  if (!GroupOk(g)) return StatusValue(env, Status::kInvalidArgument);
  const auto k = static_cast<crypto::JobKind>(kind);
  const std::size_t pubLen = crypto::DhPublicLength(g);
  const std::size_t sharedLen = crypto::DhSharedLength(g);
  bool ok = false;
  switch (k) {
    case crypto::JobKind::kDhGenerate:
      ok = out0.size() == pubLen && out1.size() == crypto::DhPrivateLength(g);
      break;
    case crypto::JobKind::kDhDerive:
      ok = out0.size() == sharedLen && priv.size() == crypto::DhPrivateLength(g);
      break;
    case crypto::JobKind::kDhRespond:
      ok = out0.size() == pubLen && out1.size() == sharedLen;
      break;
    default:
      break;
  }
  if (!ok) return StatusValue(env, Status::kInvalidArgument);
  auto job = std::make_unique<crypto::DhJob>();
  job->id = id;
  job->kind = kind;
  job->group = g;
  job->privateBlob.assign(priv.begin(), priv.end());
  job->peer.assign(peer.begin(), peer.end());
  job->user[0] = out0.data();
  job->userLength[0] = out0.size();
  job->user[1] = out1.data();
  job->userLength[1] = out1.size();
  return Submit(env, h, std::move(job));
}

// poolDhRespondKeys(pool, id, group, peer, prfId, encrId, keyBits, integId, ni, nr, spii, spir, publicOut, materialOut)
//   The IKE_SA_INIT responder's whole key work in one job: validate the peer's
//   KE, make our key pair, derive g^ir, then SKEYSEED and the seven keys laid out
//   as deriveIkeSaKeyMaterial does. Inputs are copied; outputs are written into
//   publicOut and materialOut when the completion is delivered.
Napi::Value PoolDhRespondKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0, prf = 0, encr = 0, bits = 0, integ = 0;
  crypto::DhGroup g;
  MutableBytes peer, ni, nr, spii, spir, pub, material;
  REQUIRE(h != nullptr && ArgU32(info, 1, &id) && ArgGroup(info, 2, &g) && ArgBytes(info, 3, &peer) &&
              ArgU32(info, 4, &prf) && ArgU32(info, 5, &encr) && ArgU32(info, 6, &bits) && ArgU32(info, 7, &integ) &&
              ArgBytes(info, 8, &ni) && ArgBytes(info, 9, &nr) && ArgBytes(info, 10, &spii) && ArgBytes(info, 11, &spir) &&
              ArgBytes(info, 12, &pub) && ArgBytes(info, 13, &material),
          "poolDhRespondKeys(pool, id, group, peer, prfId, encrId, keyBits, integId, ni, nr, spii, spir, publicOut, "
          "materialOut)");
  crypto::SkKeyLengths sk;
  if (!GroupOk(g) || !crypto::PrfSupported(static_cast<uint16_t>(prf)) || encr > 0xFFFF || bits > 0xFFFF ||
      integ > 0xFFFF ||
      crypto::SkKeyMaterialLengths(static_cast<uint16_t>(encr), static_cast<uint16_t>(bits),
                                   static_cast<uint16_t>(integ), &sk) != Status::kOk ||
      pub.size() != crypto::DhPublicLength(g) ||
      material.size() != crypto::IkeSaKeyMaterialLength(static_cast<crypto::PrfId>(prf)) || ni.empty() ||
      nr.empty() || spii.size() != crypto::kSpiLength || spir.size() != crypto::kSpiLength) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  auto job = std::make_unique<crypto::DhJob>();
  job->id = id;
  job->kind = static_cast<uint32_t>(crypto::JobKind::kDhRespondKeys);
  job->group = g;
  job->peer.assign(peer.begin(), peer.end());
  job->prf = static_cast<crypto::PrfId>(prf);
  job->encrId = static_cast<uint16_t>(encr);
  job->keyBits = static_cast<uint16_t>(bits);
  job->integId = static_cast<uint16_t>(integ);
  job->nonceI.assign(ni.begin(), ni.end());
  job->nonceR.assign(nr.begin(), nr.end());
  job->spiI.assign(spii.begin(), spii.end());
  job->spiR.assign(spir.begin(), spir.end());
  job->user[0] = pub.data();
  job->userLength[0] = pub.size();
  job->user[1] = material.data();
  job->userLength[1] = material.size();
  return Submit(env, h, std::move(job));
}

// poolSign(pool, id, key, method, hash, pss, signedOctets, out) -> completion length = bytes written
Napi::Value PoolSign(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0;
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[2], kKeyTag);
  crypto::SignatureChoice choice;
  MutableBytes data, out;
  REQUIRE(h != nullptr && ArgU32(info, 1, &id) && key != nullptr && ArgChoice(info, 3, &choice) &&
              ArgBytes(info, 6, &data) && ArgBytes(info, 7, &out),
          "poolSign(pool, id, key, method, hash, pss, signedOctets, out)");
  auto job = std::make_unique<crypto::SignJob>(key);
  job->id = id;
  job->kind = static_cast<uint32_t>(crypto::JobKind::kSign);
  job->choice = choice;
  job->data.assign(data.begin(), data.end());
  job->user[0] = out.data();
  job->userLength[0] = out.size();
  return Submit(env, h, std::move(job));
}

// poolVerify(pool, id, key, method, authData, signedOctets)
Napi::Value PoolVerify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0, method = 0;
  EVP_PKEY* key = Unwrap<EVP_PKEY>(info[2], kKeyTag);
  MutableBytes authData, data;
  REQUIRE(h != nullptr && ArgU32(info, 1, &id) && key != nullptr && ArgU32(info, 3, &method) &&
              ArgBytes(info, 4, &authData) && ArgBytes(info, 5, &data),
          "poolVerify(pool, id, key, method, authData, signedOctets)");
  auto job = std::make_unique<crypto::SignJob>(key);
  job->id = id;
  job->kind = static_cast<uint32_t>(crypto::JobKind::kVerify);
  job->choice.method = static_cast<crypto::AuthMethod>(method);
  job->authData.assign(authData.begin(), authData.end());
  job->data.assign(data.begin(), data.end());
  return Submit(env, h, std::move(job));
}

// poolVerifyChain(pool, id, store, leaf, intermediates[], atTimeSeconds)
Napi::Value PoolVerifyChain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0;
  X509_STORE* store = Unwrap<X509_STORE>(info[2], kStoreTag);
  X509* leaf = Unwrap<X509>(info[3], kCertTag);
  REQUIRE(h != nullptr && ArgU32(info, 1, &id) && store != nullptr && leaf != nullptr && info[4].IsArray() &&
              info[5].IsNumber(),
          "poolVerifyChain(pool, id, store, leaf, intermediates, atTime)");
  auto job = std::make_unique<crypto::ChainJob>(store, leaf);
  job->id = id;
  job->kind = static_cast<uint32_t>(crypto::JobKind::kVerifyChain);
  job->atTime = info[5].As<Napi::Number>().Int64Value();
  Napi::Array list = info[4].As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    X509* c = Unwrap<X509>(list.Get(i), kCertTag);
    if (c == nullptr) return ThrowType(env, "poolVerifyChain: intermediates are certificate handles");
    job->AddUntrusted(c);
  }
  return Submit(env, h, std::move(job));
}

// ---------------------------------------------- baseline: one napi_async_work per job
// Kept only so bench/crypto can re-measure the design it lost to (see
// ARCHITECTURE.md, "lib/crypto"): an X25519/ECP/MODP responder job with its own
// napi_async_work and completion callback, i.e. one libuv work item, one
// thread-pool hand-off and one JS call per operation.

struct AsyncWorkDh {
  napi_async_work work = nullptr;
  napi_ref callback = nullptr;
  napi_ref outputs[2] = {nullptr, nullptr};  // keeps the output buffers alive until completion
  crypto::DhJob job;
  uint8_t* out0 = nullptr;
  uint8_t* out1 = nullptr;
};

Napi::Value DhRespondAsyncWork(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  crypto::DhGroup g;
  MutableBytes peer, out0, out1;
  REQUIRE(ArgGroup(info, 0, &g) && ArgBytes(info, 1, &peer) && ArgBytes(info, 2, &out0) && ArgBytes(info, 3, &out1) &&
              info[4].IsFunction(),
          "dhRespondAsyncWork(group, peer, publicOut, sharedOut, callback)");
  if (!GroupOk(g) || out0.size() != crypto::DhPublicLength(g) || out1.size() != crypto::DhSharedLength(g)) {
    return StatusValue(env, Status::kInvalidArgument);
  }
  auto* w = new AsyncWorkDh();
  w->job.kind = static_cast<uint32_t>(crypto::JobKind::kDhRespond);
  w->job.group = g;
  w->job.peer.assign(peer.begin(), peer.end());
  w->out0 = out0.data();
  w->out1 = out1.data();
  napi_create_reference(env, info[4], 1, &w->callback);
  napi_create_reference(env, info[2], 1, &w->outputs[0]);
  napi_create_reference(env, info[3], 1, &w->outputs[1]);
  napi_create_async_work(
      env, nullptr, Napi::String::New(env, "ikelb.crypto.dh"),
      [](napi_env, void* data) { static_cast<AsyncWorkDh*>(data)->job.Run(); },
      [](napi_env env, napi_status, void* data) {
        auto* w = static_cast<AsyncWorkDh*>(data);
        Napi::HandleScope scope(env);
        if (w->job.status == Status::kOk) {
          std::memcpy(w->out0, w->job.publicValue.data(), w->job.publicValue.size());
          std::memcpy(w->out1, w->job.shared.data(), w->job.shared.size());
        }
        napi_value cb = nullptr;
        napi_get_reference_value(env, w->callback, &cb);
        napi_value arg = Napi::Number::New(env, static_cast<int32_t>(w->job.status));
        napi_value global = nullptr;
        napi_get_global(env, &global);
        napi_make_callback(env, nullptr, global, cb, 1, &arg, nullptr);
        napi_delete_reference(env, w->callback);
        napi_delete_reference(env, w->outputs[0]);
        napi_delete_reference(env, w->outputs[1]);
        napi_delete_async_work(env, w->work);
        delete w;
      },
      w, &w->work);
  napi_queue_async_work(env, w->work);
  return StatusValue(env, Status::kOk);
}

// poolNoop(pool, id): an empty job, for measuring per-job overhead.
Napi::Value PoolNoop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PoolHandle* h = ArgPool(info);
  uint32_t id = 0;
  REQUIRE(h != nullptr && ArgU32(info, 1, &id), "poolNoop(pool, id)");
  auto job = std::make_unique<crypto::NoopJob>();
  job->id = id;
  job->kind = static_cast<uint32_t>(crypto::JobKind::kNoop);
  return Submit(env, h, std::move(job));
}

// noopAsyncWork(callback): an empty napi_async_work, the baseline's per-job cost.
Napi::Value NoopAsyncWork(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  REQUIRE(info[0].IsFunction(), "noopAsyncWork(callback)");
  struct Work {
    napi_async_work work = nullptr;
    napi_ref callback = nullptr;
  };
  auto* w = new Work();
  napi_create_reference(env, info[0], 1, &w->callback);
  napi_create_async_work(
      env, nullptr, Napi::String::New(env, "ikelb.crypto.noop"), [](napi_env, void*) {},
      [](napi_env env, napi_status, void* data) {
        auto* w = static_cast<Work*>(data);
        napi_handle_scope scope = nullptr;
        napi_open_handle_scope(env, &scope);
        napi_value cb = nullptr, global = nullptr, arg = nullptr;
        napi_get_reference_value(env, w->callback, &cb);
        napi_get_global(env, &global);
        napi_create_int32(env, 0, &arg);
        napi_make_callback(env, nullptr, global, cb, 1, &arg, nullptr);
        napi_close_handle_scope(env, scope);
        napi_delete_reference(env, w->callback);
        napi_delete_async_work(env, w->work);
        delete w;
      },
      w, &w->work);
  napi_queue_async_work(env, w->work);
  return env.Undefined();
}

#undef REQUIRE

}  // namespace

void RegisterCrypto(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  m.Set("constants", Constants(env));
  auto fn = [&](const char* name, Napi::Function::Callback cb) { m.Set(name, Napi::Function::New(env, cb, name)); };
  fn("randomFill", RandomFill);
  fn("hmac", Hmac);
  fn("digest", Digest);
  fn("prfPlus", PrfPlus);
  fn("deriveIkeSaKeys", DeriveIkeSaKeys);
  fn("deriveIkeSaKeyMaterial", DeriveIkeSaKeyMaterial);
  fn("deriveChildKeymat", DeriveChildKeymat);
  fn("aesGcmSeal", AesGcmSeal);
  fn("aesGcmOpen", AesGcmOpen);
  fn("skKeyLengths", SkKeyLengths);
  fn("skContextInit", SkContextInit);
  fn("skSizes", SkSizes);
  fn("skProtect", SkProtect);
  fn("skUnprotect", SkUnprotect);
  fn("signedOctets", SignedOctets);
  fn("pskAuth", PskAuth);
  fn("pskVerify", PskVerify);
  fn("signAuth", SignAuthSync);
  fn("verifyAuth", VerifyAuthSync);
  fn("signatureAlgorithmIdentifier", SignatureAlgorithmIdentifier);
  fn("loadPrivateKey", LoadPrivateKey);
  fn("keyInfo", KeyInfo);
  fn("parseCertificates", ParseCertificates);
  fn("certPublicKey", CertPublicKey);
  fn("certDer", CertDer);
  fn("certSubjectDer", CertSubjectDer);
  fn("certMatches", CertMatches);
  fn("createTrustStore", CreateTrustStore);
  fn("chainErrorString", ChainErrorString);
  fn("dhLengths", DhLengths);
  fn("dhValidate", DhValidate);
  fn("dhGenerate", DhGenerateSync);
  fn("dhDerive", DhDeriveSync);
  fn("dhRespond", DhRespondSync);
  fn("createPool", CreatePool);
  fn("poolThreads", PoolThreads);
  fn("poolClose", PoolClose);
  fn("poolWake", PoolWake);
  fn("poolDh", PoolDh);
  fn("poolDhRespondKeys", PoolDhRespondKeys);
  fn("poolSign", PoolSign);
  fn("poolVerify", PoolVerify);
  fn("poolVerifyChain", PoolVerifyChain);
  fn("dhRespondAsyncWork", DhRespondAsyncWork);
  fn("poolNoop", PoolNoop);
  fn("noopAsyncWork", NoopAsyncWork);
  fn("dhCost", DhCost);
  exports.Set("crypto", m);
}

}  // namespace ikelb::napi
