// The IKE header (RFC 7296 §3.1).
//
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Initiator's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Responder's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          Message ID                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                            Length                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field          | notes                                  |
// |--------|--------|----------------|----------------------------------------|
// | 0      | 8      | Initiator SPI  | never zero on the wire (not checked)   |
// | 8      | 8      | Responder SPI  | zero in the first IKE_SA_INIT request  |
// | 16     | 1      | Next Payload   | type of the first payload, 0 for none  |
// | 17     | 1      | MjVer / MnVer  | high / low nibble; major must be 2     |
// | 18     | 1      | Exchange Type  | ExchangeType in constants.def          |
// | 19     | 1      | Flags          | I 0x08, V 0x10, R 0x20; rest reserved  |
// | 20     | 4      | Message ID     |                                        |
// | 24     | 4      | Length         | whole message incl. header, = datagram |
#pragma once

#include <array>
#include <cstdint>

#include "ike/bytes.h"
#include "ike/constants.h"
#include "ike/errors.h"

namespace ikelb::ike {

class InitRequestMemo;

inline constexpr size_t kHeaderSize = 28;

/// Offsets of the header fields (the table above), exported to TypeScript.
namespace header_offset {
inline constexpr size_t kSpiI = 0;
inline constexpr size_t kSpiR = 8;
inline constexpr size_t kNextPayload = 16;
inline constexpr size_t kVersion = 17;
inline constexpr size_t kExchangeType = 18;
inline constexpr size_t kFlags = 19;
inline constexpr size_t kMessageId = 20;
inline constexpr size_t kLength = 24;
}  // namespace header_offset

/// A zero-copy view of a header that ParseHeader validated. It points into
/// the caller's datagram and is valid as long as that buffer is.
class HeaderView {
 public:
  HeaderView() = default;

  ByteView spi_i() const { return ByteView(p_ + header_offset::kSpiI, 8); }
  ByteView spi_r() const { return ByteView(p_ + header_offset::kSpiR, 8); }
  uint64_t spi_i_u64() const { return (uint64_t{Load32(p_)} << 32) | Load32(p_ + 4); }
  uint64_t spi_r_u64() const { return (uint64_t{Load32(p_ + 8)} << 32) | Load32(p_ + 12); }
  uint8_t next_payload() const { return p_[header_offset::kNextPayload]; }
  uint8_t major_version() const { return p_[header_offset::kVersion] >> 4; }
  uint8_t minor_version() const { return p_[header_offset::kVersion] & 0x0f; }
  uint8_t exchange_type() const { return p_[header_offset::kExchangeType]; }
  uint8_t flags() const { return p_[header_offset::kFlags]; }
  bool initiator() const { return (flags() & HeaderFlag::INITIATOR) != 0; }
  bool response() const { return (flags() & HeaderFlag::RESPONSE) != 0; }
  uint32_t message_id() const { return Load32(p_ + header_offset::kMessageId); }
  uint32_t length() const { return Load32(p_ + header_offset::kLength); }
  /// The whole message (header and payloads), exactly length() octets.
  ByteView message() const { return ByteView(p_, length()); }
  /// The payload region after the header.
  ByteView payloads() const { return ByteView(p_ + kHeaderSize, length() - kHeaderSize); }

 private:
  friend inline Status ParseHeader(ByteView datagram, HeaderView& out);
  friend class InitRequestMemo;  // recognises octets of a header ParseHeader accepted before
  const uint8_t* p_ = nullptr;
};

/// Validates the header of one datagram, in this order: at least 28 octets
/// (TRUNCATED_HEADER), major version 2 (UNSUPPORTED_MAJOR_VERSION, RFC 7296
/// §2.5: answered with INVALID_MAJOR_VERSION), Length >= 28
/// (HEADER_LENGTH_TOO_SMALL), Length <= datagram (LENGTH_EXCEEDS_DATAGRAM),
/// Length == datagram (TRAILING_BYTES). Zero allocation. Inline: every
/// datagram of the data plane starts here.
inline Status ParseHeader(ByteView datagram, HeaderView& out);

/// Header fields of a structured message. Next Payload and Length are
/// derived when encoding, so they are not stored.
struct Header {
  std::array<uint8_t, 8> spi_i{};
  std::array<uint8_t, 8> spi_r{};
  uint8_t major_version = 2;
  uint8_t minor_version = 0;
  uint8_t exchange_type = 0;
  uint8_t flags = 0;
  uint32_t message_id = 0;
};

Header ToHeader(const HeaderView& view);

inline Status ParseHeader(ByteView datagram, HeaderView& out) {
  if (datagram.size() < kHeaderSize) [[unlikely]] {
    return Fail(ErrorCode::TRUNCATED_HEADER, "header", 0, ToOffset(datagram.size()), kHeaderSize);
  }
  const uint8_t* p = datagram.data();
  const uint8_t major = p[header_offset::kVersion] >> 4;
  if (major != IkeVersion::MAJOR) [[unlikely]] {
    return Fail(ErrorCode::UNSUPPORTED_MAJOR_VERSION, "header.majorVersion", header_offset::kVersion, major,
                IkeVersion::MAJOR, IkeVersion::MAJOR);
  }
  const uint32_t length = Load32(p + header_offset::kLength);
  if (length != datagram.size()) [[unlikely]] {
    if (length < kHeaderSize) {
      return Fail(ErrorCode::HEADER_LENGTH_TOO_SMALL, "header.length", header_offset::kLength, length, kHeaderSize);
    }
    if (length > datagram.size()) {
      return Fail(ErrorCode::LENGTH_EXCEEDS_DATAGRAM, "header.length", header_offset::kLength, length, 0,
                  ToOffset(datagram.size()));
    }
    return Fail(ErrorCode::TRAILING_BYTES, "datagram", length, ToOffset(datagram.size() - length), 0, length);
  }
  out.p_ = p;
  return Status{};
}

}  // namespace ikelb::ike
