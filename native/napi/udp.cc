// N-API glue of the UDP engine (native/net/engine.h): argument unpacking, the
// shared memory exposed as external ArrayBuffers, the layout constants
// TypeScript needs, and the two ways of delivering batches to JavaScript:
//   'thread'      the engine's own I/O thread drains the sockets; batches for
//                 TypeScript arrive through a threadsafe function;
//   'event-loop'  libuv polls the sockets on the JS thread and the batch
//                 callback is called synchronously.
// Exported under exports.udp (lib/net/udp-native.ts declares the shape).
#include <arpa/inet.h>
#include <napi.h>
#include <uv.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "napi/modules.h"
#include "net/engine.h"

namespace ikelb::napi {

namespace {

using net::Engine;
using net::SharedArea;

constexpr int kEventLoopBatchesPerPoll = 16;

Napi::Value ThrowCoded(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

// Shared memory lives as long as the engine or any ArrayBuffer over it.
std::shared_ptr<SharedArea> NewSharedArea() {
  void* raw = ::operator new(sizeof(SharedArea), std::align_val_t{alignof(SharedArea)}, std::nothrow);
  if (raw == nullptr) return nullptr;
  std::memset(raw, 0, sizeof(SharedArea));
  auto* area = static_cast<SharedArea*>(raw);
  area->control[net::kControlCookieThreshold] = net::kCookieNever;
  return std::shared_ptr<SharedArea>(area, [](SharedArea* p) {
    ::operator delete(static_cast<void*>(p), std::align_val_t{alignof(SharedArea)});
  });
}

Napi::ArrayBuffer ExternalView(Napi::Env env, const std::shared_ptr<SharedArea>& owner, void* data, size_t size) {
  auto* hold = new std::shared_ptr<SharedArea>(owner);
  return Napi::ArrayBuffer::New(env, data, size, [](Napi::Env, void*, std::shared_ptr<SharedArea>* h) { delete h; },
                                hold);
}

class UdpEngine : public Napi::ObjectWrap<UdpEngine>, private net::BatchSink {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "UdpEngine",
                       {
                           InstanceMethod<&UdpEngine::Open>("open"),
                           InstanceMethod<&UdpEngine::Close>("close"),
                           InstanceMethod<&UdpEngine::Flush>("flush"),
                           InstanceMethod<&UdpEngine::Sockets>("sockets"),
                           InstanceMethod<&UdpEngine::RotateCookieSecret>("rotateCookieSecret"),
                           InstanceMethod<&UdpEngine::CookieVersion>("cookieVersion"),
                           InstanceMethod<&UdpEngine::Ref>("ref"),
                           InstanceMethod<&UdpEngine::Unref>("unref"),
                           InstanceAccessor<&UdpEngine::Buffers>("buffers"),
                       });
  }

  // new UdpEngine(onBatch(segment, count))
  explicit UdpEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UdpEngine>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsFunction()) {
      ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "UdpEngine needs a batch callback");
      return;
    }
    on_batch_ = Napi::Persistent(info[0].As<Napi::Function>());
    shared_ = NewSharedArea();
    if (!shared_) {
      ThrowCoded(env, "IKELB_ERR_NATIVE", "cannot allocate the engine's shared memory");
      return;
    }
    engine_ = std::make_unique<Engine>(shared_);
    Napi::Object buffers = Napi::Object::New(env);
    SharedArea& a = *shared_;
    buffers.Set("counters", ExternalView(env, shared_, &a.counters, sizeof a.counters));
    buffers.Set("projection", ExternalView(env, shared_, &a.projection, sizeof a.projection));
    buffers.Set("control", ExternalView(env, shared_, a.control, sizeof a.control));
    buffers.Set("targets", ExternalView(env, shared_, &a.targets, sizeof a.targets));
    buffers.Set("receive", ExternalView(env, shared_, a.receive, sizeof a.receive));
    buffers.Set("send", ExternalView(env, shared_, &a.send, sizeof a.send));
    buffers_ = Napi::Persistent(buffers);
  }

  ~UdpEngine() override { Shutdown(); }

 private:
  // open({ listen: [{address, port, natt}], mode, batch, receiveBuffer, sendBuffer, fastPath })
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (state_ != State::kNew) return ThrowCoded(env, "IKELB_ERR_UDP_STATE", "the UDP engine was already opened");
    if (info.Length() < 1 || !info[0].IsObject()) {
      return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "open() needs an options object");
    }
    Napi::Object o = info[0].As<Napi::Object>();
    net::EngineOptions options;
    Napi::Value listen = o.Get("listen");
    if (!listen.IsArray()) return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "options.listen must be an array");
    Napi::Array list = listen.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Value entry = list.Get(i);
      if (!entry.IsObject()) return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "each listen entry must be an object");
      Napi::Object e = entry.As<Napi::Object>();
      net::ListenSpec spec;
      Napi::Value address = e.Get("address");
      Napi::Value port = e.Get("port");
      if (!address.IsString() || !net::ParseAddress(address.As<Napi::String>().Utf8Value().c_str(), &spec.address)) {
        return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "listen entry " + std::to_string(i) + ": not an IP address");
      }
      if (!port.IsNumber() || port.As<Napi::Number>().Int64Value() < 0 || port.As<Napi::Number>().Int64Value() > 65535) {
        return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "listen entry " + std::to_string(i) + ": port must be 0..65535");
      }
      spec.port = static_cast<uint16_t>(port.As<Napi::Number>().Uint32Value());
      spec.natt = e.Get("natt").ToBoolean().Value();
      options.listen.push_back(spec);
    }
    Napi::Value mode = o.Get("mode");
    std::string mode_name = mode.IsString() ? mode.As<Napi::String>().Utf8Value() : "thread";
    if (mode_name != "thread" && mode_name != "event-loop") {
      return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "mode must be 'thread' or 'event-loop'");
    }
    event_loop_mode_ = mode_name == "event-loop";
    if (o.Get("batch").IsNumber()) options.batch = o.Get("batch").As<Napi::Number>().Uint32Value();
    if (o.Get("receiveBuffer").IsNumber()) options.buffers.receive = o.Get("receiveBuffer").As<Napi::Number>().Int32Value();
    if (o.Get("sendBuffer").IsNumber()) options.buffers.send = o.Get("sendBuffer").As<Napi::Number>().Int32Value();
    if (o.Has("fastPath")) options.fast_path = o.Get("fastPath").ToBoolean().Value();
    if (o.Get("ioThreadNice").IsNumber()) options.io_thread_nice = o.Get("ioThreadNice").As<Napi::Number>().Int32Value();

    std::string error;
    if (!engine_->Open(options, &error)) return ThrowCoded(env, "IKELB_ERR_UDP_BIND", error);
    env_ = env;
    if (event_loop_mode_) {
      if (!StartPolling(env, &error)) {
        Shutdown();
        return ThrowCoded(env, "IKELB_ERR_NATIVE", error);
      }
    } else {
      napi_value resource;
      napi_create_string_utf8(env, "ikelb.udp.batch", NAPI_AUTO_LENGTH, &resource);
      napi_status st = napi_create_threadsafe_function(env, on_batch_.Value(), nullptr, resource, 0, 1, nullptr,
                                                       nullptr, this, &UdpEngine::CallJs, &tsfn_);
      if (st != napi_ok) {
        Shutdown();
        return ThrowCoded(env, "IKELB_ERR_NATIVE", "cannot create the batch threadsafe function");
      }
      if (!engine_->StartThread(this, &error)) {
        Shutdown();
        return ThrowCoded(env, "IKELB_ERR_NATIVE", error);
      }
    }
    state_ = State::kOpen;
    return env.Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (draining_) {
      close_after_drain_ = true;  // called from a batch callback in event-loop mode
    } else {
      Shutdown();
    }
    return info.Env().Undefined();
  }

  // flush(count): sendmmsg of the staged send-slab records; returns accepted.
  Napi::Value Flush(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (state_ != State::kOpen) return ThrowCoded(env, "IKELB_ERR_UDP_STATE", "the UDP engine is not open");
    uint32_t count = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 0;
    return Napi::Number::New(env, engine_->FlushSend(count));
  }

  Napi::Value Sockets(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env);
    for (size_t i = 0; i < engine_->socket_count(); i++) {
      const net::ListenSpec& spec = engine_->spec(i);
      char text[64] = "";
      inet_ntop(spec.address.family == 4 ? AF_INET : AF_INET6, spec.address.bytes, text, sizeof text);
      Napi::Object s = Napi::Object::New(env);
      s.Set("address", text);
      s.Set("family", spec.address.family);
      s.Set("port", engine_->bound_port(i));
      s.Set("natt", spec.natt);
      out.Set(static_cast<uint32_t>(i), s);
    }
    return out;
  }

  // rotateCookieSecret([secret: 32-byte Uint8Array, tests only])
  Napi::Value RotateCookieSecret(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() > 0 && info[0].IsTypedArray()) {
      Napi::Uint8Array secret = info[0].As<Napi::Uint8Array>();
      if (secret.ByteLength() != net::kCookieSecretSize) {
        return ThrowCoded(env, "IKELB_ERR_UDP_ARGUMENT", "a cookie secret has 32 octets");
      }
      engine_->cookies().RotateTo(secret.Data());
    } else if (!engine_->cookies().Rotate()) {
      return ThrowCoded(env, "IKELB_ERR_NATIVE", "the random generator failed; cookie secret not rotated");
    }
    return Napi::Number::New(env, engine_->cookies().version());
  }

  Napi::Value CookieVersion(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), engine_->cookies().version());
  }

  Napi::Value Ref(const Napi::CallbackInfo& info) {
    SetRef(true);
    return info.Env().Undefined();
  }
  Napi::Value Unref(const Napi::CallbackInfo& info) {
    SetRef(false);
    return info.Env().Undefined();
  }

  Napi::Value Buffers(const Napi::CallbackInfo& info) { return buffers_.Value(); }

  void SetRef(bool ref) {
    referenced_ = ref;
    if (tsfn_ != nullptr) {
      if (ref) napi_ref_threadsafe_function(env_, tsfn_);
      else napi_unref_threadsafe_function(env_, tsfn_);
    }
    for (Poll* p : polls_) {
      if (ref) uv_ref(reinterpret_cast<uv_handle_t*>(&p->handle));
      else uv_unref(reinterpret_cast<uv_handle_t*>(&p->handle));
    }
  }

  // --- thread mode ---------------------------------------------------------

  // I/O thread: hand a segment to the JS thread. Segment and count travel in
  // the data pointer itself, so queuing a batch allocates nothing of ours.
  bool Deliver(uint32_t segment, uint32_t count) override {
    if (event_loop_mode_) return DeliverNow(segment, count);
    uintptr_t packed = (uintptr_t{segment} << 32) | count;
    return napi_call_threadsafe_function(tsfn_, reinterpret_cast<void*>(packed), napi_tsfn_nonblocking) == napi_ok;
  }

  static void CallJs(napi_env env, napi_value js_cb, void* context, void* data) {
    if (env == nullptr) return;  // torn down: the segment dies with the engine
    auto* self = static_cast<UdpEngine*>(context);
    auto packed = reinterpret_cast<uintptr_t>(data);
    uint32_t segment = static_cast<uint32_t>(packed >> 32);
    uint32_t count = static_cast<uint32_t>(packed & 0xffffffffu);
    self->RunBatch(env, js_cb, segment, count, /*make_callback=*/false);
  }

  // JS thread: one callback per batch, then the segment is free again and
  // whatever the callback staged for sending leaves in one sendmmsg.
  void RunBatch(napi_env env, napi_value js_cb, uint32_t segment, uint32_t count, bool make_callback) {
    if (state_ != State::kOpen) return;
    net::Bump(shared_->counters, net::Counter::js_batches);
    napi_value argv[2];
    napi_create_uint32(env, segment, &argv[0]);
    napi_create_uint32(env, count, &argv[1]);
    napi_value global;
    napi_get_global(env, &global);
    napi_value result;
    napi_status st;
    if (make_callback) {
      st = napi_make_callback(env, async_context_, global, js_cb, 2, argv, &result);
    } else {
      st = napi_call_function(env, global, js_cb, 2, argv, &result);
    }
    if (engine_) engine_->ReleaseFromJs(segment);
    FlushPending();
    if (st == napi_pending_exception && make_callback) {
      napi_value err;
      napi_get_and_clear_last_exception(env, &err);
      napi_fatal_exception(env, err);
    }
  }

  void FlushPending() {
    if (state_ != State::kOpen || !engine_) return;
    uint32_t* control = shared_->control;
    uint32_t pending = std::atomic_ref<uint32_t>(control[net::kControlSendPending]).load(std::memory_order_relaxed);
    if (pending == 0) return;
    engine_->FlushSend(pending);
    std::atomic_ref<uint32_t>(control[net::kControlSendPending]).store(0, std::memory_order_relaxed);
    std::atomic_ref<uint32_t>(control[net::kControlSendBytes]).store(0, std::memory_order_relaxed);
  }

  // --- event-loop mode -----------------------------------------------------

  struct Poll {
    uv_poll_t handle;
    UdpEngine* owner;
    size_t index;
  };

  bool StartPolling(Napi::Env env, std::string* error) {
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      *error = "cannot reach the libuv loop";
      return false;
    }
    napi_value resource;
    napi_create_string_utf8(env, "ikelb.udp.batch", NAPI_AUTO_LENGTH, &resource);
    if (napi_async_init(env, nullptr, resource, &async_context_) != napi_ok) {
      *error = "cannot create the async context";
      return false;
    }
    for (size_t i = 0; i < engine_->socket_count(); i++) {
      auto* p = new Poll{};
      p->owner = this;
      p->index = i;
      if (uv_poll_init_socket(loop, &p->handle, engine_->socket_fd(i)) != 0) {
        delete p;
        *error = "cannot poll an IKE socket";
        return false;
      }
      p->handle.data = p;
      polls_.push_back(p);
      uv_poll_start(&p->handle, UV_READABLE, &UdpEngine::OnReadable);
    }
    return true;
  }

  static void OnReadable(uv_poll_t* handle, int status, int events) {
    auto* p = static_cast<Poll*>(handle->data);
    UdpEngine* self = p->owner;
    if (self == nullptr || status < 0 || self->state_ != State::kOpen) return;
    Napi::HandleScope scope(self->env_);
    self->draining_ = true;
    self->engine_->Drain(p->index, self, kEventLoopBatchesPerPoll);
    self->draining_ = false;
    if (self->close_after_drain_) self->Shutdown();
  }

  bool DeliverNow(uint32_t segment, uint32_t count) {
    napi_handle_scope scope;
    napi_open_handle_scope(env_, &scope);
    RunBatch(env_, on_batch_.Value(), segment, count, /*make_callback=*/true);
    napi_close_handle_scope(env_, scope);
    return true;
  }

  // --- teardown ------------------------------------------------------------

  void Shutdown() {
    if (state_ == State::kClosed) return;
    FlushPending();  // what TypeScript staged before closing still leaves
    state_ = State::kClosed;
    for (Poll* p : polls_) {
      p->owner = nullptr;
      uv_poll_stop(&p->handle);
      uv_close(reinterpret_cast<uv_handle_t*>(&p->handle), [](uv_handle_t* h) { delete static_cast<Poll*>(h->data); });
    }
    polls_.clear();
    if (engine_) engine_->Close();  // joins the I/O thread, closes the sockets
    if (tsfn_ != nullptr) {
      napi_release_threadsafe_function(tsfn_, napi_tsfn_abort);
      tsfn_ = nullptr;
    }
    if (async_context_ != nullptr && env_ != nullptr) {
      napi_async_destroy(env_, async_context_);
      async_context_ = nullptr;
    }
  }

  enum class State { kNew, kOpen, kClosed };

  State state_ = State::kNew;
  std::shared_ptr<SharedArea> shared_;
  std::unique_ptr<Engine> engine_;
  Napi::FunctionReference on_batch_;
  Napi::ObjectReference buffers_;
  napi_env env_ = nullptr;
  napi_threadsafe_function tsfn_ = nullptr;
  napi_async_context async_context_ = nullptr;
  std::vector<Poll*> polls_;
  bool event_loop_mode_ = false;
  bool draining_ = false;
  bool close_after_drain_ = false;
  bool referenced_ = true;
};

Napi::Object Names(Napi::Env env, const char* const* names, size_t count) {
  Napi::Array out = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; i++) out.Set(static_cast<uint32_t>(i), names[i]);
  return out;
}

// Every size, offset and index TypeScript uses, exported once from here.
Napi::Object Layout(Napi::Env env) {
  using namespace net;
  Napi::Object l = Napi::Object::New(env);

  Napi::Object meta = Napi::Object::New(env);
  meta.Set("words", static_cast<uint32_t>(kMetaWords));
  meta.Set("offset", static_cast<uint32_t>(kMetaOffset));
  meta.Set("length", static_cast<uint32_t>(kMetaLength));
  meta.Set("socket", static_cast<uint32_t>(kMetaSocket));
  meta.Set("flags", static_cast<uint32_t>(kMetaFlags));
  meta.Set("remotePort", static_cast<uint32_t>(kMetaRemotePort));
  meta.Set("localPort", static_cast<uint32_t>(kMetaLocalPort));
  meta.Set("ifindex", static_cast<uint32_t>(kMetaIfindex));
  meta.Set("remoteAddress", static_cast<uint32_t>(kMetaRemoteAddress));
  meta.Set("localAddress", static_cast<uint32_t>(kMetaLocalAddress));
  meta.Set("flagNatT", kMetaFlagNatT);
  meta.Set("flagIpv6", kMetaFlagIpv6);
  l.Set("meta", meta);

  Napi::Object seg = Napi::Object::New(env);
  seg.Set("count", kSegments);
  seg.Set("stride", static_cast<uint32_t>(sizeof(Segment)));
  seg.Set("dataBytes", kSegmentDataBytes);
  seg.Set("records", kSegmentRecords);
  seg.Set("offsetof_meta", static_cast<uint32_t>(offsetof(Segment, meta)));
  l.Set("segment", seg);

  Napi::Object control = Napi::Object::New(env);
  control.Set("words", static_cast<uint32_t>(kControlWords));
  control.Set("redirectInit", static_cast<uint32_t>(kControlRedirectInit));
  control.Set("cookieThreshold", static_cast<uint32_t>(kControlCookieThreshold));
  control.Set("halfOpen", static_cast<uint32_t>(kControlHalfOpen));
  control.Set("sendPending", static_cast<uint32_t>(kControlSendPending));
  control.Set("sendBytes", static_cast<uint32_t>(kControlSendBytes));
  control.Set("cookieNever", kCookieNever);
  l.Set("control", control);

  static const char* const kCounterNames[] = {
#define IKELB_X(name, help) #name,
      IKELB_NET_COUNTERS(IKELB_X)
#undef IKELB_X
  };
  static const char* const kCounterHelp[] = {
#define IKELB_X(name, help) help,
      IKELB_NET_COUNTERS(IKELB_X)
#undef IKELB_X
  };
  static const char* const kDropNames[] = {
#define IKELB_X(name, help) #name,
      IKELB_NET_DROP_REASONS(IKELB_X)
#undef IKELB_X
  };
  static const char* const kDropHelp[] = {
#define IKELB_X(name, help) help,
      IKELB_NET_DROP_REASONS(IKELB_X)
#undef IKELB_X
  };
  Napi::Object counters = Napi::Object::New(env);
  counters.Set("names", Names(env, kCounterNames, kCounterCount));
  counters.Set("help", Names(env, kCounterHelp, kCounterCount));
  counters.Set("dropNames", Names(env, kDropNames, kDropReasonCount));
  counters.Set("dropHelp", Names(env, kDropHelp, kDropReasonCount));
  counters.Set("offsetof_value", static_cast<uint32_t>(offsetof(CounterBlock, value)));
  counters.Set("offsetof_drops", static_cast<uint32_t>(offsetof(CounterBlock, drops)));
  counters.Set("offsetof_redirects_to", static_cast<uint32_t>(offsetof(CounterBlock, redirects_to)));
  counters.Set("bytes", static_cast<uint32_t>(sizeof(CounterBlock)));
  l.Set("counters", counters);

  Napi::Object targets = Napi::Object::New(env);
  targets.Set("max", static_cast<uint32_t>(kMaxTargets));
  targets.Set("offsetof_seq", static_cast<uint32_t>(offsetof(TargetTableShared, seq)));
  targets.Set("offsetof_slots", static_cast<uint32_t>(offsetof(TargetTableShared, slots)));
  targets.Set("offsetof_rows", static_cast<uint32_t>(offsetof(TargetTableShared, rows)));
  targets.Set("rowBytes", static_cast<uint32_t>(sizeof(TargetRow)));
  targets.Set("offsetof_address", static_cast<uint32_t>(offsetof(TargetRow, address)));
  targets.Set("offsetof_family", static_cast<uint32_t>(offsetof(TargetRow, family)));
  targets.Set("offsetof_flags", static_cast<uint32_t>(offsetof(TargetRow, flags)));
  targets.Set("offsetof_id", static_cast<uint32_t>(offsetof(TargetRow, id)));
  targets.Set("offsetof_report", static_cast<uint32_t>(offsetof(TargetRow, report)));
  targets.Set("offsetof_rank", static_cast<uint32_t>(offsetof(TargetRow, rank)));
  targets.Set("offsetof_score", static_cast<uint32_t>(offsetof(TargetRow, score)));
  targets.Set("offsetof_per_session", static_cast<uint32_t>(offsetof(TargetRow, per_session)));
  targets.Set("offsetof_capacity", static_cast<uint32_t>(offsetof(TargetRow, capacity)));
  targets.Set("offsetof_limit", static_cast<uint32_t>(offsetof(TargetRow, limit)));
  targets.Set("flagEligible", kTargetEligible);
  targets.Set("flagLocal", kTargetLocal);
  targets.Set("offsetof_since_report", static_cast<uint32_t>(offsetof(TargetProjection, since_report)));
  targets.Set("offsetof_snapshot_seq", static_cast<uint32_t>(offsetof(TargetProjection, snapshot_seq)));
  l.Set("targets", targets);

  Napi::Object cookie = Napi::Object::New(env);
  cookie.Set("bytes", static_cast<uint32_t>(kCookieSize));
  cookie.Set("secretBytes", static_cast<uint32_t>(kCookieSecretSize));
  l.Set("cookie", cookie);
  return l;
}

}  // namespace

void RegisterUdp(Napi::Env env, Napi::Object exports) {
  Napi::Object udp = Napi::Object::New(env);
  udp.Set("UdpEngine", UdpEngine::Define(env));
  udp.Set("layout", Layout(env));
  exports.Set("udp", udp);
}

}  // namespace ikelb::napi
