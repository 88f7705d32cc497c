// Traffic Selector payloads TSi and TSr (RFC 7296 §3.13).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Number of TSs |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       <Traffic Selectors>                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Traffic selector (§3.13.1):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   TS Type     |IP Protocol ID*|       Selector Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Start Port*         |           End Port*           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Starting Address*                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Ending Address*                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field           | notes                                 |
// |--------|--------|-----------------|---------------------------------------|
// | 0      | 1      | Number of TSs   | must equal the selectors present      |
// | 1      | 3      | RESERVED        | kept                                  |
// | selector +0 | 1 | TS Type         | 7 IPv4 range, 8 IPv6 range            |
// | selector +1 | 1 | IP Protocol ID  | 0 = any                               |
// | selector +2 | 2 | Selector Length | header included: 16 (IPv4), 40 (IPv6) |
// | selector +4 | 2+2 | Ports         | start, end                            |
// | selector +8 | 4/16 x 2 | Addresses | start, end                          |
//
// Unknown TS types (* fields are type-specific) are kept raw: everything
// after the 4-octet selector header. libreswan's CVE-2023-23009 was a
// selector whose length did not match its type: TS_LENGTH here.
#pragma once

#include <vector>

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct TrafficSelector {
  uint8_t ts_type = 0;
  uint8_t ip_protocol = 0;
  uint16_t start_port = 0;
  uint16_t end_port = 0;
  ByteView start_address;  ///< 4 or 16 octets
  ByteView end_address;
  ByteView raw;  ///< unknown TS types: the octets after the selector header
};

class TrafficSelectorCursor {
 public:
  TrafficSelectorCursor(ByteView region, Offset base, uint8_t announced, Offset count_at, bool initiator)
      : region_(region), base_(base), announced_(announced), count_at_(count_at), initiator_(initiator) {}
  bool Next(TrafficSelector& out);
  const Status& status() const { return status_; }

 private:
  bool Stop(const Status& s) {
    status_ = s;
    done_ = true;
    return false;
  }
  ByteView region_;
  size_t pos_ = 0;
  Offset base_ = 0;
  uint8_t announced_ = 0;
  Offset count_at_ = 0;
  bool initiator_ = true;
  uint32_t seen_ = 0;
  bool done_ = false;
  Status status_;
};

struct TsPayload {
  uint32_t reserved = 0;  ///< 24 bits
  std::vector<TrafficSelector> selectors;
};

/// Zero-allocation: the fixed part and a cursor over the selectors.
Status ParseTsHeader(const PayloadView& payload, uint8_t& count, uint32_t& reserved);
TrafficSelectorCursor SelectorCursor(const PayloadView& payload);
Status ValidateTs(const PayloadView& payload);

Status DecodeTs(const PayloadView& payload, TsPayload& out);
EncodeStatus EncodeTs(const TsPayload& ts, Writer& w);

}  // namespace ikelb::ike
