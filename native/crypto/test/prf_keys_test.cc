// PRF, prf+, key derivation and AES-GCM under ASan/UBSan.
#include <cstring>

#include "crypto/aead.h"
#include "crypto/keys.h"
#include "crypto/prf.h"
#include "crypto/test/check.h"

using namespace ikelb::crypto;
using namespace ikelb::crypto::test;

TEST(prf_rfc4231_case_2) {
  uint8_t out[32];
  const char* data = "what do ya want for nothing?";
  CHECK(Prf(PrfId::kHmacSha256, AsBytes("Jefe", 4), {AsBytes(data, std::strlen(data))}, out) == Status::kOk);
  CHECK(std::memcmp(out, Hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843").data(), 32) == 0);
}

TEST(digest_fips180_abc_in_parts) {
  uint8_t out[32];
  CHECK(Digest(HashId::kSha1, {AsBytes("a", 1), AsBytes("bc", 2)}, out) == Status::kOk);
  CHECK(std::memcmp(out, Hex("a9993e364706816aba3e25717850c26c9cd0d89d").data(), 20) == 0);
  CHECK(Digest(HashId::kSha256, {AsBytes("abc", 3)}, out) == Status::kOk);
  CHECK(std::memcmp(out, Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").data(), 32) == 0);
}

TEST(prf_plus_lengths_and_limit) {
  std::vector<uint8_t> key(32, 7), seed(40, 9);
  for (std::size_t n : {1u, 32u, 33u, 1000u, 255u * 64u}) {
    std::vector<uint8_t> out(n);
    CHECK(PrfPlus(PrfId::kHmacSha512, key, {Bytes(seed)}, out) == Status::kOk);
  }
  std::vector<uint8_t> big(255 * 32 + 1);
  CHECK(PrfPlus(PrfId::kHmacSha256, key, {Bytes(seed)}, big) == Status::kInvalidArgument);
  // prefix property: a shorter prf+ is a prefix of a longer one
  std::vector<uint8_t> a(50), b(100);
  PrfPlus(PrfId::kHmacSha384, key, {Bytes(seed)}, a);
  PrfPlus(PrfId::kHmacSha384, key, {Bytes(seed)}, b);
  CHECK(std::memcmp(a.data(), b.data(), 50) == 0);
}

TEST(keys_derivation_paths) {
  std::vector<uint8_t> ni(32, 1), nr(32, 2), gir(32, 3), spi(8, 4), skd(32, 5), out(300);
  CHECK(DeriveIkeSaKeys(PrfId::kHmacSha256, ni, nr, gir, spi, spi, {}, false, out) == Status::kOk);
  CHECK(DeriveIkeSaKeys(PrfId::kHmacSha256, ni, nr, gir, spi, spi, skd, false, out) == Status::kOk);
  CHECK(DeriveIkeSaKeys(PrfId::kHmacSha256, ni, nr, {}, spi, spi, skd, true, out) == Status::kOk);
  CHECK(DeriveIkeSaKeys(PrfId::kHmacSha256, ni, nr, {}, spi, spi, {}, false, out) == Status::kInvalidArgument);
  CHECK(DeriveIkeSaKeys(PrfId::kHmacSha256, ni, nr, gir, std::vector<uint8_t>(7), spi, {}, false, out) ==
        Status::kInvalidArgument);
  CHECK(DeriveIkeSaKeys(static_cast<PrfId>(4), ni, nr, gir, spi, spi, {}, false, out) == Status::kInvalidArgument);
  CHECK(DeriveChildKeymat(PrfId::kHmacSha384, skd, gir, ni, nr, out) == Status::kOk);
  CHECK(DeriveChildKeymat(PrfId::kHmacSha384, skd, {}, ni, nr, out) == Status::kOk);
}

TEST(aead_gcm_case_3_and_bad_tag) {
  auto key = Hex("feffe9928665731c6d6a8f9467308308");
  auto iv = Hex("cafebabefacedbaddecaf888");
  auto pt = Hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                "b16aedf5aa0de657ba637b391aafd255");
  std::vector<uint8_t> sealed(pt.size() + 16), opened(pt.size());
  CHECK(AesGcmSeal(key, iv, {}, pt, sealed) == Status::kOk);
  CHECK(std::memcmp(sealed.data() + pt.size(), Hex("4d5c2af327cd64a62cf35abd2ba6fab4").data(), 16) == 0);
  CHECK(AesGcmOpen(key, iv, {}, sealed, opened) == Status::kOk);
  CHECK(opened == pt);
  sealed[3] ^= 1;
  CHECK(AesGcmOpen(key, iv, {}, sealed, opened) == Status::kSkIcvMismatch);
  CHECK(AesGcmOpen(key, iv, {}, std::vector<uint8_t>(5), opened) == Status::kSkMalformed);
}
