// Extensible Authentication payload EAP (RFC 7296 §3.16) carrying one EAP
// message (RFC 3748 §4).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Code      | Identifier    |           Length              |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      | Type_Data...
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field      | notes                                      |
// |--------|--------|------------|--------------------------------------------|
// | 0      | 1      | Code       | 1 Request, 2 Response, 3 Success, 4 Failure |
// | 1      | 1      | Identifier |                                            |
// | 2      | 2      | Length     | = the payload body (EAP_LENGTH); Request /  |
// |        |        |            | Response >= 5, Success / Failure = 4        |
// | 4      | 1      | Type       | Request / Response only                    |
//
// The message is kept whole (it goes to the EAP method as is); the header
// fields are exposed for dispatch.
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct EapPayload {
  ByteView message;  ///< the whole EAP message
};

struct EapHeader {
  uint8_t code = 0;
  uint8_t identifier = 0;
  uint16_t length = 0;
  bool has_type = false;
  uint8_t type = 0;
};

Status ParseEap(const PayloadView& payload, EapPayload& out);
/// Header fields of a message ParseEap accepted.
EapHeader ReadEapHeader(ByteView message);
EncodeStatus EncodeEap(const EapPayload& eap, Writer& w);

}  // namespace ikelb::ike
