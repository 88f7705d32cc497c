#include "net/cookie.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstring>

namespace ikelb::net {

namespace {

void WriteBe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t ReadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

bool CookieJar::Seed() {
  for (auto& secret : secrets_) {
    if (RAND_bytes(secret, sizeof secret) != 1) return false;
  }
  return true;
}

// The SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, whose
// init allocates a provider context on every call (measured with
// bench/redirect/malloc-count.c). The fast path must not allocate per packet.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void CookieJar::Hash(const CookieInput& in, uint32_t version, uint8_t* out) const {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, in.nonce, in.nonce_len);
  SHA256_Update(&ctx, in.address, in.address_len);
  SHA256_Update(&ctx, in.spi, 8);
  SHA256_Update(&ctx, secrets_[version % kRing], kCookieSecretSize);
  SHA256_Final(out, &ctx);
  OPENSSL_cleanse(&ctx, sizeof ctx);
}
#pragma GCC diagnostic pop

void CookieJar::Make(const CookieInput& in, uint8_t* out) const {
  uint32_t v = version();
  WriteBe32(out, v);
  Hash(in, v, out + kCookieVersionSize);
}

CookieCheck CookieJar::Verify(const CookieInput& in, const uint8_t* cookie, size_t len) const {
  if (len != kCookieSize) return CookieCheck::kInvalid;
  uint32_t current = version();
  uint32_t claimed = ReadBe32(cookie);
  if (claimed != current && claimed != current - 1) return CookieCheck::kInvalid;
  uint8_t expected[kCookieHashSize];
  Hash(in, claimed, expected);
  bool same = CRYPTO_memcmp(expected, cookie + kCookieVersionSize, kCookieHashSize) == 0;
  return same ? CookieCheck::kValid : CookieCheck::kInvalid;
}

bool CookieJar::Rotate() {
  uint8_t fresh[kCookieSecretSize];
  if (RAND_bytes(fresh, sizeof fresh) != 1) return false;
  RotateTo(fresh);
  OPENSSL_cleanse(fresh, sizeof fresh);
  return true;
}

void CookieJar::RotateTo(const uint8_t* secret) {
  uint32_t next = version_.load(std::memory_order_relaxed) + 1;
  std::memcpy(secrets_[next % kRing], secret, kCookieSecretSize);
  version_.store(next, std::memory_order_release);
}

}  // namespace ikelb::net
