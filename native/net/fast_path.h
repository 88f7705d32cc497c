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

#include "ike/redirect.h"
#include "net/address.h"
#include "net/cookie.h"
#include "net/counters.h"
#include "net/target_table.h"

namespace ikelb::net {

// Longest answer: HDR (28) + Notify header (8) + GW ident type/len (2) +
// IPv6 (16) + Ni (at most 256, RFC 7296 §3.9); the non-ESP marker of the
// NAT-T port goes in its own iovec.
constexpr size_t kReplyCapacity = 512;
static_assert(ike::RedirectAnswer::kPrefixIpv6 + ike::WireSize::NONCE_MAX <= kReplyCapacity);

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

// Answers encoded once by the codec (validated there), then patched per
// packet: SPIi, the cookie or Ni, and the two length fields. The redirect
// answer is the codec's RedirectAnswer (native/ike/redirect.h), one per
// target slot, rebuilt only when the slot's member or address changed.
class AnswerTemplates {
 public:
  size_t Cookie(const uint8_t* spi_i, const uint8_t* cookie, uint8_t* out, size_t cap);
  // `table` is TargetSelector::adopted(): a template is re-checked against
  // its row only when the table changed.
  size_t Redirect(int slot, const TargetRow& target, uint32_t table, const uint8_t* spi_i, ike::ByteView nonce,
                  uint8_t* out, size_t cap);

 private:
  struct RedirectTemplate {
    uint32_t id = 0;
    uint32_t family = 0;
    uint8_t address[16] = {};
    uint32_t table = 0;  // TargetSelector::adopted() when last checked
    ike::RedirectAnswer answer;
  };
  bool BuildCookie();
  bool BuildRedirect(RedirectTemplate& t, const TargetRow& target);

  uint8_t cookie_[28 + 8 + kCookieSize] = {};
  size_t cookie_len_ = 0;
  RedirectTemplate redirect_[kMaxTargets];
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
  ike::InitRequestMemo request_memo_;
};

}  // namespace ikelb::net
