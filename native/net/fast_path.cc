#include "net/fast_path.h"

#include <atomic>
#include <cstring>
#include <span>

#include "ike/constants.h"
#include "ike/errors.h"
#include "ike/message.h"
#include "ike/notify.h"
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

// HDR(SPIi, 0) of a responder's IKE_SA_INIT answer (RFC 7296 §3.1: R set, I clear).
ike::Header AnswerHeader() {
  ike::Header h;
  h.exchange_type = ike::ExchangeType::IKE_SA_INIT;
  h.flags = ike::HeaderFlag::RESPONSE;
  h.message_id = 0;
  return h;
}

// Offsets inside an answer: HDR, then one Notify payload.
constexpr size_t kNotifyDataAt = ike::kHeaderSize + ike::kPayloadHeaderSize + 4;  // + Protocol, SPI Size, Type

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

// HDR(SPIi, 0), N(REDIRECT, new GW, Ni) — RFC 5685 §5, §8.2: the codec's
// RedirectAnswer, built for the slot's address.
bool AnswerTemplates::BuildRedirect(RedirectTemplate& t, const TargetRow& target) {
  ike::GatewayIdentity gateway;
  gateway.type = target.family == 4 ? ike::GatewayIdentityType::IPV4 : ike::GatewayIdentityType::IPV6;
  gateway.value = ike::ByteView(target.address, target.family == 4 ? 4 : 16);
  if (!t.answer.Build(gateway).ok()) return false;
  t.id = target.id;
  t.family = target.family;
  std::memcpy(t.address, target.address, sizeof t.address);
  return true;
}

size_t AnswerTemplates::Redirect(int slot, const TargetRow& target, uint32_t table, const uint8_t* spi_i,
                                 ike::ByteView nonce, uint8_t* out, size_t cap) {
  if (slot < 0 || static_cast<size_t>(slot) >= kMaxTargets) return 0;
  RedirectTemplate& t = redirect_[slot];
  if (!t.answer.built() || t.table != table) [[unlikely]] {
    if (!t.answer.built() || t.id != target.id || t.family != target.family ||
        std::memcmp(t.address, target.address, sizeof t.address) != 0) {
      if (!BuildRedirect(t, target)) return 0;
    }
    t.table = table;
  }
  return t.answer.Write(spi_i, nonce, out, cap);
}

FastPath::FastPath(const uint32_t* control, CounterBlock* counters, CookieJar* cookies, TargetSelector* targets)
    : control_(control), counters_(counters), cookies_(cookies), targets_(targets) {}

uint32_t FastPath::Control(uint32_t word) const {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(control_[word])).load(std::memory_order_relaxed);
}

FastPathResult FastPath::Process(const FastPathInput& in, uint8_t* reply, size_t reply_cap) {
  // One pass: the whole datagram is validated (a malformed one is dropped and
  // counted by the codec's error class, even when an answer would not need
  // the bad payload), and an initial IKE_SA_INIT's Ni, COOKIE and redirect
  // support are collected on the way. Everything else belongs to the IKE
  // state machines; only well-formed messages cross (the SK payload's content
  // is checked after decryption).
  // A request of a shape seen before (the usual case under load) is
  // recognised without the walk, with the same verdict and facts.
  const ike::ByteView datagram(in.data, in.len);
  ike::InitRequestInfo request;
  if (!request_memo_.Recognize(datagram, request)) [[unlikely]] {
    const ike::Status status = ike::InspectInitRequest(datagram, request, &request_memo_);
    if (request.is_init_request) Bump(*counters_, Counter::ike_sa_init_requests);
    if (!status.ok()) return Drop(status);
    if (!request.is_init_request) return Pass();
  } else {
    Bump(*counters_, Counter::ike_sa_init_requests);
  }
  if (request.nonce.empty()) return Drop(DropReason::missing_nonce);
  const uint8_t* spi_i = request.header.spi_i().data();

  // Stateless cookies (RFC 7296 §2.6) while half-open SAs are at or over the
  // threshold (`crypto ikev2 cookie-challenge N`; 0 = always). No hashing
  // while cookies are off.
  const uint32_t threshold = Control(kControlCookieThreshold);
  if (threshold != kCookieNever && Control(kControlHalfOpen) >= threshold) [[unlikely]] {
    const CookieInput input{request.nonce.data(), request.nonce.size(), in.remote->bytes, in.remote->size(), spi_i};
    if (request.cookie.empty()) {
      uint8_t cookie[kCookieSize];
      cookies_->Make(input, cookie);
      const size_t n = templates_.Cookie(spi_i, cookie, reply, reply_cap);
      if (n == 0) return Pass();  // cannot happen with kReplyCapacity
      Bump(*counters_, Counter::cookies_sent);
      FastPathResult r;
      r.verdict = Verdict::kReply;
      r.reply_len = static_cast<uint32_t>(n);
      return r;
    }
    if (cookies_->Verify(input, request.cookie.data(), request.cookie.size()) != CookieCheck::kValid) {
      return Drop(DropReason::invalid_cookie);
    }
    Bump(*counters_, Counter::cookies_valid);
  }

  if (Control(kControlRedirectInit) == 0) return Pass();
  // RFC 5685 §3: only a client that announced support may be redirected; the
  // others are served here rather than turned away.
  if (!request.redirect_supported && !request.redirected_from) {
    Bump(*counters_, Counter::served_locally_no_support);
    return Pass();
  }
  // A client that a cluster member already redirected is served here: the
  // member chose this gateway from the same table, and a second redirect
  // would only spend the client's redirect budget (RFC 5685 §5 loop guard:
  // 5 in 300 s) — and could bounce it between two primaries during a failover.
  if (request.redirected_from) {
    Bump(*counters_, Counter::served_locally_redirected);
    return Pass();
  }
  const TargetChoice choice = targets_->Choose();
  if (choice.kind != TargetChoice::kRemote) [[unlikely]] {
    Bump(*counters_, choice.kind == TargetChoice::kNone ? Counter::served_locally_no_target
                                                        : Counter::served_locally_chosen);
    return Pass();
  }
  const size_t n =
      templates_.Redirect(choice.slot, *choice.row, targets_->adopted(), spi_i, request.nonce, reply, reply_cap);
  if (n == 0) return Pass();
  Bump(*counters_, Counter::redirects_sent);
  Bump(counters_->redirects_to[choice.slot]);
  FastPathResult r;
  r.verdict = Verdict::kReply;
  r.reply_len = static_cast<uint32_t>(n);
  return r;
}

}  // namespace ikelb::net
