// A minimal test runner for the sanitizer builds: CHECK records a failure and
// continues; TEST registers a function; main runs them all (or those whose
// name starts with argv[1]) and prints "N passed, N failed".
#pragma once
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace ikelb::crypto::test {

struct Case {
  const char* name;
  std::function<void()> fn;
};
std::vector<Case>& Registry();
extern int g_failures;

struct Register {
  Register(const char* name, std::function<void()> fn) { Registry().push_back({name, std::move(fn)}); }
};

}  // namespace ikelb::crypto::test

#define TEST(name)                                                                      \
  static void test_##name();                                                            \
  static ::ikelb::crypto::test::Register register_##name(#name, test_##name);          \
  static void test_##name()

#define CHECK(cond)                                                                    \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
      ++::ikelb::crypto::test::g_failures;                                             \
    }                                                                                  \
  } while (0)

#include <cstdint>

namespace ikelb::crypto::test {
inline std::vector<uint8_t> Hex(const char* s) {
  std::vector<uint8_t> out;
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; s[i] != 0 && s[i + 1] != 0; i += 2) out.push_back(static_cast<uint8_t>(nib(s[i]) << 4 | nib(s[i + 1])));
  return out;
}
// Deterministic pseudo-random bytes for mutation loops (xorshift).
struct Rng {
  uint64_t s = 0x9e3779b97f4a7c15ULL;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }
};
}  // namespace ikelb::crypto::test
