#include "ike/ke.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseKe(const PayloadView& payload, KePayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "KE", payload.offset, ToOffset(b.size()), 4);
  out.group = Load16(b.data());
  out.reserved = Load16(b.data() + 2);
  out.data = b.subspan(4);
  const size_t data_at = payload.body_offset() + 4;
  const uint32_t n = ToOffset(out.data.size());
  if (const uint32_t fixed = FixedKeDataLength(out.group); fixed != 0) {
    if (n != fixed) return Fail(ErrorCode::KE_DATA_LENGTH, "KE.data", data_at, n, fixed, fixed);
  } else if (n < Limit::MIN_UNKNOWN_KE_DATA || n > Limit::MAX_UNKNOWN_KE_DATA) {
    return Fail(ErrorCode::KE_DATA_SIZE, "KE.data", data_at, n, Limit::MIN_UNKNOWN_KE_DATA,
                Limit::MAX_UNKNOWN_KE_DATA);
  }
  return Status{};
}

EncodeStatus EncodeKe(const KePayload& ke, Writer& w) {
  w.U16(ke.group);
  w.U16(ke.reserved);
  w.Bytes(ke.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
