// N-API glue for the IKEv2 codec (native/ike/): converts between JavaScript
// objects and the codec's structs. Registered under exports.codec; the shape
// is declared in lib/ike/codec-native.ts and wrapped by lib/ike/codec.ts.
//
// Nothing here throws into JavaScript for bad wire input: decoders return
// { ok: false, error } objects. Encoders return either the Buffer or an
// { encodeError } object (bad JS input included), which codec.ts turns into
// an IkelbError. Byte strings cross as Buffers (copied: the caller may reuse
// its receive buffer); SPIs cross as lowercase hex strings.
#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "ike/constants.h"
#include "ike/message.h"
#include "ike/notify_data.h"
#include "napi/modules.h"

namespace ikelb::napi {
namespace {

using namespace ikelb::ike;  // NOLINT: glue file, every name is the codec's

// Property names, created once per environment: building a decoded message
// sets a few hundred properties, and interned keys spare the string lookups.
#define IKELB_CODEC_KEYS(X)                                                                                  \
  X(ok) X(error) X(message) X(header) X(payloads) X(spiI) X(spiR) X(majorVersion) X(minorVersion)            \
  X(exchangeType) X(flags) X(messageId) X(kind) X(type) X(critical) X(reservedFlags) X(proposals) X(number) \
  X(protocolId) X(spi) X(transforms) X(id) X(attributes) X(value) X(data) X(reserved) X(reserved1)         \
  X(reserved2) X(dhGroup) X(idType) X(encoding) X(method) X(notifyType) X(spiSize) X(spis) X(selectors)     \
  X(tsType) X(ipProtocol) X(startPort) X(endPort) X(startAddress) X(endAddress) X(innerNextPayload)          \
  X(fragmentNumber) X(totalFragments) X(cfgType) X(reservedBit) X(code) X(field) X(offset) X(detail)        \
  X(min) X(max) X(encodeError) X(decodeError) X(firstPayloadType) X(buffer) X(gwIdentType) X(gateway)      \
  X(gwIdent) X(nonce) X(lifetime) X(ticket) X(cookie) X(digest) X(hashAlgorithms) X(payloadType)            \
  X(windowSize) X(seconds) X(cpi) X(transformId) X(address)

enum Key : int {
#define IKELB_KEY_ENUM(k) K_##k,
  IKELB_CODEC_KEYS(IKELB_KEY_ENUM)
#undef IKELB_KEY_ENUM
      kKeyCount
};

constexpr const char* kKeyNames[] = {
#define IKELB_KEY_NAME(k) #k,
    IKELB_CODEC_KEYS(IKELB_KEY_NAME)
#undef IKELB_KEY_NAME
};

// N-API 8 cannot hold references to strings, so the interned key strings
// live in an array held by reference; each call copies out the keys it uses.
struct CodecData {
  Napi::ObjectReference keys;  // Array of kKeyCount strings, index = Key
};

void DeleteCodecData(void* arg) { delete static_cast<CodecData*>(arg); }

class Keys {
 public:
  explicit Keys(const Napi::CallbackInfo& info)
      : array_(static_cast<CodecData*>(info.Data())->keys.Value().As<Napi::Array>()) {}
  napi_value operator[](Key k) {
    if (cache_[k] == nullptr) cache_[k] = array_.Get(static_cast<uint32_t>(k));
    return cache_[k];
  }

 private:
  Napi::Array array_;
  std::array<napi_value, kKeyCount> cache_{};
};

const char* PayloadKind(uint8_t type) {
  switch (type) {
    case PayloadType::SA: return "SA";
    case PayloadType::KE: return "KE";
    case PayloadType::IDi: return "IDi";
    case PayloadType::IDr: return "IDr";
    case PayloadType::CERT: return "CERT";
    case PayloadType::CERTREQ: return "CERTREQ";
    case PayloadType::AUTH: return "AUTH";
    case PayloadType::NONCE: return "NONCE";
    case PayloadType::NOTIFY: return "NOTIFY";
    case PayloadType::DELETE: return "DELETE";
    case PayloadType::VENDOR_ID: return "VENDOR_ID";
    case PayloadType::TSi: return "TSi";
    case PayloadType::TSr: return "TSr";
    case PayloadType::SK: return "SK";
    case PayloadType::CP: return "CP";
    case PayloadType::EAP: return "EAP";
    case PayloadType::SKF: return "SKF";
    default: return "UNKNOWN";
  }
}

// Kind name -> payload type; 0 for "UNKNOWN" (the object carries `type`).
int KindType(const std::string& kind) {
  static constexpr uint8_t kDecoded[] = {PayloadType::SA,      PayloadType::KE,     PayloadType::IDi,
                                         PayloadType::IDr,     PayloadType::CERT,   PayloadType::CERTREQ,
                                         PayloadType::AUTH,    PayloadType::NONCE,  PayloadType::NOTIFY,
                                         PayloadType::DELETE,  PayloadType::VENDOR_ID, PayloadType::TSi,
                                         PayloadType::TSr,     PayloadType::SK,     PayloadType::CP,
                                         PayloadType::EAP,     PayloadType::SKF};
  for (uint8_t t : kDecoded) {
    if (kind == PayloadKind(t)) return t;
  }
  return kind == "UNKNOWN" ? 0 : -1;
}

std::string Hex(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(b.size() * 2, '0');
  for (size_t i = 0; i < b.size(); ++i) {
    s[2 * i] = kDigits[b[i] >> 4];
    s[2 * i + 1] = kDigits[b[i] & 0x0f];
  }
  return s;
}

// ---- C++ -> JavaScript --------------------------------------------------------

class Out {
 public:
  Out(Napi::Env env, Keys& keys) : env_(env), keys_(keys) {}

  Napi::Object Obj() { return Napi::Object::New(env_); }
  void Set(Napi::Object& o, Key k, napi_value v) { o.Set(keys_[k], v); }
  void Num(Napi::Object& o, Key k, double v) { Set(o, k, Napi::Number::New(env_, v)); }
  void Bool(Napi::Object& o, Key k, bool v) { Set(o, k, Napi::Boolean::New(env_, v)); }
  void Str(Napi::Object& o, Key k, const char* v) { Set(o, k, Napi::String::New(env_, v)); }
  void HexStr(Napi::Object& o, Key k, ByteView v) { Set(o, k, Napi::String::New(env_, Hex(v))); }
  void Buf(Napi::Object& o, Key k, ByteView v) { Set(o, k, Buffer(v)); }
  /// Reserved fields appear only when non-zero, so ordinary messages stay clean.
  void Reserved(Napi::Object& o, Key k, uint32_t v) {
    if (v != 0) Num(o, k, v);
  }
  Napi::Value Buffer(ByteView v) { return Napi::Buffer<uint8_t>::Copy(env_, v.data(), v.size()); }
  Napi::Value Address(ByteView v) {
    char text[INET6_ADDRSTRLEN] = "";
    const int family = v.size() == 4 ? AF_INET : AF_INET6;
    if (inet_ntop(family, v.data(), text, sizeof text) == nullptr) return Buffer(v);
    return Napi::String::New(env_, text);
  }
  Napi::Env env() const { return env_; }

  Napi::Object Header(const ike::Header& h) {
    Napi::Object o = Obj();
    HexStr(o, K_spiI, ByteView(h.spi_i));
    HexStr(o, K_spiR, ByteView(h.spi_r));
    Num(o, K_majorVersion, h.major_version);
    Num(o, K_minorVersion, h.minor_version);
    Num(o, K_exchangeType, h.exchange_type);
    Num(o, K_flags, h.flags);
    Num(o, K_messageId, h.message_id);
    return o;
  }

  Napi::Array Payloads(const std::vector<Payload>& payloads) {
    Napi::Array a = Napi::Array::New(env_, payloads.size());
    for (size_t i = 0; i < payloads.size(); ++i) a.Set(static_cast<uint32_t>(i), PayloadObject(payloads[i]));
    return a;
  }

  Napi::Object PayloadObject(const Payload& p) {
    Napi::Object o = Obj();
    Str(o, K_kind, PayloadKind(p.type));
    Bool(o, K_critical, (p.flags & PayloadFlag::CRITICAL) != 0);
    Reserved(o, K_reservedFlags, p.flags & 0x7f);
    std::visit([&](const auto& body) { Body(o, p.type, body); }, p.body);
    return o;
  }

  Napi::Object Error(const Status& s) {
    Napi::Object e = Obj();
    Str(e, K_code, ErrorCodeName(s.code));
    Str(e, K_field, s.field);
    Num(e, K_offset, s.offset);
    Set(e, K_detail, Napi::String::New(env_, ErrorDetail(s)));
    Num(e, K_notifyType, ErrorNotifyType(s.code));
    Num(e, K_value, s.value);
    Num(e, K_min, s.min);
    Num(e, K_max, s.max);
    return e;
  }

  Napi::Object Failure(const Status& s) {
    Napi::Object r = Obj();
    Bool(r, K_ok, false);
    Set(r, K_error, Error(s));
    return r;
  }

 private:
  void Body(Napi::Object& o, uint8_t type, const RawPayload& b) {
    Num(o, K_type, type);
    Buf(o, K_data, b.data);
  }
  void Body(Napi::Object& o, uint8_t, const SaPayload& b) {
    Napi::Array proposals = Napi::Array::New(env_, b.proposals.size());
    for (size_t i = 0; i < b.proposals.size(); ++i) {
      const Proposal& p = b.proposals[i];
      Napi::Object po = Obj();
      Num(po, K_number, p.number);
      Num(po, K_protocolId, p.protocol_id);
      HexStr(po, K_spi, p.spi);
      Reserved(po, K_reserved, p.reserved);
      Napi::Array transforms = Napi::Array::New(env_, p.transforms.size());
      for (size_t j = 0; j < p.transforms.size(); ++j) {
        const Transform& t = p.transforms[j];
        Napi::Object to = Obj();
        Num(to, K_type, t.type);
        Num(to, K_id, t.id);
        Reserved(to, K_reserved1, t.reserved1);
        Reserved(to, K_reserved2, t.reserved2);
        Napi::Array attributes = Napi::Array::New(env_, t.attributes.size());
        for (size_t k = 0; k < t.attributes.size(); ++k) {
          const Attribute& a = t.attributes[k];
          Napi::Object ao = Obj();
          Num(ao, K_type, a.type);
          if (a.tv) {
            Num(ao, K_value, a.value);
          } else {
            Buf(ao, K_data, a.data);
          }
          attributes.Set(static_cast<uint32_t>(k), ao);
        }
        Set(to, K_attributes, attributes);
        transforms.Set(static_cast<uint32_t>(j), to);
      }
      Set(po, K_transforms, transforms);
      proposals.Set(static_cast<uint32_t>(i), po);
    }
    Set(o, K_proposals, proposals);
  }
  void Body(Napi::Object& o, uint8_t, const KePayload& b) {
    Num(o, K_dhGroup, b.group);
    Buf(o, K_data, b.data);
    Reserved(o, K_reserved, b.reserved);
  }
  void Body(Napi::Object& o, uint8_t, const IdPayload& b) {
    Num(o, K_idType, b.id_type);
    Buf(o, K_data, b.data);
    Reserved(o, K_reserved, b.reserved);
  }
  void Body(Napi::Object& o, uint8_t, const CertPayload& b) {
    Num(o, K_encoding, b.encoding);
    Buf(o, K_data, b.data);
  }
  void Body(Napi::Object& o, uint8_t, const AuthPayload& b) {
    Num(o, K_method, b.method);
    Buf(o, K_data, b.data);
    Reserved(o, K_reserved, b.reserved);
  }
  void Body(Napi::Object& o, uint8_t, const NoncePayload& b) { Buf(o, K_data, b.data); }
  void Body(Napi::Object& o, uint8_t, const NotifyPayload& b) {
    Num(o, K_protocolId, b.protocol_id);
    HexStr(o, K_spi, b.spi);
    Num(o, K_notifyType, b.type);
    Buf(o, K_data, b.data);
  }
  void Body(Napi::Object& o, uint8_t, const DeletePayload& b) {
    Num(o, K_protocolId, b.protocol_id);
    Num(o, K_spiSize, b.spi_size);
    Napi::Array spis = Napi::Array::New(env_, b.num_spis);
    for (uint32_t i = 0; i < b.num_spis; ++i) {
      spis.Set(i, Napi::String::New(env_, Hex(b.spis.subspan(static_cast<size_t>(i) * b.spi_size, b.spi_size))));
    }
    Set(o, K_spis, spis);
  }
  void Body(Napi::Object& o, uint8_t, const VendorIdPayload& b) { Buf(o, K_data, b.data); }
  void Body(Napi::Object& o, uint8_t, const TsPayload& b) {
    Napi::Array selectors = Napi::Array::New(env_, b.selectors.size());
    for (size_t i = 0; i < b.selectors.size(); ++i) {
      const TrafficSelector& s = b.selectors[i];
      Napi::Object so = Obj();
      Num(so, K_tsType, s.ts_type);
      Num(so, K_ipProtocol, s.ip_protocol);
      if (s.ts_type == TsType::TS_IPV4_ADDR_RANGE || s.ts_type == TsType::TS_IPV6_ADDR_RANGE) {
        Num(so, K_startPort, s.start_port);
        Num(so, K_endPort, s.end_port);
        Set(so, K_startAddress, Address(s.start_address));
        Set(so, K_endAddress, Address(s.end_address));
      } else {
        Buf(so, K_data, s.raw);
      }
      selectors.Set(static_cast<uint32_t>(i), so);
    }
    Set(o, K_selectors, selectors);
    Reserved(o, K_reserved, b.reserved);
  }
  void Body(Napi::Object& o, uint8_t, const SkPayload& b) {
    Num(o, K_innerNextPayload, b.inner_next);
    Buf(o, K_data, b.data);
  }
  void Body(Napi::Object& o, uint8_t, const CpPayload& b) {
    Num(o, K_cfgType, b.cfg_type);
    Napi::Array attributes = Napi::Array::New(env_, b.attributes.size());
    for (size_t i = 0; i < b.attributes.size(); ++i) {
      const ConfigAttribute& a = b.attributes[i];
      Napi::Object ao = Obj();
      Num(ao, K_type, a.type);
      Buf(ao, K_value, a.value);
      if (a.reserved_bit) Bool(ao, K_reservedBit, true);
      attributes.Set(static_cast<uint32_t>(i), ao);
    }
    Set(o, K_attributes, attributes);
    Reserved(o, K_reserved, b.reserved);
  }
  void Body(Napi::Object& o, uint8_t, const EapPayload& b) { Buf(o, K_message, b.message); }
  void Body(Napi::Object& o, uint8_t, const SkfPayload& b) {
    Num(o, K_innerNextPayload, b.inner_next);
    Num(o, K_fragmentNumber, b.fragment_number);
    Num(o, K_totalFragments, b.total_fragments);
    Buf(o, K_data, b.data);
  }

  Napi::Env env_;
  Keys& keys_;
};

// ---- JavaScript -> C++ ----------------------------------------------------------

// Reads a message object into codec structs. ByteViews point into the
// caller's Buffers (alive for the synchronous call) or into `storage_` for
// values converted here (hex SPIs, addresses). The first problem found is
// kept with its property path; later reads become no-ops.
class In {
 public:
  In(Napi::Env env, Keys& keys) : env_(env), keys_(keys) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void Push(const char* name, int64_t index = -1) { path_.push_back({name, index}); }
  void Pop() { path_.pop_back(); }

  void Fail(const std::string& what) {
    if (!error_.empty()) return;
    std::string p;
    for (const auto& [name, index] : path_) {
      if (name != nullptr) {
        if (!p.empty()) p += '.';
        p += name;
      }
      if (index >= 0) {
        p += '[';
        p += std::to_string(index);
        p += ']';
      }
    }
    if (!p.empty()) p += ": ";
    p += what;
    error_ = p;
  }

  Napi::Value Get(const Napi::Object& o, Key k) { return o.Get(keys_[k]); }

  bool Object(const Napi::Value& v, Napi::Object& out) {
    if (!v.IsObject() || v.IsArray()) {
      Fail("expected an object");
      return false;
    }
    out = v.As<Napi::Object>();
    return true;
  }

  template <class T>
  bool Int(const Napi::Object& o, Key k, T& out, uint64_t max, bool optional = false, T fallback = 0) {
    Napi::Value v = Get(o, k);
    Push(kKeyNames[k]);
    bool good = true;
    if (v.IsUndefined() && optional) {
      out = fallback;
    } else if (!v.IsNumber()) {
      Fail("expected an integer 0.." + std::to_string(max));
      good = false;
    } else {
      const double d = v.As<Napi::Number>().DoubleValue();
      if (!(d >= 0 && d <= static_cast<double>(max)) || d != static_cast<double>(static_cast<uint64_t>(d))) {
        Fail("expected an integer 0.." + std::to_string(max));
        good = false;
      } else {
        out = static_cast<T>(d);
      }
    }
    Pop();
    return good && ok();
  }

  bool Flag(const Napi::Object& o, Key k, bool& out) {
    Napi::Value v = Get(o, k);
    if (v.IsUndefined()) {
      out = false;
      return true;
    }
    if (!v.IsBoolean()) {
      Push(kKeyNames[k]);
      Fail("expected a boolean");
      Pop();
      return false;
    }
    out = v.As<Napi::Boolean>().Value();
    return true;
  }

  bool BytesOf(const Napi::Value& v, ByteView& out) {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      Fail("expected a Buffer or Uint8Array");
      return false;
    }
    Napi::Uint8Array a = v.As<Napi::Uint8Array>();
    out = ByteView(a.Data(), a.ByteLength());
    return true;
  }

  bool Bytes(const Napi::Object& o, Key k, ByteView& out) {
    Push(kKeyNames[k]);
    const bool good = BytesOf(Get(o, k), out);
    Pop();
    return good;
  }

  bool HexOf(const Napi::Value& v, ByteView& out, size_t max_octets) {
    if (!v.IsString()) {
      Fail("expected a hex string");
      return false;
    }
    const std::string s = v.As<Napi::String>().Utf8Value();
    if (s.size() % 2 != 0 || s.size() / 2 > max_octets) {
      Fail("expected an even number of hex digits, at most " + std::to_string(max_octets) + " octets");
      return false;
    }
    std::vector<uint8_t>& bytes = storage_.emplace_back(s.size() / 2);
    for (size_t i = 0; i < bytes.size(); ++i) {
      const int hi = Nibble(s[2 * i]);
      const int lo = Nibble(s[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        Fail("expected a hex string");
        return false;
      }
      bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    out = ByteView(bytes);
    return true;
  }

  bool HexField(const Napi::Object& o, Key k, ByteView& out, size_t max_octets) {
    Push(kKeyNames[k]);
    const bool good = HexOf(Get(o, k), out, max_octets);
    Pop();
    return good;
  }

  bool AddressField(const Napi::Object& o, Key k, ByteView& out, bool ipv6) {
    Napi::Value v = Get(o, k);
    Push(kKeyNames[k]);
    bool good = false;
    if (v.IsString()) {
      const std::string s = v.As<Napi::String>().Utf8Value();
      std::vector<uint8_t>& bytes = storage_.emplace_back(ipv6 ? 16 : 4);
      good = inet_pton(ipv6 ? AF_INET6 : AF_INET, s.c_str(), bytes.data()) == 1;
      if (good) out = ByteView(bytes);
    }
    if (!good) Fail(ipv6 ? "expected an IPv6 address" : "expected an IPv4 address");
    Pop();
    return good;
  }

  template <class F>
  bool Array(const Napi::Object& o, Key k, F&& each) {
    Napi::Value v = Get(o, k);
    if (!v.IsArray()) {
      Push(kKeyNames[k]);
      Fail("expected an array");
      Pop();
      return false;
    }
    Napi::Array a = v.As<Napi::Array>();
    const uint32_t n = a.Length();
    for (uint32_t i = 0; i < n && ok(); ++i) {
      Push(kKeyNames[k], i);
      Napi::Object item;
      if (Object(a.Get(i), item)) each(item, n);
      Pop();
    }
    return ok();
  }

  bool Header(const Napi::Object& o, ike::Header& h) {
    Push("header");
    ByteView spi;
    if (HexField(o, K_spiI, spi, 8)) {
      if (spi.size() != 8) {
        Push("spiI");
        Fail("expected 16 hex digits");
        Pop();
      } else {
        std::memcpy(h.spi_i.data(), spi.data(), 8);
      }
    }
    if (ok() && HexField(o, K_spiR, spi, 8)) {
      if (spi.size() != 8) {
        Push("spiR");
        Fail("expected 16 hex digits");
        Pop();
      } else {
        std::memcpy(h.spi_r.data(), spi.data(), 8);
      }
    }
    Int(o, K_majorVersion, h.major_version, 15, true, uint8_t{2}) && Int(o, K_minorVersion, h.minor_version, 15, true) &&
        Int(o, K_exchangeType, h.exchange_type, 0xff) && Int(o, K_flags, h.flags, 0xff) &&
        Int(o, K_messageId, h.message_id, 0xffffffffu);
    Pop();
    return ok();
  }

  bool Payloads(const Napi::Object& o, std::vector<Payload>& out) {
    return Array(o, K_payloads, [&](const Napi::Object& item, uint32_t n) {
      if (out.empty()) out.reserve(n);
      ReadPayload(item, out.emplace_back());
    });
  }

  bool ReadPayload(const Napi::Object& o, Payload& p) {
    Napi::Value kind_value = Get(o, K_kind);
    const int kind = kind_value.IsString() ? KindType(kind_value.As<Napi::String>().Utf8Value()) : -1;
    if (kind < 0) {
      Push("kind");
      Fail("expected a payload kind (SA, KE, IDi, IDr, CERT, CERTREQ, AUTH, NONCE, NOTIFY, DELETE, VENDOR_ID, TSi, TSr, SK, CP, EAP, SKF, UNKNOWN)");
      Pop();
      return false;
    }
    bool critical = false;
    uint8_t reserved_flags = 0;
    if (!Flag(o, K_critical, critical) || !Int(o, K_reservedFlags, reserved_flags, 0x7f, true)) return false;
    p.flags = static_cast<uint8_t>((critical ? PayloadFlag::CRITICAL : 0) | reserved_flags);
    p.type = static_cast<uint8_t>(kind);
    switch (p.type) {
      case 0: {
        RawPayload b;
        Int(o, K_type, p.type, 0xff) && Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::SA: {
        SaPayload b;
        ReadSa(o, b);
        p.body = std::move(b);
        break;
      }
      case PayloadType::KE: {
        KePayload b;
        Int(o, K_dhGroup, b.group, 0xffff) && Bytes(o, K_data, b.data) &&
            Int(o, K_reserved, b.reserved, 0xffff, true);
        p.body = b;
        break;
      }
      case PayloadType::IDi:
      case PayloadType::IDr: {
        IdPayload b;
        Int(o, K_idType, b.id_type, 0xff) && Bytes(o, K_data, b.data) &&
            Int(o, K_reserved, b.reserved, 0xffffff, true);
        p.body = b;
        break;
      }
      case PayloadType::CERT:
      case PayloadType::CERTREQ: {
        CertPayload b;
        Int(o, K_encoding, b.encoding, 0xff) && Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::AUTH: {
        AuthPayload b;
        Int(o, K_method, b.method, 0xff) && Bytes(o, K_data, b.data) &&
            Int(o, K_reserved, b.reserved, 0xffffff, true);
        p.body = b;
        break;
      }
      case PayloadType::NONCE: {
        NoncePayload b;
        Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::NOTIFY: {
        NotifyPayload b;
        Int(o, K_protocolId, b.protocol_id, 0xff, true) && Int(o, K_notifyType, b.type, 0xffff) &&
            OptionalHex(o, K_spi, b.spi, 0xff) && Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::DELETE: {
        DeletePayload b;
        ReadDelete(o, b);
        p.body = b;
        break;
      }
      case PayloadType::VENDOR_ID: {
        VendorIdPayload b;
        Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::TSi:
      case PayloadType::TSr: {
        TsPayload b;
        ReadTs(o, b);
        p.body = std::move(b);
        break;
      }
      case PayloadType::SK: {
        SkPayload b;
        Int(o, K_innerNextPayload, b.inner_next, 0xff) && Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      case PayloadType::CP: {
        CpPayload b;
        ReadCp(o, b);
        p.body = std::move(b);
        break;
      }
      case PayloadType::EAP: {
        EapPayload b;
        Bytes(o, K_message, b.message);
        p.body = b;
        break;
      }
      case PayloadType::SKF: {
        SkfPayload b;
        Int(o, K_innerNextPayload, b.inner_next, 0xff) && Int(o, K_fragmentNumber, b.fragment_number, 0xffff) &&
            Int(o, K_totalFragments, b.total_fragments, 0xffff) && Bytes(o, K_data, b.data);
        p.body = b;
        break;
      }
      default:
        break;
    }
    return ok();
  }

  bool OptionalHex(const Napi::Object& o, Key k, ByteView& out, size_t max) {
    if (Get(o, k).IsUndefined()) {
      out = {};
      return true;
    }
    return HexField(o, k, out, max);
  }

  /// Keeps bytes alive for the duration of the call.
  std::vector<uint8_t>& Store(size_t n) { return storage_.emplace_back(n); }

 private:
  static int Nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  void ReadSa(const Napi::Object& o, SaPayload& sa) {
    Array(o, K_proposals, [&](const Napi::Object& po, uint32_t) {
      Proposal& p = sa.proposals.emplace_back();
      if (!(Int(po, K_number, p.number, 0xff) && Int(po, K_protocolId, p.protocol_id, 0xff) &&
            OptionalHex(po, K_spi, p.spi, 0xff) && Int(po, K_reserved, p.reserved, 0xff, true))) {
        return;
      }
      Array(po, K_transforms, [&](const Napi::Object& to, uint32_t) {
        Transform& t = p.transforms.emplace_back();
        if (!(Int(to, K_type, t.type, 0xff) && Int(to, K_id, t.id, 0xffff) &&
              Int(to, K_reserved1, t.reserved1, 0xff, true) && Int(to, K_reserved2, t.reserved2, 0xff, true))) {
          return;
        }
        Napi::Value attrs = Get(to, K_attributes);
        if (attrs.IsUndefined()) return;
        Array(to, K_attributes, [&](const Napi::Object& ao, uint32_t) {
          Attribute& a = t.attributes.emplace_back();
          if (!Int(ao, K_type, a.type, 0x7fff)) return;
          if (!Get(ao, K_value).IsUndefined()) {
            a.tv = true;
            Int(ao, K_value, a.value, 0xffff);
          } else {
            a.tv = false;
            Bytes(ao, K_data, a.data);
          }
        });
      });
    });
  }

  void ReadDelete(const Napi::Object& o, DeletePayload& d) {
    if (!(Int(o, K_protocolId, d.protocol_id, 0xff) && Int(o, K_spiSize, d.spi_size, 0xff))) return;
    Napi::Value v = Get(o, K_spis);
    if (!v.IsArray()) {
      Push("spis");
      Fail("expected an array of hex strings");
      Pop();
      return;
    }
    Napi::Array a = v.As<Napi::Array>();
    if (a.Length() > 0xffff) {
      Push("spis");
      Fail("expected at most 65535 SPIs");
      Pop();
      return;
    }
    d.num_spis = static_cast<uint16_t>(a.Length());
    std::vector<uint8_t>& all = Store(static_cast<size_t>(d.num_spis) * d.spi_size);
    for (uint32_t i = 0; i < a.Length() && ok(); ++i) {
      Push("spis", i);
      ByteView spi;
      if (HexOf(a.Get(i), spi, d.spi_size)) {
        if (spi.size() != d.spi_size) {
          Fail("expected " + std::to_string(d.spi_size * 2) + " hex digits (spiSize octets)");
        } else if (!spi.empty()) {
          std::memcpy(all.data() + static_cast<size_t>(i) * d.spi_size, spi.data(), spi.size());
        }
      }
      Pop();
    }
    d.spis = ByteView(all);
  }

  void ReadTs(const Napi::Object& o, TsPayload& ts) {
    if (!Int(o, K_reserved, ts.reserved, 0xffffff, true)) return;
    Array(o, K_selectors, [&](const Napi::Object& so, uint32_t) {
      TrafficSelector& s = ts.selectors.emplace_back();
      if (!(Int(so, K_tsType, s.ts_type, 0xff) && Int(so, K_ipProtocol, s.ip_protocol, 0xff))) return;
      if (s.ts_type == TsType::TS_IPV4_ADDR_RANGE || s.ts_type == TsType::TS_IPV6_ADDR_RANGE) {
        const bool v6 = s.ts_type == TsType::TS_IPV6_ADDR_RANGE;
        Int(so, K_startPort, s.start_port, 0xffff) && Int(so, K_endPort, s.end_port, 0xffff) &&
            AddressField(so, K_startAddress, s.start_address, v6) && AddressField(so, K_endAddress, s.end_address, v6);
      } else {
        Bytes(so, K_data, s.raw);
      }
    });
  }

  void ReadCp(const Napi::Object& o, CpPayload& cp) {
    if (!(Int(o, K_cfgType, cp.cfg_type, 0xff) && Int(o, K_reserved, cp.reserved, 0xffffff, true))) return;
    Array(o, K_attributes, [&](const Napi::Object& ao, uint32_t) {
      ConfigAttribute& a = cp.attributes.emplace_back();
      Int(ao, K_type, a.type, 0x7fff) && Bytes(ao, K_value, a.value) && Flag(ao, K_reservedBit, a.reserved_bit);
    });
  }

  Napi::Env env_;
  Keys& keys_;
  std::deque<std::vector<uint8_t>> storage_;
  std::vector<std::pair<const char*, int64_t>> path_;
  std::string error_;
};

Napi::Object EncodeFailure(Out& out, const EncodeStatus& s) {
  Napi::Object e = out.Obj();
  out.Str(e, K_encodeError, EncodeErrorName(s.code));
  out.Str(e, K_field, s.field);
  out.Num(e, K_value, static_cast<double>(s.value));
  out.Num(e, K_max, static_cast<double>(s.max));
  if (s.code == EncodeError::INVALID) out.Set(e, K_decodeError, out.Error(s.invalid));
  return e;
}

Napi::Object InputFailure(Out& out, const std::string& message) {
  Napi::Object e = out.Obj();
  out.Str(e, K_encodeError, "INPUT");
  out.Set(e, K_detail, Napi::String::New(out.env(), message));
  return e;
}

bool ArgBytes(const Napi::CallbackInfo& info, size_t index, ByteView& out) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(info.Env(), "expected a Buffer or Uint8Array").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Uint8Array a = info[index].As<Napi::Uint8Array>();
  out = ByteView(a.Data(), a.ByteLength());
  return true;
}

bool ArgUint(const Napi::CallbackInfo& info, size_t index, uint32_t max, uint32_t& out) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    Napi::TypeError::New(info.Env(), "expected an integer").ThrowAsJavaScriptException();
    return false;
  }
  const double d = info[index].As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= max) || d != static_cast<double>(static_cast<uint32_t>(d))) {
    Napi::RangeError::New(info.Env(), "integer out of range").ThrowAsJavaScriptException();
    return false;
  }
  out = static_cast<uint32_t>(d);
  return true;
}

// ---- exported functions -------------------------------------------------------

// decodeMessage(buf) -> { ok: true, message: { header, payloads } } | { ok: false, error }
Napi::Value DecodeMessageJs(const Napi::CallbackInfo& info) {
  ByteView datagram;
  if (!ArgBytes(info, 0, datagram)) return info.Env().Undefined();
  Keys keys(info);
  Out out(info.Env(), keys);
  Message message;
  const Status s = DecodeMessage(datagram, message);
  if (!s.ok()) return out.Failure(s);
  Napi::Object m = out.Obj();
  out.Set(m, K_header, out.Header(message.header));
  out.Set(m, K_payloads, out.Payloads(message.payloads));
  Napi::Object r = out.Obj();
  out.Bool(r, K_ok, true);
  out.Set(r, K_message, m);
  return r;
}

// decodePayloads(buf, firstType, baseOffset) -> { ok: true, payloads } | { ok: false, error }
Napi::Value DecodePayloadsJs(const Napi::CallbackInfo& info) {
  ByteView chain;
  uint32_t first = 0;
  uint32_t base = 0;
  if (!ArgBytes(info, 0, chain) || !ArgUint(info, 1, 0xff, first) || !ArgUint(info, 2, 0xffffffffu, base)) {
    return info.Env().Undefined();
  }
  Keys keys(info);
  Out out(info.Env(), keys);
  std::vector<Payload> payloads;
  const Status s = DecodePayloads(chain, static_cast<uint8_t>(first), base, payloads);
  if (!s.ok()) return out.Failure(s);
  Napi::Object r = out.Obj();
  out.Bool(r, K_ok, true);
  out.Set(r, K_payloads, out.Payloads(payloads));
  return r;
}

// validateMessage(buf) -> null | error: the zero-allocation check, no objects built.
Napi::Value ValidateMessageJs(const Napi::CallbackInfo& info) {
  ByteView datagram;
  if (!ArgBytes(info, 0, datagram)) return info.Env().Undefined();
  const Status s = ValidateMessage(datagram);
  if (s.ok()) return info.Env().Null();
  Keys keys(info);
  Out out(info.Env(), keys);
  return out.Error(s);
}

// encodeMessage(message) -> Buffer | { encodeError, ... }
Napi::Value EncodeMessageJs(const Napi::CallbackInfo& info) {
  Keys keys(info);
  Out out(info.Env(), keys);
  In in(info.Env(), keys);
  Message message;
  Napi::Object root;
  Napi::Object header;
  if (info.Length() < 1 || !in.Object(info[0], root)) return InputFailure(out, "expected a message object");
  if (in.Object(in.Get(root, K_header), header)) in.Header(header, message.header);
  if (in.ok()) in.Payloads(root, message.payloads);
  if (!in.ok()) return InputFailure(out, in.error());
  size_t needed = 0;
  EncodeStatus s = MeasureEncoded(message, needed);
  if (s.ok()) {
    // Encode straight into the Buffer JavaScript gets: no second copy.
    Napi::Buffer<uint8_t> buffer = Napi::Buffer<uint8_t>::New(info.Env(), needed);
    size_t written = 0;
    s = Encode(message, std::span<uint8_t>(buffer.Data(), buffer.Length()), written);
    if (s.ok()) return buffer;
  }
  return EncodeFailure(out, s);
}

// encodePayloads(payloads[]) -> { firstPayloadType, buffer } | { encodeError, ... }
Napi::Value EncodePayloadsJs(const Napi::CallbackInfo& info) {
  Keys keys(info);
  Out out(info.Env(), keys);
  In in(info.Env(), keys);
  std::vector<Payload> payloads;
  Napi::Object holder = Napi::Object::New(info.Env());
  if (info.Length() < 1) return InputFailure(out, "expected an array of payloads");
  holder.Set(kKeyNames[K_payloads], info[0]);
  in.Payloads(holder, payloads);
  if (!in.ok()) return InputFailure(out, in.error());
  std::vector<uint8_t> bytes;
  uint8_t first = 0;
  const EncodeStatus s = EncodePayloads(payloads, bytes, first);
  if (!s.ok()) return EncodeFailure(out, s);
  Napi::Object r = out.Obj();
  out.Num(r, K_firstPayloadType, first);
  out.Set(r, K_buffer, out.Buffer(bytes));
  return r;
}

// parseNotifyData(notifyType, data) -> { ok: true, value } | { ok: false, error }
// value is the typed content for the types with structure, null otherwise.
Napi::Value ParseNotifyDataJs(const Napi::CallbackInfo& info) {
  uint32_t type = 0;
  ByteView data;
  if (!ArgUint(info, 0, 0xffff, type) || !ArgBytes(info, 1, data)) return info.Env().Undefined();
  Keys keys(info);
  Out out(info.Env(), keys);
  const Status s = ValidateNotifyData(static_cast<uint16_t>(type), data, 0);
  if (!s.ok()) return out.Failure(s);
  Napi::Value value = info.Env().Null();
  Napi::Object v = out.Obj();
  switch (type) {
    case NotifyType::REDIRECT:
    case NotifyType::REDIRECTED_FROM: {
      RedirectData r;
      (void)ParseRedirectData(data, 0, type == NotifyType::REDIRECTED_FROM, r);
      out.Num(v, K_gwIdentType, r.gateway.type);
      out.Buf(v, K_gwIdent, r.gateway.value);
      if (r.gateway.type == GatewayIdentityType::IPV4 || r.gateway.type == GatewayIdentityType::IPV6) {
        out.Set(v, K_gateway, out.Address(r.gateway.value));
      } else if (r.gateway.type == GatewayIdentityType::FQDN) {
        out.Set(v, K_gateway,
                Napi::String::New(info.Env(), reinterpret_cast<const char*>(r.gateway.value.data()),
                                  r.gateway.value.size()));
      }
      if (!r.nonce.empty()) out.Buf(v, K_nonce, r.nonce);
      value = v;
      break;
    }
    case NotifyType::TICKET_LT_OPAQUE: {
      TicketLtOpaqueData t;
      (void)ParseTicketLtOpaque(data, 0, t);
      out.Num(v, K_lifetime, t.lifetime);
      out.Buf(v, K_ticket, t.ticket);
      value = v;
      break;
    }
    case NotifyType::TICKET_OPAQUE:
      out.Buf(v, K_ticket, data);
      value = v;
      break;
    case NotifyType::COOKIE:
      out.Buf(v, K_cookie, data);
      value = v;
      break;
    case NotifyType::NAT_DETECTION_SOURCE_IP:
    case NotifyType::NAT_DETECTION_DESTINATION_IP:
      out.Buf(v, K_digest, data);
      value = v;
      break;
    case NotifyType::INVALID_KE_PAYLOAD:
      out.Num(v, K_dhGroup, Load16(data.data()));
      value = v;
      break;
    case NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD:
      out.Num(v, K_payloadType, data[0]);
      value = v;
      break;
    case NotifyType::SET_WINDOW_SIZE:
      out.Num(v, K_windowSize, Load32(data.data()));
      value = v;
      break;
    case NotifyType::AUTH_LIFETIME:
      out.Num(v, K_seconds, Load32(data.data()));
      value = v;
      break;
    case NotifyType::IPCOMP_SUPPORTED:
      out.Num(v, K_cpi, Load16(data.data()));
      out.Num(v, K_transformId, data[2]);
      value = v;
      break;
    case NotifyType::ADDITIONAL_IP4_ADDRESS:
    case NotifyType::ADDITIONAL_IP6_ADDRESS:
      out.Set(v, K_address, out.Address(data));
      value = v;
      break;
    case NotifyType::SIGNATURE_HASH_ALGORITHMS: {
      Napi::Array list = Napi::Array::New(info.Env(), data.size() / 2);
      for (size_t i = 0; i + 1 < data.size(); i += 2) {
        list.Set(static_cast<uint32_t>(i / 2), Napi::Number::New(info.Env(), Load16(data.data() + i)));
      }
      out.Set(v, K_hashAlgorithms, list);
      value = v;
      break;
    }
    default:
      if (NotifyDataBoundsFor(static_cast<uint16_t>(type)).known) value = v;  // known, empty data
      break;
  }
  Napi::Object r = out.Obj();
  out.Bool(r, K_ok, true);
  out.Set(r, K_value, value);
  return r;
}

// encodeRedirectData({ gwIdentType, gwIdent, nonce? }, redirectedFrom) -> Buffer | { encodeError }
Napi::Value EncodeRedirectDataJs(const Napi::CallbackInfo& info) {
  Keys keys(info);
  Out out(info.Env(), keys);
  In in(info.Env(), keys);
  Napi::Object o;
  if (info.Length() < 2 || !info[1].IsBoolean() || !in.Object(info[0], o)) {
    return InputFailure(out, "expected (redirect data object, redirectedFrom boolean)");
  }
  RedirectData r;
  if (in.Int(o, K_gwIdentType, r.gateway.type, 0xff)) {
    Napi::Value text = in.Get(o, K_gateway);
    if (!text.IsUndefined() && (r.gateway.type == GatewayIdentityType::IPV4 ||
                                r.gateway.type == GatewayIdentityType::IPV6)) {
      in.AddressField(o, K_gateway, r.gateway.value, r.gateway.type == GatewayIdentityType::IPV6);
    } else if (!text.IsUndefined() && r.gateway.type == GatewayIdentityType::FQDN && text.IsString()) {
      const std::string fqdn = text.As<Napi::String>().Utf8Value();
      std::vector<uint8_t>& bytes = in.Store(fqdn.size());
      std::memcpy(bytes.data(), fqdn.data(), fqdn.size());
      r.gateway.value = ByteView(bytes);
    } else {
      in.Bytes(o, K_gwIdent, r.gateway.value);
    }
  }
  if (in.ok() && !in.Get(o, K_nonce).IsUndefined()) in.Bytes(o, K_nonce, r.nonce);
  if (!in.ok()) return InputFailure(out, in.error());
  const bool redirected_from = info[1].As<Napi::Boolean>().Value();
  Writer measure;
  EncodeStatus s = EncodeRedirectData(r, redirected_from, measure);
  if (!s.ok()) return EncodeFailure(out, s);
  Napi::Buffer<uint8_t> buffer = Napi::Buffer<uint8_t>::New(info.Env(), measure.size());
  Writer w(std::span<uint8_t>(buffer.Data(), buffer.Length()));
  s = EncodeRedirectData(r, redirected_from, w);
  if (!s.ok()) return EncodeFailure(out, s);
  return buffer;
}

// encodeTicketLtOpaque(lifetime, ticket) -> Buffer | { encodeError }
Napi::Value EncodeTicketLtOpaqueJs(const Napi::CallbackInfo& info) {
  Keys keys(info);
  Out out(info.Env(), keys);
  uint32_t lifetime = 0;
  TicketLtOpaqueData t;
  if (!ArgUint(info, 0, 0xffffffffu, lifetime) || !ArgBytes(info, 1, t.ticket)) return info.Env().Undefined();
  t.lifetime = lifetime;
  Writer measure;
  EncodeStatus s = EncodeTicketLtOpaque(t, measure);
  if (!s.ok()) return EncodeFailure(out, s);
  Napi::Buffer<uint8_t> buffer = Napi::Buffer<uint8_t>::New(info.Env(), measure.size());
  Writer w(std::span<uint8_t>(buffer.Data(), buffer.Length()));
  (void)EncodeTicketLtOpaque(t, w);
  return buffer;
}

// errorCodes() -> string[]: the decode error names in code order, so a test
// can prove the native table and lib/ike/constants.ts agree.
Napi::Value ErrorCodesJs(const Napi::CallbackInfo& info) {
  Napi::Array a = Napi::Array::New(info.Env());
  for (size_t c = 1; c < ErrorCodeCount(); ++c) {
    a.Set(static_cast<uint32_t>(c - 1), Napi::String::New(info.Env(), ErrorCodeName(static_cast<ErrorCode>(c))));
  }
  return a;
}

}  // namespace

void RegisterCodec(Napi::Env env, Napi::Object exports) {
  auto* data = new CodecData();
  Napi::Array keys = Napi::Array::New(env, kKeyCount);
  for (int k = 0; k < kKeyCount; ++k) keys.Set(static_cast<uint32_t>(k), Napi::String::New(env, kKeyNames[k]));
  data->keys = Napi::Persistent(keys.As<Napi::Object>());
  napi_add_env_cleanup_hook(env, DeleteCodecData, data);

  Napi::Object codec = Napi::Object::New(env);
  codec.Set("decodeMessage", Napi::Function::New(env, DecodeMessageJs, "decodeMessage", data));
  codec.Set("decodePayloads", Napi::Function::New(env, DecodePayloadsJs, "decodePayloads", data));
  codec.Set("validateMessage", Napi::Function::New(env, ValidateMessageJs, "validateMessage", data));
  codec.Set("encodeMessage", Napi::Function::New(env, EncodeMessageJs, "encodeMessage", data));
  codec.Set("encodePayloads", Napi::Function::New(env, EncodePayloadsJs, "encodePayloads", data));
  codec.Set("parseNotifyData", Napi::Function::New(env, ParseNotifyDataJs, "parseNotifyData", data));
  codec.Set("encodeRedirectData", Napi::Function::New(env, EncodeRedirectDataJs, "encodeRedirectData", data));
  codec.Set("encodeTicketLtOpaque", Napi::Function::New(env, EncodeTicketLtOpaqueJs, "encodeTicketLtOpaque", data));
  codec.Set("errorCodes", Napi::Function::New(env, ErrorCodesJs, "errorCodes", data));
  exports.Set("codec", codec);
}

}  // namespace ikelb::napi
