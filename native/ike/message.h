// Whole messages: the structured decode (header + every payload into C++
// structs) and encode, plus the zero-allocation validation and writer the
// data-plane fast path uses.
//
// Byte strings in the structs are ByteViews BORROWED from the decoded
// datagram (or, for encoding, from whatever the caller points them at): keep
// that buffer alive as long as the Message. Decoding never throws and never
// reads outside the datagram; it returns the first error found.
//
// Round trip: for every datagram D that DecodeMessage accepts,
// Encode(DecodeMessage(D)) == D octet for octet. Everything the wire carries
// is kept for that (reserved fields and bits, attribute TV/TLV form, unknown
// non-critical payloads raw). Encode refuses (EncodeError::INVALID) any
// message DecodeMessage would reject, so what we send always parses.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "ike/auth.h"
#include "ike/cert.h"
#include "ike/cp.h"
#include "ike/delete.h"
#include "ike/eap.h"
#include "ike/errors.h"
#include "ike/header.h"
#include "ike/id.h"
#include "ike/ke.h"
#include "ike/nonce.h"
#include "ike/notify.h"
#include "ike/payload.h"
#include "ike/sa.h"
#include "ike/sk.h"
#include "ike/ts.h"
#include "ike/vendor_id.h"
#include "ike/writer.h"

namespace ikelb::ike {

/// A payload of a type ikelb does not decode, skipped (non-critical) and kept.
struct RawPayload {
  ByteView data;
};

using PayloadBody = std::variant<RawPayload, SaPayload, KePayload, IdPayload, CertPayload, AuthPayload, NoncePayload,
                                 NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, SkPayload, CpPayload,
                                 EapPayload, SkfPayload>;

struct Payload {
  uint8_t type = 0;   ///< PayloadType; IDi/IDr, CERT/CERTREQ and TSi/TSr share a body type
  uint8_t flags = 0;  ///< generic header octet 1: critical bit + reserved bits
  PayloadBody body;
};

struct Message {
  Header header;
  std::vector<Payload> payloads;
};

/// Structured decode of one datagram (header, chain, every payload).
Status DecodeMessage(ByteView datagram, Message& out);

/// Decodes a chain of payloads outside a message: the plaintext of an SK
/// payload after decryption (first_type = the SK's Next Payload). SK and SKF
/// inside are NESTED_SK. Error offsets are base_offset + position.
Status DecodePayloads(ByteView chain, uint8_t first_type, Offset base_offset, std::vector<Payload>& out);

/// Full validation without building anything: what DecodeMessage checks,
/// zero allocation. DecodeMessage(D).ok() == ValidateMessage(D).ok() always.
Status ValidateMessage(ByteView datagram);
Status ValidatePayloads(ByteView chain, uint8_t first_type, Offset base_offset);

/// Validates one payload body (dispatch on payload.type; unknown types pass).
Status ValidatePayload(const PayloadView& payload);

/// The encoded length of a message (runs the encoder without a buffer).
EncodeStatus MeasureEncoded(const Message& message, size_t& needed);

/// Encodes into the caller's buffer; `written` gets the message length. On
/// BUFFER_TOO_SMALL, status.value is the length needed.
EncodeStatus Encode(const Message& message, std::span<uint8_t> out, size_t& written);
EncodeStatus Encode(const Message& message, std::vector<uint8_t>& out);

/// Encodes a payload chain without a header (SK plaintext before
/// encryption); first_type gets the type to put in the SK's Next Payload.
EncodeStatus EncodePayloads(const std::vector<Payload>& payloads, std::vector<uint8_t>& out, uint8_t& first_type);
/// The same into the caller's buffer, in one pass; on BUFFER_TOO_SMALL,
/// status.value is the length needed.
EncodeStatus EncodePayloads(const std::vector<Payload>& payloads, std::span<uint8_t> out, size_t& written,
                            uint8_t& first_type);

/// Zero-allocation message builder for the fast path:
///
///   MessageWriter m(buffer);
///   m.Header(header);
///   m.BeginPayload(PayloadType::NOTIFY);
///   EncodeNotify(notify, m.body());
///   m.EndPayload();
///   size_t n; if (m.Finish(n).ok()) send(buffer, n);
///
/// Next Payload fields and lengths are patched in; Finish validates the
/// result like Encode does.
class MessageWriter {
 public:
  /// with_header = false builds a bare payload chain (SK plaintext).
  explicit MessageWriter(std::span<uint8_t> out, bool with_header = true);
  /// A writer that only measures.
  explicit MessageWriter(bool with_header = true);

  void Header(const ike::Header& header);
  void BeginPayload(uint8_t type, uint8_t flags = 0);
  Writer& body() { return w_; }
  /// SK / SKF: their own Next Payload names the first inner payload.
  void SetOwnNextPayload(uint8_t type);
  EncodeStatus EndPayload();
  /// Patches the header length and validates what was written.
  EncodeStatus Finish(size_t& written);

  uint8_t first_type() const { return first_type_; }
  size_t size() const { return w_.size(); }

 private:
  Writer w_;
  std::span<uint8_t> out_;
  bool with_header_;
  size_t next_field_ = 0;    ///< where the next payload's type is patched in
  bool have_next_field_ = false;
  size_t payload_start_ = 0;
  uint8_t first_type_ = 0;
};

/// Encodes one payload (generic header + body) with m.
EncodeStatus EncodePayload(const Payload& payload, MessageWriter& m);

}  // namespace ikelb::ike
