#include "ike/delete.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseDelete(const PayloadView& payload, DeletePayload& out) {
  const ByteView b = payload.body;
  if (b.size() < 4) return Fail(ErrorCode::PAYLOAD_TOO_SHORT, "DELETE", payload.offset, ToOffset(b.size()), 4);
  out.protocol_id = b[0];
  out.spi_size = b[1];
  out.num_spis = Load16(b.data() + 2);
  out.spis = b.subspan(4);
  const size_t at = payload.body_offset();
  const bool size_ok = out.protocol_id == ProtocolId::IKE ? out.spi_size == 0
                       : (out.protocol_id == ProtocolId::AH || out.protocol_id == ProtocolId::ESP)
                           ? out.spi_size == 4
                           : true;
  if (!size_ok) return Fail(ErrorCode::DELETE_SPI_SIZE, "DELETE.spiSize", at + 1, out.spi_size);
  // A zero SPI size announces no SPIs (RFC 7296 §3.11: an IKE SA delete has
  // "SPI Size 0 and Num of SPIs 0").
  const size_t need = static_cast<size_t>(out.num_spis) * out.spi_size;
  if (need != out.spis.size() || (out.spi_size == 0 && out.num_spis != 0)) {
    return Fail(ErrorCode::DELETE_SPIS, "DELETE.numSpis", at + 2, out.num_spis, out.spi_size,
                ToOffset(out.spis.size()));
  }
  return Status{};
}

EncodeStatus EncodeDelete(const DeletePayload& del, Writer& w) {
  w.U8(del.protocol_id);
  w.U8(del.spi_size);
  w.U16(del.num_spis);
  w.Bytes(del.spis);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
