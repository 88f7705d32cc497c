#include "ike/tape.h"

#include <algorithm>
#include <cstring>

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

class TapeWriter {
 public:
  TapeWriter(ByteView base, std::span<uint32_t> words) : base_(base), words_(words) {}
  void W(uint32_t v) {
    if (n_ < words_.size()) words_[n_] = v;
    ++n_;
  }
  void Bytes(ByteView b) {
    // Empty views may carry any pointer: write offset 0.
    W(b.empty() ? 0 : static_cast<uint32_t>(b.data() - base_.data()));
    W(static_cast<uint32_t>(b.size()));
  }
  size_t size() const { return n_; }

 private:
  ByteView base_;
  std::span<uint32_t> words_;
  size_t n_ = 0;
};

struct BodyWriter {
  TapeWriter& t;
  void operator()(const RawPayload& b) const { t.Bytes(b.data); }
  void operator()(const SaPayload& b) const {
    t.W(static_cast<uint32_t>(b.proposals.size()));
    for (const Proposal& p : b.proposals) {
      t.W(p.number);
      t.W(p.protocol_id);
      t.W(p.reserved);
      t.Bytes(p.spi);
      t.W(static_cast<uint32_t>(p.transforms.size()));
      for (const Transform& tr : p.transforms) {
        t.W(tr.type);
        t.W(tr.id);
        t.W(tr.reserved1);
        t.W(tr.reserved2);
        t.W(static_cast<uint32_t>(tr.attributes.size()));
        for (const Attribute& a : tr.attributes) {
          t.W(a.type);
          t.W(a.tv ? 1 : 0);
          t.W(a.value);
          t.Bytes(a.data);
        }
      }
    }
  }
  void operator()(const KePayload& b) const {
    t.W(b.group);
    t.W(b.reserved);
    t.Bytes(b.data);
  }
  void operator()(const IdPayload& b) const {
    t.W(b.id_type);
    t.W(b.reserved);
    t.Bytes(b.data);
  }
  void operator()(const CertPayload& b) const {
    t.W(b.encoding);
    t.Bytes(b.data);
  }
  void operator()(const AuthPayload& b) const {
    t.W(b.method);
    t.W(b.reserved);
    t.Bytes(b.data);
  }
  void operator()(const NoncePayload& b) const { t.Bytes(b.data); }
  void operator()(const NotifyPayload& b) const {
    t.W(b.protocol_id);
    t.W(b.type);
    t.Bytes(b.spi);
    t.Bytes(b.data);
  }
  void operator()(const DeletePayload& b) const {
    t.W(b.protocol_id);
    t.W(b.spi_size);
    t.W(b.num_spis);
    t.Bytes(b.spis);
    // Bytes() wrote offset and length; the reader recomputes the length.
  }
  void operator()(const VendorIdPayload& b) const { t.Bytes(b.data); }
  void operator()(const TsPayload& b) const {
    t.W(b.reserved);
    t.W(static_cast<uint32_t>(b.selectors.size()));
    for (const TrafficSelector& s : b.selectors) {
      t.W(s.ts_type);
      t.W(s.ip_protocol);
      t.W(s.start_port);
      t.W(s.end_port);
      if (s.start_address.empty() && s.end_address.empty()) {
        t.Bytes(s.raw);
        t.Bytes({});
      } else {
        t.Bytes(s.start_address);
        t.Bytes(s.end_address);
      }
    }
  }
  void operator()(const SkPayload& b) const {
    t.W(b.inner_next);
    t.Bytes(b.data);
  }
  void operator()(const CpPayload& b) const {
    t.W(b.cfg_type);
    t.W(b.reserved);
    t.W(static_cast<uint32_t>(b.attributes.size()));
    for (const ConfigAttribute& a : b.attributes) {
      t.W(a.type);
      t.W(a.reserved_bit ? 1 : 0);
      t.Bytes(a.value);
    }
  }
  void operator()(const EapPayload& b) const { t.Bytes(b.message); }
  void operator()(const SkfPayload& b) const {
    t.W(b.inner_next);
    t.W(b.fragment_number);
    t.W(b.total_fragments);
    t.Bytes(b.data);
  }
};

class TapeReader {
 public:
  TapeReader(std::span<const uint32_t> words, ByteView blob, TapeError& error)
      : words_(words), blob_(blob), error_(error) {}

  bool ok() const { return ok_; }
  size_t left() const { return words_.size() - pos_; }
  bool done() const { return pos_ == words_.size(); }

  bool Fail(const char* what) {
    if (ok_) {
      error_.word = pos_;
      error_.what = what;
    }
    ok_ = false;
    return false;
  }

  /// One word no larger than max.
  template <class T>
  bool U(T& out, uint32_t max, const char* what) {
    if (!ok_) return false;
    if (pos_ >= words_.size()) return Fail("tape ends early");
    const uint32_t v = words_[pos_];
    if (v > max) return Fail(what);
    out = static_cast<T>(v);
    ++pos_;
    return true;
  }

  bool Bytes(ByteView& out) {
    uint32_t off = 0;
    uint32_t len = 0;
    if (!U(off, 0xffffffffu, "") || !U(len, 0xffffffffu, "")) return false;
    if (off > blob_.size() || len > blob_.size() - off) {
      --pos_;
      return Fail("byte string outside the blob");
    }
    out = ByteView(blob_.data() + off, len);
    return true;
  }

  /// A count of items each taking at least min_words words.
  bool Count(uint32_t& out, size_t min_words, uint32_t max) {
    if (!U(out, max, "count too large for its wire field")) return false;
    if (static_cast<uint64_t>(out) * min_words > left()) {
      --pos_;
      return Fail("count larger than the tape");
    }
    return true;
  }

 private:
  std::span<const uint32_t> words_;
  ByteView blob_;
  TapeError& error_;
  size_t pos_ = 0;
  bool ok_ = true;
};

bool ReadBody(TapeReader& r, uint8_t type, PayloadBody& body) {
  switch (type) {
    case PayloadType::SA: {
      SaPayload b;
      uint32_t n = 0;
      if (!r.Count(n, 7, 0xffff)) return false;
      b.proposals.resize(n);
      for (Proposal& p : b.proposals) {
        uint32_t nt = 0;
        if (!(r.U(p.number, 0xff, "proposal number") && r.U(p.protocol_id, 0xff, "protocol ID") &&
              r.U(p.reserved, 0xff, "reserved") && r.Bytes(p.spi) && r.Count(nt, 5, 0xff))) {
          return false;
        }
        p.transforms.resize(nt);
        for (Transform& t : p.transforms) {
          uint32_t na = 0;
          if (!(r.U(t.type, 0xff, "transform type") && r.U(t.id, 0xffff, "transform ID") &&
                r.U(t.reserved1, 0xff, "reserved") && r.U(t.reserved2, 0xff, "reserved") && r.Count(na, 5, 0xffff))) {
            return false;
          }
          t.attributes.resize(na);
          for (Attribute& a : t.attributes) {
            uint32_t tv = 0;
            if (!(r.U(a.type, 0x7fff, "attribute type") && r.U(tv, 1, "attribute form") &&
                  r.U(a.value, 0xffff, "attribute value") && r.Bytes(a.data))) {
              return false;
            }
            a.tv = tv == 1;
          }
        }
      }
      body = std::move(b);
      return true;
    }
    case PayloadType::KE: {
      KePayload b;
      if (!(r.U(b.group, 0xffff, "DH group") && r.U(b.reserved, 0xffff, "reserved") && r.Bytes(b.data))) return false;
      body = b;
      return true;
    }
    case PayloadType::IDi:
    case PayloadType::IDr: {
      IdPayload b;
      if (!(r.U(b.id_type, 0xff, "ID type") && r.U(b.reserved, 0xffffff, "reserved") && r.Bytes(b.data))) return false;
      body = b;
      return true;
    }
    case PayloadType::CERT:
    case PayloadType::CERTREQ: {
      CertPayload b;
      if (!(r.U(b.encoding, 0xff, "certificate encoding") && r.Bytes(b.data))) return false;
      body = b;
      return true;
    }
    case PayloadType::AUTH: {
      AuthPayload b;
      if (!(r.U(b.method, 0xff, "auth method") && r.U(b.reserved, 0xffffff, "reserved") && r.Bytes(b.data))) {
        return false;
      }
      body = b;
      return true;
    }
    case PayloadType::NONCE: {
      NoncePayload b;
      if (!r.Bytes(b.data)) return false;
      body = b;
      return true;
    }
    case PayloadType::NOTIFY: {
      NotifyPayload b;
      if (!(r.U(b.protocol_id, 0xff, "protocol ID") && r.U(b.type, 0xffff, "notify type") && r.Bytes(b.spi) &&
            r.Bytes(b.data))) {
        return false;
      }
      body = b;
      return true;
    }
    case PayloadType::DELETE: {
      DeletePayload b;
      uint32_t num = 0;
      ByteView spis;
      if (!(r.U(b.protocol_id, 0xff, "protocol ID") && r.U(b.spi_size, 0xff, "SPI size") &&
            r.U(num, 0xffff, "SPI count") && r.Bytes(spis))) {
        return false;
      }
      if (spis.size() != static_cast<size_t>(num) * b.spi_size) return r.Fail("SPIs do not match count x size");
      b.num_spis = static_cast<uint16_t>(num);
      b.spis = spis;
      body = b;
      return true;
    }
    case PayloadType::VENDOR_ID: {
      VendorIdPayload b;
      if (!r.Bytes(b.data)) return false;
      body = b;
      return true;
    }
    case PayloadType::TSi:
    case PayloadType::TSr: {
      TsPayload b;
      uint32_t n = 0;
      if (!(r.U(b.reserved, 0xffffff, "reserved") && r.Count(n, 8, 0xff))) return false;
      b.selectors.resize(n);
      for (TrafficSelector& s : b.selectors) {
        ByteView a;
        ByteView z;
        if (!(r.U(s.ts_type, 0xff, "TS type") && r.U(s.ip_protocol, 0xff, "IP protocol") &&
              r.U(s.start_port, 0xffff, "port") && r.U(s.end_port, 0xffff, "port") && r.Bytes(a) && r.Bytes(z))) {
          return false;
        }
        if (s.ts_type == TsType::TS_IPV4_ADDR_RANGE || s.ts_type == TsType::TS_IPV6_ADDR_RANGE) {
          s.start_address = a;
          s.end_address = z;
        } else {
          s.raw = a;
        }
      }
      body = std::move(b);
      return true;
    }
    case PayloadType::SK: {
      SkPayload b;
      if (!(r.U(b.inner_next, 0xff, "inner payload type") && r.Bytes(b.data))) return false;
      body = b;
      return true;
    }
    case PayloadType::CP: {
      CpPayload b;
      uint32_t n = 0;
      if (!(r.U(b.cfg_type, 0xff, "CFG type") && r.U(b.reserved, 0xffffff, "reserved") && r.Count(n, 4, 0xffff))) {
        return false;
      }
      b.attributes.resize(n);
      for (ConfigAttribute& a : b.attributes) {
        uint32_t bit = 0;
        if (!(r.U(a.type, 0x7fff, "attribute type") && r.U(bit, 1, "reserved bit") && r.Bytes(a.value))) return false;
        a.reserved_bit = bit == 1;
      }
      body = std::move(b);
      return true;
    }
    case PayloadType::EAP: {
      EapPayload b;
      if (!r.Bytes(b.message)) return false;
      body = b;
      return true;
    }
    case PayloadType::SKF: {
      SkfPayload b;
      if (!(r.U(b.inner_next, 0xff, "inner payload type") && r.U(b.fragment_number, 0xffff, "fragment number") &&
            r.U(b.total_fragments, 0xffff, "total fragments") && r.Bytes(b.data))) {
        return false;
      }
      body = b;
      return true;
    }
    default: {
      RawPayload b;
      if (!r.Bytes(b.data)) return false;
      body = b;
      return true;
    }
  }
}

}  // namespace

size_t WriteTape(const Header* header, const std::vector<Payload>& payloads, ByteView base,
                 std::span<uint32_t> words) {
  TapeWriter t(base, words);
  if (header != nullptr) {
    t.W(static_cast<uint32_t>(header_offset::kSpiI));
    t.W(static_cast<uint32_t>(header_offset::kSpiR));
    t.W(header->major_version);
    t.W(header->minor_version);
    t.W(header->exchange_type);
    t.W(header->flags);
    t.W(header->message_id);
  }
  t.W(static_cast<uint32_t>(payloads.size()));
  for (const Payload& p : payloads) {
    t.W(p.type);
    t.W(p.flags);
    std::visit(BodyWriter{t}, p.body);
  }
  return t.size();
}

bool ReadTape(std::span<const uint32_t> words, ByteView blob, Header* header, std::vector<Payload>& payloads,
              TapeError& error) {
  TapeReader r(words, blob, error);
  if (header != nullptr) {
    uint32_t spi_i = 0;
    uint32_t spi_r = 0;
    if (!(r.U(spi_i, 0xffffffffu, "") && r.U(spi_r, 0xffffffffu, ""))) return false;
    if (spi_i > blob.size() || blob.size() - spi_i < 8 || spi_r > blob.size() || blob.size() - spi_r < 8) {
      return r.Fail("SPI outside the blob");
    }
    std::memcpy(header->spi_i.data(), blob.data() + spi_i, 8);
    std::memcpy(header->spi_r.data(), blob.data() + spi_r, 8);
    if (!(r.U(header->major_version, 0x0f, "major version") && r.U(header->minor_version, 0x0f, "minor version") &&
          r.U(header->exchange_type, 0xff, "exchange type") && r.U(header->flags, 0xff, "flags") &&
          r.U(header->message_id, 0xffffffffu, ""))) {
      return false;
    }
  }
  uint32_t n = 0;
  if (!r.Count(n, 4, 0xffffffffu)) return false;
  payloads.clear();
  payloads.resize(n);
  for (Payload& p : payloads) {
    if (!(r.U(p.type, 0xff, "payload type") && r.U(p.flags, 0xff, "payload flags") && ReadBody(r, p.type, p.body))) {
      return false;
    }
  }
  if (!r.ok()) return false;
  if (!r.done()) return r.Fail("words left after the last payload");
  return true;
}

}  // namespace ikelb::ike
