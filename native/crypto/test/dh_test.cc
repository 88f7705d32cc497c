// DH under ASan/UBSan: RFC 7748 §6.1, round trips, every rejection path, and
// random peer values of every length (nothing may crash or read out of bounds).
#include <cstring>

#include "crypto/dh.h"
#include "crypto/test/check.h"

using namespace ikelb::crypto;
using namespace ikelb::crypto::test;

namespace {
const DhGroup kGroups[] = {DhGroup::kModp2048, DhGroup::kEcp256, DhGroup::kEcp384, DhGroup::kCurve25519};
}

TEST(dh_rfc7748_section_6_1) {
  auto priv = Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
                  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  auto bob = Hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto want = Hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  uint8_t out[32];
  CHECK(DhDerive(DhGroup::kCurve25519, priv, bob, out) == Status::kOk);
  CHECK(std::memcmp(out, want.data(), 32) == 0);
}

TEST(dh_round_trips_every_group) {
  for (DhGroup g : kGroups) {
    std::vector<uint8_t> pub(DhPublicLength(g)), priv(DhPrivateLength(g)), rpub(DhPublicLength(g));
    std::vector<uint8_t> s1(DhSharedLength(g)), s2(DhSharedLength(g));
    CHECK(DhGenerate(g, pub.data(), priv.data()) == Status::kOk);
    CHECK(DhValidatePeerPublic(g, pub) == Status::kOk);
    CHECK(DhRespond(g, pub, rpub.data(), s1.data()) == Status::kOk);
    CHECK(DhDerive(g, priv, rpub, s2.data()) == Status::kOk);
    CHECK(s1 == s2);
  }
}

TEST(dh_rejects_bad_peer_values) {
  std::vector<uint8_t> zero(256, 0), one(256, 0), ff(256, 0xff);
  one[255] = 1;
  CHECK(DhValidatePeerPublic(DhGroup::kModp2048, zero) == Status::kDhPeerPublicInvalid);
  CHECK(DhValidatePeerPublic(DhGroup::kModp2048, one) == Status::kDhPeerPublicInvalid);
  CHECK(DhValidatePeerPublic(DhGroup::kModp2048, ff) == Status::kDhPeerPublicInvalid);
  std::vector<uint8_t> two = one;
  two[255] = 2;
  CHECK(DhValidatePeerPublic(DhGroup::kModp2048, two) == Status::kOk);
  CHECK(DhValidatePeerPublic(DhGroup::kEcp256, std::vector<uint8_t>(64, 0)) == Status::kDhPeerPublicInvalid);
  CHECK(DhValidatePeerPublic(DhGroup::kEcp384, std::vector<uint8_t>(96, 0xff)) == Status::kDhPeerPublicInvalid);
  CHECK(DhValidatePeerPublic(DhGroup::kCurve25519, std::vector<uint8_t>(32, 0)) == Status::kDhPeerPublicInvalid);
  CHECK(DhValidatePeerPublic(static_cast<DhGroup>(21), std::vector<uint8_t>(66, 1)) == Status::kInvalidArgument);
  uint8_t pub[32], shared[32];
  CHECK(DhRespond(DhGroup::kCurve25519, std::vector<uint8_t>(32, 0), pub, shared) == Status::kDhPeerPublicInvalid);
  std::vector<uint8_t> priv(64, 1);
  CHECK(DhDerive(DhGroup::kCurve25519, std::vector<uint8_t>(63, 1), std::vector<uint8_t>(32, 9), shared) ==
        Status::kInvalidArgument);
  (void)priv;
}

TEST(dh_random_peer_values_never_crash) {
  Rng rng;
  for (DhGroup g : kGroups) {
    std::vector<uint8_t> priv(DhPrivateLength(g)), pub(DhPublicLength(g)), shared(DhSharedLength(g));
    CHECK(DhGenerate(g, pub.data(), priv.data()) == Status::kOk);
    for (int i = 0; i < 60; ++i) {
      std::size_t len = (i % 3 == 0) ? DhPublicLength(g) : rng.Below(300);
      std::vector<uint8_t> peer(len);
      for (auto& b : peer) b = static_cast<uint8_t>(rng.Next());
      Status s = DhDerive(g, priv, peer, shared.data());
      CHECK(s == Status::kOk || s == Status::kDhPeerPublicInvalid);
    }
  }
}
