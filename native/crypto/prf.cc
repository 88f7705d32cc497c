#include "crypto/prf.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>

namespace ikelb::crypto {

namespace {

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

Status PrfPlus(PrfId id, Bytes key, std::initializer_list<Bytes> seed, MutableBytes out) {
  const std::size_t n = PrfLength(id);
  if ((out.size() + n - 1) / n > 255) return Status::kInvalidArgument;  // RFC 7296 §2.13
  EVP_MAC_CTX* ctx = t_macs.Get(PrfHash(id));
  if (ctx == nullptr) return Status::kOpenSsl;
  StackSecret<kMaxPrfLength> t;
  std::size_t tLen = 0;
  std::size_t done = 0;
  const uint8_t* k = key.empty() ? kEmptyKey : key.data();
  for (uint8_t counter = 1; done < out.size(); ++counter) {
    // Key once, then re-init with a null key: OpenSSL reuses the keyed state.
    if (EVP_MAC_init(ctx, counter == 1 ? k : nullptr, counter == 1 ? key.size() : 0, nullptr) != 1) {
      return Status::kOpenSsl;
    }
    if (tLen > 0 && EVP_MAC_update(ctx, t.data, tLen) != 1) return Status::kOpenSsl;
    for (Bytes s : seed) {
      if (!s.empty() && EVP_MAC_update(ctx, s.data(), s.size()) != 1) return Status::kOpenSsl;
    }
    if (EVP_MAC_update(ctx, &counter, 1) != 1) return Status::kOpenSsl;
    if (EVP_MAC_final(ctx, t.data, &tLen, sizeof t.data) != 1 || tLen != n) return Status::kOpenSsl;
    std::size_t take = std::min(n, out.size() - done);
    std::copy_n(t.data, take, out.data() + done);
    done += take;
  }
  return Status::kOk;
}

}  // namespace ikelb::crypto
