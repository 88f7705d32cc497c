// N-API glue for HSRP (exports.hsrp): the codec, the packet/UDP channels
// polled on Node's own event loop (uv_poll: no threads, no busy loops, one
// JavaScript call per wake-up with the datagrams in a shared slab), the VIP
// netlink calls and a link-state watch. Protocol logic lives in native/hsrp/.
#include <arpa/inet.h>
#include <napi.h>
#include <uv.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>

#include "hsrp/codec.h"
#include "hsrp/frame.h"
#include "hsrp/io.h"
#include "napi/modules.h"

namespace ikelb::napi {
namespace {

using hsrp::AuthConfig;
using hsrp::AuthKind;
using hsrp::AuthResult;
using hsrp::Message;

Napi::Value ThrowCode(Napi::Env env, const std::string& message, const char* code = "IKELB_ERR_NATIVE") {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ParseIpv4(const std::string& text, uint32_t& out) {
  in_addr a{};
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
  out = ntohl(a.s_addr);
  return true;
}

std::string FormatIpv4(uint32_t ip) {
  char buf[INET_ADDRSTRLEN];
  in_addr a{htonl(ip)};
  inet_ntop(AF_INET, &a, buf, sizeof(buf));
  return buf;
}

// Reads {kind, text, key, keyId, senderIp}; returns false with a JS exception pending.
bool ReadAuth(Napi::Env env, Napi::Value value, AuthConfig& out) {
  out = AuthConfig{};
  if (value.IsUndefined() || value.IsNull()) return true;  // default: text "cisco"
  if (!value.IsObject()) {
    ThrowCode(env, "auth must be an object", "IKELB_ERR_ENCODE");
    return false;
  }
  Napi::Object o = value.As<Napi::Object>();
  std::string kind = o.Get("kind").IsString() ? o.Get("kind").As<Napi::String>().Utf8Value() : "text";
  if (kind == "none") {
    out.kind = AuthKind::None;
  } else if (kind == "text") {
    out.kind = AuthKind::Text;
    if (o.Get("text").IsString()) {
      std::string text = o.Get("text").As<Napi::String>().Utf8Value();
      if (text.size() > hsrp::kTextAuthSize) {
        ThrowCode(env, "text authentication is at most 8 octets", "IKELB_ERR_ENCODE");
        return false;
      }
      std::memset(out.text, 0, sizeof(out.text));
      std::memcpy(out.text, text.data(), text.size());
    }
  } else if (kind == "md5") {
    out.kind = AuthKind::Md5;
    Napi::Value key = o.Get("key");
    std::string bytes;
    if (key.IsString()) bytes = key.As<Napi::String>().Utf8Value();
    else if (key.IsBuffer()) bytes.assign(key.As<Napi::Buffer<char>>().Data(), key.As<Napi::Buffer<char>>().Length());
    if (bytes.empty() || bytes.size() > hsrp::kMaxKeyLength) {
      ThrowCode(env, "an MD5 key string is 1..64 octets", "IKELB_ERR_ENCODE");
      return false;
    }
    std::memcpy(out.key, bytes.data(), bytes.size());
    out.key_length = bytes.size();
    if (o.Get("keyId").IsNumber()) out.key_id = o.Get("keyId").As<Napi::Number>().Uint32Value();
    if (o.Get("senderIp").IsString() && !ParseIpv4(o.Get("senderIp").As<Napi::String>().Utf8Value(), out.sender_ip)) {
      ThrowCode(env, "senderIp is not an IPv4 address", "IKELB_ERR_ENCODE");
      return false;
    }
  } else {
    ThrowCode(env, "auth.kind must be none, text or md5", "IKELB_ERR_ENCODE");
    return false;
  }
  return true;
}

std::span<const uint8_t> BufferSpan(Napi::Value v) {
  auto b = v.As<Napi::Buffer<uint8_t>>();
  return {b.Data(), b.Length()};
}

// encode(message, auth) -> Buffer
Napi::Value Encode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) return ThrowCode(env, "encode(message, auth)", "IKELB_ERR_ENCODE");
  Napi::Object o = info[0].As<Napi::Object>();
  Message m;
  auto num = [&](const char* name, uint32_t fallback) -> uint32_t {
    Napi::Value v = o.Get(name);
    return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
  };
  m.version = static_cast<uint8_t>(num("version", 2));
  std::string opcode = o.Get("opcode").IsString() ? o.Get("opcode").As<Napi::String>().Utf8Value() : "Hello";
  std::string state = o.Get("state").IsString() ? o.Get("state").As<Napi::String>().Utf8Value() : "Initial";
  if (!hsrp::OpcodeFromName(opcode, m.opcode)) return ThrowCode(env, "unknown opcode " + opcode, "IKELB_ERR_ENCODE");
  if (!hsrp::StateFromName(state, m.state)) return ThrowCode(env, "unknown state " + state, "IKELB_ERR_ENCODE");
  m.hello_ms = num("helloMs", 3000);
  m.hold_ms = num("holdMs", 10000);
  m.priority = num("priority", 100);
  uint32_t group = num("group", 0);
  if (group > 4095) return ThrowCode(env, "group must be 0..4095", "IKELB_ERR_ENCODE");
  m.group = static_cast<uint16_t>(group);
  std::string vip = o.Get("vip").IsString() ? o.Get("vip").As<Napi::String>().Utf8Value() : "0.0.0.0";
  if (inet_pton(AF_INET, vip.c_str(), m.vip) == 1) {
    m.ip_version = 4;
  } else if (inet_pton(AF_INET6, vip.c_str(), m.vip) == 1) {
    m.ip_version = 6;
  } else {
    return ThrowCode(env, "vip is not an IP address: " + vip, "IKELB_ERR_ENCODE");
  }
  Napi::Value ident = o.Get("identifier");
  if (ident.IsBuffer()) {
    if (ident.As<Napi::Buffer<uint8_t>>().Length() != 6) return ThrowCode(env, "identifier must be 6 octets", "IKELB_ERR_ENCODE");
    std::memcpy(m.identifier, ident.As<Napi::Buffer<uint8_t>>().Data(), 6);
  }
  AuthConfig auth;
  if (!ReadAuth(env, info.Length() > 1 ? info[1] : env.Undefined(), auth)) return env.Undefined();
  uint8_t out[hsrp::kMaxEncodedLength];
  const char* error = nullptr;
  size_t len = hsrp::Encode(m, auth, {out, sizeof(out)}, &error);
  if (len == 0) return ThrowCode(env, error != nullptr ? error : "encode failed", "IKELB_ERR_ENCODE");
  return Napi::Buffer<uint8_t>::Copy(env, out, len);
}

const char* AuthResultName(AuthResult r) {
  switch (r) {
    case AuthResult::Ok: return "ok";
    case AuthResult::Missing: return "missing";
    case AuthResult::WrongKind: return "wrong-kind";
    case AuthResult::Mismatch: return "mismatch";
  }
  return "mismatch";
}

std::string FormatMac(const uint8_t* m) {
  char buf[20];
  snprintf(buf, sizeof(buf), "%02x%02x.%02x%02x.%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

// decode(buffer, auth, offset?, length?) -> {ok:true, ...fields, auth} | {ok:false, field, offset, reason}
// Never throws for bad bytes: a malformed datagram is an answer, not an exception.
Napi::Value Decode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBuffer()) return ThrowCode(env, "decode(buffer, auth)", "IKELB_ERR_DECODE");
  std::span<const uint8_t> all = BufferSpan(info[0]);
  size_t offset = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 0;
  size_t length = info.Length() > 3 && info[3].IsNumber() ? info[3].As<Napi::Number>().Uint32Value() : all.size() - std::min(offset, all.size());
  if (offset > all.size() || length > all.size() - offset) return ThrowCode(env, "offset/length outside the buffer", "IKELB_ERR_DECODE");
  std::span<const uint8_t> d = all.subspan(offset, length);
  AuthConfig auth;
  if (!ReadAuth(env, info.Length() > 1 ? info[1] : env.Undefined(), auth)) return env.Undefined();
  Message m;
  Napi::Object r = Napi::Object::New(env);
  if (hsrp::DecodeError err = hsrp::Decode(d, m)) {
    r.Set("ok", false);
    r.Set("field", err.field);
    r.Set("offset", static_cast<double>(err.offset));
    r.Set("reason", err.reason);
    return r;
  }
  r.Set("ok", true);
  r.Set("version", m.version);
  r.Set("opcode", hsrp::OpcodeName(m.opcode));
  if (m.opcode == hsrp::Opcode::Advertise) {
    r.Set("auth", "missing");
    return r;
  }
  r.Set("state", hsrp::StateName(m.state));
  r.Set("helloMs", m.hello_ms);
  r.Set("holdMs", m.hold_ms);
  r.Set("priority", m.priority);
  r.Set("group", m.group);
  r.Set("ipVersion", m.ip_version);
  char vip[INET6_ADDRSTRLEN];
  inet_ntop(m.ip_version == 6 ? AF_INET6 : AF_INET, m.vip, vip, sizeof(vip));
  r.Set("vip", vip);
  if (m.version == 2) r.Set("identifier", FormatMac(m.identifier));
  r.Set("authKind", m.auth == AuthKind::Md5 ? "md5" : m.auth == AuthKind::Text ? "text" : "none");
  if (m.auth == AuthKind::Md5) {
    r.Set("md5KeyId", m.md5_key_id);
    r.Set("md5SenderIp", FormatIpv4(m.md5_ip));
  }
  r.Set("auth", AuthResultName(hsrp::Authenticate(d, m, auth)));
  return r;
}

Napi::Value VirtualMac(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) return ThrowCode(env, "virtualMac(version, group)");
  uint8_t mac[6];
  hsrp::VirtualMac(static_cast<uint8_t>(info[0].As<Napi::Number>().Uint32Value()),
                   static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value()), mac);
  return Napi::String::New(env, FormatMac(mac));
}

Napi::Value QueryLink(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) return ThrowCode(env, "queryLink(ifname)");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  hsrp::LinkInfo link;
  if (int err = hsrp::QueryLink(name.c_str(), link)) {
    return ThrowCode(env, "interface " + name + ": " + std::strerror(err));
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("ifindex", link.ifindex);
  r.Set("mac", FormatMac(link.mac));
  r.Set("up", link.up);
  r.Set("running", link.running);
  r.Set("ipv4", link.ipv4 != 0 ? Napi::Value(Napi::String::New(env, FormatIpv4(link.ipv4))) : env.Null());
  r.Set("ipv4Prefix", __builtin_popcount(link.ipv4_mask));
  return r;
}

// addAddress(ifindex, ip, prefix, lifetimeSeconds) -> errno (0 = done)
Napi::Value AddAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t ip = 0;
  if (info.Length() < 4 || !info[1].IsString() || !ParseIpv4(info[1].As<Napi::String>().Utf8Value(), ip)) {
    return ThrowCode(env, "addAddress(ifindex, ipv4, prefix, lifetimeSeconds)");
  }
  int err = hsrp::AddAddress(info[0].As<Napi::Number>().Int32Value(), ip,
                             static_cast<uint8_t>(info[2].As<Napi::Number>().Uint32Value()),
                             info[3].As<Napi::Number>().Uint32Value());
  return Napi::Number::New(env, err);
}

Napi::Value DeleteAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t ip = 0;
  if (info.Length() < 3 || !info[1].IsString() || !ParseIpv4(info[1].As<Napi::String>().Utf8Value(), ip)) {
    return ThrowCode(env, "deleteAddress(ifindex, ipv4, prefix)");
  }
  int err = hsrp::DeleteAddress(info[0].As<Napi::Number>().Int32Value(), ip,
                                static_cast<uint8_t>(info[2].As<Napi::Number>().Uint32Value()));
  return Napi::Number::New(env, err);
}

Napi::Value ErrnoName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), std::strerror(info[0].As<Napi::Number>().Int32Value()));
}

// ---------------------------------------------------------------------------
// Poller: a uv_poll_t on one fd that calls back into JavaScript.

class Poller {
 public:
  using OnReadable = void (*)(void* owner);
  Poller(void* owner, OnReadable cb) : owner_(owner), cb_(cb) {}
  int Start(Napi::Env env, int fd) {
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return EINVAL;
    handle_ = new uv_poll_t;
    handle_->data = this;
    if (int r = uv_poll_init(loop, handle_, fd); r != 0) {
      delete handle_;
      handle_ = nullptr;
      return -r;
    }
    uv_poll_start(handle_, UV_READABLE, [](uv_poll_t* h, int status, int) {
      auto* self = static_cast<Poller*>(h->data);
      if (self != nullptr && status >= 0) self->cb_(self->owner_);
    });
    return 0;
  }
  // Stops polling; the handle is freed by libuv once closed.
  void Stop() {
    if (handle_ == nullptr) return;
    uv_poll_stop(handle_);
    handle_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(handle_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    handle_ = nullptr;
  }
  ~Poller() { Stop(); }

 private:
  void* owner_;
  OnReadable cb_;
  uv_poll_t* handle_ = nullptr;
};

void CallJs(Napi::Env env, Napi::FunctionReference& fn, Napi::AsyncContext* ctx, std::initializer_list<napi_value> args) {
  Napi::HandleScope scope(env);
  if (fn.IsEmpty()) return;
  if (ctx != nullptr) fn.MakeCallback(env.Global(), args, *ctx);
  else fn.MakeCallback(env.Global(), args);
  if (env.IsExceptionPending()) {
    Napi::Error e = env.GetAndClearPendingException();
    napi_fatal_exception(env, e.Value());
  }
}

// ---------------------------------------------------------------------------
// HsrpChannel: new HsrpChannel(options, onReadable(count))
//   options: { mode: 'packet', ifindex, group: '224.0.0.102', port }   (no group: send-only, for ARP)
//          | { mode: 'udp', localIp, port, ttl, device? }

class Channel : public Napi::ObjectWrap<Channel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "HsrpChannel",
                       {InstanceMethod<&Channel::SendMulticast>("sendMulticast"),
                        InstanceMethod<&Channel::SendTo>("sendTo"),
                        InstanceMethod<&Channel::SendGarp>("sendGarp"),
                        InstanceMethod<&Channel::Close>("close"),
                        InstanceAccessor<&Channel::Slab>("slab"),
                        InstanceAccessor<&Channel::Counters>("counters")});
  }

  explicit Channel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Channel>(info), poller_(this, &Channel::OnReadable) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
      ThrowCode(env, "new HsrpChannel(options, onReadable)");
      return;
    }
    Napi::Object o = info[0].As<Napi::Object>();
    std::string mode = o.Get("mode").IsString() ? o.Get("mode").As<Napi::String>().Utf8Value() : "";
    uint16_t port = o.Get("port").IsNumber() ? static_cast<uint16_t>(o.Get("port").As<Napi::Number>().Uint32Value()) : hsrp::kUdpPort;
    int err = 0;
    int fd = -1;
    if (mode == "packet") {
      uint32_t group = 0;
      if (!o.Get("ifindex").IsNumber()) {
        ThrowCode(env, "packet channel needs an ifindex");
        return;
      }
      ifindex_ = o.Get("ifindex").As<Napi::Number>().Int32Value();
      if (o.Get("group").IsUndefined()) {
        err = packet_.OpenSendOnly(ifindex_);  // gratuitous ARP only
      } else if (!o.Get("group").IsString() || !ParseIpv4(o.Get("group").As<Napi::String>().Utf8Value(), group)) {
        ThrowCode(env, "packet channel: group is not an IPv4 address");
        return;
      } else {
        err = packet_.Open(ifindex_, group, port);
      }
      fd = packet_.fd();
      packet_mode_ = true;
    } else if (mode == "udp") {
      uint32_t local = 0;
      if (o.Get("localIp").IsString() && !ParseIpv4(o.Get("localIp").As<Napi::String>().Utf8Value(), local)) {
        ThrowCode(env, "localIp is not an IPv4 address");
        return;
      }
      uint8_t ttl = o.Get("ttl").IsNumber() ? static_cast<uint8_t>(o.Get("ttl").As<Napi::Number>().Uint32Value()) : 64;
      std::string device = o.Get("device").IsString() ? o.Get("device").As<Napi::String>().Utf8Value() : "";
      err = udp_.Open(local, port, ttl, device.c_str());
      fd = udp_.fd();
    } else {
      ThrowCode(env, "mode must be 'packet' or 'udp'");
      return;
    }
    if (err != 0) {
      ThrowCode(env, std::string("cannot open HSRP ") + mode + " socket: " + std::strerror(err));
      return;
    }
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    context_ = std::make_unique<Napi::AsyncContext>(env, "ikelb:hsrp");
    slab_ = Napi::Persistent(Napi::Buffer<uint8_t>::New(env, reinterpret_cast<uint8_t*>(slots_), sizeof(slots_),
                                                          [](Napi::Env, uint8_t*) {}));
    auto counters_ab = Napi::ArrayBuffer::New(env, &counters_, sizeof(counters_), [](Napi::Env, void*) {});
    counters_view_ = Napi::Persistent(Napi::Float64Array::New(env, sizeof(counters_) / sizeof(double), counters_ab, 0));
    if (int perr = poller_.Start(env, fd); perr != 0) {
      Shutdown();
      ThrowCode(env, std::string("cannot poll the HSRP socket: ") + std::strerror(perr));
      return;
    }
    Ref();  // keep this object alive while the socket is polled
    open_ = true;
  }

  ~Channel() override { Shutdown(); }

 private:
  static void OnReadable(void* owner) {
    auto* self = static_cast<Channel*>(owner);
    self->counters_.wakeups++;
    size_t n = self->packet_mode_ ? self->packet_.Receive(self->slots_, hsrp::kSlots, self->counters_)
                                  : self->udp_.Receive(self->slots_, hsrp::kSlots, self->counters_);
    if (n == 0) return;
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    CallJs(env, self->callback_, self->context_.get(), {Napi::Number::New(env, static_cast<double>(n))});
  }

  // sendMulticast(payload, srcMac(Buffer 6), srcIp, dstIp, port) — packet mode
  Napi::Value SendMulticast(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!open_ || !packet_mode_) return ThrowCode(env, "sendMulticast needs an open packet channel");
    if (info.Length() < 5 || !info[0].IsBuffer() || !info[1].IsBuffer() || !info[2].IsString() || !info[3].IsString()) {
      return ThrowCode(env, "sendMulticast(payload, srcMac, srcIp, dstIp, port)");
    }
    hsrp::FrameInfo a;
    auto mac = info[1].As<Napi::Buffer<uint8_t>>();
    if (mac.Length() != 6) return ThrowCode(env, "srcMac must be 6 octets");
    std::memcpy(a.src_mac, mac.Data(), 6);
    if (!ParseIpv4(info[2].As<Napi::String>().Utf8Value(), a.src_ip) || !ParseIpv4(info[3].As<Napi::String>().Utf8Value(), a.dst_ip)) {
      return ThrowCode(env, "srcIp/dstIp must be IPv4 addresses");
    }
    hsrp::MulticastMac(a.dst_ip, a.dst_mac);
    a.src_port = a.dst_port = static_cast<uint16_t>(info[4].As<Napi::Number>().Uint32Value());
    uint8_t frame[hsrp::kEthHeader + hsrp::kIpv4Header + hsrp::kUdpHeader + hsrp::kSlotPayload];
    std::span<const uint8_t> payload = BufferSpan(info[0]);
    if (payload.size() > hsrp::kSlotPayload) return ThrowCode(env, "payload too long");
    size_t len = hsrp::BuildUdpFrame(a, hsrp::kHsrpTtl, hsrp::kHsrpTos, ip_id_++, payload, {frame, sizeof(frame)});
    int err = packet_.SendFrame({frame, len}, counters_);
    if (err == 0) counters_.tx_datagrams++;
    return Napi::Number::New(env, err);
  }

  // sendTo(ip, port, payload) — UDP mode
  Napi::Value SendTo(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint32_t ip = 0;
    if (!open_ || packet_mode_) return ThrowCode(env, "sendTo needs an open UDP channel");
    if (info.Length() < 3 || !info[0].IsString() || !ParseIpv4(info[0].As<Napi::String>().Utf8Value(), ip) || !info[2].IsBuffer()) {
      return ThrowCode(env, "sendTo(ip, port, payload)");
    }
    int err = udp_.SendTo(ip, static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value()), BufferSpan(info[2]), counters_);
    return Napi::Number::New(env, err);
  }

  // sendGarp(mac(Buffer 6), ip) — packet mode
  Napi::Value SendGarp(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint32_t ip = 0;
    if (!open_ || !packet_mode_) return ThrowCode(env, "sendGarp needs an open packet channel");
    if (info.Length() < 2 || !info[0].IsBuffer() || info[0].As<Napi::Buffer<uint8_t>>().Length() != 6 || !info[1].IsString() ||
        !ParseIpv4(info[1].As<Napi::String>().Utf8Value(), ip)) {
      return ThrowCode(env, "sendGarp(mac, ip)");
    }
    uint8_t frame[hsrp::kArpFrame];
    size_t len = hsrp::BuildGratuitousArp(info[0].As<Napi::Buffer<uint8_t>>().Data(), ip, {frame, sizeof(frame)});
    int err = packet_.SendFrame({frame, len}, counters_);
    if (err == 0) counters_.tx_arps++;
    return Napi::Number::New(env, err);
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  Napi::Value Slab(const Napi::CallbackInfo& info) { return slab_.IsEmpty() ? info.Env().Null() : slab_.Value(); }
  Napi::Value Counters(const Napi::CallbackInfo& info) {
    return counters_view_.IsEmpty() ? info.Env().Null() : counters_view_.Value();
  }

  void Shutdown() {
    poller_.Stop();
    packet_.Close();
    udp_.Close();
    if (open_) {
      open_ = false;
      Unref();
    }
  }

  Poller poller_;
  hsrp::PacketChannel packet_;
  hsrp::UdpChannel udp_;
  bool packet_mode_ = false;
  bool open_ = false;
  int ifindex_ = 0;
  uint16_t ip_id_ = 1;
  hsrp::Slot slots_[hsrp::kSlots] = {};
  hsrp::IoCounters counters_ = {};
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> context_;
  Napi::Reference<Napi::Buffer<uint8_t>> slab_;
  Napi::Reference<Napi::Float64Array> counters_view_;
};

// ---------------------------------------------------------------------------
// HsrpLinkWatch: new HsrpLinkWatch(ifindex, onChange(up, running, deleted))

class LinkWatchWrap : public Napi::ObjectWrap<LinkWatchWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "HsrpLinkWatch", {InstanceMethod<&LinkWatchWrap::Close>("close")});
  }

  explicit LinkWatchWrap(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<LinkWatchWrap>(info), poller_(this, &LinkWatchWrap::OnReadable) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsFunction()) {
      ThrowCode(env, "new HsrpLinkWatch(ifindex, onChange)");
      return;
    }
    ifindex_ = info[0].As<Napi::Number>().Int32Value();
    if (int err = watch_.Open(); err != 0) {
      ThrowCode(env, std::string("cannot watch links: ") + std::strerror(err));
      return;
    }
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    context_ = std::make_unique<Napi::AsyncContext>(env, "ikelb:hsrp-link");
    if (int perr = poller_.Start(env, watch_.fd()); perr != 0) {
      watch_.Close();
      ThrowCode(env, std::string("cannot poll the link watch: ") + std::strerror(perr));
      return;
    }
    Ref();
    open_ = true;
  }
  ~LinkWatchWrap() override { Shutdown(); }

 private:
  static void OnReadable(void* owner) {
    auto* self = static_cast<LinkWatchWrap*>(owner);
    bool up = false, running = false, deleted = false;
    if (!self->watch_.Read(self->ifindex_, up, running, deleted)) return;
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    CallJs(env, self->callback_, self->context_.get(),
           {Napi::Boolean::New(env, up), Napi::Boolean::New(env, running), Napi::Boolean::New(env, deleted)});
  }
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }
  void Shutdown() {
    poller_.Stop();
    watch_.Close();
    if (open_) {
      open_ = false;
      Unref();
    }
  }

  Poller poller_;
  hsrp::LinkWatch watch_;
  int ifindex_ = 0;
  bool open_ = false;
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> context_;
};

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  c.Set("udpPort", hsrp::kUdpPort);
  c.Set("udpPortV6", hsrp::kUdpPortV6);
  c.Set("groupAddressV1", FormatIpv4(hsrp::kGroupAddrV1));
  c.Set("groupAddressV2", FormatIpv4(hsrp::kGroupAddrV2));
  c.Set("maxEncodedLength", static_cast<double>(hsrp::kMaxEncodedLength));
  c.Set("slotSize", static_cast<double>(sizeof(hsrp::Slot)));
  c.Set("slotCount", static_cast<double>(hsrp::kSlots));
  c.Set("offsetofLength", static_cast<double>(offsetof(hsrp::Slot, length)));
  c.Set("offsetofSrcIp", static_cast<double>(offsetof(hsrp::Slot, src_ip)));
  c.Set("offsetofDstIp", static_cast<double>(offsetof(hsrp::Slot, dst_ip)));
  c.Set("offsetofSrcPort", static_cast<double>(offsetof(hsrp::Slot, src_port)));
  c.Set("offsetofTtl", static_cast<double>(offsetof(hsrp::Slot, ttl)));
  c.Set("offsetofSrcMac", static_cast<double>(offsetof(hsrp::Slot, src_mac)));
  c.Set("offsetofPayload", static_cast<double>(offsetof(hsrp::Slot, payload)));
  // Counter names in the order of IoCounters (one Float64 each).
  Napi::Array names = Napi::Array::New(env);
  const char* counter_names[] = {"rxDatagrams", "rxBadFrames", "rxOversize", "rxErrors",
                                 "txDatagrams", "txErrors", "txArps", "wakeups"};
  static_assert(sizeof(counter_names) / sizeof(counter_names[0]) == sizeof(hsrp::IoCounters) / sizeof(double));
  for (uint32_t i = 0; i < sizeof(counter_names) / sizeof(counter_names[0]); i++) names.Set(i, counter_names[i]);
  c.Set("counterNames", names);
  return c;
}

}  // namespace

void RegisterHsrp(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  m.Set("constants", Constants(env));
  m.Set("encode", Napi::Function::New(env, Encode, "encode"));
  m.Set("decode", Napi::Function::New(env, Decode, "decode"));
  m.Set("virtualMac", Napi::Function::New(env, VirtualMac, "virtualMac"));
  m.Set("queryLink", Napi::Function::New(env, QueryLink, "queryLink"));
  m.Set("addAddress", Napi::Function::New(env, AddAddress, "addAddress"));
  m.Set("deleteAddress", Napi::Function::New(env, DeleteAddress, "deleteAddress"));
  m.Set("errnoName", Napi::Function::New(env, ErrnoName, "errnoName"));
  m.Set("HsrpChannel", Channel::Define(env));
  m.Set("HsrpLinkWatch", LinkWatchWrap::Define(env));
  exports.Set("hsrp", m);
}

}  // namespace ikelb::napi
