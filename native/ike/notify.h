// Notify payload (RFC 7296 §3.10).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                Security Parameter Index (SPI)                 ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Notification Data                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field       | notes                                     |
// |--------|--------|-------------|-------------------------------------------|
// | 0      | 1      | Protocol ID | ignored when the SPI is empty (§3.10)     |
// | 1      | 1      | SPI Size    | AH/ESP: 0 or 4; REKEY_SA, INVALID_SELECTORS, |
// |        |        |             | CHILD_SA_NOT_FOUND: AH/ESP with 4 octets  |
// | 2      | 2      | Notify Type | NotifyType in constants.def               |
// | 4      | s      | SPI         |                                           |
// | 4+s    | n      | Data        | checked per type (notify_data.h)          |
//
// ParseNotify is the zero-allocation notify view the redirect fast path uses
// to find N(REDIRECT_SUPPORTED) / N(REDIRECTED_FROM) / N(COOKIE).
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct NotifyPayload {
  uint8_t protocol_id = 0;
  uint16_t type = 0;
  ByteView spi;
  ByteView data;
  Offset data_offset = 0;  ///< absolute offset of data (decode only)
};

/// Parses the fixed part and SPI, then validates the notification data for
/// the types notify_data.h knows (NOTIFY_DATA_LENGTH, REDIRECT_*, ...).
Status ParseNotify(const PayloadView& payload, NotifyPayload& out);
EncodeStatus EncodeNotify(const NotifyPayload& notify, Writer& w);

}  // namespace ikelb::ike
