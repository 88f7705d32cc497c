#include "ike/cp.h"

namespace ikelb::ike {

bool ConfigAttributeCursor::Next(ConfigAttribute& out) {
  if (!status_.ok()) return false;
  const size_t left = region_.size() - pos_;
  if (left == 0) return false;
  const size_t at = base_ + pos_;
  if (left < 4) {
    status_ = Fail(ErrorCode::ATTRIBUTE_OVERRUN, "CP.attribute", at, 4, 0, ToOffset(left));
    return false;
  }
  const uint8_t* p = region_.data() + pos_;
  const size_t need = 4u + Load16(p + 2);
  if (need > left) {
    status_ = Fail(ErrorCode::ATTRIBUTE_OVERRUN, "CP.attribute.length", at + 2, ToOffset(need), 0, ToOffset(left));
    return false;
  }
  out.reserved_bit = (p[0] & 0x80) != 0;
  out.type = Load16(p) & 0x7fff;
  out.value = ByteView(p + 4, need - 4);
  pos_ += need;
  return true;
}

namespace {

Status ParseCpHeader(const PayloadView& payload, uint8_t& cfg_type, uint32_t& reserved) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "CP", payload.offset, ToOffset(b.size()), 4);
  cfg_type = b[0];
  reserved = Load24(b.data() + 1);
  return Status{};
}

}  // namespace

Status ValidateCp(const PayloadView& payload) {
  uint8_t cfg_type = 0;
  uint32_t reserved = 0;
  IKELB_TRY(ParseCpHeader(payload, cfg_type, reserved));
  ConfigAttributeCursor cursor(payload.body.subspan(4), payload.body_offset() + 4);
  ConfigAttribute attribute;
  while (cursor.Next(attribute)) {
  }
  return cursor.status();
}

Status DecodeCp(const PayloadView& payload, CpPayload& out) {
  IKELB_TRY(ParseCpHeader(payload, out.cfg_type, out.reserved));
  out.attributes.clear();
  ConfigAttributeCursor cursor(payload.body.subspan(4), payload.body_offset() + 4);
  ConfigAttribute attribute;
  while (cursor.Next(attribute)) out.attributes.push_back(attribute);
  return cursor.status();
}

EncodeStatus EncodeCp(const CpPayload& cp, Writer& w) {
  if (cp.reserved > 0xffffff) return Overflow("CP.reserved", cp.reserved, 0xffffff);
  w.U8(cp.cfg_type);
  w.U24(cp.reserved);
  for (const ConfigAttribute& a : cp.attributes) {
    if (a.type > 0x7fff) return Overflow("CP.attribute.type", a.type, 0x7fff);
    if (a.value.size() > 0xffff) return Overflow("CP.attribute.length", a.value.size(), 0xffff);
    w.U16(static_cast<uint16_t>((a.reserved_bit ? 0x8000 : 0) | a.type));
    w.U16(static_cast<uint16_t>(a.value.size()));
    w.Bytes(a.value);
  }
  return EncodeStatus{};
}

}  // namespace ikelb::ike
