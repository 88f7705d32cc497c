// Decode errors: one stable code per class of malformed input, the field and
// absolute byte offset at fault, and the numbers behind it. A Status never
// allocates: the human-readable detail is formatted on demand from the
// template in constants.def, so the data-plane fast path pays nothing for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ike/bytes.h"

namespace ikelb::ike {

enum class ErrorCode : uint8_t {
  OK = 0,
#define IKELB_DECODE_ERROR(name, notify, detail) name,
#include "ike/constants.def"
};

/// The outcome of a decode step. `field` is a static string naming the field
/// (e.g. "NONCE.data", "SA.proposal.transform.attribute.length"); `offset` is
/// the absolute offset of that field in the datagram (or in the buffer given
/// to DecodePayloads plus its base offset). value/min/max are the numbers the
/// detail template refers to.
struct Status {
  ErrorCode code = ErrorCode::OK;
  const char* field = "";
  Offset offset = 0;
  uint32_t value = 0;
  uint32_t min = 0;
  uint32_t max = 0;

  [[nodiscard]] constexpr bool ok() const { return code == ErrorCode::OK; }
};

[[nodiscard]] constexpr Status Fail(ErrorCode code, const char* field, size_t offset, uint32_t value = 0,
                                    uint32_t min = 0, uint32_t max = 0) {
  return Status{code, field, ToOffset(offset), value, min, max};
}

/// Number of codes including OK (codes are 0 .. ErrorCodeCount()-1).
size_t ErrorCodeCount();

/// "NONCE_LENGTH" etc.; "OK" for ErrorCode::OK.
const char* ErrorCodeName(ErrorCode code);

/// The notify type a responder answers this error with (RFC 7296 §2.21):
/// INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD or INVALID_MAJOR_VERSION.
uint16_t ErrorNotifyType(ErrorCode code);

/// Writes the detail sentence into out (always NUL-terminated when cap > 0);
/// returns the length it would have needed, like snprintf. No allocation.
size_t FormatErrorDetail(const Status& status, char* out, size_t cap);

/// Convenience for non-hot paths (tools, tests, the N-API glue).
std::string ErrorDetail(const Status& status);

}  // namespace ikelb::ike

/// Returns the Status of `expr` from the calling function when it failed.
#define IKELB_TRY(expr)                        \
  do {                                         \
    const ::ikelb::ike::Status ikelb_s_ = (expr); \
    if (!ikelb_s_.ok()) return ikelb_s_;       \
  } while (0)
