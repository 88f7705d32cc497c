#include "ike/eap.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseEap(const PayloadView& payload, EapPayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "EAP", payload.offset, ToOffset(b.size()), 4);
  const uint8_t code = b[0];
  const uint16_t length = Load16(b.data() + 2);
  // RFC 3748 §4.1: Request and Response carry a Type octet; §4.2: Success and
  // Failure are exactly the 4-octet header.
  const uint32_t min = (code == EapCode::REQUEST || code == EapCode::RESPONSE) ? 5 : 4;
  const bool fixed = code == EapCode::SUCCESS || code == EapCode::FAILURE;
  if (length != b.size() || length < min || (fixed && length != 4)) {
    return Fail(ErrorCode::EAP_LENGTH, "EAP.length", payload.body_offset() + 2, length, min, ToOffset(b.size()));
  }
  out.message = b;
  return Status{};
}

EapHeader ReadEapHeader(ByteView message) {
  EapHeader h;
  if (message.size() < 4) return h;
  h.code = message[0];
  h.identifier = message[1];
  h.length = Load16(message.data() + 2);
  if (message.size() >= 5 && (h.code == EapCode::REQUEST || h.code == EapCode::RESPONSE)) {
    h.has_type = true;
    h.type = message[4];
  }
  return h;
}

EncodeStatus EncodeEap(const EapPayload& eap, Writer& w) {
  w.Bytes(eap.message);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
