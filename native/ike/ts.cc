#include "ike/ts.h"

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

constexpr size_t kSelectorHeader = 4;

// Selector Length each type requires (§3.13.1), or 0 for types kept raw.
constexpr size_t SelectorLengthFor(uint8_t type) {
  switch (type) {
    case TsType::TS_IPV4_ADDR_RANGE:
      return 16;
    case TsType::TS_IPV6_ADDR_RANGE:
      return 40;
    default:
      return 0;
  }
}

}  // namespace

bool TrafficSelectorCursor::Next(TrafficSelector& out) {
  if (done_) return false;
  const size_t left = region_.size() - pos_;
  const size_t at = base_ + pos_;
  if (left == 0) {
    done_ = true;
    if (seen_ != announced_) {
      return Stop(Fail(ErrorCode::TS_COUNT, initiator_ ? "TSi.count" : "TSr.count", count_at_, announced_, seen_));
    }
    return false;
  }
  if (seen_ == announced_) {
    return Stop(Fail(ErrorCode::TS_COUNT, initiator_ ? "TSi.count" : "TSr.count", count_at_, announced_, seen_ + 1));
  }
  const char* length_field = initiator_ ? "TSi.selector.length" : "TSr.selector.length";
  if (left < kSelectorHeader) {
    return Stop(Fail(ErrorCode::TS_LENGTH, initiator_ ? "TSi.selector" : "TSr.selector", at, ToOffset(left),
                     kSelectorHeader, ToOffset(left)));
  }
  const uint8_t* p = region_.data() + pos_;
  const uint8_t type = p[0];
  const uint16_t length = Load16(p + 2);
  const size_t required = SelectorLengthFor(type);
  if (length > left || length < kSelectorHeader || (required != 0 && length != required)) {
    return Stop(Fail(ErrorCode::TS_LENGTH, length_field, at + 2, length,
                     ToOffset(required != 0 ? required : kSelectorHeader), ToOffset(left)));
  }
  out = TrafficSelector{};
  out.ts_type = type;
  out.ip_protocol = p[1];
  if (required != 0) {
    const size_t addr = (required - 8) / 2;
    out.start_port = Load16(p + 4);
    out.end_port = Load16(p + 6);
    out.start_address = ByteView(p + 8, addr);
    out.end_address = ByteView(p + 8 + addr, addr);
  } else {
    out.raw = ByteView(p + kSelectorHeader, length - kSelectorHeader);
  }
  pos_ += length;
  ++seen_;
  return true;
}

Status ParseTsHeader(const PayloadView& payload, uint8_t& count, uint32_t& reserved) {
  const ByteView b = payload.body;
  if (b.size() < 4) {
    return Fail(ErrorCode::PAYLOAD_TOO_SHORT, payload.type == PayloadType::TSi ? "TSi" : "TSr", payload.offset,
                ToOffset(b.size()), 4);
  }
  count = b[0];
  reserved = Load24(b.data() + 1);
  return Status{};
}

TrafficSelectorCursor SelectorCursor(const PayloadView& payload) {
  const ByteView b = payload.body;
  const uint8_t count = b.empty() ? 0 : b[0];
  return TrafficSelectorCursor(b.size() >= 4 ? b.subspan(4) : ByteView{}, payload.body_offset() + 4, count,
                               payload.body_offset(), payload.type == PayloadType::TSi);
}

Status ValidateTs(const PayloadView& payload) {
  uint8_t count = 0;
  uint32_t reserved = 0;
  IKELB_TRY(ParseTsHeader(payload, count, reserved));
  TrafficSelectorCursor cursor = SelectorCursor(payload);
  TrafficSelector ts;
  while (cursor.Next(ts)) {
  }
  return cursor.status();
}

Status DecodeTs(const PayloadView& payload, TsPayload& out) {
  uint8_t count = 0;
  IKELB_TRY(ParseTsHeader(payload, count, out.reserved));
  out.selectors.clear();
  out.selectors.reserve(count);
  TrafficSelectorCursor cursor = SelectorCursor(payload);
  TrafficSelector ts;
  while (cursor.Next(ts)) out.selectors.push_back(ts);
  return cursor.status();
}

EncodeStatus EncodeTs(const TsPayload& ts, Writer& w) {
  if (ts.selectors.size() > 0xff) return Overflow("TS.selectors", ts.selectors.size(), 0xff);
  if (ts.reserved > 0xffffff) return Overflow("TS.reserved", ts.reserved, 0xffffff);
  w.U8(static_cast<uint8_t>(ts.selectors.size()));
  w.U24(ts.reserved);
  for (const TrafficSelector& s : ts.selectors) {
    const size_t length = SelectorLengthFor(s.ts_type);
    if (length != 0) {
      const size_t addr = (length - 8) / 2;
      if (s.start_address.size() != addr) return Overflow("TS.selector.startAddress", s.start_address.size(), addr);
      if (s.end_address.size() != addr) return Overflow("TS.selector.endAddress", s.end_address.size(), addr);
      w.U8(s.ts_type);
      w.U8(s.ip_protocol);
      w.U16(static_cast<uint16_t>(length));
      w.U16(s.start_port);
      w.U16(s.end_port);
      w.Bytes(s.start_address);
      w.Bytes(s.end_address);
    } else {
      if (s.raw.size() > 0xffff - kSelectorHeader) {
        return Overflow("TS.selector.length", s.raw.size() + kSelectorHeader, 0xffff);
      }
      w.U8(s.ts_type);
      w.U8(s.ip_protocol);
      w.U16(static_cast<uint16_t>(s.raw.size() + kSelectorHeader));
      w.Bytes(s.raw);
    }
  }
  return EncodeStatus{};
}

}  // namespace ikelb::ike
