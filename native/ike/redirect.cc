#include "ike/redirect.h"

#include "ike/message.h"
#include "ike/notify.h"
#include "ike/sa.h"

namespace ikelb::ike {
namespace {

// The codec's own walk (cursor + Parse functions): the exact error of any
// malformed datagram, and the facts of an initial request that the single
// pass below gave up on.
Status InspectWithCursor(const HeaderView& header, bool collect, InitRequestInfo& out) {
  out.nonce = {};
  out.cookie = {};
  out.redirect_supported = false;
  out.redirected_from = false;
  PayloadCursor cursor = PayloadCursor::ForMessage(header);
  PayloadView payload;
  while (cursor.Next(payload)) {
    if (collect && payload.type == PayloadType::NONCE) {
      NoncePayload nonce;
      IKELB_TRY(ParseNonce(payload, nonce));
      out.nonce = nonce.data;
    } else if (collect && payload.type == PayloadType::NOTIFY) {
      NotifyPayload notify;
      IKELB_TRY(ParseNotify(payload, notify));
      if (notify.type == NotifyType::REDIRECT_SUPPORTED) out.redirect_supported = true;
      if (notify.type == NotifyType::REDIRECTED_FROM) out.redirected_from = true;
      if (notify.type == NotifyType::COOKIE) out.cookie = notify.data;
    } else {
      IKELB_TRY(ValidatePayload(payload));
    }
  }
  return cursor.status();
}

// Notify data bounds of the notifications clients put in every
// IKE_SA_INIT, from constants.def (compile-time constants, no lookup).
constexpr NotifyDataBounds kNatDetectionBounds = NotifyDataBoundsFor(NotifyType::NAT_DETECTION_SOURCE_IP);
constexpr NotifyDataBounds kCookieBounds = NotifyDataBoundsFor(NotifyType::COOKIE);
constexpr NotifyDataBounds kRedirectSupportedBounds = NotifyDataBoundsFor(NotifyType::REDIRECT_SUPPORTED);
constexpr NotifyDataBounds kFragmentationBounds = NotifyDataBoundsFor(NotifyType::IKEV2_FRAGMENTATION_SUPPORTED);
static_assert(kNatDetectionBounds.known && kCookieBounds.known && kRedirectSupportedBounds.known &&
              kFragmentationBounds.known);
static_assert(NotifyDataBoundsFor(NotifyType::NAT_DETECTION_DESTINATION_IP).min == kNatDetectionBounds.min &&
              NotifyDataBoundsFor(NotifyType::NAT_DETECTION_DESTINATION_IP).max == kNatDetectionBounds.max);

bool InBounds(size_t n, const NotifyDataBounds& b) { return n >= b.min && n <= b.max; }

// RFC 7296 §3.10 body of a Notify without an SPI (what ParseNotify accepts
// for such a body). False on anything the pass leaves to the codec.
[[gnu::always_inline]] inline bool PassNotify(const uint8_t* body, size_t body_length, InitRequestInfo& out,
                                              bool& supported, bool& redirected_from) {
  if (body_length < 4 || body[1] != 0) return false;  // an SPI: the codec's rules
  const uint16_t notify = Load16(body + 2);
  const size_t data_length = body_length - 4;
  switch (notify) {
    case NotifyType::REDIRECT_SUPPORTED:
      supported = true;
      return InBounds(data_length, kRedirectSupportedBounds);
    case NotifyType::NAT_DETECTION_SOURCE_IP:
    case NotifyType::NAT_DETECTION_DESTINATION_IP:
      return InBounds(data_length, kNatDetectionBounds);
    case NotifyType::IKEV2_FRAGMENTATION_SUPPORTED:
      return InBounds(data_length, kFragmentationBounds);
    case NotifyType::COOKIE:
      out.cookie = ByteView(body + 4, data_length);
      return InBounds(data_length, kCookieBounds);
    case NotifyType::REDIRECTED_FROM:
      redirected_from = true;
      [[fallthrough]];
    default:
      // Structured data (REDIRECT, REDIRECTED_FROM, SIGNATURE_HASH_ALGORITHMS)
      // and every other bound: the codec's own check (notify_data.h).
      return ValidateNotifyData(notify, ByteView(body + 4, data_length), 0).ok();
    case NotifyType::REKEY_SA:  // these need a Child SA's SPI
    case NotifyType::INVALID_SELECTORS:
    case NotifyType::CHILD_SA_NOT_FOUND:
      return false;
  }
}

// The single pass over an initial IKE_SA_INIT request. It applies the
// cursor's chain rules and the Parse functions' body rules of the payloads
// such a request carries, inline, and collects the facts. It only ever
// accepts what the codec accepts; on anything else (an error, an SPI in a
// notify, SK) it returns false and InspectWithCursor decides. The common
// payloads are tested first (no jump table); the SA body, the costly one, is
// usually a byte match in the memo.
bool InspectInitPass(const uint8_t* message, size_t length, InitRequestInfo& out, InitRequestMemo* memo,
                     InitRequestMemo::ShapeBuilder* shape) {
  const uint8_t* p = message + kHeaderSize;
  const uint8_t* const end = message + length;
  uint8_t type = message[header_offset::kNextPayload];
  size_t count = 0;
  bool supported = false;
  bool redirected_from = false;
  // SPIr (zero), type of the first payload, version, exchange, flags,
  // message ID and Length (the datagram's): one span with what follows.
  if (shape != nullptr) shape->Fixed(header_offset::kSpiR, kHeaderSize - header_offset::kSpiR);
  while (type != PayloadType::NONE) {
    // Generic payload header (RFC 7296 §3.2): PayloadCursor::Next's checks.
    const size_t left = static_cast<size_t>(end - p);
    if (left < kPayloadHeaderSize) [[unlikely]] return false;
    const size_t payload_length = Load16(p + 2);
    // A length under 4 wraps around: one compare checks 4 <= length <= left.
    if (payload_length - kPayloadHeaderSize > left - kPayloadHeaderSize) [[unlikely]] return false;
    const uint8_t* body = p + kPayloadHeaderSize;
    const size_t body_length = payload_length - kPayloadHeaderSize;
    const size_t at = static_cast<size_t>(p - message);
    // What decides the verdict: the generic header, and below per type.
    size_t fixed_body = 0;
    if (type == PayloadType::NOTIFY) {
      if (!PassNotify(body, body_length, out, supported, redirected_from)) return false;
      // Protocol, SPI size, type; the data of a notification whose content
      // the codec checks (REDIRECTED_FROM, ...), not of the ones it bounds.
      const uint16_t notify = Load16(body + 2);
      const bool bounded_only = notify == NotifyType::REDIRECT_SUPPORTED || notify == NotifyType::COOKIE ||
                                notify == NotifyType::NAT_DETECTION_SOURCE_IP ||
                                notify == NotifyType::NAT_DETECTION_DESTINATION_IP ||
                                notify == NotifyType::IKEV2_FRAGMENTATION_SUPPORTED;
      fixed_body = bounded_only ? 4 : body_length;
    } else if (type == PayloadType::NONCE) {  // RFC 7296 §3.9: ParseNonce
      if (body_length < WireSize::NONCE_MIN || body_length > WireSize::NONCE_MAX) return false;
      out.nonce = ByteView(body, body_length);
    } else if (type == PayloadType::KE) {  // RFC 7296 §3.4: ParseKe
      if (body_length < 4) return false;
      const uint32_t fixed = FixedKeDataLength(Load16(body));
      const size_t data_length = body_length - 4;
      if (fixed != 0 ? data_length != fixed
                     : data_length < Limit::MIN_UNKNOWN_KE_DATA || data_length > Limit::MAX_UNKNOWN_KE_DATA) {
        return false;
      }
      fixed_body = 4;  // group, reserved
    } else if (type == PayloadType::SA) {  // RFC 7296 §3.3: ValidateSa, or a body it accepted before
      const ByteView sa(body, body_length);
      if (memo == nullptr || !memo->ContainsSa(sa)) {
        const PayloadView view{type, p[0], p[1], sa, ToOffset(at)};
        if (!ValidateSa(view).ok()) return false;
        if (memo != nullptr) memo->RememberSa(sa);
      }
      fixed_body = body_length;
    } else if (type == PayloadType::VENDOR_ID) {  // any body
    } else if (type == PayloadType::SK || type == PayloadType::SKF) {
      return false;  // the cursor's placement rules; never in IKE_SA_INIT
    } else if (!IsDecodedPayloadType(type)) {
      // RFC 7296 §2.5: an unknown payload is skipped unless critical.
      if ((p[1] & PayloadFlag::CRITICAL) != 0) return false;
    } else {
      const PayloadView view{type, p[0], p[1], ByteView(body, body_length), ToOffset(at)};
      if (!ValidatePayload(view).ok()) return false;
      fixed_body = body_length;
    }
    if (shape != nullptr) shape->Fixed(at, kPayloadHeaderSize + fixed_body);
    type = p[0];
    p += payload_length;
    ++count;
  }
  // DATA_AFTER_LAST_PAYLOAD; TOO_MANY_PAYLOADS (the cursor refuses payload
  // MAX_PAYLOADS + 1).
  if (p != end || count > Limit::MAX_PAYLOADS) [[unlikely]] return false;
  out.redirect_supported = supported;
  out.redirected_from = redirected_from;
  return true;
}

}  // namespace

bool InitRequestMemo::ContainsOtherSa(ByteView body) const {
  const size_t len = body.size();
  if (len == 0 || len > kMaxSaBody) return false;
  for (size_t i = 0; i < kSaEntries; ++i) {
    const SaEntry& e = sa_[i];
    if (e.len == len && std::memcmp(e.bytes, body.data(), len) == 0) {
      sa_last_hit_ = i;
      return true;
    }
  }
  return false;
}

void InitRequestMemo::RememberSa(ByteView body) {
  const size_t len = body.size();
  if (len == 0 || len > kMaxSaBody) return;
  SaEntry& e = sa_[sa_next_];
  std::memcpy(e.bytes, body.data(), len);
  e.len = static_cast<uint16_t>(len);
  sa_last_hit_ = sa_next_;
  sa_next_ = (sa_next_ + 1) % kSaEntries;
}

void InitRequestMemo::ShapeBuilder::Fixed(size_t at, size_t n) {
  if (!ok_ || n == 0) return;
  if (fixed_ + n > kMaxFixed || at + n > 0xffff) {
    ok_ = false;
    return;
  }
  fixed_ += n;
  if (count_ > 0 && spans_[count_ - 1].at + spans_[count_ - 1].len == at) {
    spans_[count_ - 1].len = static_cast<uint16_t>(spans_[count_ - 1].len + n);
    return;
  }
  if (count_ == kMaxSpans) {
    ok_ = false;
    return;
  }
  spans_[count_++] = Span{static_cast<uint16_t>(at), static_cast<uint16_t>(n)};
}

void InitRequestMemo::RememberShape(const uint8_t* message, size_t length, const ShapeBuilder& shape,
                                    const InitRequestInfo& facts) {
  if (!shape.ok() || shape.count_ == 0 || length > 0xffff) return;
  Shape& s = shapes_[shape_next_];
  s.length = 0;  // empty while being rewritten
  uint8_t* f = s.fixed;
  for (size_t k = 0; k < shape.count_; ++k) {
    const ShapeBuilder::Span span = shape.spans_[k];
    s.spans[k] = span;
    std::memcpy(f, message + span.at, span.len);
    f += span.len;
  }
  s.span_count = static_cast<uint32_t>(shape.count_);
  const auto offset = [message](ByteView v) {
    return static_cast<uint16_t>(v.empty() ? 0 : static_cast<size_t>(v.data() - message));
  };
  s.nonce_at = offset(facts.nonce);
  s.nonce_len = static_cast<uint16_t>(facts.nonce.size());
  s.cookie_at = offset(facts.cookie);
  s.cookie_len = static_cast<uint16_t>(facts.cookie.size());
  s.supported = facts.redirect_supported;
  s.redirected_from = facts.redirected_from;
  s.length = static_cast<uint32_t>(length);
  shape_last_hit_ = shape_next_;
  shape_next_ = (shape_next_ + 1) % kShapes;
}

Status InspectInitRequest(ByteView datagram, InitRequestInfo& out, InitRequestMemo* memo) {
  out.is_init_request = false;
  IKELB_TRY(ParseHeader(datagram, out.header));
  const HeaderView& h = out.header;
  constexpr uint8_t kDirection = HeaderFlag::INITIATOR | HeaderFlag::RESPONSE;
  out.is_init_request = h.exchange_type() == ExchangeType::IKE_SA_INIT &&
                        (h.flags() & kDirection) == HeaderFlag::INITIATOR && h.message_id() == 0 &&
                        h.spi_r_u64() == 0;
  if (out.is_init_request) [[likely]] {
    if (memo != nullptr && memo->MatchShape(datagram.data(), datagram.size(), out)) [[likely]] return Status{};
    out.nonce = {};
    out.cookie = {};
    InitRequestMemo::ShapeBuilder shape;
    if (InspectInitPass(datagram.data(), datagram.size(), out, memo, memo != nullptr ? &shape : nullptr)) {
      if (memo != nullptr) memo->RememberShape(datagram.data(), datagram.size(), shape, out);
      return Status{};
    }
  }
  return InspectWithCursor(h, out.is_init_request, out);
}

EncodeStatus RedirectAnswer::Build(const GatewayIdentity& gateway) {
  prefix_len_ = 0;
  const uint8_t stand_in[WireSize::NONCE_MIN] = {};
  uint8_t buffer[kMaxSize];
  MessageWriter m(std::span<uint8_t>(buffer, sizeof buffer));
  Header h;  // SPIi is patched per request; SPIr stays zero
  h.exchange_type = ExchangeType::IKE_SA_INIT;
  h.flags = HeaderFlag::RESPONSE;  // RFC 7296 §3.1: a responder's answer, I clear
  h.message_id = 0;
  m.Header(h);
  m.BeginPayload(PayloadType::NOTIFY);
  NotifyPayload notify;
  notify.type = NotifyType::REDIRECT;
  EncodeStatus s = EncodeNotify(notify, m.body());
  if (!s.ok()) return s;
  s = EncodeRedirectData(RedirectData{gateway, ByteView(stand_in, sizeof stand_in)}, false, m.body());
  if (!s.ok()) return s;
  s = m.EndPayload();
  if (!s.ok()) return s;
  size_t written = 0;
  s = m.Finish(written);  // validates the whole answer
  if (!s.ok()) return s;
  const size_t len = written - sizeof stand_in;
  if (len != kFixedPrefix + gateway.value.size() || len > kMaxPrefix) {
    return Overflow("N(REDIRECT).data", len, kMaxPrefix);
  }
  std::memcpy(prefix_, buffer, len);
  prefix_len_ = len;
  return EncodeStatus{};
}

EncodeStatus WriteRedirectResponse(const InitRequestInfo& request, const GatewayIdentity& gateway,
                                   std::span<uint8_t> out, size_t& written) {
  if (request.nonce.empty()) {
    return Invalid(Fail(ErrorCode::REDIRECT_NONCE_LENGTH, "N(REDIRECT).nonce", 0, 0, WireSize::NONCE_MIN,
                        WireSize::NONCE_MAX));
  }
  RedirectAnswer answer;
  const EncodeStatus s = answer.Build(gateway);
  if (!s.ok()) return s;
  const size_t needed = answer.size(request.nonce.size());
  if (needed > out.size()) return EncodeStatus{EncodeError::BUFFER_TOO_SMALL, "buffer", needed, out.size(), {}};
  const size_t n = answer.Write(request.header.spi_i().data(), request.nonce, out.data(), out.size());
  if (n == 0) {  // Ni outside 16..256: not from a request InspectInitRequest accepted
    return Invalid(Fail(ErrorCode::REDIRECT_NONCE_LENGTH, "N(REDIRECT).nonce", 0, ToOffset(request.nonce.size()),
                        WireSize::NONCE_MIN, WireSize::NONCE_MAX));
  }
  written = n;
  return EncodeStatus{};
}

}  // namespace ikelb::ike
