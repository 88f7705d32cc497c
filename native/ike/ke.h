// Key Exchange payload (RFC 7296 §3.4).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Diffie-Hellman Group Num    |           RESERVED            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Key Exchange Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field        | notes                                   |
// |--------|--------|--------------|-----------------------------------------|
// | 0      | 2      | DH Group Num | DhGroup in constants.def                |
// | 2      | 2      | RESERVED     | kept for byte-exact re-encoding         |
// | 4      | n      | KE Data      | exactly FixedKeDataLength(group) octets |
//
// Offsets are from the body (after the generic header). A known group's
// data must have its fixed length (KE_DATA_LENGTH: 14:256, 19:64, 31:32 ...);
// any other group's data must be 1..Limit::MAX_UNKNOWN_KE_DATA octets
// (KE_DATA_SIZE) - zero-length and oversized KE data were CVE material.
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct KePayload {
  uint16_t group = 0;
  uint16_t reserved = 0;
  ByteView data;
};

/// View and structured form are the same: scalars and a borrowed span.
Status ParseKe(const PayloadView& payload, KePayload& out);
EncodeStatus EncodeKe(const KePayload& ke, Writer& w);

}  // namespace ikelb::ike
