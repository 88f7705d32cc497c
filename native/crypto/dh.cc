#include "crypto/dh.h"

#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/obj_mac.h>

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>

#include <cstring>

#include <openssl/rand.h>

#include "crypto/ossl.h"

namespace ikelb::crypto {

namespace {

// RFC 3526 §3, the 2048-bit MODP group (IKEv2 group 14), generator 2.
constexpr uint8_t kModp2048Prime[256] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34, 0xC4, 0xC6, 0x62,
    0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74, 0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13,
    0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD, 0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30,
    0x2B, 0x0A, 0x6D, 0xF2, 0x5F, 0x14, 0x37, 0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5, 0x76,
    0x62, 0x5E, 0x7E, 0xC6, 0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF, 0x5C, 0xB6, 0xF4, 0x06, 0xB7,
    0xED, 0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE, 0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6, 0x49, 0x28,
    0x66, 0x51, 0xEC, 0xE4, 0x5B, 0x3D, 0xC2, 0x00, 0x7C, 0xB8, 0xA1, 0x63, 0xBF, 0x05, 0x98, 0xDA, 0x48, 0x36, 0x1C,
    0x55, 0xD3, 0x9A, 0x69, 0x16, 0x3F, 0xA8, 0xFD, 0x24, 0xCF, 0x5F, 0x83, 0x65, 0x5D, 0x23, 0xDC, 0xA3, 0xAD, 0x96,
    0x1C, 0x62, 0xF3, 0x56, 0x20, 0x85, 0x52, 0xBB, 0x9E, 0xD5, 0x29, 0x07, 0x70, 0x96, 0x96, 0x6D, 0x67, 0x0C, 0x35,
    0x4E, 0x4A, 0xBC, 0x98, 0x04, 0xF1, 0x74, 0x6C, 0x08, 0xCA, 0x18, 0x21, 0x7C, 0x32, 0x90, 0x5E, 0x46, 0x2E, 0x36,
    0xCE, 0x3B, 0xE3, 0x9E, 0x77, 0x2C, 0x18, 0x0E, 0x86, 0x03, 0x9B, 0x27, 0x83, 0xA2, 0xEC, 0x07, 0xA2, 0x8F, 0xB5,
    0xC5, 0x5D, 0xF0, 0x6F, 0x4C, 0x52, 0xC9, 0xDE, 0x2B, 0xCB, 0xF6, 0x95, 0x58, 0x17, 0x18, 0x39, 0x95, 0x49, 0x7C,
    0xEA, 0x95, 0x6A, 0xE5, 0x15, 0xD2, 0x26, 0x18, 0x98, 0xFA, 0x05, 0x10, 0x15, 0x72, 0x8E, 0x5A, 0x8A, 0xAC, 0xAA,
    0x68, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

// Known low-order Curve25519 u-coordinates (RFC 7748 §6.1 motivates the check;
// the list is the published one from cr.yp.to/ecdh.html#validate, also used by
// libsodium): 0, 1, two points of order 8, p-1, p, p+1. Compared with the top
// bit of the last byte masked, as X25519 itself ignores that bit (RFC 7748 §5).
constexpr uint8_t kX25519LowOrder[7][32] = {
    {0},
    {1},
    {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
     0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
    {0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
     0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

constexpr char kModpGroupName[] = "modp_2048";  // OpenSSL's name for RFC 3526 group 14
constexpr unsigned kModpPrivateBits = 256;       // exponent size, as strongSwan uses for this group

bool IsEcp(DhGroup g) { return g == DhGroup::kEcp256 || g == DhGroup::kEcp384; }
std::size_t EcpFieldLength(DhGroup g) { return g == DhGroup::kEcp256 ? 32 : 48; }
const char* EcpCurveName(DhGroup g) { return g == DhGroup::kEcp256 ? "P-256" : "P-384"; }
int EcpNid(DhGroup g) { return g == DhGroup::kEcp256 ? NID_X9_62_prime256v1 : NID_secp384r1; }
int GroupIndex(DhGroup g) {
  switch (g) {
    case DhGroup::kModp2048:
      return 0;
    case DhGroup::kEcp256:
      return 1;
    case DhGroup::kEcp384:
      return 2;
    default:
      return 3;
  }
}
const char* KeyTypeName(DhGroup g) {
  if (g == DhGroup::kModp2048) return "DH";
  if (g == DhGroup::kCurve25519) return "X25519";
  return "EC";
}

// Per-thread OpenSSL contexts: creating them costs more than a fast X25519
// operation, so each pool worker (and the JS thread) keeps its own.
struct ThreadDh {
  EVP_PKEY_CTX* keygen[4] = {};
  EVP_PKEY_CTX* fromdata[4] = {};
  EC_GROUP* ecGroup[2] = {};
  uint8_t ecPrime[2][48] = {};
  BN_CTX* bn = nullptr;
  EVP_PKEY* x25519Base = nullptr;  // the public key u = 9 (RFC 7748 §4.1 base point)

  ~ThreadDh() {
    for (auto* c : keygen) EVP_PKEY_CTX_free(c);
    for (auto* c : fromdata) EVP_PKEY_CTX_free(c);
    for (auto* g : ecGroup) EC_GROUP_free(g);
    BN_CTX_free(bn);
    EVP_PKEY_free(x25519Base);
  }

  BN_CTX* Bn() {
    if (bn == nullptr) bn = BN_CTX_secure_new();
    return bn;
  }

  EVP_PKEY_CTX* Keygen(DhGroup g) {
    int i = GroupIndex(g);
    if (keygen[i] != nullptr) return keygen[i];
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, KeyTypeName(g), nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
    if (g == DhGroup::kModp2048) {
      unsigned bits = kModpPrivateBits;
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(kModpGroupName), 0),
          OSSL_PARAM_construct_uint(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return nullptr;
    } else if (IsEcp(g)) {
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(EcpCurveName(g)), 0),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return nullptr;
    }
    keygen[i] = ctx.release();
    return keygen[i];
  }

  EVP_PKEY_CTX* Fromdata(DhGroup g) {
    int i = GroupIndex(g);
    if (fromdata[i] != nullptr) return fromdata[i];
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, KeyTypeName(g), nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
    fromdata[i] = ctx.release();
    return fromdata[i];
  }

  // The curve and its field prime p (big-endian, field length) for validation.
  EC_GROUP* Curve(DhGroup g, const uint8_t** prime) {
    int i = g == DhGroup::kEcp256 ? 0 : 1;
    if (ecGroup[i] == nullptr) {
      EC_GROUP* group = EC_GROUP_new_by_curve_name(EcpNid(g));
      if (group == nullptr) return nullptr;
      BnPtr p(BN_new());
      if (!p || EC_GROUP_get_curve(group, p.get(), nullptr, nullptr, nullptr) != 1 ||
          BN_bn2binpad(p.get(), ecPrime[i], static_cast<int>(EcpFieldLength(g))) < 0) {
        EC_GROUP_free(group);
        return nullptr;
      }
      ecGroup[i] = group;
    }
    *prime = ecPrime[i];
    return ecGroup[i];
  }
};

thread_local ThreadDh t_dh;

Status Fail(Status s) {
  ClearOpenSslErrors();
  return s;
}

// Big-endian comparison of equal-length unsigned integers (public data only).
int CompareBe(const uint8_t* a, const uint8_t* b, std::size_t n) { return std::memcmp(a, b, n); }

Status ValidateModp(Bytes y) {
  if (y.size() != sizeof kModp2048Prime) return Status::kDhPeerPublicInvalid;
  // y > 1: some byte before the last is non-zero, or the last byte is > 1.
  bool aboveOne = y[y.size() - 1] > 1;
  for (std::size_t i = 0; i + 1 < y.size() && !aboveOne; ++i) aboveOne = y[i] != 0;
  if (!aboveOne) return Status::kDhPeerPublicInvalid;  // 0 or 1
  // y < p - 1. p ends in 0xFF, so p - 1 is p with its last byte 0xFE.
  uint8_t pMinusOne[sizeof kModp2048Prime];
  std::memcpy(pMinusOne, kModp2048Prime, sizeof pMinusOne);
  pMinusOne[sizeof pMinusOne - 1] = 0xFE;
  if (CompareBe(y.data(), pMinusOne, y.size()) >= 0) return Status::kDhPeerPublicInvalid;  // p-1, p, > p
  return Status::kOk;
}

Status ValidateEcp(DhGroup g, Bytes xy, EcPointPtr* parsed = nullptr) {
  const std::size_t n = EcpFieldLength(g);
  if (xy.size() != 2 * n) return Status::kDhPeerPublicInvalid;
  const uint8_t* prime = nullptr;
  EC_GROUP* curve = t_dh.Curve(g, &prime);
  if (curve == nullptr) return Fail(Status::kOpenSsl);
  // Coordinates must be field elements: 0 <= x, y < p (RFC 5903 §7, SEC1 3.2.2.1).
  if (CompareBe(xy.data(), prime, n) >= 0 || CompareBe(xy.data() + n, prime, n) >= 0) {
    return Status::kDhPeerPublicInvalid;
  }
  uint8_t encoded[1 + 96];
  encoded[0] = 0x04;  // SEC1 uncompressed form, which RFC 5903 omits on the wire
  std::memcpy(encoded + 1, xy.data(), xy.size());
  EcPointPtr point(EC_POINT_new(curve));
  if (!point) return Fail(Status::kOpenSsl);
  if (EC_POINT_oct2point(curve, point.get(), encoded, 1 + xy.size(), nullptr) != 1 ||
      EC_POINT_is_on_curve(curve, point.get(), nullptr) != 1 || EC_POINT_is_at_infinity(curve, point.get()) == 1) {
    return Fail(Status::kDhPeerPublicInvalid);
  }
  // P-256 and P-384 have cofactor 1: every point on the curve other than
  // infinity has prime order, so no subgroup check is needed.
  if (parsed != nullptr) *parsed = std::move(point);
  return Status::kOk;
}

Status ValidateX25519(Bytes u) {
  if (u.size() != 32) return Status::kDhPeerPublicInvalid;
  for (const auto& bad : kX25519LowOrder) {
    if (std::memcmp(u.data(), bad, 31) == 0 && (u[31] & 0x7f) == bad[31]) return Status::kDhPeerPublicInvalid;
  }
  return Status::kOk;
}

Status Generate(DhGroup g, PkeyPtr* out) {
  EVP_PKEY_CTX* ctx = t_dh.Keygen(g);
  if (ctx == nullptr) return Fail(Status::kOpenSsl);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_generate(ctx, &key) != 1) return Fail(Status::kOpenSsl);
  out->reset(key);
  return Status::kOk;
}

Status ExportBn(const EVP_PKEY* key, const char* name, uint8_t* out, std::size_t len) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return Fail(Status::kOpenSsl);
  BnPtr bn(raw);
  if (BN_bn2binpad(bn.get(), out, static_cast<int>(len)) < 0) return Fail(Status::kOpenSsl);
  return Status::kOk;
}

Status ExportPublic(DhGroup g, const EVP_PKEY* key, uint8_t* out) {
  switch (g) {
    case DhGroup::kModp2048:
      return ExportBn(key, OSSL_PKEY_PARAM_PUB_KEY, out, 256);
    case DhGroup::kCurve25519: {
      std::size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out, 32, &len) != 1 || len != 32) {
        return Fail(Status::kOpenSsl);
      }
      return Status::kOk;
    }
    default: {
      const std::size_t n = EcpFieldLength(g);
      uint8_t encoded[1 + 96];
      std::size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, encoded, sizeof encoded, &len) != 1 ||
          len != 1 + 2 * n || encoded[0] != 0x04) {
        return Fail(Status::kOpenSsl);
      }
      std::memcpy(out, encoded + 1, 2 * n);
      return Status::kOk;
    }
  }
}

Status ExportPrivate(DhGroup g, const EVP_PKEY* key, uint8_t* out) {
  const std::size_t pubLen = DhPublicLength(g);
  const std::size_t privLen = DhPrivateLength(g) - pubLen;
  Status s;
  if (g == DhGroup::kCurve25519) {
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PRIV_KEY, out, privLen, &len) != 1 || len != privLen) {
      return Fail(Status::kOpenSsl);
    }
    s = Status::kOk;
  } else {
    s = ExportBn(key, OSSL_PKEY_PARAM_PRIV_KEY, out, privLen);
  }
  if (s != Status::kOk) return s;
  return ExportPublic(g, key, out + privLen);
}

Status FromParams(DhGroup g, int selection, OSSL_PARAM* params, PkeyPtr* out) {
  EVP_PKEY_CTX* ctx = t_dh.Fromdata(g);
  if (ctx == nullptr) return Fail(Status::kOpenSsl);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx, &key, selection, params) != 1) return Fail(Status::kDhPeerPublicInvalid);
  out->reset(key);
  return Status::kOk;
}

// Builds an EVP_PKEY from wire/blob bytes; `priv` is empty for a public key.
Status Import(DhGroup g, Bytes priv, Bytes pub, PkeyPtr* out) {
  const int selection = priv.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR;
  if (g == DhGroup::kCurve25519) {
    OSSL_PARAM params[3];
    int i = 0;
    params[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(pub.data()),
                                                    pub.size());
    if (!priv.empty()) {
      params[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, const_cast<uint8_t*>(priv.data()),
                                                      priv.size());
    }
    params[i] = OSSL_PARAM_construct_end();
    return FromParams(g, selection, params, out);
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return Fail(Status::kOpenSsl);
  BnPtr privBn;
  BnPtr pubBn;
  uint8_t encoded[1 + 96];
  if (g == DhGroup::kModp2048) {
    pubBn.reset(BN_bin2bn(pub.data(), static_cast<int>(pub.size()), nullptr));
    if (!pubBn || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kModpGroupName, 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pubBn.get()) != 1) {
      return Fail(Status::kOpenSsl);
    }
  } else {
    encoded[0] = 0x04;
    std::memcpy(encoded + 1, pub.data(), pub.size());
    if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, EcpCurveName(g), 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded, 1 + pub.size()) != 1) {
      return Fail(Status::kOpenSsl);
    }
  }
  if (!priv.empty()) {
    privBn.reset(BN_secure_new());
    if (!privBn || BN_bin2bn(priv.data(), static_cast<int>(priv.size()), privBn.get()) == nullptr ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, privBn.get()) != 1) {
      return Fail(Status::kOpenSsl);
    }
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return Fail(Status::kOpenSsl);
  return FromParams(g, selection, params.get(), out);
}

bool AllZero(const uint8_t* p, std::size_t n) {
  uint8_t acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc |= p[i];  // constant time: the output is secret
  return acc == 0;
}

// ---- ECP (groups 19, 20) on EC_GROUP/EC_POINT directly -------------------
// ECDH is the x-coordinate of k * Q (RFC 5903 §7), exactly what OpenSSL's own
// ECDH derive computes; calling EC_POINT_mul on a per-thread cached group
// saves two EVP key imports and a group construction per operation (they
// cost as much as the multiplication itself). Private scalars carry
// BN_FLG_CONSTTIME, as OpenSSL's EC_KEY does, so the multiplication takes the
// constant-time path.

Status EcpScalar(DhGroup g, EC_GROUP* curve, Bytes priv, BnPtr* out) {
  BnPtr k(BN_secure_new());
  if (!k || BN_bin2bn(priv.data(), static_cast<int>(priv.size()), k.get()) == nullptr) return Fail(Status::kOpenSsl);
  BN_set_flags(k.get(), BN_FLG_CONSTTIME);
  // 0 < k < n, or the blob is not one of ours.
  if (BN_is_zero(k.get()) || BN_cmp(k.get(), EC_GROUP_get0_order(curve)) >= 0) return Status::kInvalidArgument;
  (void)g;
  *out = std::move(k);
  return Status::kOk;
}

Status EcpAffine(DhGroup g, EC_GROUP* curve, const EC_POINT* p, uint8_t* x, uint8_t* y) {
  BN_CTX* ctx = t_dh.Bn();
  if (ctx == nullptr) return Fail(Status::kOpenSsl);
  BN_CTX_start(ctx);
  BIGNUM* bx = BN_CTX_get(ctx);
  BIGNUM* by = BN_CTX_get(ctx);
  const int n = static_cast<int>(EcpFieldLength(g));
  bool ok = by != nullptr && EC_POINT_get_affine_coordinates(curve, p, bx, by, ctx) == 1 &&
            BN_bn2binpad(bx, x, n) == n && (y == nullptr || BN_bn2binpad(by, y, n) == n);
  BN_clear(bx);
  BN_clear(by);
  BN_CTX_end(ctx);
  return ok ? Status::kOk : Fail(Status::kOpenSsl);
}

Status EcpGenerate(DhGroup g, uint8_t* privOut, uint8_t* pubOut) {
  const uint8_t* prime = nullptr;
  EC_GROUP* curve = t_dh.Curve(g, &prime);
  BN_CTX* ctx = t_dh.Bn();
  if (curve == nullptr || ctx == nullptr) return Fail(Status::kOpenSsl);
  BnPtr k(BN_secure_new());
  EcPointPtr q(EC_POINT_new(curve));
  if (!k || !q) return Fail(Status::kOpenSsl);
  do {  // uniform in [1, n-1]
    if (BN_priv_rand_range_ex(k.get(), EC_GROUP_get0_order(curve), 0, ctx) != 1) return Fail(Status::kOpenSsl);
  } while (BN_is_zero(k.get()));
  BN_set_flags(k.get(), BN_FLG_CONSTTIME);
  const int n = static_cast<int>(EcpFieldLength(g));
  if (EC_POINT_mul(curve, q.get(), k.get(), nullptr, nullptr, ctx) != 1 || BN_bn2binpad(k.get(), privOut, n) != n) {
    return Fail(Status::kOpenSsl);
  }
  return EcpAffine(g, curve, q.get(), pubOut, pubOut + n);
}

Status EcpDerive(DhGroup g, Bytes priv, const EC_POINT* peer, uint8_t* out) {
  const uint8_t* prime = nullptr;
  EC_GROUP* curve = t_dh.Curve(g, &prime);
  BN_CTX* ctx = t_dh.Bn();
  if (curve == nullptr || ctx == nullptr) return Fail(Status::kOpenSsl);
  BnPtr k;
  Status s = EcpScalar(g, curve, priv, &k);
  if (s != Status::kOk) return s;
  EcPointPtr r(EC_POINT_new(curve));
  if (!r || EC_POINT_mul(curve, r.get(), nullptr, peer, k.get(), ctx) != 1) return Fail(Status::kOpenSsl);
  if (EC_POINT_is_at_infinity(curve, r.get()) == 1) return Status::kDhPeerPublicInvalid;  // impossible for a validated peer
  s = EcpAffine(g, curve, r.get(), out, nullptr);
  EC_POINT_clear_free(r.release());
  return s;
}

// ---- X25519 (group 31) -----------------------------------------------------
// OpenSSL 3.0 computes an X25519 public key with a generic base-point routine
// that costs about 1.6 derive operations; the derive path (x86-64 assembly
// ladder) computes X25519(k, 9) -- the same public key (RFC 7748 §6.1) --
// for one. So a key pair is: 32 random octets clamped as RFC 7748 §5 says,
// imported with a placeholder public half (X25519 derivation reads only the
// private scalar; the placeholder never leaves this file), and public =
// X25519(k, 9).

constexpr uint8_t kX25519BasePoint[32] = {9};

// OpenSSL's X25519 function itself, without the EVP layer around it. EVP
// (key import, context, provider dispatch) adds about a fifth to the cost of
// each scalar multiplication. ossl_x25519 is not public API, but the node
// binary exports it (OpenSSL 1.1.1 called it X25519, 3.0 ossl_x25519, same
// signature), so it is looked up at run time and used only after it computed
// RFC 7748 §6.1's key pair and shared secret exactly; otherwise (another
// build, the standalone sanitizer tests) the EVP path below is used.
using RawX25519Fn = int (*)(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);

RawX25519Fn RawX25519() {
  static const RawX25519Fn fn = [] {
    auto* f = reinterpret_cast<RawX25519Fn>(dlsym(RTLD_DEFAULT, "ossl_x25519"));
    if (f == nullptr) return RawX25519Fn{nullptr};
    constexpr uint8_t a[32] = {0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
                               0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
    constexpr uint8_t aPub[32] = {0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
                                  0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a};
    constexpr uint8_t bPub[32] = {0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61, 0xc2, 0xec, 0xe4, 0x35, 0x37,
                                  0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78, 0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f};
    constexpr uint8_t k[32] = {0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b, 0xf4, 0x80, 0x35, 0x0f, 0x25,
                               0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1, 0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42};
    uint8_t pub[32];
    uint8_t shared[32];
    const bool good = f(pub, a, kX25519BasePoint) == 1 && std::memcmp(pub, aPub, 32) == 0 && f(shared, a, bPub) == 1 &&
                      std::memcmp(shared, k, 32) == 0;
    return good ? f : RawX25519Fn{nullptr};
  }();
  return fn;
}

// Private scalars come from the DRBG's private instance in blocks: one
// RAND_priv_bytes call costs about as much for 32 octets as for 1024 (its
// per-call dispatch, locking and re-keying of the CTR generator dominate), and
// the pool made one per key pair. Each thread keeps its own block; every
// octet is handed out once and wiped in the block as it goes, and the rest is
// wiped at thread exit, so no scalar is ever used twice. A fork() child drops
// the block it inherited (its parent may use the same octets).
std::atomic<uint32_t> g_forkGeneration{0};

struct PrivateRandomBlock {
  static constexpr std::size_t kSize = 1024;
  uint8_t bytes[kSize];
  std::size_t used = kSize;
  uint32_t generation = 0;
  ~PrivateRandomBlock() { OPENSSL_cleanse(bytes, sizeof bytes); }

  bool Take(uint8_t* out, std::size_t n) {
    static const bool atforkRegistered = [] {
      return pthread_atfork(nullptr, nullptr, [] { g_forkGeneration.fetch_add(1, std::memory_order_relaxed); }) == 0;
    }();
    const uint32_t now = g_forkGeneration.load(std::memory_order_relaxed);
    if (!atforkRegistered || n > kSize) return RAND_priv_bytes(out, static_cast<int>(n)) == 1;
    if (generation != now || used + n > kSize) {
      if (RAND_priv_bytes(bytes, static_cast<int>(kSize)) != 1) {
        OPENSSL_cleanse(bytes, sizeof bytes);
        used = kSize;
        return false;
      }
      used = 0;
      generation = now;
    }
    std::memcpy(out, bytes + used, n);
    OPENSSL_cleanse(bytes + used, n);
    used += n;
    return true;
  }
};

thread_local PrivateRandomBlock t_privateRandom;

// X25519 with OpenSSL's function directly; all-zero output = low-order peer (RFC 7748 §6.1).
Status RawX25519Mul(RawX25519Fn fn, const uint8_t* scalar, const uint8_t* point, uint8_t* out) {
  if (fn(out, scalar, point) != 1 || AllZero(out, 32)) {
    OPENSSL_cleanse(out, 32);
    return Status::kDhPeerPublicInvalid;
  }
  return Status::kOk;
}

Status RawX25519Generate(RawX25519Fn fn, uint8_t* privOut, uint8_t* pubOut, const uint8_t* peer, uint8_t* sharedOut) {
  StackSecret<32> k;
  if (!t_privateRandom.Take(k.data, 32)) return Fail(Status::kOpenSsl);
  k.data[0] &= 248;  // RFC 7748 §5 decodeScalar25519
  k.data[31] &= 127;
  k.data[31] |= 64;
  if (RawX25519Mul(fn, k.data, kX25519BasePoint, pubOut) != Status::kOk) return Status::kOpenSsl;
  if (privOut != nullptr) std::memcpy(privOut, k.data, 32);
  if (peer != nullptr) return RawX25519Mul(fn, k.data, peer, sharedOut);
  return Status::kOk;
}

Status X25519Import(const uint8_t* priv, PkeyPtr* out) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, const_cast<uint8_t*>(priv), 32),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(kX25519BasePoint), 32),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY_CTX* ctx = t_dh.Fromdata(DhGroup::kCurve25519);
  if (ctx == nullptr) return Fail(Status::kOpenSsl);
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) != 1) return Fail(Status::kOpenSsl);
  out->reset(key);
  return Status::kOk;
}

EVP_PKEY* X25519BasePointKey() {
  if (t_dh.x25519Base == nullptr) {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(kX25519BasePoint), 32),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX* ctx = t_dh.Fromdata(DhGroup::kCurve25519);
    if (ctx == nullptr || EVP_PKEY_fromdata(ctx, &t_dh.x25519Base, EVP_PKEY_PUBLIC_KEY, params) != 1) {
      ClearOpenSslErrors();
      return nullptr;
    }
  }
  return t_dh.x25519Base;
}

// One derive context for our key; set_peer may be called again for a second peer.
Status X25519DeriveOnce(EVP_PKEY_CTX* ctx, EVP_PKEY* peer, uint8_t* out) {
  std::size_t len = 32;
  if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1) return Fail(Status::kDhPeerPublicInvalid);
  if (EVP_PKEY_derive(ctx, out, &len) != 1) return Fail(Status::kDhPeerPublicInvalid);  // OpenSSL's all-zero check
  if (len != 32) return Status::kOpenSsl;
  if (AllZero(out, 32)) {  // RFC 7748 §6.1 / RFC 8031 §2.3
    OPENSSL_cleanse(out, 32);
    return Status::kDhPeerPublicInvalid;
  }
  return Status::kOk;
}

// Generates a key pair; when `peer` is given also derives the shared secret with it.
Status X25519Generate(uint8_t* privOut, uint8_t* pubOut, EVP_PKEY* peer, uint8_t* sharedOut) {
  StackSecret<32> k;
  if (!t_privateRandom.Take(k.data, 32)) return Fail(Status::kOpenSsl);
  k.data[0] &= 248;  // RFC 7748 §5 decodeScalar25519
  k.data[31] &= 127;
  k.data[31] |= 64;
  PkeyPtr mine;
  Status s = X25519Import(k.data, &mine);
  if (s != Status::kOk) return s;
  EVP_PKEY* base = X25519BasePointKey();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.get(), nullptr));
  if (base == nullptr || !ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return Fail(Status::kOpenSsl);
  s = X25519DeriveOnce(ctx.get(), base, pubOut);
  if (s != Status::kOk) return s == Status::kDhPeerPublicInvalid ? Status::kOpenSsl : s;
  if (privOut != nullptr) std::memcpy(privOut, k.data, 32);
  if (peer != nullptr) return X25519DeriveOnce(ctx.get(), peer, sharedOut);
  return Status::kOk;
}

Status DeriveWith(DhGroup g, EVP_PKEY* mine, EVP_PKEY* peer, uint8_t* out) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return Fail(Status::kOpenSsl);
  // g^ir is padded to the modulus length (RFC 7296 §2.14).
  if (g == DhGroup::kModp2048 && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) != 1) return Fail(Status::kOpenSsl);
  // validate_peer = 0: OpenSSL's own check costs a full exponentiation (MODP)
  // or scalar multiplication (ECP); DhValidatePeerPublic already did the
  // checks RFC 6989 asks for, at a fraction of the cost.
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 0) != 1) return Fail(Status::kDhPeerPublicInvalid);
  const std::size_t want = DhSharedLength(g);
  std::size_t len = want;
  if (EVP_PKEY_derive(ctx.get(), out, &len) != 1) {
    // For X25519 the only failure on valid inputs is OpenSSL's own all-zero check.
    return Fail(g == DhGroup::kCurve25519 ? Status::kDhPeerPublicInvalid : Status::kOpenSsl);
  }
  if (len != want) {
    OPENSSL_cleanse(out, want);
    return Status::kOpenSsl;
  }
  // RFC 7748 §6.1 / RFC 8031 §2.3: an all-zero X25519 output means a low-order peer point.
  if (g == DhGroup::kCurve25519 && AllZero(out, want)) {
    OPENSSL_cleanse(out, want);
    return Status::kDhPeerPublicInvalid;
  }
  return Status::kOk;
}

}  // namespace

const char* DhX25519Backend() { return RawX25519() != nullptr ? "ossl_x25519" : "evp"; }

bool DhGroupSupported(uint16_t id) { return id == 14 || id == 19 || id == 20 || id == 31; }

std::size_t DhPublicLength(DhGroup group) {
  switch (group) {
    case DhGroup::kModp2048:
      return 256;
    case DhGroup::kEcp256:
      return 64;
    case DhGroup::kEcp384:
      return 96;
    default:
      return 32;
  }
}

std::size_t DhSharedLength(DhGroup group) {
  switch (group) {
    case DhGroup::kModp2048:
      return 256;
    case DhGroup::kEcp256:
      return 32;
    case DhGroup::kEcp384:
      return 48;
    default:
      return 32;
  }
}

std::size_t DhPrivateLength(DhGroup group) {
  switch (group) {
    case DhGroup::kModp2048:
      return 256 + 256;  // exponent padded to the modulus length | public value
    case DhGroup::kEcp256:
      return 32 + 64;
    case DhGroup::kEcp384:
      return 48 + 96;
    default:
      return 32 + 32;
  }
}

Status DhValidatePeerPublic(DhGroup group, Bytes peer) {
  if (!DhGroupSupported(static_cast<uint16_t>(group))) return Status::kInvalidArgument;
  switch (group) {
    case DhGroup::kModp2048:
      return ValidateModp(peer);
    case DhGroup::kCurve25519:
      return ValidateX25519(peer);
    default:
      return ValidateEcp(group, peer);
  }
}

Status DhGenerate(DhGroup group, uint8_t* publicOut, uint8_t* privateOut) {
  if (!DhGroupSupported(static_cast<uint16_t>(group))) return Status::kInvalidArgument;
  const std::size_t pubLen = DhPublicLength(group);
  const std::size_t privLen = DhPrivateLength(group) - pubLen;
  Status s;
  if (group == DhGroup::kCurve25519) {
    RawX25519Fn raw = RawX25519();
    s = raw != nullptr ? RawX25519Generate(raw, privateOut, publicOut, nullptr, nullptr)
                       : X25519Generate(privateOut, publicOut, nullptr, nullptr);
  } else if (IsEcp(group)) {
    s = EcpGenerate(group, privateOut, publicOut);
  } else {
    PkeyPtr key;
    s = Generate(group, &key);
    if (s == Status::kOk) s = ExportPrivate(group, key.get(), privateOut);
    if (s == Status::kOk) std::memcpy(publicOut, privateOut + privLen, pubLen);
  }
  if (s != Status::kOk) {
    OPENSSL_cleanse(privateOut, DhPrivateLength(group));
    return s;
  }
  std::memcpy(privateOut + privLen, publicOut, pubLen);  // blob = private | public
  return Status::kOk;
}

Status DhDerive(DhGroup group, Bytes privateBlob, Bytes peer, uint8_t* sharedOut) {
  if (!DhGroupSupported(static_cast<uint16_t>(group)) || privateBlob.size() != DhPrivateLength(group)) {
    return Status::kInvalidArgument;
  }
  const std::size_t pubLen = DhPublicLength(group);
  const std::size_t privLen = privateBlob.size() - pubLen;
  if (IsEcp(group)) {
    EcPointPtr point;
    Status s = ValidateEcp(group, peer, &point);
    if (s != Status::kOk) return s;
    return EcpDerive(group, privateBlob.first(privLen), point.get(), sharedOut);
  }
  Status s = DhValidatePeerPublic(group, peer);
  if (s != Status::kOk) return s;
  if (RawX25519Fn raw = RawX25519(); raw != nullptr && group == DhGroup::kCurve25519) {
    return RawX25519Mul(raw, privateBlob.data(), peer.data(), sharedOut);
  }
  PkeyPtr mine;
  s = group == DhGroup::kCurve25519 ? X25519Import(privateBlob.data(), &mine)
                                    : Import(group, privateBlob.first(privLen), privateBlob.subspan(privLen), &mine);
  if (s != Status::kOk) return s == Status::kDhPeerPublicInvalid ? Status::kInvalidArgument : s;
  PkeyPtr theirs;
  s = Import(group, {}, peer, &theirs);
  if (s != Status::kOk) return s;
  return DeriveWith(group, mine.get(), theirs.get(), sharedOut);
}

Status DhRespond(DhGroup group, Bytes peer, uint8_t* publicOut, uint8_t* sharedOut) {
  if (!DhGroupSupported(static_cast<uint16_t>(group))) return Status::kInvalidArgument;
  // Validate before spending a key generation on a bad peer value.
  if (IsEcp(group)) {
    EcPointPtr point;
    Status s = ValidateEcp(group, peer, &point);
    if (s != Status::kOk) return s;
    StackSecret<48> k;
    s = EcpGenerate(group, k.data, publicOut);
    if (s != Status::kOk) return s;
    return EcpDerive(group, Bytes(k.data, EcpFieldLength(group)), point.get(), sharedOut);
  }
  Status s = DhValidatePeerPublic(group, peer);
  if (s != Status::kOk) return s;
  if (RawX25519Fn raw = RawX25519(); raw != nullptr && group == DhGroup::kCurve25519) {
    return RawX25519Generate(raw, nullptr, publicOut, peer.data(), sharedOut);
  }
  PkeyPtr theirs;
  s = Import(group, {}, peer, &theirs);
  if (s != Status::kOk) return s;
  if (group == DhGroup::kCurve25519) return X25519Generate(nullptr, publicOut, theirs.get(), sharedOut);
  PkeyPtr mine;
  s = Generate(group, &mine);
  if (s != Status::kOk) return s;
  s = ExportPublic(group, mine.get(), publicOut);
  if (s != Status::kOk) return s;
  return DeriveWith(group, mine.get(), theirs.get(), sharedOut);
}

}  // namespace ikelb::crypto
