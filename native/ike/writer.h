// Output side: a bounded writer into a caller-provided buffer, and the
// encode status. Writing never allocates; a Writer without a buffer only
// measures, so encoders compute lengths with the same code that writes.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "ike/bytes.h"
#include "ike/errors.h"

namespace ikelb::ike {

enum class EncodeError : uint8_t {
  OK = 0,
  FIELD_OVERFLOW,    ///< a value does not fit its wire field (e.g. a 70000-octet payload)
  BUFFER_TOO_SMALL,  ///< the caller's buffer is shorter than the message
  TYPE_MISMATCH,     ///< a payload's type does not match its body (or is 0)
  INVALID,           ///< the message would not decode: `invalid` says why and where
};

struct EncodeStatus {
  EncodeError code = EncodeError::OK;
  const char* field = "";
  uint64_t value = 0;
  uint64_t max = 0;
  Status invalid;  ///< for INVALID: the decode error of the output (offsets into it)

  [[nodiscard]] bool ok() const { return code == EncodeError::OK; }
};

const char* EncodeErrorName(EncodeError code);

inline EncodeStatus Overflow(const char* field, uint64_t value, uint64_t max) {
  return EncodeStatus{EncodeError::FIELD_OVERFLOW, field, value, max, {}};
}
inline EncodeStatus Invalid(const Status& status) {
  return EncodeStatus{EncodeError::INVALID, status.field, status.value, status.max, status};
}

class Writer {
 public:
  /// Measures only: counts octets, writes nothing.
  Writer() = default;
  explicit Writer(std::span<uint8_t> out) : out_(out.data()), cap_(out.size()) {}

  void U8(uint8_t v) {
    if (pos_ < cap_) out_[pos_] = v;
    ++pos_;
  }
  void U16(uint16_t v) {
    U8(static_cast<uint8_t>(v >> 8));
    U8(static_cast<uint8_t>(v));
  }
  void U24(uint32_t v) {
    U8(static_cast<uint8_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void Bytes(ByteView b) {
    if (!b.empty() && pos_ < cap_ && b.size() <= cap_ - pos_) std::memcpy(out_ + pos_, b.data(), b.size());
    pos_ += b.size();
  }
  /// Rewrites octets already written (a length or Next Payload placeholder).
  void Patch8(size_t at, uint8_t v) {
    if (at < cap_ && at < pos_) out_[at] = v;
  }
  void Patch16(size_t at, uint16_t v) {
    Patch8(at, static_cast<uint8_t>(v >> 8));
    Patch8(at + 1, static_cast<uint8_t>(v));
  }
  void Patch32(size_t at, uint32_t v) {
    Patch16(at, static_cast<uint16_t>(v >> 16));
    Patch16(at + 2, static_cast<uint16_t>(v));
  }

  /// Octets written so far (or that would have been, when measuring).
  size_t size() const { return pos_; }
  bool measuring() const { return out_ == nullptr; }
  /// True when a real buffer was too short for what was written.
  bool overflowed() const { return !measuring() && pos_ > cap_; }

 private:
  uint8_t* out_ = nullptr;
  size_t cap_ = 0;
  size_t pos_ = 0;
};

}  // namespace ikelb::ike
