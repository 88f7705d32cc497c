// N-API glue for the IKEv2 codec (native/ike/). Registered under
// exports.codec; the shape is declared in lib/ike/codec-native.ts and wrapped
// by lib/ike/codec.ts.
//
// Whole messages cross as a tape of 32-bit words plus a byte buffer
// (native/ike/tape.h, lib/ike/tape.ts): one N-API call per message instead of
// one per property. Nothing here throws into JavaScript for bad wire input:
// decoders return an error object; encoders return the Buffer or an
// { encodeError } object, which codec.ts turns into an IkelbError.
#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "ike/constants.h"
#include "ike/message.h"
#include "ike/notify_data.h"
#include "ike/redirect.h"
#include "ike/tape.h"
#include "napi/modules.h"

namespace ikelb::napi {
namespace {

using namespace ikelb::ike;  // NOLINT: glue file, every name is the codec's

// Property names of the objects built here (errors, notify data), created
// once per environment.
#define IKELB_CODEC_KEYS(X) \
  X(ok) X(error) X(value) X(dhGroup) X(notifyType) X(code) X(field) X(offset) X(detail) X(min) X(max) \
  X(encodeError) X(decodeError) X(firstPayloadType) X(buffer) X(gwIdentType) X(gateway) X(gwIdent) X(nonce) \
  X(lifetime) X(ticket) X(cookie) X(digest) X(hashAlgorithms) X(payloadType) X(windowSize) X(seconds) X(cpi) \
  X(transformId) X(address)

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

// ---- C++ -> JavaScript --------------------------------------------------------

class Out {
 public:
  Out(Napi::Env env, Keys& keys) : env_(env), keys_(keys) {}

  Napi::Object Obj() { return Napi::Object::New(env_); }
  void Set(Napi::Object& o, Key k, napi_value v) { o.Set(keys_[k], v); }
  void Num(Napi::Object& o, Key k, double v) { Set(o, k, Napi::Number::New(env_, v)); }
  void Bool(Napi::Object& o, Key k, bool v) { Set(o, k, Napi::Boolean::New(env_, v)); }
  void Str(Napi::Object& o, Key k, const char* v) { Set(o, k, Napi::String::New(env_, v)); }
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

  /// Keeps bytes alive for the duration of the call.
  std::vector<uint8_t>& Store(size_t n) { return storage_.emplace_back(n); }

 private:
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

/// One typed-array argument of the wanted type: one napi_get_typedarray_info
/// call (the codec runs several times per message; node-addon-api's
/// IsTypedArray/TypedArrayType/As/Data path costs four).
bool TypedArg(const Napi::CallbackInfo& info, size_t index, napi_typedarray_type want, void*& data, size_t& length,
              const char* what) {
  bool is_typed = false;
  if (info.Length() > index && napi_is_typedarray(info.Env(), info[index], &is_typed) == napi_ok && is_typed) {
    napi_typedarray_type type;
    if (napi_get_typedarray_info(info.Env(), info[index], &type, &length, &data, nullptr, nullptr) == napi_ok &&
        type == want) {
      return true;
    }
  }
  Napi::TypeError::New(info.Env(), what).ThrowAsJavaScriptException();
  return false;
}

bool ArgBytes(const Napi::CallbackInfo& info, size_t index, ByteView& out) {
  void* data = nullptr;
  size_t length = 0;
  if (!TypedArg(info, index, napi_uint8_array, data, length, "expected a Buffer or Uint8Array")) return false;
  out = ByteView(static_cast<const uint8_t*>(data), length);
  return true;
}

/// A Uint8Array argument native code writes into (the caller's scratch buffer).
bool ArgMutableBytes(const Napi::CallbackInfo& info, size_t index, std::span<uint8_t>& out) {
  void* data = nullptr;
  size_t length = 0;
  if (!TypedArg(info, index, napi_uint8_array, data, length, "expected a Buffer or Uint8Array")) return false;
  out = std::span<uint8_t>(static_cast<uint8_t*>(data), length);
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

bool ArgTape(const Napi::CallbackInfo& info, size_t index, std::span<uint32_t>& out) {
  void* data = nullptr;
  size_t length = 0;
  if (!TypedArg(info, index, napi_uint32_array, data, length, "expected a Uint32Array tape")) return false;
  out = std::span<uint32_t>(static_cast<uint32_t*>(data), length);
  return true;
}

// Decoded messages cross as a tape (native/ike/tape.h): one call, no
// per-property N-API traffic; lib/ike/tape.ts builds the objects. The
// return value is the number of tape words written, or, when the tape was
// too short, minus the number needed (the caller grows it and retries).

// decodeMessage(datagram, tape) -> words | -needed | error
Napi::Value DecodeMessageJs(const Napi::CallbackInfo& info) {
  ByteView datagram;
  std::span<uint32_t> tape;
  if (!ArgBytes(info, 0, datagram) || !ArgTape(info, 1, tape)) return info.Env().Undefined();
  Message message;
  const Status s = DecodeMessage(datagram, message);
  if (!s.ok()) {
    Keys keys(info);
    Out out(info.Env(), keys);
    return out.Error(s);
  }
  const size_t n = WriteTape(&message.header, message.payloads, datagram, tape);
  return Napi::Number::New(info.Env(), n <= tape.size() ? static_cast<double>(n) : -static_cast<double>(n));
}

// decodePayloads(chain, firstType, baseOffset, tape) -> words | -needed | error
Napi::Value DecodePayloadsJs(const Napi::CallbackInfo& info) {
  ByteView chain;
  uint32_t first = 0;
  uint32_t base = 0;
  std::span<uint32_t> tape;
  if (!ArgBytes(info, 0, chain) || !ArgUint(info, 1, 0xff, first) || !ArgUint(info, 2, 0xffffffffu, base) ||
      !ArgTape(info, 3, tape)) {
    return info.Env().Undefined();
  }
  std::vector<Payload> payloads;
  const Status s = DecodePayloads(chain, static_cast<uint8_t>(first), base, payloads);
  if (!s.ok()) {
    Keys keys(info);
    Out out(info.Env(), keys);
    return out.Error(s);
  }
  const size_t n = WriteTape(nullptr, payloads, chain, tape);
  return Napi::Number::New(info.Env(), n <= tape.size() ? static_cast<double>(n) : -static_cast<double>(n));
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

Napi::Object TapeFailure(Out& out, const TapeError& e) {
  return InputFailure(out, std::string("tape word ") + std::to_string(e.word) + ": " + e.what);
}

// encodeMessage(tape, blob) -> Buffer | { encodeError, ... }
Napi::Value EncodeMessageJs(const Napi::CallbackInfo& info) {
  std::span<uint32_t> tape;
  ByteView blob;
  if (!ArgTape(info, 0, tape) || !ArgBytes(info, 1, blob)) return info.Env().Undefined();
  Keys keys(info);
  Out out(info.Env(), keys);
  Message message;
  TapeError te;
  if (!ReadTape(tape, blob, &message.header, message.payloads, te)) return TapeFailure(out, te);
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

// encodePayloads(tape, blob) -> { firstPayloadType, buffer } | { encodeError, ... }
Napi::Value EncodePayloadsJs(const Napi::CallbackInfo& info) {
  std::span<uint32_t> tape;
  ByteView blob;
  if (!ArgTape(info, 0, tape) || !ArgBytes(info, 1, blob)) return info.Env().Undefined();
  Keys keys(info);
  Out out(info.Env(), keys);
  std::vector<Payload> payloads;
  TapeError te;
  if (!ReadTape(tape, blob, nullptr, payloads, te)) return TapeFailure(out, te);
  std::vector<uint8_t> bytes;
  uint8_t first = 0;
  const EncodeStatus s = EncodePayloads(payloads, bytes, first);
  if (!s.ok()) return EncodeFailure(out, s);
  Napi::Object r = out.Obj();
  out.Num(r, K_firstPayloadType, first);
  out.Set(r, K_buffer, out.Buffer(bytes));
  return r;
}

// encodeInto(tape, words, blob, blobLength, withHeader, out) -> length | -needed | { encodeError, ... }
// The hot path of lib/ike/wire.ts: the tape and blob are the caller's
// reusable scratch arrays (only the first `words` / `blobLength` count), and
// the message (withHeader) or payload chain is written straight into `out`,
// so a call allocates nothing on the V8 heap. When `out` is too short, the
// length needed comes back negated and nothing useful was written.
Napi::Value EncodeMessageIntoJs(const Napi::CallbackInfo& info) {
  std::span<uint32_t> tape;
  ByteView blob;
  uint32_t words = 0;
  uint32_t blob_length = 0;
  std::span<uint8_t> out;
  if (!ArgTape(info, 0, tape) || !ArgUint(info, 1, 0xffffffffu, words) || !ArgBytes(info, 2, blob) ||
      !ArgUint(info, 3, 0xffffffffu, blob_length) || !ArgMutableBytes(info, 5, out)) {
    return info.Env().Undefined();
  }
  if (info.Length() <= 4 || !info[4].IsBoolean()) {
    Napi::TypeError::New(info.Env(), "expected withHeader (boolean)").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  if (words > tape.size() || blob_length > blob.size()) {
    Napi::RangeError::New(info.Env(), "tape or blob length out of range").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  // Byte strings are copied from the blob into `out` with memcpy: they must not share memory.
  const auto* blob_end = blob.data() + blob.size();
  const auto* out_end = out.data() + out.size();
  if (!blob.empty() && !out.empty() && blob.data() < out_end && out.data() < blob_end) {
    Napi::RangeError::New(info.Env(), "blob and output overlap").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  const bool with_header = info[4].As<Napi::Boolean>().Value();
  Message message;
  TapeError te;
  EncodeStatus s;
  size_t written = 0;
  if (!ReadTape(tape.first(words), ByteView(blob.data(), blob_length), with_header ? &message.header : nullptr,
                message.payloads, te)) {
    Keys keys(info);
    Out o(info.Env(), keys);
    return TapeFailure(o, te);
  }
  if (with_header) {
    s = Encode(message, out, written);
  } else {
    uint8_t first = 0;
    s = EncodePayloads(message.payloads, out, written, first);
  }
  if (s.ok()) return Napi::Number::New(info.Env(), static_cast<double>(written));
  if (s.code == EncodeError::BUFFER_TOO_SMALL) return Napi::Number::New(info.Env(), -static_cast<double>(s.value));
  Keys keys(info);
  Out o(info.Env(), keys);
  return EncodeFailure(o, s);
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

// redirectResponse(request, { gwIdentType, gateway | gwIdent }) -> Buffer | error | { encodeError }
// The stateless IKE_SA_INIT redirect answer built by the same C++ the fast path uses.
Napi::Value RedirectResponseJs(const Napi::CallbackInfo& info) {
  ByteView request;
  if (!ArgBytes(info, 0, request)) return info.Env().Undefined();
  Keys keys(info);
  Out out(info.Env(), keys);
  In in(info.Env(), keys);
  Napi::Object o;
  if (info.Length() < 2 || !in.Object(info[1], o)) return InputFailure(out, "expected a gateway object");
  GatewayIdentity gateway;
  if (in.Int(o, K_gwIdentType, gateway.type, 0xff)) {
    if (!in.Get(o, K_gateway).IsUndefined() && gateway.type != GatewayIdentityType::FQDN) {
      in.AddressField(o, K_gateway, gateway.value, gateway.type == GatewayIdentityType::IPV6);
    } else if (!in.Get(o, K_gateway).IsUndefined()) {
      const std::string fqdn = in.Get(o, K_gateway).ToString().Utf8Value();
      std::vector<uint8_t>& bytes = in.Store(fqdn.size());
      std::memcpy(bytes.data(), fqdn.data(), fqdn.size());
      gateway.value = ByteView(bytes);
    } else {
      in.Bytes(o, K_gwIdent, gateway.value);
    }
  }
  if (!in.ok()) return InputFailure(out, in.error());
  InitRequestInfo req;
  const Status s = InspectInitRequest(request, req);
  if (!s.ok()) return out.Error(s);
  if (!req.is_init_request) return InputFailure(out, "not an IKE_SA_INIT request");
  uint8_t reply[kHeaderSize + 8 + 2 + 255 + 256];
  size_t n = 0;
  const EncodeStatus e = WriteRedirectResponse(req, gateway, reply, n);
  if (!e.ok()) return EncodeFailure(out, e);
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reply, n);
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
  codec.Set("encodeInto", Napi::Function::New(env, EncodeMessageIntoJs, "encodeInto", data));
  codec.Set("parseNotifyData", Napi::Function::New(env, ParseNotifyDataJs, "parseNotifyData", data));
  codec.Set("encodeRedirectData", Napi::Function::New(env, EncodeRedirectDataJs, "encodeRedirectData", data));
  codec.Set("encodeTicketLtOpaque", Napi::Function::New(env, EncodeTicketLtOpaqueJs, "encodeTicketLtOpaque", data));
  codec.Set("redirectResponse", Napi::Function::New(env, RedirectResponseJs, "redirectResponse", data));
  codec.Set("errorCodes", Napi::Function::New(env, ErrorCodesJs, "errorCodes", data));
  exports.Set("codec", codec);
}

}  // namespace ikelb::napi
