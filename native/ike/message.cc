#include "ike/message.h"

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

template <class T>
Status ParseInto(Status (*parse)(const PayloadView&, T&), const PayloadView& view, PayloadBody& body) {
  T value{};
  IKELB_TRY(parse(view, value));
  body = std::move(value);
  return Status{};
}

Status DecodeBody(const PayloadView& view, PayloadBody& body) {
  switch (view.type) {
    case PayloadType::SA:
      return ParseInto<SaPayload>(&DecodeSa, view, body);
    case PayloadType::KE:
      return ParseInto<KePayload>(&ParseKe, view, body);
    case PayloadType::IDi:
    case PayloadType::IDr:
      return ParseInto<IdPayload>(&ParseId, view, body);
    case PayloadType::CERT:
    case PayloadType::CERTREQ:
      return ParseInto<CertPayload>(&ParseCert, view, body);
    case PayloadType::AUTH:
      return ParseInto<AuthPayload>(&ParseAuth, view, body);
    case PayloadType::NONCE:
      return ParseInto<NoncePayload>(&ParseNonce, view, body);
    case PayloadType::NOTIFY:
      return ParseInto<NotifyPayload>(&ParseNotify, view, body);
    case PayloadType::DELETE:
      return ParseInto<DeletePayload>(&ParseDelete, view, body);
    case PayloadType::VENDOR_ID:
      return ParseInto<VendorIdPayload>(&ParseVendorId, view, body);
    case PayloadType::TSi:
    case PayloadType::TSr:
      return ParseInto<TsPayload>(&DecodeTs, view, body);
    case PayloadType::SK:
      return ParseInto<SkPayload>(&ParseSk, view, body);
    case PayloadType::CP:
      return ParseInto<CpPayload>(&DecodeCp, view, body);
    case PayloadType::EAP:
      return ParseInto<EapPayload>(&ParseEap, view, body);
    case PayloadType::SKF:
      return ParseInto<SkfPayload>(&ParseSkf, view, body);
    default:
      body = RawPayload{view.body};
      return Status{};
  }
}

Status DecodeChain(PayloadCursor& cursor, std::vector<Payload>& out) {
  out.clear();
  PayloadView view;
  while (cursor.Next(view)) {
    Payload& payload = out.emplace_back();
    payload.type = view.type;
    payload.flags = view.flags;
    IKELB_TRY(DecodeBody(view, payload.body));
  }
  return cursor.status();
}

Status ValidateChain(PayloadCursor& cursor) {
  PayloadView view;
  while (cursor.Next(view)) IKELB_TRY(ValidatePayload(view));
  return cursor.status();
}

// Which body type a payload type must carry (encode checks the pairing).
bool BodyMatches(uint8_t type, const PayloadBody& body) {
  switch (type) {
    case PayloadType::SA:
      return std::holds_alternative<SaPayload>(body);
    case PayloadType::KE:
      return std::holds_alternative<KePayload>(body);
    case PayloadType::IDi:
    case PayloadType::IDr:
      return std::holds_alternative<IdPayload>(body);
    case PayloadType::CERT:
    case PayloadType::CERTREQ:
      return std::holds_alternative<CertPayload>(body);
    case PayloadType::AUTH:
      return std::holds_alternative<AuthPayload>(body);
    case PayloadType::NONCE:
      return std::holds_alternative<NoncePayload>(body);
    case PayloadType::NOTIFY:
      return std::holds_alternative<NotifyPayload>(body);
    case PayloadType::DELETE:
      return std::holds_alternative<DeletePayload>(body);
    case PayloadType::VENDOR_ID:
      return std::holds_alternative<VendorIdPayload>(body);
    case PayloadType::TSi:
    case PayloadType::TSr:
      return std::holds_alternative<TsPayload>(body);
    case PayloadType::SK:
      return std::holds_alternative<SkPayload>(body);
    case PayloadType::CP:
      return std::holds_alternative<CpPayload>(body);
    case PayloadType::EAP:
      return std::holds_alternative<EapPayload>(body);
    case PayloadType::SKF:
      return std::holds_alternative<SkfPayload>(body);
    case PayloadType::NONE:
      return false;
    default:
      return std::holds_alternative<RawPayload>(body);
  }
}

struct BodyEncoder {
  Writer& w;
  EncodeStatus operator()(const RawPayload& p) const {
    w.Bytes(p.data);
    return EncodeStatus{};
  }
  EncodeStatus operator()(const SaPayload& p) const { return EncodeSa(p, w); }
  EncodeStatus operator()(const KePayload& p) const { return EncodeKe(p, w); }
  EncodeStatus operator()(const IdPayload& p) const { return EncodeId(p, w); }
  EncodeStatus operator()(const CertPayload& p) const { return EncodeCert(p, w); }
  EncodeStatus operator()(const AuthPayload& p) const { return EncodeAuth(p, w); }
  EncodeStatus operator()(const NoncePayload& p) const { return EncodeNonce(p, w); }
  EncodeStatus operator()(const NotifyPayload& p) const { return EncodeNotify(p, w); }
  EncodeStatus operator()(const DeletePayload& p) const { return EncodeDelete(p, w); }
  EncodeStatus operator()(const VendorIdPayload& p) const { return EncodeVendorId(p, w); }
  EncodeStatus operator()(const TsPayload& p) const { return EncodeTs(p, w); }
  EncodeStatus operator()(const SkPayload& p) const { return EncodeSk(p, w); }
  EncodeStatus operator()(const CpPayload& p) const { return EncodeCp(p, w); }
  EncodeStatus operator()(const EapPayload& p) const { return EncodeEap(p, w); }
  EncodeStatus operator()(const SkfPayload& p) const { return EncodeSkf(p, w); }
};

}  // namespace

Status ValidatePayload(const PayloadView& view) {
  switch (view.type) {
    case PayloadType::SA:
      return ValidateSa(view);
    case PayloadType::KE: {
      KePayload p;
      return ParseKe(view, p);
    }
    case PayloadType::IDi:
    case PayloadType::IDr: {
      IdPayload p;
      return ParseId(view, p);
    }
    case PayloadType::CERT:
    case PayloadType::CERTREQ: {
      CertPayload p;
      return ParseCert(view, p);
    }
    case PayloadType::AUTH: {
      AuthPayload p;
      return ParseAuth(view, p);
    }
    case PayloadType::NONCE: {
      NoncePayload p;
      return ParseNonce(view, p);
    }
    case PayloadType::NOTIFY: {
      NotifyPayload p;
      return ParseNotify(view, p);
    }
    case PayloadType::DELETE: {
      DeletePayload p;
      return ParseDelete(view, p);
    }
    case PayloadType::TSi:
    case PayloadType::TSr:
      return ValidateTs(view);
    case PayloadType::CP:
      return ValidateCp(view);
    case PayloadType::EAP: {
      EapPayload p;
      return ParseEap(view, p);
    }
    case PayloadType::SKF: {
      SkfPayload p;
      return ParseSkf(view, p);
    }
    default:  // VENDOR_ID, SK: any body; unknown types: kept raw
      return Status{};
  }
}

Status DecodeMessage(ByteView datagram, Message& out) {
  HeaderView header;
  IKELB_TRY(ParseHeader(datagram, header));
  out.header = ToHeader(header);
  PayloadCursor cursor = PayloadCursor::ForMessage(header);
  return DecodeChain(cursor, out.payloads);
}

Status DecodePayloads(ByteView chain, uint8_t first_type, Offset base_offset, std::vector<Payload>& out) {
  PayloadCursor cursor(chain, first_type, base_offset, true);
  return DecodeChain(cursor, out);
}

Status ValidateMessage(ByteView datagram) {
  HeaderView header;
  IKELB_TRY(ParseHeader(datagram, header));
  PayloadCursor cursor = PayloadCursor::ForMessage(header);
  return ValidateChain(cursor);
}

Status ValidatePayloads(ByteView chain, uint8_t first_type, Offset base_offset) {
  PayloadCursor cursor(chain, first_type, base_offset, true);
  return ValidateChain(cursor);
}

// ---- writer ------------------------------------------------------------------

MessageWriter::MessageWriter(std::span<uint8_t> out, bool with_header)
    : w_(out), out_(out), with_header_(with_header) {}

MessageWriter::MessageWriter(bool with_header) : with_header_(with_header) {}

void MessageWriter::Header(const ike::Header& h) {
  w_.Bytes(ByteView(h.spi_i));
  w_.Bytes(ByteView(h.spi_r));
  next_field_ = w_.size();
  have_next_field_ = true;
  w_.U8(PayloadType::NONE);
  w_.U8(static_cast<uint8_t>((h.major_version << 4) | (h.minor_version & 0x0f)));
  w_.U8(h.exchange_type);
  w_.U8(h.flags);
  w_.U32(h.message_id);
  w_.U32(0);  // Length, patched by Finish
}

void MessageWriter::BeginPayload(uint8_t type, uint8_t flags) {
  if (have_next_field_) w_.Patch8(next_field_, type);
  if (first_type_ == PayloadType::NONE) first_type_ = type;
  payload_start_ = w_.size();
  next_field_ = payload_start_;
  have_next_field_ = true;
  w_.U8(PayloadType::NONE);
  w_.U8(flags);
  w_.U16(0);  // Payload Length, patched by EndPayload
}

void MessageWriter::SetOwnNextPayload(uint8_t type) {
  w_.Patch8(payload_start_, type);
  // Nothing may follow SK/SKF; a payload begun anyway overwrites this and
  // fails validation with SK_NOT_LAST.
  have_next_field_ = false;
}

EncodeStatus MessageWriter::EndPayload() {
  const size_t length = w_.size() - payload_start_;
  if (length > 0xffff) return Overflow("payload.length", length, 0xffff);
  w_.Patch16(payload_start_ + 2, static_cast<uint16_t>(length));
  return EncodeStatus{};
}

EncodeStatus MessageWriter::Finish(size_t& written) {
  const size_t total = w_.size();
  if (total > 0xffffffffu) return Overflow("header.length", total, 0xffffffffu);
  if (w_.measuring()) {
    written = total;
    return EncodeStatus{};
  }
  if (w_.overflowed()) return EncodeStatus{EncodeError::BUFFER_TOO_SMALL, "buffer", total, out_.size(), {}};
  if (with_header_) w_.Patch32(header_offset::kLength, static_cast<uint32_t>(total));
  const ByteView result(out_.data(), total);
  const Status valid =
      with_header_ ? ValidateMessage(result) : ValidatePayloads(result, first_type_, 0);
  if (!valid.ok()) return Invalid(valid);
  written = total;
  return EncodeStatus{};
}

EncodeStatus EncodePayload(const Payload& payload, MessageWriter& m) {
  if (!BodyMatches(payload.type, payload.body)) {
    return EncodeStatus{EncodeError::TYPE_MISMATCH, "payload.type", payload.type, 0, {}};
  }
  m.BeginPayload(payload.type, payload.flags);
  const EncodeStatus s = std::visit(BodyEncoder{m.body()}, payload.body);
  if (!s.ok()) return s;
  if (const auto* sk = std::get_if<SkPayload>(&payload.body)) m.SetOwnNextPayload(sk->inner_next);
  if (const auto* skf = std::get_if<SkfPayload>(&payload.body)) m.SetOwnNextPayload(skf->inner_next);
  return m.EndPayload();
}

namespace {

EncodeStatus WriteMessage(const Message& message, MessageWriter& m, size_t& written) {
  const Header& h = message.header;
  if (h.major_version > 0x0f) return Overflow("header.majorVersion", h.major_version, 0x0f);
  if (h.minor_version > 0x0f) return Overflow("header.minorVersion", h.minor_version, 0x0f);
  m.Header(h);
  for (const Payload& payload : message.payloads) {
    const EncodeStatus s = EncodePayload(payload, m);
    if (!s.ok()) return s;
  }
  return m.Finish(written);
}

}  // namespace

EncodeStatus MeasureEncoded(const Message& message, size_t& needed) {
  MessageWriter measure;
  return WriteMessage(message, measure, needed);
}

EncodeStatus Encode(const Message& message, std::span<uint8_t> out, size_t& written) {
  MessageWriter m(out);
  return WriteMessage(message, m, written);
}

EncodeStatus Encode(const Message& message, std::vector<uint8_t>& out) {
  size_t needed = 0;
  EncodeStatus s = MeasureEncoded(message, needed);
  if (!s.ok()) return s;
  out.resize(needed);
  size_t written = 0;
  s = Encode(message, std::span<uint8_t>(out), written);
  if (!s.ok()) out.clear();
  return s;
}

EncodeStatus EncodePayloads(const std::vector<Payload>& payloads, std::vector<uint8_t>& out, uint8_t& first_type) {
  auto write = [&](MessageWriter& m, size_t& written) -> EncodeStatus {
    for (const Payload& payload : payloads) {
      const EncodeStatus s = EncodePayload(payload, m);
      if (!s.ok()) return s;
    }
    return m.Finish(written);
  };
  MessageWriter measure(false);
  size_t needed = 0;
  EncodeStatus s = write(measure, needed);
  if (!s.ok()) return s;
  out.resize(needed);
  MessageWriter m(std::span<uint8_t>(out), false);
  size_t written = 0;
  s = write(m, written);
  if (!s.ok()) {
    out.clear();
    return s;
  }
  first_type = m.first_type();
  return s;
}

EncodeStatus EncodePayloads(const std::vector<Payload>& payloads, std::span<uint8_t> out, size_t& written,
                            uint8_t& first_type) {
  MessageWriter m(out, false);
  for (const Payload& payload : payloads) {
    const EncodeStatus s = EncodePayload(payload, m);
    if (!s.ok()) return s;
  }
  const EncodeStatus s = m.Finish(written);
  if (s.ok()) first_type = m.first_type();
  return s;
}

const char* EncodeErrorName(EncodeError code) {
  switch (code) {
    case EncodeError::OK:
      return "OK";
    case EncodeError::FIELD_OVERFLOW:
      return "FIELD_OVERFLOW";
    case EncodeError::BUFFER_TOO_SMALL:
      return "BUFFER_TOO_SMALL";
    case EncodeError::TYPE_MISMATCH:
      return "TYPE_MISMATCH";
    case EncodeError::INVALID:
      return "INVALID";
  }
  return "UNKNOWN";
}

}  // namespace ikelb::ike
