// Configuration payload CP (RFC 7296 §3.15).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C| RESERVED    |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   CFG Type    |                    RESERVED                   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Configuration Attributes                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Configuration attribute (§3.15.1):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|         Attribute Type      |            Length             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                             Value                             ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field      | notes                                    |
// |--------|--------|------------|------------------------------------------|
// | 0      | 1      | CFG Type   | CfgType in constants.def                 |
// | 1      | 3      | RESERVED   | kept                                     |
// | attr 0 | 2      | R + Type   | R: reserved bit, kept                    |
// | attr 2 | 2      | Length     | value octets; ATTRIBUTE_OVERRUN if past  |
// | attr 4 | n      | Value      | empty in a CFG_REQUEST                   |
#pragma once

#include <vector>

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct ConfigAttribute {
  uint16_t type = 0;
  bool reserved_bit = false;
  ByteView value;
};

class ConfigAttributeCursor {
 public:
  ConfigAttributeCursor(ByteView region, Offset base) : region_(region), base_(base) {}
  bool Next(ConfigAttribute& out);
  const Status& status() const { return status_; }

 private:
  ByteView region_;
  size_t pos_ = 0;
  Offset base_ = 0;
  Status status_;
};

struct CpPayload {
  uint8_t cfg_type = 0;
  uint32_t reserved = 0;  ///< 24 bits
  std::vector<ConfigAttribute> attributes;
};

Status ValidateCp(const PayloadView& payload);
Status DecodeCp(const PayloadView& payload, CpPayload& out);
EncodeStatus EncodeCp(const CpPayload& cp, Writer& w);

}  // namespace ikelb::ike
