// The stateless IKE_SA_INIT fast path (sans I/O: bytes in, an action out).
//
// For each IKE datagram the engine received it decides, without creating any
// state and without allocating:
//   kReply  answer with the bytes written into `reply`:
//           HDR(SPIi, 0), N(COOKIE)                 RFC 7296 §2.6, or
//           HDR(SPIi, 0), N(REDIRECT, target, Ni)   RFC 5685 §5/§8
//   kDrop   malformed or a forged cookie: counted by reason
//   kPass   everything else goes to TypeScript (IKE state machines)
//
// Decision order for an IKE_SA_INIT request (exchange 34, I flag, not a
// response, message ID 0, SPIr 0):
//   1. the payload chain must be well formed and carry a Nonce (else drop);
//   2. cookies demanded (half-open >= threshold): no COOKIE -> N(COOKIE);
//      a COOKIE that does not verify -> drop (invalid_cookie);
//   3. `redirect gateway init` on and the client announced support
//      (REDIRECT_SUPPORTED or REDIRECTED_FROM): a client with REDIRECTED_FROM
//      was redirected here already -> pass (served here, never redirected
//      twice); otherwise pick the least loaded target; another gateway ->
//      N(REDIRECT); this gateway or none -> pass;
//   4. a client that did not announce redirect support is served here (pass):
//      RFC 5685 §3 lets only a client that said it understands REDIRECT be
//      redirected, and dropping it would lock out older clients.
#pragma once
#include <cstddef>
#include <cstdint>

#include "net/address.h"
#include "net/cookie.h"
#include "net/counters.h"
#include "net/target_table.h"

namespace ikelb::net {

// Longest answer: HDR (28) + Notify header (8) + GW ident type/len (2) +
// IPv6 (16) + Ni (at most 256, RFC 7296 §3.9), plus the non-ESP marker (4).
constexpr size_t kReplyCapacity = 512;

struct FastPathInput {
  const uint8_t* data;  // the IKE message (non-ESP marker already stripped)
  size_t len;
  const Address* remote;
  uint16_t remote_port;
};

enum class Verdict : uint8_t { kPass, kReply, kDrop };

struct FastPathResult {
  Verdict verdict = Verdict::kPass;
  DropReason reason = DropReason::kCount;  // for kDrop
  uint32_t reply_len = 0;                  // for kReply
};

// Answers encoded once with the codec's MessageWriter (validated there), then
// patched per packet: SPIi, the cookie or Ni, and the two length fields.
class AnswerTemplates {
 public:
  size_t Cookie(const uint8_t* spi_i, const uint8_t* cookie, uint8_t* out, size_t cap);
  // `table` is TargetSelector::adopted(): a template is re-checked against
  // its row only when the table changed.
  size_t Redirect(int slot, const TargetRow& target, uint32_t table, const uint8_t* spi_i, const uint8_t* nonce,
                  size_t nonce_len, uint8_t* out, size_t cap);

 private:
  // HDR 28 + Notify header 4 + fixed 4 + GW type/len 2 + the address.
  static constexpr size_t kRedirectPrefixV4 = 28 + 4 + 4 + 2 + 4;
  static constexpr size_t kRedirectPrefixV6 = 28 + 4 + 4 + 2 + 16;
  static constexpr size_t kRedirectPrefixMax = kRedirectPrefixV6;
  struct RedirectTemplate {
    uint32_t id = 0;
    uint32_t family = 0;
    uint8_t address[16] = {};
    uint8_t prefix[kRedirectPrefixMax] = {};
    size_t len = 0;  // 0: not built
    uint32_t table = 0;  // TargetSelector::adopted() when last checked
  };
  bool BuildCookie();
  bool BuildRedirect(RedirectTemplate& t, const TargetRow& target);

  uint8_t cookie_[28 + 8 + kCookieSize] = {};
  size_t cookie_len_ = 0;
  RedirectTemplate redirect_[kMaxTargets];
};

// SA payload bodies the codec has already accepted. A client implementation
// sends the same SA bytes on every IKE_SA_INIT, and ValidatePayload is a pure
// function of the body, so an exact byte match is accepted without walking
// proposals, transforms and attributes again (two thirds of the fast path's
// work for a typical request). Only validated bodies ever enter; a body that
// differs in one octet is validated in full. Fixed memory, no allocation.
class ValidatedSaMemo {
 public:
  bool Contains(const uint8_t* body, size_t len) const;
  void Remember(const uint8_t* body, size_t len);

 private:
  static constexpr size_t kEntries = 8;
  static constexpr size_t kMaxBody = 512;
  struct Entry {
    uint16_t len = 0;  // 0: empty
    uint8_t bytes[kMaxBody];
  };
  Entry entries_[kEntries];
  size_t next_ = 0;
};

class FastPath {
 public:
  // control: the shared control words (shared_layout.h ControlWord).
  FastPath(const uint32_t* control, CounterBlock* counters, CookieJar* cookies, TargetSelector* targets);

  FastPathResult Process(const FastPathInput& in, uint8_t* reply, size_t reply_cap);

 private:
  uint32_t Control(uint32_t word) const;

  const uint32_t* control_;
  CounterBlock* counters_;
  CookieJar* cookies_;
  TargetSelector* targets_;
  AnswerTemplates templates_;
  ValidatedSaMemo sa_memo_;
};

}  // namespace ikelb::net
