#include "net/fast_path.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <span>

#include "ike/constants.h"
#include "ike/errors.h"
#include "ike/header.h"
#include "ike/message.h"
#include "ike/nonce.h"
#include "ike/notify.h"
#include "ike/notify_data.h"
#include "ike/payload.h"
#include "net/shared_layout.h"

namespace ikelb::net {

namespace {

using ike::ErrorCode;

// The codec's decode error classes, folded into the engine's drop reasons.
DropReason DropReasonFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::TRUNCATED_HEADER:
      return DropReason::too_short;
    case ErrorCode::UNSUPPORTED_MAJOR_VERSION:
      return DropReason::unsupported_version;
    case ErrorCode::HEADER_LENGTH_TOO_SMALL:
    case ErrorCode::LENGTH_EXCEEDS_DATAGRAM:
    case ErrorCode::TRAILING_BYTES:
      return DropReason::bad_header;
    case ErrorCode::PAYLOAD_HEADER_TRUNCATED:
    case ErrorCode::PAYLOAD_LENGTH_TOO_SMALL:
    case ErrorCode::PAYLOAD_LENGTH_OVERRUN:
    case ErrorCode::DATA_AFTER_LAST_PAYLOAD:
    case ErrorCode::TOO_MANY_PAYLOADS:
    case ErrorCode::SK_NOT_LAST:
    case ErrorCode::NESTED_SK:
      return DropReason::bad_payload_chain;
    case ErrorCode::UNSUPPORTED_CRITICAL_PAYLOAD:
      return DropReason::unsupported_critical;
    default:
      return DropReason::bad_payload;
  }
}

FastPathResult Drop(DropReason reason) {
  FastPathResult r;
  r.verdict = Verdict::kDrop;
  r.reason = reason;
  return r;
}

FastPathResult Drop(const ike::Status& status) { return Drop(DropReasonFor(status.code)); }

FastPathResult Pass() { return FastPathResult{}; }

// RFC 7296 §1.2 / §2.6: the first IKE_SA_INIT request of an initiator.
// (Flag tests inline: HeaderView::initiator() is out of line in the codec.)
bool IsInitialSaInitRequest(const ike::HeaderView& h) {
  const uint8_t flags = h.flags();
  return h.exchange_type() == ike::ExchangeType::IKE_SA_INIT && (flags & ike::HeaderFlag::INITIATOR) != 0 &&
         (flags & ike::HeaderFlag::RESPONSE) == 0 && h.message_id() == 0 && h.spi_r_u64() == 0;
}

// What the fast path needs from an IKE_SA_INIT request.
struct SaInitFacts {
  ike::ByteView nonce;
  ike::ByteView cookie;
  bool has_nonce = false;
  bool has_cookie = false;
  bool redirect_supported = false;  // REDIRECT_SUPPORTED or REDIRECTED_FROM (RFC 5685 §3)
  bool redirected_from = false;     // REDIRECTED_FROM: another gateway sent this client here
};

// Walks the payload chain with the codec's cursor: the Nonce and Notify
// bodies are parsed (an answer depends on them), every other body (SA, KE,
// ...) is validated, so a malformed request is dropped and counted even when
// the fast path could have answered it without reading those payloads.
ike::Status Inspect(const ike::HeaderView& header, SaInitFacts& facts, ValidatedSaMemo& sa_memo) {
  ike::PayloadCursor cursor = ike::PayloadCursor::ForMessage(header);
  ike::PayloadView payload;
  while (cursor.Next(payload)) {
    if (payload.type == ike::PayloadType::NONCE) {
      ike::NoncePayload nonce;
      IKELB_TRY(ike::ParseNonce(payload, nonce));
      facts.nonce = nonce.data;
      facts.has_nonce = true;
    } else if (payload.type == ike::PayloadType::NOTIFY) {
      ike::NotifyPayload notify;
      IKELB_TRY(ike::ParseNotify(payload, notify));
      switch (notify.type) {
        case ike::NotifyType::REDIRECT_SUPPORTED:
          facts.redirect_supported = true;
          break;
        case ike::NotifyType::REDIRECTED_FROM:
          facts.redirect_supported = true;
          facts.redirected_from = true;
          break;
        case ike::NotifyType::COOKIE:
          facts.cookie = notify.data;
          facts.has_cookie = true;
          break;
        default:
          break;
      }
    } else if (payload.type == ike::PayloadType::SA) {
      if (!sa_memo.Contains(payload.body.data(), payload.body.size())) {
        IKELB_TRY(ike::ValidatePayload(payload));
        sa_memo.Remember(payload.body.data(), payload.body.size());
      }
    } else {
      IKELB_TRY(ike::ValidatePayload(payload));
    }
  }
  return cursor.status();
}

// HDR(SPIi, 0) of a responder's IKE_SA_INIT answer (RFC 7296 §3.1: R set, I clear).
ike::Header AnswerHeader() {
  ike::Header h;
  h.exchange_type = ike::ExchangeType::IKE_SA_INIT;
  h.flags = ike::HeaderFlag::RESPONSE;
  h.message_id = 0;
  return h;
}

// Offsets inside an answer: HDR, then one Notify payload.
constexpr size_t kNotifyAt = ike::kHeaderSize;
constexpr size_t kNotifyLengthAt = kNotifyAt + 2;
constexpr size_t kNotifyDataAt = kNotifyAt + ike::kPayloadHeaderSize + 4;  // + Protocol, SPI Size, Type

}  // namespace

// HDR(SPIi, 0), N(COOKIE) — RFC 7296 §2.6. Encoded once with the codec's
// MessageWriter (which validates what it wrote); per packet only SPIi and the
// cookie change.
bool AnswerTemplates::BuildCookie() {
  uint8_t dummy[kCookieSize] = {};
  ike::MessageWriter m(std::span<uint8_t>(cookie_, sizeof cookie_));
  m.Header(AnswerHeader());
  m.BeginPayload(ike::PayloadType::NOTIFY);
  ike::NotifyPayload n;
  n.type = ike::NotifyType::COOKIE;
  n.data = ike::ByteView(dummy, kCookieSize);
  if (!ike::EncodeNotify(n, m.body()).ok() || !m.EndPayload().ok()) return false;
  size_t written = 0;
  if (!m.Finish(written).ok() || written != kNotifyDataAt + kCookieSize) return false;
  cookie_len_ = written;
  return true;
}

size_t AnswerTemplates::Cookie(const uint8_t* spi_i, const uint8_t* cookie, uint8_t* out, size_t cap) {
  if (cookie_len_ == 0 && !BuildCookie()) return 0;
  if (cap < cookie_len_) return 0;
  std::memcpy(out, cookie_, cookie_len_);
  std::memcpy(out + ike::header_offset::kSpiI, spi_i, 8);
  std::memcpy(out + kNotifyDataAt, cookie, kCookieSize);
  return cookie_len_;
}

// HDR(SPIi, 0), N(REDIRECT, new GW, Ni) — RFC 5685 §5, §8.2. The part up to
// the nonce is encoded once per target with the codec (a 16-octet stand-in
// nonce keeps the encoder's checks on); per packet: SPIi, Ni and two lengths.
bool AnswerTemplates::BuildRedirect(RedirectTemplate& t, const TargetRow& target) {
  uint8_t stand_in[ike::WireSize::NONCE_MIN] = {};
  uint8_t buffer[kRedirectPrefixMax + ike::WireSize::NONCE_MIN];
  ike::MessageWriter m(std::span<uint8_t>(buffer, sizeof buffer));
  m.Header(AnswerHeader());
  m.BeginPayload(ike::PayloadType::NOTIFY);
  ike::NotifyPayload n;
  n.type = ike::NotifyType::REDIRECT;
  ike::RedirectData redirect;
  redirect.gateway.type = target.family == 4 ? ike::GatewayIdentityType::IPV4 : ike::GatewayIdentityType::IPV6;
  redirect.gateway.value = ike::ByteView(target.address, target.family == 4 ? 4 : 16);
  redirect.nonce = ike::ByteView(stand_in, sizeof stand_in);
  if (!ike::EncodeNotify(n, m.body()).ok()) return false;
  if (!ike::EncodeRedirectData(redirect, /*redirected_from=*/false, m.body()).ok()) return false;
  if (!m.EndPayload().ok()) return false;
  size_t written = 0;
  if (!m.Finish(written).ok() || written < sizeof stand_in) return false;
  t.len = written - sizeof stand_in;
  if (t.len != (target.family == 4 ? kRedirectPrefixV4 : kRedirectPrefixV6)) return false;
  std::memcpy(t.prefix, buffer, t.len);
  t.id = target.id;
  t.family = target.family;
  std::memcpy(t.address, target.address, sizeof t.address);
  return true;
}

size_t AnswerTemplates::Redirect(int slot, const TargetRow& target, uint32_t table, const uint8_t* spi_i,
                                 const uint8_t* nonce, size_t nonce_len, uint8_t* out, size_t cap) {
  if (slot < 0 || static_cast<size_t>(slot) >= kMaxTargets) return 0;
  RedirectTemplate& t = redirect_[slot];
  if (t.len == 0 || t.table != table) {
    if (t.len == 0 || t.id != target.id || t.family != target.family ||
        std::memcmp(t.address, target.address, sizeof t.address) != 0) {
      t.len = 0;
      if (!BuildRedirect(t, target)) return 0;
    }
    t.table = table;
  }
  const size_t total = t.len + nonce_len;
  if (cap < total) return 0;
  // Constant sizes let the compiler inline the copies.
  if (t.len == kRedirectPrefixV4) {
    std::memcpy(out, t.prefix, kRedirectPrefixV4);
  } else {
    std::memcpy(out, t.prefix, kRedirectPrefixV6);
  }
  std::memcpy(out + ike::header_offset::kSpiI, spi_i, 8);
  if (nonce_len == 32) {  // what strongSwan, libreswan and most clients send
    std::memcpy(out + t.len, nonce, 32);
  } else {
    std::memcpy(out + t.len, nonce, nonce_len);
  }
  ike::Store32(out + ike::header_offset::kLength, static_cast<uint32_t>(total));
  ike::Store16(out + kNotifyLengthAt, static_cast<uint16_t>(total - kNotifyAt));
  return total;
}

namespace {
}  // namespace

bool ValidatedSaMemo::Contains(const uint8_t* body, size_t len) const {
  if (len == 0 || len > kMaxBody) return false;
  for (const Entry& e : entries_) {
    if (e.len == len && std::memcmp(e.bytes, body, len) == 0) return true;
  }
  return false;
}

void ValidatedSaMemo::Remember(const uint8_t* body, size_t len) {
  if (len == 0 || len > kMaxBody) return;
  Entry& e = entries_[next_];
  next_ = (next_ + 1) % kEntries;
  std::memcpy(e.bytes, body, len);
  e.len = static_cast<uint16_t>(len);
}

FastPath::FastPath(const uint32_t* control, CounterBlock* counters, CookieJar* cookies, TargetSelector* targets)
    : control_(control), counters_(counters), cookies_(cookies), targets_(targets) {}

uint32_t FastPath::Control(uint32_t word) const {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(control_[word])).load(std::memory_order_relaxed);
}

FastPathResult FastPath::Process(const FastPathInput& in, uint8_t* reply, size_t reply_cap) {
  const ike::ByteView datagram(in.data, in.len);
  ike::HeaderView header;
  if (ike::Status s = ike::ParseHeader(datagram, header); !s.ok()) return Drop(s);

  if (!IsInitialSaInitRequest(header)) {
    // Everything else belongs to the IKE state machines; only well-formed
    // messages cross (the SK payload's content is checked after decryption).
    if (ike::Status s = ike::ValidateMessage(datagram); !s.ok()) return Drop(s);
    return Pass();
  }
  Bump(*counters_, Counter::ike_sa_init_requests);

  SaInitFacts facts;
  if (ike::Status s = Inspect(header, facts, sa_memo_); !s.ok()) return Drop(s);
  if (!facts.has_nonce) return Drop(DropReason::missing_nonce);
  // Every body was validated by Inspect: what goes on to TypeScript is well formed.
  auto pass_checked = []() -> FastPathResult { return Pass(); };

  // Stateless cookies (RFC 7296 §2.6) while half-open SAs are at or over the
  // threshold (`crypto ikev2 cookie-challenge N`; 0 = always).
  const uint32_t threshold = Control(kControlCookieThreshold);
  if (threshold != kCookieNever && Control(kControlHalfOpen) >= threshold) {
    const CookieInput input{facts.nonce.data(), facts.nonce.size(), in.remote->bytes, in.remote->size(),
                            header.spi_i().data()};
    if (!facts.has_cookie) {
      uint8_t cookie[kCookieSize];
      cookies_->Make(input, cookie);
      const size_t n = templates_.Cookie(header.spi_i().data(), cookie, reply, reply_cap);
      if (n == 0) return pass_checked();  // cannot happen with kReplyCapacity
      Bump(*counters_, Counter::cookies_sent);
      FastPathResult r;
      r.verdict = Verdict::kReply;
      r.reply_len = static_cast<uint32_t>(n);
      return r;
    }
    if (cookies_->Verify(input, facts.cookie.data(), facts.cookie.size()) != CookieCheck::kValid) {
      return Drop(DropReason::invalid_cookie);
    }
    Bump(*counters_, Counter::cookies_valid);
  }

  if (Control(kControlRedirectInit) == 0) return pass_checked();
  // RFC 5685 §3: only a client that announced support may be redirected; the
  // others are served here rather than turned away.
  if (!facts.redirect_supported) {
    Bump(*counters_, Counter::served_locally_no_support);
    return pass_checked();
  }
  // A client that a cluster member already redirected is served here: the
  // member chose this gateway from the same table, and a second redirect
  // would only spend the client's redirect budget (RFC 5685 §5 loop guard:
  // 5 in 300 s) — and could bounce it between two primaries during a failover.
  if (facts.redirected_from) {
    Bump(*counters_, Counter::served_locally_redirected);
    return pass_checked();
  }
  const TargetChoice choice = targets_->Choose();
  if (choice.kind == TargetChoice::kNone) {
    Bump(*counters_, Counter::served_locally_no_target);
    return pass_checked();
  }
  if (choice.kind == TargetChoice::kLocal) {
    Bump(*counters_, Counter::served_locally_chosen);
    return pass_checked();
  }
  const size_t n = templates_.Redirect(choice.slot, *choice.row, targets_->adopted(), header.spi_i().data(),
                                       facts.nonce.data(), facts.nonce.size(), reply, reply_cap);
  if (n == 0) return pass_checked();
  Bump(*counters_, Counter::redirects_sent);
  Bump(counters_->redirects_to[choice.slot]);
  FastPathResult r;
  r.verdict = Verdict::kReply;
  r.reply_len = static_cast<uint32_t>(n);
  return r;
}

}  // namespace ikelb::net

