// Encrypted and Authenticated payload SK (RFC 7296 §3.14) and its fragment
// form SKF (RFC 7383 §2.5). The codec keeps the encrypted block opaque:
// splitting IV | ciphertext | ICV needs the negotiated algorithms, which the
// IKE SA knows (the crypto module decrypts, then DecodePayloads parses).
//
// SK:
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// ~                    Encrypted IKE Payloads                     ~
// |               |             Padding (0-255 octets)            |
// +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
// |                                               |  Pad Length   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Integrity Checksum Data                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// SKF (RFC 7383 §2.5):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Fragment Number        |        Total Fragments        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// ~                      Encrypted content                        ~
// ~                    Integrity Checksum Data                    ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field           | notes                                |
// |--------|--------|-----------------|--------------------------------------|
// | hdr 0  | 1      | Next Payload    | type of the first inner payload (SKF: |
// |        |        |                 | fragment 1 only, else 0 - kept as is) |
// | SK 0   | n      | encrypted block | IV | ciphertext | ICV, opaque here    |
// | SKF 0  | 2      | Fragment Number | 1..Total (FRAGMENT_NUMBER)            |
// | SKF 2  | 2      | Total Fragments | >= 1                                  |
// | SKF 4  | n      | encrypted block | opaque                                |
//
// Both must be the last payload (PayloadCursor: SK_NOT_LAST).
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct SkPayload {
  uint8_t inner_next = 0;  ///< type of the first encrypted payload
  ByteView data;           ///< IV | ciphertext | ICV
};

struct SkfPayload {
  uint8_t inner_next = 0;
  uint16_t fragment_number = 1;
  uint16_t total_fragments = 1;
  ByteView data;
};

Status ParseSk(const PayloadView& payload, SkPayload& out);
EncodeStatus EncodeSk(const SkPayload& sk, Writer& w);
Status ParseSkf(const PayloadView& payload, SkfPayload& out);
EncodeStatus EncodeSkf(const SkfPayload& skf, Writer& w);

}  // namespace ikelb::ike
