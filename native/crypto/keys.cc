#include "crypto/keys.h"

#include <algorithm>

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

Status DeriveChildKeymat(PrfId prf, Bytes skD, Bytes sharedSecret, Bytes nonceI, Bytes nonceR, MutableBytes out) {
  if (!PrfSupported(static_cast<uint16_t>(prf)) || skD.empty() || nonceI.empty() || nonceR.empty() ||
      out.empty()) {
    return Status::kInvalidArgument;
  }
  return PrfPlus(prf, skD, {sharedSecret, nonceI, nonceR}, out);
}

}  // namespace ikelb::crypto
