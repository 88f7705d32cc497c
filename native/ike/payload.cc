#include "ike/payload.h"

namespace ikelb::ike {

PayloadCursor::PayloadCursor(ByteView region, uint8_t first_type, Offset base_offset, bool inside_sk)
    : region_(region), next_type_(first_type), base_(base_offset), inside_sk_(inside_sk) {}

PayloadCursor PayloadCursor::ForMessage(const HeaderView& header) {
  return PayloadCursor(header.payloads(), header.next_payload(), static_cast<Offset>(kHeaderSize), false);
}

bool PayloadCursor::Stop(const Status& status) {
  status_ = status;
  done_ = true;
  return false;
}

bool PayloadCursor::Next(PayloadView& out) {
  if (done_) return false;
  const size_t left = region_.size() - pos_;
  const size_t at = base_ + pos_;
  if (next_type_ == PayloadType::NONE) {
    if (left != 0) {
      return Stop(Fail(ErrorCode::DATA_AFTER_LAST_PAYLOAD, "payload", at, ToOffset(left)));
    }
    done_ = true;
    return false;
  }
  if (count_ >= Limit::MAX_PAYLOADS) {
    return Stop(Fail(ErrorCode::TOO_MANY_PAYLOADS, "payload", at, count_ + 1, 0, Limit::MAX_PAYLOADS));
  }
  if (left < kPayloadHeaderSize) {
    return Stop(Fail(ErrorCode::PAYLOAD_HEADER_TRUNCATED, "payload", at, ToOffset(left), kPayloadHeaderSize));
  }
  const uint8_t* p = region_.data() + pos_;
  const uint16_t length = Load16(p + 2);
  if (length < kPayloadHeaderSize) {
    return Stop(Fail(ErrorCode::PAYLOAD_LENGTH_TOO_SMALL, "payload.length", at + 2, length, kPayloadHeaderSize));
  }
  if (length > left) {
    return Stop(Fail(ErrorCode::PAYLOAD_LENGTH_OVERRUN, "payload.length", at + 2, length, 0, ToOffset(left)));
  }
  const uint8_t type = next_type_;
  const uint8_t flags = p[1];
  // RFC 7296 §2.5: the critical bit only matters for types we do not know.
  if (!IsDecodedPayloadType(type) && (flags & PayloadFlag::CRITICAL) != 0) {
    return Stop(Fail(ErrorCode::UNSUPPORTED_CRITICAL_PAYLOAD, "payload.critical", at + 1, type));
  }
  const bool encrypted = type == PayloadType::SK || type == PayloadType::SKF;
  if (encrypted) {
    if (inside_sk_) return Stop(Fail(ErrorCode::NESTED_SK, "payload", at, type));
    // RFC 7296 §3.14, RFC 7383 §2.5: SK / SKF is the last payload.
    if (length != left) {
      return Stop(Fail(ErrorCode::SK_NOT_LAST, "payload", at + length, ToOffset(left - length)));
    }
  }
  out.type = type;
  out.next_type = p[0];
  out.flags = flags;
  out.body = ByteView(p + kPayloadHeaderSize, length - kPayloadHeaderSize);
  out.offset = ToOffset(at);
  pos_ += length;
  ++count_;
  // An SK's Next Payload names its first inner payload, not a sibling.
  next_type_ = encrypted ? PayloadType::NONE : p[0];
  return true;
}

}  // namespace ikelb::ike
