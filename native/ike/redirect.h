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
// client announced redirect support). Its verdict, error code, field and
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

/// SA payload bodies InspectInitRequest has validated. A client sends the
/// same SA bytes in every IKE_SA_INIT, and the SA checks are a pure function
/// of the body, so an exact byte match is accepted without walking proposals,
/// transforms and attributes again. Only bodies the codec accepted enter; a
/// body that differs in one octet is validated in full. Fixed memory, no
/// allocation; one memo per thread (it is not synchronised).
class SaBodyMemo {
 public:
  bool Contains(ByteView body) const;
  void Remember(ByteView body);

 private:
  static constexpr size_t kEntries = 8;
  static constexpr size_t kMaxBody = 512;
  struct Entry {
    uint16_t len = 0;  // 0: empty
    uint8_t bytes[kMaxBody];
  };
  Entry entries_[kEntries];
  size_t next_ = 0;
  mutable size_t last_hit_ = 0;  // a client population mostly sends one SA: try it first
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

/// Validates the whole datagram (ValidateMessage's verdict, code, field and
/// offset) and, for an initial IKE_SA_INIT request, collects what an answer
/// needs in the same pass. `memo` (optional) skips SA bodies seen before.
Status InspectInitRequest(ByteView datagram, InitRequestInfo& out, SaBodyMemo* memo = nullptr);

/// HDR(SPIi, 0) N(REDIRECT, gateway, Ni) for one gateway, patched per request.
class RedirectAnswer {
 public:
  /// HDR 28 + Notify header 4 + Protocol/SPI size/type 4 + GW type/len 2.
  static constexpr size_t kFixedPrefix = kHeaderSize + kPayloadHeaderSize + 4 + 2;
  static constexpr size_t kMaxPrefix = kFixedPrefix + WireSize::FQDN_MAX;
  static constexpr size_t kPrefixIpv4 = kFixedPrefix + 4;
  static constexpr size_t kPrefixIpv6 = kFixedPrefix + 16;
  static constexpr size_t kMaxSize = kMaxPrefix + WireSize::NONCE_MAX;

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
  size_t Write(const uint8_t* spi_i, ByteView nonce, uint8_t* out, size_t cap) const {
    const size_t n = nonce.size();
    const size_t total = prefix_len_ + n;
    if (prefix_len_ == 0 || n < WireSize::NONCE_MIN || n > WireSize::NONCE_MAX || total > cap) [[unlikely]] {
      return 0;
    }
    // Constant sizes for the common cases let the compiler inline the copies.
    if (prefix_len_ == kPrefixIpv4) {
      std::memcpy(out, prefix_, kPrefixIpv4);
    } else if (prefix_len_ == kPrefixIpv6) {
      std::memcpy(out, prefix_, kPrefixIpv6);
    } else {
      std::memcpy(out, prefix_, prefix_len_);
    }
    std::memcpy(out + header_offset::kSpiI, spi_i, 8);
    if (n == 32) {  // what strongSwan, libreswan and most clients send
      std::memcpy(out + prefix_len_, nonce.data(), 32);
    } else {
      std::memcpy(out + prefix_len_, nonce.data(), n);
    }
    Store32(out + header_offset::kLength, static_cast<uint32_t>(total));
    Store16(out + kHeaderSize + 2, static_cast<uint16_t>(total - kHeaderSize));  // Notify Payload Length
    return total;
  }

 private:
  uint8_t prefix_[kMaxPrefix] = {};
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
