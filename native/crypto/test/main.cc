#include <cstring>

#include "crypto/test/check.h"

namespace ikelb::crypto::test {
std::vector<Case>& Registry() {
  static std::vector<Case> cases;
  return cases;
}
int g_failures = 0;
}  // namespace ikelb::crypto::test

int main(int argc, char** argv) {
  using namespace ikelb::crypto::test;
  int passed = 0, failed = 0;
  for (const Case& c : Registry()) {
    if (argc > 1 && std::strncmp(c.name, argv[1], std::strlen(argv[1])) != 0) continue;
    const int before = g_failures;
    c.fn();
    const bool ok = g_failures == before;
    std::printf("%s %s\n", ok ? "ok" : "not ok", c.name);
    (ok ? passed : failed)++;
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
