#include "ike/header.h"

#include <algorithm>

#include "ike/constants.h"

namespace ikelb::ike {

bool HeaderView::initiator() const { return (flags() & HeaderFlag::INITIATOR) != 0; }
bool HeaderView::response() const { return (flags() & HeaderFlag::RESPONSE) != 0; }

Status ParseHeader(ByteView datagram, HeaderView& out) {
  if (datagram.size() < kHeaderSize) {
    return Fail(ErrorCode::TRUNCATED_HEADER, "header", 0, ToOffset(datagram.size()), kHeaderSize);
  }
  const uint8_t* p = datagram.data();
  const uint8_t major = p[header_offset::kVersion] >> 4;
  if (major != IkeVersion::MAJOR) {
    return Fail(ErrorCode::UNSUPPORTED_MAJOR_VERSION, "header.majorVersion", header_offset::kVersion, major,
                IkeVersion::MAJOR, IkeVersion::MAJOR);
  }
  const uint32_t length = Load32(p + header_offset::kLength);
  if (length < kHeaderSize) {
    return Fail(ErrorCode::HEADER_LENGTH_TOO_SMALL, "header.length", header_offset::kLength, length, kHeaderSize);
  }
  if (length > datagram.size()) {
    return Fail(ErrorCode::LENGTH_EXCEEDS_DATAGRAM, "header.length", header_offset::kLength, length, 0,
                ToOffset(datagram.size()));
  }
  if (length < datagram.size()) {
    return Fail(ErrorCode::TRAILING_BYTES, "datagram", length, ToOffset(datagram.size() - length), 0, length);
  }
  out.p_ = p;
  return Status{};
}

Header ToHeader(const HeaderView& view) {
  Header h;
  std::copy_n(view.spi_i().data(), 8, h.spi_i.begin());
  std::copy_n(view.spi_r().data(), 8, h.spi_r.begin());
  h.major_version = view.major_version();
  h.minor_version = view.minor_version();
  h.exchange_type = view.exchange_type();
  h.flags = view.flags();
  h.message_id = view.message_id();
  return h;
}

}  // namespace ikelb::ike
