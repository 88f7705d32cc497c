#include "ike/notify.h"

#include "ike/constants.h"
#include "ike/notify_data.h"

namespace ikelb::ike {
namespace {

// RFC 7296 §3.10: "the SPI is included only with INVALID_SELECTORS, REKEY_SA,
// and CHILD_SA_NOT_FOUND", each about a Child SA (AH or ESP, 4-octet SPI).
// libreswan's CVE-2023-38710 was a REKEY_SA with a bad protocol ID.
bool RequiresChildSpi(uint16_t type) {
  return type == NotifyType::REKEY_SA || type == NotifyType::INVALID_SELECTORS ||
         type == NotifyType::CHILD_SA_NOT_FOUND;
}

}  // namespace

Status ParseNotify(const PayloadView& payload, NotifyPayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "NOTIFY", payload.offset, ToOffset(b.size()), 4);
  out.protocol_id = b[0];
  const uint8_t spi_size = b[1];
  out.type = Load16(b.data() + 2);
  const size_t spi_size_at = payload.body_offset() + 1;
  if (4u + spi_size > b.size()) return Fail(ErrorCode::NOTIFY_SPI_SIZE, "NOTIFY.spiSize", spi_size_at, spi_size);
  const bool child_protocol = out.protocol_id == ProtocolId::AH || out.protocol_id == ProtocolId::ESP;
  if (child_protocol && spi_size != 0 && spi_size != 4) {
    return Fail(ErrorCode::NOTIFY_SPI_SIZE, "NOTIFY.spiSize", spi_size_at, spi_size);
  }
  if (RequiresChildSpi(out.type) && (!child_protocol || spi_size != 4)) {
    return Fail(ErrorCode::NOTIFY_SPI_SIZE, "NOTIFY.spiSize", spi_size_at, spi_size);
  }
  out.spi = b.subspan(4, spi_size);
  out.data = b.subspan(4u + spi_size);
  out.data_offset = ToOffset(payload.body_offset() + 4u + spi_size);
  return ValidateNotifyData(out.type, out.data, out.data_offset);
}

EncodeStatus EncodeNotify(const NotifyPayload& notify, Writer& w) {
  if (notify.spi.size() > 0xff) return Overflow("NOTIFY.spi", notify.spi.size(), 0xff);
  w.U8(notify.protocol_id);
  w.U8(static_cast<uint8_t>(notify.spi.size()));
  w.U16(notify.type);
  w.Bytes(notify.spi);
  w.Bytes(notify.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
