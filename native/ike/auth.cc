#include "ike/auth.h"

namespace ikelb::ike {

Status ParseAuth(const PayloadView& payload, AuthPayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "AUTH", payload.offset, ToOffset(b.size()), 4);
  out.method = b[0];
  out.reserved = Load24(b.data() + 1);
  out.data = b.subspan(4);
  return Status{};
}

EncodeStatus EncodeAuth(const AuthPayload& auth, Writer& w) {
  if (auth.reserved > 0xffffff) return Overflow("AUTH.reserved", auth.reserved, 0xffffff);
  w.U8(auth.method);
  w.U24(auth.reserved);
  w.Bytes(auth.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
