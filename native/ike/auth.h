// Authentication payload (RFC 7296 §3.8).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Auth Method   |                RESERVED                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Authentication Data                      ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field       | notes                           |
// |--------|--------|-------------|---------------------------------|
// | 0      | 1      | Auth Method | AuthMethod in constants.def     |
// | 1      | 3      | RESERVED    | kept for byte-exact re-encoding |
// | 4      | n      | Auth Data   | opaque (checked by the IKE SA)  |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct AuthPayload {
  uint8_t method = 0;
  uint32_t reserved = 0;  ///< 24 bits
  ByteView data;
};

Status ParseAuth(const PayloadView& payload, AuthPayload& out);
EncodeStatus EncodeAuth(const AuthPayload& auth, Writer& w);

}  // namespace ikelb::ike
