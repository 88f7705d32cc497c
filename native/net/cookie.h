// Stateless IKEv2 cookies, RFC 7296 §2.6:
//     Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
// VersionIDofSecret is a 4-octet big-endian number, Hash is SHA-256, so a
// cookie is 36 octets (the RFC allows 1..64). The secret rotates (Rotate());
// a cookie made with the previous secret still verifies, so a client that got
// its cookie just before a rotation is not turned away. Comparison is
// constant-time (CRYPTO_memcmp). No allocation: the low-level SHA-256 API
// works on a caller-provided context (the EVP interface of OpenSSL 3
// allocates a provider context at every init, which the fast path must not).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ikelb::net {

constexpr size_t kCookieSecretSize = 32;
constexpr size_t kCookieVersionSize = 4;
constexpr size_t kCookieHashSize = 32;
constexpr size_t kCookieSize = kCookieVersionSize + kCookieHashSize;

struct CookieInput {
  const uint8_t* nonce;       // Ni data
  size_t nonce_len;
  const uint8_t* address;     // IPi: 4 or 16 octets
  size_t address_len;
  const uint8_t* spi;         // SPIi: 8 octets
};

enum class CookieCheck : uint8_t { kValid, kInvalid };

class CookieJar {
 public:
  // Draws fresh random secrets for the current and previous versions; false
  // when the random generator fails (the engine then refuses to start).
  bool Seed();

  // Writes a cookie for `in` with the current secret into out[kCookieSize].
  void Make(const CookieInput& in, uint8_t* out) const;

  // Accepts a cookie made with the current or the previous secret.
  CookieCheck Verify(const CookieInput& in, const uint8_t* cookie, size_t len) const;

  // Replaces the previous secret by the current one and draws a new current
  // one. Single writer (the JS thread); safe against a concurrent reader: a
  // secret is written into a ring slot no reader uses for versions v and v-1.
  bool Rotate();
  // Test hook: rotate to a given secret (deterministic vectors).
  void RotateTo(const uint8_t* secret);

  uint32_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  void Hash(const CookieInput& in, uint32_t version, uint8_t* out) const;

  static constexpr size_t kRing = 4;
  uint8_t secrets_[kRing][kCookieSecretSize] = {};
  std::atomic<uint32_t> version_{1};
};

}  // namespace ikelb::net
