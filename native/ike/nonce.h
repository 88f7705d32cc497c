// Nonce payload (RFC 7296 §3.9).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                            Nonce Data                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field      | notes                                   |
// |--------|--------|------------|-----------------------------------------|
// | 0      | n      | Nonce Data | 16..256 octets (§3.9), else NONCE_LENGTH |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct NoncePayload {
  ByteView data;
};

Status ParseNonce(const PayloadView& payload, NoncePayload& out);
EncodeStatus EncodeNonce(const NoncePayload& nonce, Writer& w);

}  // namespace ikelb::ike
