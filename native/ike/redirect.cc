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

// The single pass over an initial IKE_SA_INIT request. It applies the
// cursor's chain rules and the Parse functions' body rules of the payloads
// such a request carries, inline, and collects the facts. It only ever
// accepts what the codec accepts; on anything else (an error, an SPI in a
// notify, SK) it returns false and InspectWithCursor decides.
bool InspectInitPass(const uint8_t* message, size_t length, InitRequestInfo& out, SaBodyMemo* memo) {
  const uint8_t* p = message + kHeaderSize;
  const uint8_t* const end = message + length;
  uint8_t type = message[header_offset::kNextPayload];
  uint32_t count = 0;
  bool supported = false;
  bool redirected_from = false;
  while (type != PayloadType::NONE) {
    // Generic payload header (RFC 7296 §3.2): PayloadCursor::Next's checks.
    const size_t left = static_cast<size_t>(end - p);
    if (left < kPayloadHeaderSize || count == Limit::MAX_PAYLOADS) return false;
    const size_t payload_length = Load16(p + 2);
    if (payload_length < kPayloadHeaderSize || payload_length > left) return false;
    const uint8_t* body = p + kPayloadHeaderSize;
    const size_t body_length = payload_length - kPayloadHeaderSize;
    switch (type) {
      case PayloadType::NONCE:  // RFC 7296 §3.9: ParseNonce
        if (body_length < WireSize::NONCE_MIN || body_length > WireSize::NONCE_MAX) return false;
        out.nonce = ByteView(body, body_length);
        break;
      case PayloadType::NOTIFY: {  // RFC 7296 §3.10: ParseNotify without an SPI
        if (body_length < 4 || body[1] != 0) return false;
        const uint16_t notify = Load16(body + 2);
        const size_t data_length = body_length - 4;
        const NotifyDataBounds bounds = NotifyDataBoundsFor(notify);
        if (bounds.known && (data_length < bounds.min || data_length > bounds.max)) return false;
        switch (notify) {
          case NotifyType::REDIRECT_SUPPORTED:
            supported = true;
            break;
          case NotifyType::COOKIE:
            out.cookie = ByteView(body + 4, data_length);
            break;
          case NotifyType::REDIRECTED_FROM:
            redirected_from = true;
            [[fallthrough]];
          case NotifyType::REDIRECT:
          case NotifyType::SIGNATURE_HASH_ALGORITHMS:
            // Structured data (notify_data.h); rare in a request.
            if (!ValidateNotifyData(notify, ByteView(body + 4, data_length), 0).ok()) return false;
            break;
          case NotifyType::REKEY_SA:  // these need a Child SA's SPI
          case NotifyType::INVALID_SELECTORS:
          case NotifyType::CHILD_SA_NOT_FOUND:
            return false;
          default:
            break;
        }
        break;
      }
      case PayloadType::KE: {  // RFC 7296 §3.4: ParseKe
        if (body_length < 4) return false;
        const uint32_t fixed = FixedKeDataLength(Load16(body));
        const size_t data_length = body_length - 4;
        if (fixed != 0 ? data_length != fixed
                       : data_length < Limit::MIN_UNKNOWN_KE_DATA || data_length > Limit::MAX_UNKNOWN_KE_DATA) {
          return false;
        }
        break;
      }
      case PayloadType::SA: {  // RFC 7296 §3.3: ValidateSa, or a body it accepted before
        const ByteView sa(body, body_length);
        if (memo == nullptr || !memo->Contains(sa)) {
          const PayloadView view{type, p[0], p[1], sa, ToOffset(static_cast<size_t>(p - message))};
          if (!ValidateSa(view).ok()) return false;
          if (memo != nullptr) memo->Remember(sa);
        }
        break;
      }
      case PayloadType::VENDOR_ID:  // any body
        break;
      case PayloadType::SK:  // the cursor's placement rules; never in IKE_SA_INIT
      case PayloadType::SKF:
        return false;
      default:
        if (!IsDecodedPayloadType(type)) {
          // RFC 7296 §2.5: an unknown payload is skipped unless critical.
          if ((p[1] & PayloadFlag::CRITICAL) != 0) return false;
        } else {
          const PayloadView view{type, p[0], p[1], ByteView(body, body_length),
                                 ToOffset(static_cast<size_t>(p - message))};
          if (!ValidatePayload(view).ok()) return false;
        }
        break;
    }
    type = p[0];
    p += payload_length;
    ++count;
  }
  if (p != end) return false;  // DATA_AFTER_LAST_PAYLOAD
  out.redirect_supported = supported;
  out.redirected_from = redirected_from;
  return true;
}

}  // namespace

bool SaBodyMemo::Contains(ByteView body) const {
  const size_t len = body.size();
  if (len == 0 || len > kMaxBody) return false;
  const Entry& hot = entries_[last_hit_];
  if (hot.len == len && std::memcmp(hot.bytes, body.data(), len) == 0) return true;
  for (size_t i = 0; i < kEntries; ++i) {
    const Entry& e = entries_[i];
    if (e.len == len && std::memcmp(e.bytes, body.data(), len) == 0) {
      last_hit_ = i;
      return true;
    }
  }
  return false;
}

void SaBodyMemo::Remember(ByteView body) {
  const size_t len = body.size();
  if (len == 0 || len > kMaxBody) return;
  Entry& e = entries_[next_];
  std::memcpy(e.bytes, body.data(), len);
  e.len = static_cast<uint16_t>(len);
  last_hit_ = next_;
  next_ = (next_ + 1) % kEntries;
}

Status InspectInitRequest(ByteView datagram, InitRequestInfo& out, SaBodyMemo* memo) {
  out.is_init_request = false;
  IKELB_TRY(ParseHeader(datagram, out.header));
  const HeaderView& h = out.header;
  constexpr uint8_t kDirection = HeaderFlag::INITIATOR | HeaderFlag::RESPONSE;
  out.is_init_request = h.exchange_type() == ExchangeType::IKE_SA_INIT &&
                        (h.flags() & kDirection) == HeaderFlag::INITIATOR && h.message_id() == 0 &&
                        h.spi_r_u64() == 0;
  if (out.is_init_request && InspectInitPass(datagram.data(), datagram.size(), out, memo)) [[likely]] {
    return Status{};
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
