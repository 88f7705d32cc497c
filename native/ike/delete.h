// Delete payload (RFC 7296 §3.11).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Protocol ID   |   SPI Size    |          Num of SPIs          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~               Security Parameter Index(es) (SPI)              ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field       | notes                                     |
// |--------|--------|-------------|-------------------------------------------|
// | 0      | 1      | Protocol ID | IKE: SPI Size 0 and no SPIs; AH/ESP: 4    |
// | 1      | 1      | SPI Size    | DELETE_SPI_SIZE when it contradicts that  |
// | 2      | 2      | Num of SPIs | Num x Size must be exactly the rest       |
// | 4      | n      | SPIs        | kept concatenated                         |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct DeletePayload {
  uint8_t protocol_id = 0;
  uint8_t spi_size = 0;
  uint16_t num_spis = 0;
  ByteView spis;  ///< num_spis * spi_size octets
};

Status ParseDelete(const PayloadView& payload, DeletePayload& out);
EncodeStatus EncodeDelete(const DeletePayload& del, Writer& w);

}  // namespace ikelb::ike
