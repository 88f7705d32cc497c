// Byte spans and secret storage shared by the crypto core. Secrets live in
// Secret (a vector whose allocator wipes memory with OPENSSL_cleanse before
// freeing it), so key material never lingers in freed heap blocks.
#pragma once
#include <openssl/crypto.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <vector>

namespace ikelb::crypto {

using Bytes = std::span<const uint8_t>;
using MutableBytes = std::span<uint8_t>;

template <class T>
struct CleansingAllocator {
  using value_type = T;
  CleansingAllocator() noexcept = default;
  template <class U>
  CleansingAllocator(const CleansingAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept {
    OPENSSL_cleanse(p, n * sizeof(T));
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const CleansingAllocator<U>&) const noexcept { return true; }
};

/** Heap bytes that are wiped when freed (keys, shared secrets, SKEYSEED). */
using Secret = std::vector<uint8_t, CleansingAllocator<uint8_t>>;

/** Fixed-size stack secret wiped on scope exit. */
template <std::size_t N>
struct StackSecret {
  uint8_t data[N];
  StackSecret() = default;
  StackSecret(const StackSecret&) = delete;
  StackSecret& operator=(const StackSecret&) = delete;
  ~StackSecret() { OPENSSL_cleanse(data, N); }
  static constexpr std::size_t size() { return N; }
};

inline Bytes AsBytes(const char* s, std::size_t n) { return {reinterpret_cast<const uint8_t*>(s), n}; }

inline void StoreBe16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void StoreBe32(uint8_t* p, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
inline void StoreBe64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
inline uint16_t LoadBe16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t LoadBe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace ikelb::crypto
