#include "crypto/keys.h"

#include <algorithm>

#include "crypto/sk.h"

namespace ikelb::crypto {

namespace {
constexpr char kResumption[] = "Resumption";  // RFC 5723 §5.1, without the terminating NUL
}

Status DeriveIkeSaKeys(PrfId prf, Bytes nonceI, Bytes nonceR, Bytes sharedSecret, Bytes spiI, Bytes spiR,
                       Bytes oldSkD, bool resumption, MutableBytes out) {
  if (!PrfSupported(static_cast<uint16_t>(prf)) || spiI.size() != kSpiLength || spiR.size() != kSpiLength ||
      nonceI.empty() || nonceR.empty() || out.empty()) {
    return Status::kInvalidArgument;
  }
  if (resumption && oldSkD.empty()) return Status::kInvalidArgument;
  if (!resumption && sharedSecret.empty()) return Status::kInvalidArgument;
  StackSecret<kMaxPrfLength> skeyseed;
  Status s;
  if (resumption) {
    s = Prf(prf, oldSkD, {AsBytes(kResumption, sizeof kResumption - 1), nonceI, nonceR}, skeyseed.data);
  } else if (!oldSkD.empty()) {
    s = Prf(prf, oldSkD, {sharedSecret, nonceI, nonceR}, skeyseed.data);
  } else {
    // prf(Ni | Nr, g^ir): HMAC takes the whole concatenation as its key.
    Secret key(nonceI.size() + nonceR.size());
    std::copy(nonceI.begin(), nonceI.end(), key.begin());
    std::copy(nonceR.begin(), nonceR.end(), key.begin() + static_cast<std::ptrdiff_t>(nonceI.size()));
    s = Prf(prf, key, {sharedSecret}, skeyseed.data);
  }
  if (s != Status::kOk) return s;
  return PrfPlus(prf, Bytes(skeyseed.data, PrfLength(prf)), {nonceI, nonceR, spiI, spiR}, out);
}

std::size_t IkeSaKeyMaterialLength(PrfId prf) { return 2 * kSkContextLength + 3 * PrfLength(prf); }

Status DeriveIkeSaKeyMaterial(PrfId prf, uint16_t encrId, uint16_t keyBits, uint16_t integId, Bytes nonceI,
                              Bytes nonceR, Bytes sharedSecret, Bytes spiI, Bytes spiR, Bytes oldSkD, bool resumption,
                              MutableBytes out) {
  SkKeyLengths sk;
  if (!PrfSupported(static_cast<uint16_t>(prf)) || SkKeyMaterialLengths(encrId, keyBits, integId, &sk) != Status::kOk ||
      out.size() != IkeSaKeyMaterialLength(prf)) {
    return Status::kInvalidArgument;
  }
  const std::size_t n = PrfLength(prf);
  // prf+ output order: SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr (RFC 7296 §2.14).
  // At most SK_d, SK_pi, SK_pr of 64 (SHA-512), two SK_a of 64, two SK_e of 36 (AES-256 + GCM salt).
  StackSecret<3 * kMaxPrfLength + 2 * 64 + 2 * 36> stream;
  const std::size_t total = n + 2 * sk.integ + 2 * sk.encr + 2 * n;
  if (total > stream.size()) return Status::kInvalidArgument;
  Status s = DeriveIkeSaKeys(prf, nonceI, nonceR, sharedSecret, spiI, spiR, oldSkD, resumption,
                             MutableBytes(stream.data, total));
  if (s != Status::kOk) return s;
  const uint8_t* at = stream.data;
  const Bytes skD(at, n);
  const Bytes skAi(at += n, sk.integ);
  const Bytes skAr(at += sk.integ, sk.integ);
  const Bytes skEi(at += sk.integ, sk.encr);
  const Bytes skEr(at += sk.encr, sk.encr);
  const Bytes skPi(at += sk.encr, n);
  const Bytes skPr(at += n, n);
  s = SkContextInit(out.subspan(0, kSkContextLength), encrId, keyBits, integId, skEi, skAi);
  if (s == Status::kOk) s = SkContextInit(out.subspan(kSkContextLength, kSkContextLength), encrId, keyBits, integId, skEr, skAr);
  if (s != Status::kOk) {
    OPENSSL_cleanse(out.data(), out.size());
    return s;
  }
  std::copy(skD.begin(), skD.end(), out.begin() + 2 * kSkContextLength);
  std::copy(skPi.begin(), skPi.end(), out.begin() + 2 * kSkContextLength + n);
  std::copy(skPr.begin(), skPr.end(), out.begin() + 2 * kSkContextLength + 2 * n);
  return Status::kOk;
}

Status DeriveChildKeymat(PrfId prf, Bytes skD, Bytes sharedSecret, Bytes nonceI, Bytes nonceR, MutableBytes out) {
  if (!PrfSupported(static_cast<uint16_t>(prf)) || skD.empty() || nonceI.empty() || nonceR.empty() ||
      out.empty()) {
    return Status::kInvalidArgument;
  }
  return PrfPlus(prf, skD, {sharedSecret, nonceI, nonceR}, out);
}

}  // namespace ikelb::crypto
