// libFuzzer target for notification data (RFC 5685 redirect, RFC 5723
// tickets, fixed-length notifies). Input: 2 octets of notify type, then the
// data. Data that parses must re-encode to the same octets.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ike/constants.h"
#include "ike/notify_data.h"

using namespace ikelb::ike;

namespace {

[[noreturn]] void Violation(const char* what) {
  std::fprintf(stderr, "fuzz_notify_data: invariant violated: %s\n", what);
  std::abort();
}

template <class EncodeFn>
void CheckReencodes(ByteView data, EncodeFn encode) {
  Writer measure;
  if (!encode(measure).ok()) Violation("parsed data does not encode");
  std::vector<uint8_t> out(measure.size());
  Writer w(out);
  if (!encode(w).ok() || w.overflowed()) Violation("encode into an exact buffer failed");
  if (out.size() != data.size() || (!out.empty() && std::memcmp(out.data(), data.data(), out.size()) != 0)) {
    Violation("encode(parse(x)) != x");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  if (size < 2) return 0;
  // Steer most inputs to the types with structure.
  static constexpr uint16_t kTypes[] = {NotifyType::REDIRECT, NotifyType::REDIRECTED_FROM, NotifyType::TICKET_LT_OPAQUE,
                                        NotifyType::SIGNATURE_HASH_ALGORITHMS, NotifyType::COOKIE};
  const uint16_t raw_type = Load16(input);
  const uint16_t type = raw_type < 0x8000 ? kTypes[raw_type % (sizeof kTypes / sizeof kTypes[0])] : raw_type;
  const ByteView data(input + 2, size - 2);

  const Status valid = ValidateNotifyData(type, data, 2);
  if (type == NotifyType::REDIRECT || type == NotifyType::REDIRECTED_FROM) {
    const bool from = type == NotifyType::REDIRECTED_FROM;
    RedirectData r;
    const Status parsed = ParseRedirectData(data, 2, from, r);
    // The generic length bounds may reject what the structure parser accepts, never the reverse.
    if (valid.ok() && !parsed.ok()) Violation("ValidateNotifyData accepts what ParseRedirectData rejects");
    if (valid.ok()) CheckReencodes(data, [&](Writer& w) { return EncodeRedirectData(r, from, w); });
  } else if (type == NotifyType::TICKET_LT_OPAQUE && valid.ok()) {
    TicketLtOpaqueData t;
    if (!ParseTicketLtOpaque(data, 2, t).ok()) Violation("valid TICKET_LT_OPAQUE does not parse");
    CheckReencodes(data, [&](Writer& w) { return EncodeTicketLtOpaque(t, w); });
  }
  return 0;
}
