// Vendor ID payload (RFC 7296 §3.12).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        Vendor ID (VID)                        ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field     | notes                    |
// |--------|--------|-----------|--------------------------|
// | 0      | n      | Vendor ID | opaque, any length       |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct VendorIdPayload {
  ByteView data;
};

Status ParseVendorId(const PayloadView& payload, VendorIdPayload& out);
EncodeStatus EncodeVendorId(const VendorIdPayload& vid, Writer& w);

}  // namespace ikelb::ike
