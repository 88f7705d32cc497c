// Identification payloads IDi and IDr (RFC 7296 §3.5).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   ID Type     |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Identification Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field    | notes                                        |
// |--------|--------|----------|----------------------------------------------|
// | 0      | 1      | ID Type  | IdType in constants.def                      |
// | 1      | 3      | RESERVED | kept for byte-exact re-encoding              |
// | 4      | n      | ID Data  | IPv4 4, IPv6 16, FQDN 1..255, NULL 0, else >=1 |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct IdPayload {
  uint8_t id_type = 0;
  uint32_t reserved = 0;  ///< 24 bits
  ByteView data;
};

/// For IDi and IDr (payload.type tells which).
Status ParseId(const PayloadView& payload, IdPayload& out);
EncodeStatus EncodeId(const IdPayload& id, Writer& w);

}  // namespace ikelb::ike
