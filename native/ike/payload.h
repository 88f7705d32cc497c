// The generic payload header (RFC 7296 §3.2) and the zero-allocation cursor
// that walks a chain of them with full bounds checks.
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field          | notes                                   |
// |--------|--------|----------------|-----------------------------------------|
// | 0      | 1      | Next Payload   | type of the NEXT payload, 0 ends chain  |
// | 1      | 1      | C + RESERVED   | C (0x80): reject if type unknown (§2.5) |
// | 2      | 2      | Payload Length | header included, >= 4                   |
//
// A payload's own type is the previous payload's Next Payload (the header's
// for the first). SK and SKF (RFC 7296 §3.14, RFC 7383 §2.5) end the chain:
// their Next Payload names the first payload inside the encrypted data, and
// they must be the last payload of the message.
//
// Fast-path use (no allocation, no exceptions):
//
//   HeaderView hdr;
//   if (!ParseHeader(datagram, hdr).ok()) drop();
//   PayloadCursor cursor = PayloadCursor::ForMessage(hdr);
//   PayloadView payload;
//   while (cursor.Next(payload)) {
//     if (payload.type == PayloadType::NOTIFY) { NotifyView n; ... ParseNotify(payload, n) ... }
//   }
//   if (!cursor.status().ok()) drop(cursor.status());  // malformed chain
#pragma once

#include <cstdint>

#include "ike/bytes.h"
#include "ike/constants.h"
#include "ike/errors.h"
#include "ike/header.h"

namespace ikelb::ike {

inline constexpr size_t kPayloadHeaderSize = 4;

/// One payload of a chain: borrowed, valid as long as the datagram is.
struct PayloadView {
  uint8_t type = 0;        ///< this payload's type (from the previous Next Payload)
  uint8_t next_type = 0;   ///< its own Next Payload field
  uint8_t flags = 0;       ///< octet 1: the critical bit and 7 reserved bits
  ByteView body;           ///< the payload after its 4-octet generic header
  Offset offset = 0;       ///< absolute offset of the generic header

  bool critical() const { return (flags & PayloadFlag::CRITICAL) != 0; }
  /// Absolute offset of the first body octet.
  Offset body_offset() const { return offset + static_cast<Offset>(kPayloadHeaderSize); }
};

/// Walks a payload chain. Each Next() checks the generic header against the
/// octets left (PAYLOAD_HEADER_TRUNCATED, PAYLOAD_LENGTH_TOO_SMALL,
/// PAYLOAD_LENGTH_OVERRUN), the payload count (TOO_MANY_PAYLOADS, after
/// Limit::MAX_PAYLOADS), unknown critical payloads (UNSUPPORTED_CRITICAL_PAYLOAD,
/// value = the type), SK/SKF placement (SK_NOT_LAST, NESTED_SK) and, when the
/// chain ends, that nothing follows the last payload (DATA_AFTER_LAST_PAYLOAD).
/// Payload bodies are not looked at: use the per-payload Parse functions.
class PayloadCursor {
 public:
  /// `region` holds the chain, `first_type` is the type of its first payload
  /// (0: empty chain), `base_offset` is region[0]'s absolute offset (for error
  /// offsets). `inside_sk`: the chain is decrypted SK content, where SK and
  /// SKF may not appear.
  PayloadCursor(ByteView region, uint8_t first_type, Offset base_offset, bool inside_sk);

  /// The payloads of a message whose header ParseHeader accepted.
  static PayloadCursor ForMessage(const HeaderView& header);

  /// Produces the next payload and returns true; returns false at the end of
  /// the chain or on an error (then status() says which).
  bool Next(PayloadView& out);

  const Status& status() const { return status_; }
  /// Payloads produced so far.
  uint32_t count() const { return count_; }

 private:
  bool Stop(const Status& status);

  ByteView region_;
  size_t pos_ = 0;
  uint8_t next_type_ = 0;
  Offset base_ = 0;
  bool inside_sk_ = false;
  bool done_ = false;
  uint32_t count_ = 0;
  Status status_;
};

}  // namespace ikelb::ike
