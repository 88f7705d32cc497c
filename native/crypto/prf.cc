#include "crypto/prf.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

namespace ikelb::crypto {

namespace {

// ---- HMAC (RFC 2104) over OpenSSL's low-level SHA-2 --------------------------
// EVP_MAC_init costs more than the two or three compression-function calls of
// a short IKE PRF input (it re-derives both pads and goes through the provider
// layer every time), and the handshake runs about twenty of them. The
// low-level SHA256_*/SHA512_* functions are deprecated in OpenSSL 3 in favour
// of EVP but still part of its API; they run the same assembly (SHA-NI/AVX2)
// with no provider dispatch and no allocation. The keyed inner and outer
// states are computed once per key and copied per message (prf+ reuses them
// for every block). SHA-1 (not a PRF here) keeps the EVP path.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

class HmacSha2 {
 public:
  /** False for digests this class does not handle (the caller falls back to EVP_MAC). */
  static bool Handles(HashId hash) { return hash == HashId::kSha256 || hash == HashId::kSha384 || hash == HashId::kSha512; }

  HmacSha2(HashId hash, Bytes key) : hash_(hash) {
    const std::size_t block = Block();
    uint8_t k[128] = {};
    if (key.size() > block) {
      Digest(key.data(), key.size(), k);  // RFC 2104 §2: long keys are hashed first
    } else if (!key.empty()) {
      std::memcpy(k, key.data(), key.size());
    }
    uint8_t pad[128];
    for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<uint8_t>(k[i] ^ 0x36);
    Init(&inner_);
    Update(&inner_, pad, block);
    for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<uint8_t>(k[i] ^ 0x5c);
    Init(&outer_);
    Update(&outer_, pad, block);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
  }
  ~HmacSha2() {
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
  }
  HmacSha2(const HmacSha2&) = delete;
  HmacSha2& operator=(const HmacSha2&) = delete;

  /** HMAC over the concatenation of the parts; out gets HashLength(hash) bytes. */
  template <class Parts>
  void Mac(const Parts& parts, uint8_t* out) const {
    State s = inner_;
    for (Bytes d : parts) {
      if (!d.empty()) Update(&s, d.data(), d.size());
    }
    uint8_t ih[64];
    Final(&s, ih);
    s = outer_;
    Update(&s, ih, HashLength(hash_));
    Final(&s, out);
    OPENSSL_cleanse(ih, sizeof ih);
    OPENSSL_cleanse(&s, sizeof s);
  }

 private:
  union State {
    SHA256_CTX s256;
    SHA512_CTX s512;
  };

  std::size_t Block() const { return hash_ == HashId::kSha256 ? 64 : 128; }
  void Init(State* s) const {
    if (hash_ == HashId::kSha256) SHA256_Init(&s->s256);
    else if (hash_ == HashId::kSha384) SHA384_Init(&s->s512);
    else SHA512_Init(&s->s512);
  }
  void Update(State* s, const uint8_t* d, std::size_t n) const {
    if (hash_ == HashId::kSha256) SHA256_Update(&s->s256, d, n);
    else SHA512_Update(&s->s512, d, n);  // SHA384_Update is the same function
  }
  void Final(State* s, uint8_t* out) const {
    if (hash_ == HashId::kSha256) SHA256_Final(out, &s->s256);
    else if (hash_ == HashId::kSha384) SHA384_Final(out, &s->s512);
    else SHA512_Final(out, &s->s512);
  }
  void Digest(const uint8_t* d, std::size_t n, uint8_t* out) const {
    State s;
    Init(&s);
    Update(&s, d, n);
    Final(&s, out);
    OPENSSL_cleanse(&s, sizeof s);
  }

  HashId hash_;
  State inner_;
  State outer_;
};

#pragma GCC diagnostic pop

EVP_MAC* SharedHmac() {
  // Fetched once: a fetched EVP_MAC is immutable and may be shared by threads.
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

// One context per digest per thread; EVP_MAC_init with a new key re-keys it.
struct ThreadMacs {
  EVP_MAC_CTX* ctx[5] = {};
  ~ThreadMacs() {
    for (auto* c : ctx) EVP_MAC_CTX_free(c);
  }
  EVP_MAC_CTX* Get(HashId hash) {
    auto i = static_cast<std::size_t>(hash);
    if (i >= 5) return nullptr;
    if (ctx[i] == nullptr) {
      EVP_MAC* mac = SharedHmac();
      if (mac == nullptr) return nullptr;
      EVP_MAC_CTX* c = EVP_MAC_CTX_new(mac);
      if (c == nullptr) return nullptr;
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(HashName(hash)), 0),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_MAC_CTX_set_params(c, params) != 1) {
        EVP_MAC_CTX_free(c);
        return nullptr;
      }
      ctx[i] = c;
    }
    return ctx[i];
  }
};

thread_local ThreadMacs t_macs;

// A zero-length key must still be a valid pointer for EVP_MAC_init to treat it
// as "set the key" rather than "reuse the previous key".
const uint8_t kEmptyKey[1] = {0};

Status EvpHmac(HashId hash, Bytes key, std::initializer_list<Bytes> data, uint8_t* out) {
  EVP_MAC_CTX* ctx = t_macs.Get(hash);
  if (ctx == nullptr) return Status::kOpenSsl;
  const uint8_t* k = key.empty() ? kEmptyKey : key.data();
  if (EVP_MAC_init(ctx, k, key.size(), nullptr) != 1) return Status::kOpenSsl;
  for (Bytes d : data) {
    if (!d.empty() && EVP_MAC_update(ctx, d.data(), d.size()) != 1) return Status::kOpenSsl;
  }
  std::size_t len = 0;
  if (EVP_MAC_final(ctx, out, &len, HashLength(hash)) != 1 || len != HashLength(hash)) return Status::kOpenSsl;
  return Status::kOk;
}

}  // namespace

bool PrfSupported(uint16_t id) { return id >= 5 && id <= 7; }

HashId PrfHash(PrfId id) {
  switch (id) {
    case PrfId::kHmacSha384:
      return HashId::kSha384;
    case PrfId::kHmacSha512:
      return HashId::kSha512;
    default:
      return HashId::kSha256;
  }
}

std::size_t PrfLength(PrfId id) { return HashLength(PrfHash(id)); }

const char* HashName(HashId id) {
  switch (id) {
    case HashId::kSha1:
      return "SHA1";
    case HashId::kSha384:
      return "SHA384";
    case HashId::kSha512:
      return "SHA512";
    default:
      return "SHA256";
  }
}

std::size_t HashLength(HashId id) {
  switch (id) {
    case HashId::kSha1:
      return 20;
    case HashId::kSha384:
      return 48;
    case HashId::kSha512:
      return 64;
    default:
      return 32;
  }
}

Status Hmac(HashId hash, Bytes key, std::initializer_list<Bytes> data, uint8_t* out) {
  if (!HmacSha2::Handles(hash)) return EvpHmac(hash, key, data, out);
  HmacSha2(hash, key).Mac(data, out);
  return Status::kOk;
}

Status Digest(HashId hash, std::initializer_list<Bytes> data, uint8_t* out) {
  // The low-level functions (same assembly as EVP, see HmacSha2 above): no
  // provider dispatch and no allocation for a one-shot hash of a few octets.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  switch (hash) {
    case HashId::kSha1: {
      SHA_CTX s;
      SHA1_Init(&s);
      for (Bytes d : data) {
        if (!d.empty()) SHA1_Update(&s, d.data(), d.size());
      }
      SHA1_Final(out, &s);
      return Status::kOk;
    }
    case HashId::kSha256: {
      SHA256_CTX s;
      SHA256_Init(&s);
      for (Bytes d : data) {
        if (!d.empty()) SHA256_Update(&s, d.data(), d.size());
      }
      SHA256_Final(out, &s);
      return Status::kOk;
    }
    case HashId::kSha384:
    case HashId::kSha512: {
      SHA512_CTX s;
      if (hash == HashId::kSha384) SHA384_Init(&s);
      else SHA512_Init(&s);
      for (Bytes d : data) {
        if (!d.empty()) SHA512_Update(&s, d.data(), d.size());  // SHA384_Update is the same function
      }
      if (hash == HashId::kSha384) SHA384_Final(out, &s);
      else SHA512_Final(out, &s);
      return Status::kOk;
    }
  }
#pragma GCC diagnostic pop
  return Status::kInvalidArgument;
}

Status PrfPlus(PrfId id, Bytes key, std::initializer_list<Bytes> seed, MutableBytes out) {
  const std::size_t n = PrfLength(id);
  if ((out.size() + n - 1) / n > 255) return Status::kInvalidArgument;  // RFC 7296 §2.13
  const HmacSha2 mac(PrfHash(id), key);  // keyed once for every block
  StackSecret<kMaxPrfLength> t;
  std::size_t tLen = 0;
  std::size_t done = 0;
  // T(n) = prf(K, T(n-1) | S | n): at most 2 + |seed| parts per block.
  Bytes parts[2 + 8];
  if (seed.size() > 8) return Status::kInvalidArgument;
  for (uint8_t counter = 1; done < out.size(); ++counter) {
    std::size_t k = 0;
    if (tLen > 0) parts[k++] = Bytes(t.data, tLen);
    for (Bytes s : seed) parts[k++] = s;
    parts[k++] = Bytes(&counter, 1);
    mac.Mac(std::span<const Bytes>(parts, k), t.data);
    tLen = n;
    std::size_t take = std::min(n, out.size() - done);
    std::copy_n(t.data, take, out.data() + done);
    done += take;
  }
  return Status::kOk;
}

}  // namespace ikelb::crypto
