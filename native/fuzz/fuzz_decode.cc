// libFuzzer target for the IKEv2 decoder (built only by native/fuzz/Makefile,
// never into the addon). For every input it checks, and aborts on violation:
// - the structured decoder and the zero-allocation validator agree (same
//   verdict, same error code, field and offset);
// - a datagram that decodes re-encodes to the identical octets;
// - the same octets read as SK plaintext (first octet = first payload type)
//   decode and re-encode the same way;
// - InspectInitRequest (the redirect fast path's view) agrees with the
//   decoder, and the redirect response it builds decodes and carries Ni;
// - the N-API tape (tape.h) of a decoded message reads back to the same octets;
// - error detail formatting fits any buffer.
// ASan/UBSan catch any out-of-bounds read or undefined behaviour on the way.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ike/message.h"
#include "ike/redirect.h"
#include "ike/tape.h"

using namespace ikelb::ike;

namespace {

[[noreturn]] void Violation(const char* what) {
  std::fprintf(stderr, "fuzz_decode: invariant violated: %s\n", what);
  std::abort();
}

void CheckAgreement(const Status& decoded, const Status& validated) {
  if (decoded.code != validated.code || decoded.offset != validated.offset ||
      std::strcmp(decoded.field, validated.field) != 0) {
    Violation("DecodeMessage and ValidateMessage disagree");
  }
}

void CheckDetail(const Status& s) {
  char small[8];
  char big[512];
  const size_t need = FormatErrorDetail(s, small, sizeof small);
  const size_t full = FormatErrorDetail(s, big, sizeof big);
  if (need != full || std::strlen(small) != (need < sizeof small ? need : sizeof small - 1)) {
    Violation("FormatErrorDetail truncation");
  }
}

bool SameBytes(ByteView a, ByteView b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// The single pass collects what the structured decode sees: the last Ni,
// the last COOKIE, and whether REDIRECT_SUPPORTED / REDIRECTED_FROM occur.
void CheckFacts(const Message& message, const InitRequestInfo& request) {
  ByteView nonce;
  ByteView cookie;
  bool supported = false;
  bool redirected_from = false;
  for (const Payload& p : message.payloads) {
    if (const auto* n = std::get_if<NoncePayload>(&p.body)) nonce = n->data;
    if (const auto* n = std::get_if<NotifyPayload>(&p.body)) {
      if (n->type == NotifyType::COOKIE) cookie = n->data;
      if (n->type == NotifyType::REDIRECT_SUPPORTED) supported = true;
      if (n->type == NotifyType::REDIRECTED_FROM) redirected_from = true;
    }
  }
  if (!SameBytes(nonce, request.nonce) || !SameBytes(cookie, request.cookie) ||
      supported != request.redirect_supported || redirected_from != request.redirected_from) {
    Violation("InspectInitRequest's facts differ from the decoded message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  Message message;
  const Status decoded = DecodeMessage(input, message);
  CheckAgreement(decoded, ValidateMessage(input));
  CheckDetail(decoded);
  if (decoded.ok()) {
    std::vector<uint8_t> out;
    const EncodeStatus e = Encode(message, out);
    if (!e.ok()) Violation("a decoded message does not encode");
    if (out.size() != size || std::memcmp(out.data(), data, size) != 0) Violation("encode(decode(x)) != x");

    // The tape that carries the message into JavaScript reads back to the same message.
    std::vector<uint32_t> words(2 * size + 64);
    const size_t n = WriteTape(&message.header, message.payloads, input, words);
    if (n > words.size()) Violation("tape longer than 2 words per octet");
    Message back;
    TapeError te;
    if (!ReadTape(std::span<const uint32_t>(words.data(), n), input, &back.header, back.payloads, te)) {
      Violation("a written tape does not read back");
    }
    std::vector<uint8_t> again;
    if (!Encode(back, again).ok() || again != out) Violation("tape round trip changed the message");
  }

  // The fast path's view of an IKE_SA_INIT request agrees with the decoder,
  // and its redirect answer decodes and carries Ni.
  InitRequestInfo request;
  const Status inspected = InspectInitRequest(input, request);
  CheckAgreement(decoded, inspected);
  // The same with the memo (shapes, SA bodies) the fast path keeps across datagrams
  // (filled by earlier inputs): a remembered body must not change a verdict.
  static InitRequestMemo memo;
  InitRequestInfo memoized;
  CheckAgreement(decoded, InspectInitRequest(input, memoized, &memo));
  CheckAgreement(decoded, InspectInitRequest(input, memoized, &memo));  // now surely remembered
  if (decoded.ok() && request.is_init_request) CheckFacts(message, request), CheckFacts(message, memoized);
  // The fast path's shortcut: a recognised shape is a valid initial request
  // with the decoder's facts (an empty or short datagram never is).
  InitRequestInfo recognised;
  if (memo.Recognize(input, recognised)) {
    if (!decoded.ok() || !request.is_init_request || !recognised.is_init_request) {
      Violation("InitRequestMemo::Recognize accepted what the decoder refuses");
    }
    CheckFacts(message, recognised);
  }
  if (inspected.ok() && !request.nonce.empty()) {
    static constexpr uint8_t kGateway[] = {192, 0, 2, 20};
    uint8_t reply[600];
    size_t n = 0;
    if (!WriteRedirectResponse(request, GatewayIdentity{GatewayIdentityType::IPV4, ByteView(kGateway)}, reply, n)
             .ok()) {
      Violation("no redirect response for a valid request with a nonce");
    }
    Message answer;
    if (!DecodeMessage(ByteView(reply, n), answer).ok() || answer.payloads.size() != 1) {
      Violation("the redirect response does not decode to one payload");
    }
    const auto* notify = std::get_if<NotifyPayload>(&answer.payloads[0].body);
    RedirectData r;
    if (notify == nullptr || !ParseRedirectData(notify->data, 0, false, r).ok() ||
        r.nonce.size() != request.nonce.size() ||
        std::memcmp(r.nonce.data(), request.nonce.data(), r.nonce.size()) != 0) {
      Violation("the redirect response does not carry Ni");
    }
  }

  if (size >= 1) {
    const ByteView chain = input.subspan(1);
    std::vector<Payload> payloads;
    const Status inner = DecodePayloads(chain, data[0], 1, payloads);
    CheckAgreement(inner, ValidatePayloads(chain, data[0], 1));
    if (inner.ok()) {
      std::vector<uint8_t> out;
      uint8_t first = 0;
      const EncodeStatus e = EncodePayloads(payloads, out, first);
      if (!e.ok()) Violation("decoded SK plaintext does not encode");
      if (out.size() != chain.size() || (!out.empty() && std::memcmp(out.data(), chain.data(), out.size()) != 0)) {
        Violation("EncodePayloads(DecodePayloads(x)) != x");
      }
      if (!payloads.empty() && first != data[0]) Violation("first payload type changed");
    }
  }
  return 0;
}
