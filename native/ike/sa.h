// Security Association payload (RFC 7296 §3.3): proposals, transforms and
// transform attributes.
//
// SA payload (§3.3):
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                          <Proposals>                          ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Proposal substructure (§3.3.1):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |         Proposal Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        SPI (variable)                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        <Transforms>                           ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field          | notes                                  |
// |--------|--------|----------------|----------------------------------------|
// | 0      | 1      | Last Substruc  | 0 last proposal, 2 more follow         |
// | 1      | 1      | RESERVED       | kept for byte-exact re-encoding        |
// | 2      | 2      | Proposal Length| whole proposal, >= 8 + SPI Size        |
// | 4      | 1      | Proposal Num   | numbering is checked by the responder  |
// | 5      | 1      | Protocol ID    | IKE 1 (SPI 0 or 8), AH 2 / ESP 3 (4)   |
// | 6      | 1      | SPI Size       |                                        |
// | 7      | 1      | Num Transforms | must equal the transforms present      |
//
// Transform substructure (§3.3.2):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |        Transform Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Transform Type |   RESERVED    |          Transform ID         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Transform Attributes                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field            | notes                                |
// |--------|--------|------------------|--------------------------------------|
// | 0      | 1      | Last Substruc    | 0 last transform, 3 more follow      |
// | 1      | 1      | RESERVED         | kept                                 |
// | 2      | 2      | Transform Length | >= 8, within the proposal            |
// | 4      | 1      | Transform Type   | TransformType in constants.def       |
// | 5      | 1      | RESERVED         | kept                                 |
// | 6      | 2      | Transform ID     | EncrId / PrfId / IntegId / DhGroup   |
//
// Transform attribute (§3.3.5):
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |A|       Attribute Type        |    AF=0  Attribute Length     |
// |F|                             |    AF=1  Attribute Value      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                   AF=0  Attribute Value                       |
// |                   AF=1  Not Transmitted                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// AF=1 (TV): a 2-octet value in the second field (Key Length, type 14, is
// always TV). AF=0 (TLV): the second field is the length of the value that
// follows. The form is kept so re-encoding is byte-exact.
#pragma once

#include <cstdint>
#include <vector>

#include "ike/bytes.h"
#include "ike/errors.h"
#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

// ---- zero-allocation views -------------------------------------------------

struct AttributeView {
  bool tv = false;     ///< AF bit: true = TV (value in `value`), false = TLV (`data`)
  uint16_t type = 0;   ///< 15-bit attribute type
  uint16_t value = 0;  ///< TV value
  ByteView data;       ///< TLV value
  Offset offset = 0;
};

/// Walks the attributes of one transform (or anything with the same format).
class AttributeCursor {
 public:
  AttributeCursor(ByteView region, Offset base) : region_(region), base_(base) {}
  bool Next(AttributeView& out);
  const Status& status() const { return status_; }

 private:
  ByteView region_;
  size_t pos_ = 0;
  Offset base_ = 0;
  Status status_;
};

struct TransformView {
  uint8_t last_substruc = 0;
  uint8_t reserved1 = 0;
  uint8_t type = 0;
  uint8_t reserved2 = 0;
  uint16_t id = 0;
  ByteView attributes;
  Offset offset = 0;

  AttributeCursor attribute_cursor() const { return AttributeCursor(attributes, offset + 8); }
};

/// Walks the transforms of one proposal; checks Transform Length, the Last
/// Substruc chain and, at the end, Num Transforms.
class TransformCursor {
 public:
  TransformCursor(ByteView region, Offset base, uint8_t announced, Offset count_field_offset)
      : region_(region), base_(base), announced_(announced), count_field_offset_(count_field_offset) {}
  bool Next(TransformView& out);
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
  Offset count_field_offset_ = 0;
  uint32_t seen_ = 0;
  bool done_ = false;
  Status status_;
};

struct ProposalView {
  uint8_t last_substruc = 0;
  uint8_t reserved = 0;
  uint8_t number = 0;
  uint8_t protocol_id = 0;
  uint8_t num_transforms = 0;
  ByteView spi;
  ByteView transforms;
  Offset offset = 0;

  TransformCursor transform_cursor() const {
    return TransformCursor(transforms, offset + 8 + static_cast<Offset>(spi.size()), num_transforms, offset + 7);
  }
};

/// Walks the proposals of an SA payload body; checks Proposal Length, SPI
/// Size, the Last Substruc chain, and that there is at least one proposal.
class ProposalCursor {
 public:
  explicit ProposalCursor(const PayloadView& sa) : region_(sa.body), base_(sa.body_offset()) {}
  bool Next(ProposalView& out);
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
  uint32_t seen_ = 0;
  bool done_ = false;
  Status status_;
};

/// Validates a whole SA payload body (every proposal, transform, attribute).
Status ValidateSa(const PayloadView& sa);

// ---- structured form ---------------------------------------------------------

struct Attribute {
  bool tv = true;
  uint16_t type = 0;
  uint16_t value = 0;  ///< TV
  ByteView data;       ///< TLV
};

struct Transform {
  uint8_t type = 0;
  uint16_t id = 0;
  uint8_t reserved1 = 0;
  uint8_t reserved2 = 0;
  std::vector<Attribute> attributes;
};

struct Proposal {
  uint8_t number = 1;
  uint8_t protocol_id = 0;
  uint8_t reserved = 0;
  ByteView spi;
  std::vector<Transform> transforms;
};

struct SaPayload {
  std::vector<Proposal> proposals;
};

Status DecodeSa(const PayloadView& payload, SaPayload& out);
EncodeStatus EncodeSa(const SaPayload& sa, Writer& w);

}  // namespace ikelb::ike
