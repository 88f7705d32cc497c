// The stateless IKE_SA_INIT redirect of RFC 5685 (§3, notify data §8.2): the
// ONE implementation of its wire logic. The data-plane fast path
// (native/net/fast_path.cc), the TypeScript surface (lib/ike/redirect-response.ts
// through native/napi/codec.cc) and the fuzzers (fuzz_decode, fuzz_fast_path)
// all run this code. Zero allocation, no exceptions, no N-API.
//
//   InitRequestInfo req;
//   if (InspectInitRequest(datagram, req, &memo).ok() && req.is_init_request &&
//       (req.redirect_supported || req.redirected_from)) {
//     RedirectAnswer answer;                     // once per gateway, not per packet
//     answer.Build(gateway);                     // encoded and validated by the codec
//     size_t n = answer.Write(req.header.spi_i().data(), req.nonce, buffer, sizeof buffer);
//   }
//
// Reading: InspectInitRequest validates the whole datagram in one pass and
// collects, on the way, what an answer needs (Ni, the COOKIE, whether the
// client announced redirect support). With an InitRequestMemo, a request of
// a shape accepted before costs a comparison of its verdict-deciding octets
// instead (see InitRequestMemo). Its verdict, error code, field and
// offset are always those of ValidateMessage: the pass accepts only what the
// codec's full validation accepts, and at the first doubt (any error, or a
// payload it does not check itself) it walks the datagram again with the
// codec's cursor and Parse functions, which report the exact error. So a
// malformed request is dropped, never redirected, whatever payload is bad.
//
// Writing: the answer is HDR(SPIi, SPIr = 0, IKE_SA_INIT, R, message ID 0)
// followed by N(REDIRECT) only, carrying the gateway identity and the
// initiator's nonce Ni copied verbatim (the client checks it: anti-spoofing).
// Nothing is remembered about the request, like a cookie reply. The part
// before Ni depends on the gateway only: RedirectAnswer encodes it once with
// the codec's MessageWriter (which validates the message it wrote), and each
// request then costs two copies and three patched fields (SPIi, the two
// lengths). Every Write produces a message ValidateMessage accepts: the
// prefix was validated with a stand-in nonce, and Ni has a valid length.
#pragma once

#include <cstring>
#include <span>

#include "ike/constants.h"
#include "ike/errors.h"
#include "ike/header.h"
#include "ike/notify_data.h"
#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct InitRequestInfo;

/// What InspectInitRequest remembers between datagrams, so that the requests
/// of a client population cost a comparison instead of a validation. Fixed
/// memory, no allocation; one memo per thread (it is not synchronised).
///
/// Shapes: a client sends the same IKE_SA_INIT every time except for SPIi,
/// the KE data, Ni, the NAT-D hashes and a COOKIE. Whether the codec accepts
/// a request is a function of its length and of its other octets only: the
/// header's type/version/exchange/flags/message ID, every generic payload
/// header (the chain), the first 4 octets of a KE and a Notify body, whole
/// SA bodies and the data of notifications whose content the codec checks.
/// After the single pass accepted a request, those octets ("fixed spans")
/// and where Ni and the COOKIE sit are recorded; a later request of the same
/// length whose fixed spans match is accepted without a walk, with the same
/// facts. Anything else (another client, one octet different) takes the
/// single pass, which records its shape in turn.
///
/// SA bodies: the single pass, on a shape miss, skips ValidateSa for an SA
/// body accepted before (a pure function of the body).
class InitRequestMemo {
 public:
  /// The facts of a request matching a recorded shape (header already parsed,
  /// an initial request); false when none matches.
  bool MatchShape(const uint8_t* message, size_t length, InitRequestInfo& out) const;
  /// InspectInitRequest's verdict for a datagram of a remembered shape,
  /// without a walk: true = a valid initial IKE_SA_INIT request, `out` set as
  /// InspectInitRequest sets it; false = not known, call InspectInitRequest.
  /// (A shape's first span is the header from SPIr to Length, so a match
  /// also proves everything ParseHeader and the initial-request test check.)
  bool Recognize(ByteView datagram, InitRequestInfo& out) const;
  bool ContainsSa(ByteView body) const {
    const SaEntry& hot = sa_[sa_last_hit_];
    if (hot.len == body.size() && body.size() >= 8 && SameBytes(hot.bytes, body.data(), body.size())) [[likely]] {
      return true;
    }
    return ContainsOtherSa(body);
  }
  void RememberSa(ByteView body);

  /// Builds the shape of a request during the single pass.
  class ShapeBuilder {
   public:
    void Fixed(size_t at, size_t n);  // octets [at, at + n) must match
    bool ok() const { return ok_; }

   private:
    friend class InitRequestMemo;
    static constexpr size_t kMaxSpans = 24;
    struct Span {
      uint16_t at;
      uint16_t len;
    };
    Span spans_[kMaxSpans];
    size_t count_ = 0;
    size_t fixed_ = 0;
    bool ok_ = true;
  };
  /// Records the shape of a request the single pass accepted with `facts`.
  void RememberShape(const uint8_t* message, size_t length, const ShapeBuilder& shape,
                     const InitRequestInfo& facts);

  // Equality of n >= 4 octets, 8 at a time and inline: spans and SA bodies
  // are tens to a few hundred octets, where a libc memcmp call costs more.
  [[gnu::always_inline]] static bool SameBytes(const uint8_t* a, const uint8_t* b, size_t n) {
    if (n < 8) return ((Word32(a) ^ Word32(b)) | (Word32(a + n - 4) ^ Word32(b + n - 4))) == 0;
    uint64_t diff = Word(a + n - 8) ^ Word(b + n - 8);  // the tail, overlapping
    size_t i = 0;
    for (; i + 16 <= n; i += 16) diff |= (Word(a + i) ^ Word(b + i)) | (Word(a + i + 8) ^ Word(b + i + 8));
    if (i + 8 <= n) diff |= Word(a + i) ^ Word(b + i);
    return diff == 0;
  }

 private:
  bool ContainsOtherSa(ByteView body) const;
  static uint64_t Word(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static uint32_t Word32(const uint8_t* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }

  static constexpr size_t kSaEntries = 8;
  static constexpr size_t kMaxSaBody = 512;
  struct SaEntry {
    uint16_t len = 0;  // 0: empty
    uint8_t bytes[kMaxSaBody];
  };
  SaEntry sa_[kSaEntries];
  size_t sa_next_ = 0;
  mutable size_t sa_last_hit_ = 0;  // a client population mostly sends one SA: try it first

  static constexpr size_t kShapes = 4;
  static constexpr size_t kMaxFixed = 768;  // fixed octets of one shape
  struct Shape {
    uint32_t length = 0;  // 0: empty
    uint32_t span_count = 0;
    ShapeBuilder::Span spans[ShapeBuilder::kMaxSpans];
    uint8_t fixed[kMaxFixed];  // the spans' octets, one after the other
    uint16_t nonce_at = 0, nonce_len = 0;
    uint16_t cookie_at = 0, cookie_len = 0;
    bool supported = false;
    bool redirected_from = false;
  };
  Shape shapes_[kShapes];
  size_t shape_next_ = 0;
  mutable size_t shape_last_hit_ = 0;
};

struct InitRequestInfo {
  HeaderView header;
  /// An initial IKE_SA_INIT request (RFC 7296 §1.2, §3.1): exchange 34,
  /// Initiator set, Response clear, message ID 0, SPIr 0. Set as soon as the
  /// header parsed, also when a payload then fails validation.
  bool is_init_request = false;
  // The rest is collected for an initial IKE_SA_INIT request only; when a
  // payload occurs twice, the last one counts (as in the structured decode).
  ByteView nonce;                   ///< Ni (16..256 octets); empty if absent
  ByteView cookie;                  ///< N(COOKIE) data (1..64 octets); empty if absent
  bool redirect_supported = false;  ///< N(REDIRECT_SUPPORTED)
  bool redirected_from = false;     ///< N(REDIRECTED_FROM): implies support (RFC 5685 §3)
};

inline bool InitRequestMemo::MatchShape(const uint8_t* message, size_t length, InitRequestInfo& out) const {
  if (length < kHeaderSize) return false;  // no shape is that short (and an empty slot has length 0)
  size_t i = shape_last_hit_;
  for (size_t tries = 0; tries < kShapes; ++tries, i = (i + 1) % kShapes) {
    const Shape& s = shapes_[i];
    if (s.length != length) continue;
    const uint8_t* f = s.fixed;
    bool same = true;
    for (uint32_t k = 0; k < s.span_count && same; ++k) {
      const ShapeBuilder::Span span = s.spans[k];
      same = SameBytes(message + span.at, f, span.len);
      f += span.len;
    }
    if (!same) continue;
    shape_last_hit_ = i;
    out.nonce = s.nonce_len != 0 ? ByteView(message + s.nonce_at, s.nonce_len) : ByteView();
    out.cookie = s.cookie_len != 0 ? ByteView(message + s.cookie_at, s.cookie_len) : ByteView();
    out.redirect_supported = s.supported;
    out.redirected_from = s.redirected_from;
    return true;
  }
  return false;
}

inline bool InitRequestMemo::Recognize(ByteView datagram, InitRequestInfo& out) const {
  if (!MatchShape(datagram.data(), datagram.size(), out)) return false;
  out.header.p_ = datagram.data();  // what ParseHeader would set: the octets of a header it accepted
  out.is_init_request = true;
  return true;
}

/// Validates the whole datagram (ValidateMessage's verdict, code, field and
/// offset) and, for an initial IKE_SA_INIT request, collects what an answer
/// needs in the same pass. `memo` (optional) accepts the shape of an earlier
/// request, or skips an SA body seen before, without a walk.
Status InspectInitRequest(ByteView datagram, InitRequestInfo& out, InitRequestMemo* memo = nullptr);

/// HDR(SPIi, 0) N(REDIRECT, gateway, Ni) for one gateway, patched per request.
class RedirectAnswer {
 public:
  /// HDR 28 + Notify header 4 + Protocol/SPI size/type 4 + GW type/len 2.
  static constexpr size_t kFixedPrefix = kHeaderSize + kPayloadHeaderSize + 4 + 2;
  static constexpr size_t kMaxPrefix = kFixedPrefix + WireSize::FQDN_MAX;
  static constexpr size_t kPrefixIpv4 = kFixedPrefix + 4;
  static constexpr size_t kPrefixIpv6 = kFixedPrefix + 16;
  static constexpr size_t kMaxSize = kMaxPrefix + WireSize::NONCE_MAX;
  static_assert((kPrefixIpv6 + 7) / 8 * 8 <= kPrefixIpv6 + WireSize::NONCE_MIN);  // Write's word copy

  /// Encodes everything before Ni with the codec (MessageWriter validates the
  /// message, with a stand-in nonce). Refuses (INVALID, FIELD_OVERFLOW) a
  /// gateway identity REDIRECT cannot carry; then built() is false.
  EncodeStatus Build(const GatewayIdentity& gateway);
  bool built() const { return prefix_len_ != 0; }
  /// Octets of the answer for a nonce of `nonce_len` octets.
  size_t size(size_t nonce_len) const { return prefix_len_ + nonce_len; }

  /// Writes the answer for SPIi (8 octets) and Ni into `out`. Returns its
  /// length, or 0 (nothing usable written) when not built, when Ni is not
  /// 16..256 octets, or when `cap` is too small.
  [[gnu::always_inline]] size_t Write(const uint8_t* spi_i, ByteView nonce, uint8_t* out, size_t cap) const {
    const size_t n = nonce.size();
    const size_t total = prefix_len_ + n;
    if (prefix_len_ == 0 || n < WireSize::NONCE_MIN || n > WireSize::NONCE_MAX || total > cap) [[unlikely]] {
      return 0;
    }
    // The prefix in whole 8-octet words (constant counts for the common
    // cases: plain moves, where a memcpy of 42 octets can become a byte-wise
    // `rep movsb`); the octets past it are overwritten by Ni below, and
    // total = prefix + >= 16 octets of Ni covers the rounding.
    if (prefix_len_ == kPrefixIpv4) {
      CopyWords<(kPrefixIpv4 + 7) / 8>(out, prefix_);
    } else if (prefix_len_ == kPrefixIpv6) {
      CopyWords<(kPrefixIpv6 + 7) / 8>(out, prefix_);
    } else {
      std::memcpy(out, prefix_, prefix_len_);
    }
    std::memcpy(out + header_offset::kSpiI, spi_i, 8);
    if (n == 32) {  // what strongSwan, libreswan and most clients send
      CopyWords<4>(out + prefix_len_, nonce.data());
    } else {
      std::memcpy(out + prefix_len_, nonce.data(), n);
    }
    Store32(out + header_offset::kLength, static_cast<uint32_t>(total));
    Store16(out + kHeaderSize + 2, static_cast<uint16_t>(total - kHeaderSize));  // Notify Payload Length
    return total;
  }

 private:
  template <size_t kWords>
  [[gnu::always_inline]] static void CopyWords(uint8_t* out, const uint8_t* in) {
    for (size_t i = 0; i < kWords; ++i) {
      uint64_t w;
      std::memcpy(&w, in + 8 * i, 8);
      std::memcpy(out + 8 * i, &w, 8);
    }
  }
  uint8_t prefix_[kMaxPrefix + 8] = {};  // + 8: the word copy reads past the prefix
  size_t prefix_len_ = 0;
};

/// The answer to `request` (InspectInitRequest accepted it) for `gateway`,
/// built and written in one call: what the TypeScript surface and the
/// fuzzer use. Refuses a request without Ni (INVALID, REDIRECT_NONCE_LENGTH),
/// a gateway REDIRECT cannot carry, or a buffer too small (BUFFER_TOO_SMALL,
/// value = the length needed).
EncodeStatus WriteRedirectResponse(const InitRequestInfo& request, const GatewayIdentity& gateway,
                                   std::span<uint8_t> out, size_t& written);

}  // namespace ikelb::ike
