#include "ike/nonce.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseNonce(const PayloadView& payload, NoncePayload& out) {
  const uint32_t n = ToOffset(payload.body.size());
  if (n < WireSize::NONCE_MIN || n > WireSize::NONCE_MAX) {
    return Fail(ErrorCode::NONCE_LENGTH, "NONCE.data", payload.body_offset(), n, WireSize::NONCE_MIN,
                WireSize::NONCE_MAX);
  }
  out.data = payload.body;
  return Status{};
}

EncodeStatus EncodeNonce(const NoncePayload& nonce, Writer& w) {
  w.Bytes(nonce.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
