// SK payload under ASan/UBSan: round trips, and thousands of truncated and
// mutated messages, with random SK offsets: nothing may read or write out of
// bounds, every outcome is a status.
#include <cstring>

#include "crypto/sk.h"
#include "crypto/test/check.h"

using namespace ikelb::crypto;
using namespace ikelb::crypto::test;

namespace {

struct Suite {
  uint16_t encr, bits, integ;
  std::size_t encLen, integLen;
};
const Suite kSuites[] = {
    {kEncrAesGcm16, 128, kIntegNone, 20, 0},
    {kEncrAesGcm16, 256, kIntegNone, 36, 0},
    {kEncrAesCbc, 128, kIntegHmacSha256_128, 16, 32},
    {kEncrAesCbc, 256, kIntegHmacSha512_256, 32, 64},
};

std::vector<uint8_t> Build(const std::vector<uint8_t>& ctx, std::size_t skOffset, std::size_t ptLen) {
  SkSizes sizes;
  SkSealedSizes(ctx, ptLen, &sizes);
  std::vector<uint8_t> m(skOffset + sizes.payload, 0x5a);
  StoreBe32(m.data() + 24, static_cast<uint32_t>(m.size()));
  StoreBe16(m.data() + skOffset + 2, static_cast<uint16_t>(sizes.payload));
  return m;
}

}  // namespace

TEST(sk_round_trip_every_suite) {
  for (const Suite& s : kSuites) {
    std::vector<uint8_t> ctx(kSkContextLength), enc(s.encLen, 3), integ(s.integLen, 4);
    CHECK(SkContextInit(ctx, s.encr, s.bits, s.integ, enc, integ) == Status::kOk);
    for (std::size_t len : {0u, 1u, 16u, 17u, 500u}) {
      auto m = Build(ctx, 28, len);
      CHECK(SkProtect(ctx, m, 28, len) == Status::kOk);
      std::size_t off = 0, got = 0;
      CHECK(SkUnprotect(ctx, m, 28, &off, &got) == Status::kOk);
      CHECK(got == len);
    }
  }
}

TEST(sk_mutated_and_truncated_messages_are_statuses) {
  Rng rng;
  for (const Suite& s : kSuites) {
    std::vector<uint8_t> ctx(kSkContextLength), enc(s.encLen, 3), integ(s.integLen, 4);
    SkContextInit(ctx, s.encr, s.bits, s.integ, enc, integ);
    auto sealed = Build(ctx, 28, 64);
    SkProtect(ctx, sealed, 28, 64);
    for (int i = 0; i < 1500; ++i) {
      std::vector<uint8_t> m(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(rng.Below(
                                                              static_cast<uint32_t>(sealed.size() + 1))));
      if (!m.empty() && rng.Below(2) == 0) m[rng.Below(static_cast<uint32_t>(m.size()))] ^= static_cast<uint8_t>(1 + rng.Below(255));
      if (m.size() >= 28 && rng.Below(2) == 0) StoreBe32(m.data() + 24, static_cast<uint32_t>(m.size()));
      std::size_t skOffset = rng.Below(4) == 0 ? rng.Below(80) : 28;
      if (m.size() >= skOffset + 4 && rng.Below(2) == 0) StoreBe16(m.data() + skOffset + 2, static_cast<uint16_t>(m.size() - skOffset));
      std::size_t off = 0, len = 0;
      Status st = SkUnprotect(ctx, m, skOffset, &off, &len);
      CHECK(st == Status::kOk || st == Status::kSkMalformed || st == Status::kSkIcvMismatch);
      if (st == Status::kOk) CHECK(off + len <= m.size());
    }
    // protect with every wrong layout
    for (int i = 0; i < 200; ++i) {
      std::vector<uint8_t> m(rng.Below(200), 0);
      Status st = SkProtect(ctx, m, rng.Below(100), rng.Below(100));
      CHECK(st == Status::kInvalidArgument || st == Status::kOk);
    }
  }
  std::vector<uint8_t> junkCtx(kSkContextLength, 0x11);
  std::vector<uint8_t> m(100);
  std::size_t off = 0, len = 0;
  CHECK(SkUnprotect(junkCtx, m, 28, &off, &len) == Status::kInvalidArgument);
}
