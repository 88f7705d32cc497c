#include "ike/sk.h"

namespace ikelb::ike {

Status ParseSk(const PayloadView& payload, SkPayload& out) {
  out.inner_next = payload.next_type;
  out.data = payload.body;
  return Status{};
}

EncodeStatus EncodeSk(const SkPayload& sk, Writer& w) {
  w.Bytes(sk.data);
  return EncodeStatus{};
}

Status ParseSkf(const PayloadView& payload, SkfPayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "SKF", payload.offset, ToOffset(b.size()), 4);
  out.inner_next = payload.next_type;
  out.fragment_number = Load16(b.data());
  out.total_fragments = Load16(b.data() + 2);
  out.data = b.subspan(4);
  // RFC 7383 §2.5: numbering starts at 1 and never exceeds Total Fragments,
  // which is not zero.
  if (out.fragment_number == 0 || out.total_fragments == 0 || out.fragment_number > out.total_fragments) {
    return Fail(ErrorCode::FRAGMENT_NUMBER, "SKF.fragmentNumber", payload.body_offset(), out.fragment_number, 1,
                out.total_fragments);
  }
  return Status{};
}

EncodeStatus EncodeSkf(const SkfPayload& skf, Writer& w) {
  w.U16(skf.fragment_number);
  w.U16(skf.total_fragments);
  w.Bytes(skf.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
