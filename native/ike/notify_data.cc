#include "ike/notify_data.h"

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

struct RedirectFields {
  const char* ident_len;
  const char* ident;
  const char* nonce;
};

constexpr RedirectFields kRedirect{"N(REDIRECT).gwIdentLen", "N(REDIRECT).gwIdent", "N(REDIRECT).nonce"};
constexpr RedirectFields kRedirectedFrom{"N(REDIRECTED_FROM).gwIdentLen", "N(REDIRECTED_FROM).gwIdent",
                                         "N(REDIRECTED_FROM).nonce"};

// The identity length each GW Ident Type requires; FQDN is 1..255 (checked
// separately so an empty FQDN gets FQDN_LENGTH).
Status CheckIdentity(uint8_t type, size_t len, Offset len_at, size_t left, const RedirectFields& f) {
  switch (type) {
    case GatewayIdentityType::IPV4:
      if (len != 4) return Fail(ErrorCode::REDIRECT_IDENTITY, f.ident_len, len_at, ToOffset(len), 4, ToOffset(left));
      break;
    case GatewayIdentityType::IPV6:
      if (len != 16) {
        return Fail(ErrorCode::REDIRECT_IDENTITY, f.ident_len, len_at, ToOffset(len), 16, ToOffset(left));
      }
      break;
    case GatewayIdentityType::FQDN:
      if (len < 1 || len > WireSize::FQDN_MAX) {
        return Fail(ErrorCode::FQDN_LENGTH, f.ident, len_at + 1, ToOffset(len), 1, WireSize::FQDN_MAX);
      }
      break;
    default:  // unassigned / private types: kept raw, any length that fits
      break;
  }
  return Status{};
}

Status CheckNonce(size_t n, Offset at, bool redirected_from, const RedirectFields& f) {
  if (n == 0) return Status{};
  // RFC 5685 §8.3: REDIRECTED_FROM carries only the original gateway.
  if (redirected_from) return Fail(ErrorCode::REDIRECTED_FROM_TRAILING, f.nonce, at, ToOffset(n));
  if (n < WireSize::NONCE_MIN || n > WireSize::NONCE_MAX) {
    return Fail(ErrorCode::REDIRECT_NONCE_LENGTH, f.nonce, at, ToOffset(n), WireSize::NONCE_MIN, WireSize::NONCE_MAX);
  }
  return Status{};
}

}  // namespace

Status ParseRedirectData(ByteView data, Offset data_offset, bool redirected_from, RedirectData& out) {
  const RedirectFields& f = redirected_from ? kRedirectedFrom : kRedirect;
  if (data.size() < 2) {
    return Fail(ErrorCode::NOTIFY_DATA_LENGTH, "NOTIFY.data", data_offset, ToOffset(data.size()), 3,
                redirected_from ? 257 : 513);
  }
  const uint8_t type = data[0];
  const size_t len = data[1];
  const size_t left = data.size() - 2;
  if (len > left) {
    return Fail(ErrorCode::REDIRECT_IDENTITY, f.ident_len, data_offset + 1, ToOffset(len), 0, ToOffset(left));
  }
  IKELB_TRY(CheckIdentity(type, len, data_offset + 1, left, f));
  const size_t nonce_len = left - len;
  IKELB_TRY(CheckNonce(nonce_len, ToOffset(data_offset + 2 + len), redirected_from, f));
  out.gateway.type = type;
  out.gateway.value = data.subspan(2, len);
  out.nonce = data.subspan(2 + len);
  return Status{};
}

EncodeStatus EncodeRedirectData(const RedirectData& redirect, bool redirected_from, Writer& w) {
  const RedirectFields& f = redirected_from ? kRedirectedFrom : kRedirect;
  const size_t len = redirect.gateway.value.size();
  if (redirect.gateway.type == GatewayIdentityType::FQDN && (len < 1 || len > WireSize::FQDN_MAX)) {
    return Invalid(Fail(ErrorCode::FQDN_LENGTH, f.ident, 2, ToOffset(len), 1, WireSize::FQDN_MAX));
  }
  if (len > 0xff) return Invalid(Fail(ErrorCode::REDIRECT_IDENTITY, f.ident_len, 1, ToOffset(len), 0, 0xff));
  const Status identity = CheckIdentity(redirect.gateway.type, len, 1, len, f);
  if (!identity.ok()) return Invalid(identity);
  const Status nonce = CheckNonce(redirect.nonce.size(), ToOffset(2 + len), redirected_from, f);
  if (!nonce.ok()) return Invalid(nonce);
  w.U8(redirect.gateway.type);
  w.U8(static_cast<uint8_t>(len));
  w.Bytes(redirect.gateway.value);
  w.Bytes(redirect.nonce);
  return EncodeStatus{};
}

Status ParseTicketLtOpaque(ByteView data, Offset data_offset, TicketLtOpaqueData& out) {
  const NotifyDataBounds bounds = NotifyDataBoundsFor(NotifyType::TICKET_LT_OPAQUE);
  if (data.size() < bounds.min) {
    return Fail(ErrorCode::NOTIFY_DATA_LENGTH, "NOTIFY.data", data_offset, ToOffset(data.size()), bounds.min,
                bounds.max);
  }
  out.lifetime = Load32(data.data());
  out.ticket = data.subspan(4);
  return Status{};
}

EncodeStatus EncodeTicketLtOpaque(const TicketLtOpaqueData& ticket, Writer& w) {
  if (ticket.ticket.empty()) {
    return Invalid(Fail(ErrorCode::NOTIFY_DATA_LENGTH, "NOTIFY.data", 0, 4, 5, 65535));
  }
  w.U32(ticket.lifetime);
  w.Bytes(ticket.ticket);
  return EncodeStatus{};
}

Status ValidateNotifyData(uint16_t notify_type, ByteView data, Offset data_offset) {
  const NotifyDataBounds bounds = NotifyDataBoundsFor(notify_type);
  const uint32_t n = ToOffset(data.size());
  if (bounds.known && (n < bounds.min || n > bounds.max)) {
    return Fail(ErrorCode::NOTIFY_DATA_LENGTH, "NOTIFY.data", data_offset, n, bounds.min, bounds.max);
  }
  switch (notify_type) {
    case NotifyType::REDIRECT:
    case NotifyType::REDIRECTED_FROM: {
      RedirectData unused;
      return ParseRedirectData(data, data_offset, notify_type == NotifyType::REDIRECTED_FROM, unused);
    }
    case NotifyType::SIGNATURE_HASH_ALGORITHMS:
      if (n % 2 != 0) return Fail(ErrorCode::HASH_ALGORITHMS_LENGTH, "NOTIFY.data", data_offset, n);
      break;
    default:
      break;
  }
  return Status{};
}

}  // namespace ikelb::ike
