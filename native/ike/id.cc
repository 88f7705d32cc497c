#include "ike/id.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseId(const PayloadView& payload, IdPayload& out) {
  const bool initiator = payload.type == PayloadType::IDi;
  const ByteView b = payload.body;
  if (b.size() < 4) {
    return Fail(ErrorCode::PAYLOAD_TOO_SHORT, initiator ? "IDi" : "IDr", payload.offset, ToOffset(b.size()), 4);
  }
  out.id_type = b[0];
  out.reserved = Load24(b.data() + 1);
  out.data = b.subspan(4);
  const char* field = initiator ? "IDi.data" : "IDr.data";
  const size_t at = payload.body_offset() + 4;
  const uint32_t n = ToOffset(out.data.size());
  switch (out.id_type) {
    case IdType::ID_IPV4_ADDR:
      if (n != 4) return Fail(ErrorCode::ID_DATA_LENGTH, field, at, n, 4, 4);
      break;
    case IdType::ID_IPV6_ADDR:
      if (n != 16) return Fail(ErrorCode::ID_DATA_LENGTH, field, at, n, 16, 16);
      break;
    case IdType::ID_FQDN:
      if (n < 1 || n > WireSize::FQDN_MAX) return Fail(ErrorCode::FQDN_LENGTH, field, at, n, 1, WireSize::FQDN_MAX);
      break;
    case IdType::ID_NULL:  // RFC 7619 §3: the identification data is empty
      if (n != 0) return Fail(ErrorCode::ID_DATA_LENGTH, field, at, n, 0, 0);
      break;
    default:
      if (n == 0) return Fail(ErrorCode::ID_DATA_LENGTH, field, at, n, 1, 0xffff);
      break;
  }
  return Status{};
}

EncodeStatus EncodeId(const IdPayload& id, Writer& w) {
  if (id.reserved > 0xffffff) return Overflow("ID.reserved", id.reserved, 0xffffff);
  w.U8(id.id_type);
  w.U24(id.reserved);
  w.Bytes(id.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
