// Byte views and big-endian loads/stores. Every multi-octet IKE field is in
// network byte order (RFC 7296 §3). Callers check bounds before loading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ikelb::ike {

/// A borrowed, read-only run of octets (never owns memory).
using ByteView = std::span<const uint8_t>;

constexpr uint16_t Load16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
constexpr uint32_t Load24(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 16) | (static_cast<uint32_t>(p[1]) << 8) | p[2];
}
constexpr uint32_t Load32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

constexpr void Store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
constexpr void Store32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

/// Offsets into one datagram: a message is at most 2^32-1 octets (the IKE
/// header's length field), so 32 bits always suffice.
using Offset = uint32_t;

constexpr Offset ToOffset(size_t n) { return n > 0xffffffffu ? 0xffffffffu : static_cast<Offset>(n); }

}  // namespace ikelb::ike
