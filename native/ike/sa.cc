#include "ike/sa.h"

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

constexpr size_t kProposalFixed = 8;
constexpr size_t kTransformFixed = 8;
constexpr size_t kAttributeHeader = 4;

// RFC 7296 §3.3.1: the SPI size follows from the protocol. IKE carries no SPI
// in IKE_SA_INIT and the new 8-octet SPI when rekeying; AH and ESP carry 4.
bool SpiSizeValid(uint8_t protocol, uint8_t spi_size) {
  switch (protocol) {
    case ProtocolId::IKE:
      return spi_size == 0 || spi_size == 8;
    case ProtocolId::AH:
    case ProtocolId::ESP:
      return spi_size == 4;
    default:
      return true;
  }
}

}  // namespace

bool AttributeCursor::Next(AttributeView& out) {
  if (!status_.ok()) return false;
  const size_t left = region_.size() - pos_;
  if (left == 0) return false;
  const size_t at = base_ + pos_;
  if (left < kAttributeHeader) {
    status_ = Fail(ErrorCode::ATTRIBUTE_OVERRUN, "SA.proposal.transform.attribute", at, kAttributeHeader, 0,
                   ToOffset(left));
    return false;
  }
  const uint8_t* p = region_.data() + pos_;
  const uint16_t first = Load16(p);
  out.tv = (first & AttributeFormat::TV) != 0;
  out.type = first & 0x7fff;
  out.offset = ToOffset(at);
  if (out.tv) {
    out.value = Load16(p + 2);
    out.data = {};
    pos_ += kAttributeHeader;
    return true;
  }
  const size_t need = kAttributeHeader + Load16(p + 2);
  if (need > left) {
    status_ = Fail(ErrorCode::ATTRIBUTE_OVERRUN, "SA.proposal.transform.attribute.length", at + 2, ToOffset(need), 0,
                   ToOffset(left));
    return false;
  }
  out.value = 0;
  out.data = ByteView(p + kAttributeHeader, need - kAttributeHeader);
  pos_ += need;
  return true;
}

bool TransformCursor::Next(TransformView& out) {
  if (done_) return false;
  const size_t left = region_.size() - pos_;
  const size_t at = base_ + pos_;
  if (left == 0) {
    done_ = true;
    if (seen_ != announced_) {
      return Stop(Fail(ErrorCode::TRANSFORM_COUNT, "SA.proposal.numTransforms", count_field_offset_, announced_,
                       seen_));
    }
    return false;
  }
  if (left < kTransformFixed) {
    return Stop(Fail(ErrorCode::TRANSFORM_LENGTH, "SA.proposal.transform", at, ToOffset(left), kTransformFixed,
                     ToOffset(left)));
  }
  const uint8_t* p = region_.data() + pos_;
  const uint16_t length = Load16(p + 2);
  if (length < kTransformFixed || length > left) {
    return Stop(Fail(ErrorCode::TRANSFORM_LENGTH, "SA.proposal.transform.length", at + 2, length, kTransformFixed,
                     ToOffset(left)));
  }
  const uint8_t last = p[0];
  const size_t after = left - length;
  const bool chain_ok = (last == Substructure::LAST && after == 0) || (last == Substructure::MORE_TRANSFORMS && after != 0);
  if (!chain_ok) {
    return Stop(Fail(ErrorCode::TRANSFORM_CHAIN, "SA.proposal.transform.lastSubstruc", at, last, 0, ToOffset(after)));
  }
  if (seen_ == announced_) {
    return Stop(Fail(ErrorCode::TRANSFORM_COUNT, "SA.proposal.numTransforms", count_field_offset_, announced_,
                     seen_ + 1));
  }
  out.last_substruc = last;
  out.reserved1 = p[1];
  out.type = p[4];
  out.reserved2 = p[5];
  out.id = Load16(p + 6);
  out.attributes = ByteView(p + kTransformFixed, length - kTransformFixed);
  out.offset = ToOffset(at);
  pos_ += length;
  ++seen_;
  return true;
}

bool ProposalCursor::Next(ProposalView& out) {
  if (done_) return false;
  const size_t left = region_.size() - pos_;
  const size_t at = base_ + pos_;
  if (left == 0) {
    done_ = true;
    if (seen_ == 0) return Stop(Fail(ErrorCode::SA_NO_PROPOSALS, "SA", base_));
    return false;
  }
  if (left < kProposalFixed) {
    return Stop(Fail(ErrorCode::PROPOSAL_LENGTH, "SA.proposal", at, ToOffset(left), kProposalFixed, ToOffset(left)));
  }
  const uint8_t* p = region_.data() + pos_;
  const uint16_t length = Load16(p + 2);
  if (length < kProposalFixed || length > left) {
    return Stop(
        Fail(ErrorCode::PROPOSAL_LENGTH, "SA.proposal.length", at + 2, length, kProposalFixed, ToOffset(left)));
  }
  const uint8_t protocol = p[5];
  const uint8_t spi_size = p[6];
  if (kProposalFixed + spi_size > length || !SpiSizeValid(protocol, spi_size)) {
    return Stop(Fail(ErrorCode::PROPOSAL_SPI_SIZE, "SA.proposal.spiSize", at + 6, spi_size));
  }
  const uint8_t last = p[0];
  const size_t after = left - length;
  const bool chain_ok = (last == Substructure::LAST && after == 0) || (last == Substructure::MORE_PROPOSALS && after != 0);
  if (!chain_ok) {
    return Stop(Fail(ErrorCode::PROPOSAL_CHAIN, "SA.proposal.lastSubstruc", at, last, 0, ToOffset(after)));
  }
  out.last_substruc = last;
  out.reserved = p[1];
  out.number = p[4];
  out.protocol_id = protocol;
  out.num_transforms = p[7];
  out.spi = ByteView(p + kProposalFixed, spi_size);
  out.transforms = ByteView(p + kProposalFixed + spi_size, length - kProposalFixed - spi_size);
  out.offset = ToOffset(at);
  pos_ += length;
  ++seen_;
  return true;
}

Status ValidateSa(const PayloadView& sa) {
  ProposalCursor proposals(sa);
  ProposalView proposal;
  while (proposals.Next(proposal)) {
    TransformCursor transforms = proposal.transform_cursor();
    TransformView transform;
    while (transforms.Next(transform)) {
      AttributeCursor attributes = transform.attribute_cursor();
      AttributeView attribute;
      while (attributes.Next(attribute)) {
      }
      IKELB_TRY(attributes.status());
    }
    IKELB_TRY(transforms.status());
  }
  return proposals.status();
}

Status DecodeSa(const PayloadView& payload, SaPayload& out) {
  out.proposals.clear();
  ProposalCursor proposals(payload);
  ProposalView pv;
  while (proposals.Next(pv)) {
    Proposal& proposal = out.proposals.emplace_back();
    proposal.number = pv.number;
    proposal.protocol_id = pv.protocol_id;
    proposal.reserved = pv.reserved;
    proposal.spi = pv.spi;
    proposal.transforms.reserve(pv.num_transforms);
    TransformCursor transforms = pv.transform_cursor();
    TransformView tv;
    while (transforms.Next(tv)) {
      Transform& transform = proposal.transforms.emplace_back();
      transform.type = tv.type;
      transform.id = tv.id;
      transform.reserved1 = tv.reserved1;
      transform.reserved2 = tv.reserved2;
      AttributeCursor attributes = tv.attribute_cursor();
      AttributeView av;
      while (attributes.Next(av)) {
        transform.attributes.push_back(Attribute{av.tv, av.type, av.value, av.data});
      }
      IKELB_TRY(attributes.status());
    }
    IKELB_TRY(transforms.status());
  }
  return proposals.status();
}

EncodeStatus EncodeSa(const SaPayload& sa, Writer& w) {
  for (size_t i = 0; i < sa.proposals.size(); ++i) {
    const Proposal& proposal = sa.proposals[i];
    const size_t start = w.size();
    if (proposal.spi.size() > 0xff) return Overflow("SA.proposal.spi", proposal.spi.size(), 0xff);
    if (proposal.transforms.size() > 0xff) {
      return Overflow("SA.proposal.transforms", proposal.transforms.size(), 0xff);
    }
    w.U8(i + 1 == sa.proposals.size() ? Substructure::LAST : Substructure::MORE_PROPOSALS);
    w.U8(proposal.reserved);
    w.U16(0);  // Proposal Length, patched below
    w.U8(proposal.number);
    w.U8(proposal.protocol_id);
    w.U8(static_cast<uint8_t>(proposal.spi.size()));
    w.U8(static_cast<uint8_t>(proposal.transforms.size()));
    w.Bytes(proposal.spi);
    for (size_t j = 0; j < proposal.transforms.size(); ++j) {
      const Transform& transform = proposal.transforms[j];
      const size_t tstart = w.size();
      w.U8(j + 1 == proposal.transforms.size() ? Substructure::LAST : Substructure::MORE_TRANSFORMS);
      w.U8(transform.reserved1);
      w.U16(0);  // Transform Length, patched below
      w.U8(transform.type);
      w.U8(transform.reserved2);
      w.U16(transform.id);
      for (const Attribute& a : transform.attributes) {
        if (a.type > 0x7fff) return Overflow("SA.proposal.transform.attribute.type", a.type, 0x7fff);
        if (a.tv) {
          w.U16(static_cast<uint16_t>(AttributeFormat::TV | a.type));
          w.U16(a.value);
        } else {
          if (a.data.size() > 0xffff) {
            return Overflow("SA.proposal.transform.attribute.length", a.data.size(), 0xffff);
          }
          w.U16(a.type);
          w.U16(static_cast<uint16_t>(a.data.size()));
          w.Bytes(a.data);
        }
      }
      const size_t tlen = w.size() - tstart;
      if (tlen > 0xffff) return Overflow("SA.proposal.transform.length", tlen, 0xffff);
      w.Patch16(tstart + 2, static_cast<uint16_t>(tlen));
    }
    const size_t plen = w.size() - start;
    if (plen > 0xffff) return Overflow("SA.proposal.length", plen, 0xffff);
    w.Patch16(start + 2, static_cast<uint16_t>(plen));
  }
  return EncodeStatus{};
}

}  // namespace ikelb::ike
