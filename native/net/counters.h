// Data-plane counters. They live in native memory that TypeScript reads
// through a BigUint64Array view (no native call per read); the names and
// positions are exported from native/napi/udp.cc from the lists below, never
// copied by hand into TypeScript.
//
// Each counter has exactly one writer thread (the I/O thread, or the JS thread
// for the JS-side ones), so a relaxed load + store is enough: readers may see a
// slightly old value, never a torn one (aligned 64-bit words on x86-64/arm64).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ikelb::net {

// X(name, help). Written by the I/O thread unless the help says otherwise.
#define IKELB_NET_COUNTERS(X)                                                        \
  X(datagrams_received, "datagrams read from the IKE sockets")                       \
  X(bytes_received, "bytes read from the IKE sockets")                               \
  X(receive_calls, "recvmmsg calls that returned datagrams")                         \
  X(ike_sa_init_requests, "IKE_SA_INIT requests seen by the fast path")              \
  X(redirects_sent, "IKE_SA_INIT answered with N(REDIRECT) (RFC 5685)")              \
  X(cookies_sent, "IKE_SA_INIT answered with N(COOKIE) (RFC 7296 2.6)")              \
  X(cookies_valid, "IKE_SA_INIT carrying a COOKIE that verified")                    \
  X(served_locally_no_support, "IKE_SA_INIT without REDIRECT_SUPPORTED: served here") \
  X(served_locally_chosen, "IKE_SA_INIT for which this gateway was least loaded")    \
  X(served_locally_no_target, "IKE_SA_INIT with redirect on but no eligible target")  \
  X(served_locally_redirected, "IKE_SA_INIT with REDIRECTED_FROM: redirected once, served here") \
  X(passed_to_js, "datagrams handed to TypeScript")                                  \
  X(js_batches, "TypeScript batch callbacks (JS thread)")                            \
  X(replies_sent, "fast-path answers sent")                                          \
  X(reply_send_errors, "fast-path answers the kernel refused")                       \
  X(js_datagrams_sent, "datagrams sent from TypeScript (JS thread)")                 \
  X(js_send_errors, "datagrams from TypeScript the kernel refused (JS thread)")      \
  X(js_flushes, "sendmmsg flushes of the TypeScript send slab (JS thread)")          \
  X(esp_received, "ESP datagrams on the NAT-T port handed to the ESP hook")          \
  X(natt_keepalives, "NAT-T keepalives (RFC 3948 2.3) received")                     \
  X(kernel_drops, "datagrams the kernel dropped for a full socket buffer")

// X(name, help): why a received datagram was dropped. The codec's decode
// error classes map onto these (fast_path.cc: DropReasonFor).
#define IKELB_NET_DROP_REASONS(X)                                                    \
  X(too_short, "shorter than the IKE header (or the non-ESP marker)")                \
  X(truncated, "larger than the receive buffer")                                    \
  X(bad_header, "IKE header length field does not match the datagram")              \
  X(unsupported_version, "IKE major version other than 2 (IKEv1, RFC 7296 2.5)")     \
  X(bad_payload_chain, "payload lengths do not chain to the end of the message")     \
  X(bad_payload, "a payload body is malformed (nonce size, notify fields)")          \
  X(unsupported_critical, "an unknown payload type marked critical (RFC 7296 2.5)")  \
  X(missing_nonce, "IKE_SA_INIT request without a Nonce payload")                    \
  X(invalid_cookie, "COOKIE did not verify against the current or previous secret")  \
  X(esp_unhandled, "ESP on the NAT-T port while no ESP data plane is attached")      \
  X(js_backlog, "every receive slab was still held by TypeScript")

enum class Counter : uint32_t {
#define IKELB_X(name, help) name,
  IKELB_NET_COUNTERS(IKELB_X)
#undef IKELB_X
      kCount
};

enum class DropReason : uint32_t {
#define IKELB_X(name, help) name,
  IKELB_NET_DROP_REASONS(IKELB_X)
#undef IKELB_X
      kCount
};

constexpr size_t kCounterCount = static_cast<size_t>(Counter::kCount);
constexpr size_t kDropReasonCount = static_cast<size_t>(DropReason::kCount);
// Cisco limits a cluster to 10 nodes; 32 leaves room for static lists.
constexpr size_t kMaxTargets = 32;

// One block, all uint64: JS views it as a BigUint64Array.
struct alignas(64) CounterBlock {
  uint64_t value[kCounterCount];
  uint64_t drops[kDropReasonCount];
  uint64_t redirects_to[kMaxTargets];  // per target-table slot
};

// Single-writer increment: a relaxed load and store, no locked instruction.
[[gnu::always_inline]] inline void Bump(uint64_t& word, uint64_t by = 1) {
  std::atomic_ref<uint64_t> ref(word);
  ref.store(ref.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}
inline void Set(uint64_t& word, uint64_t value) {
  std::atomic_ref<uint64_t>(word).store(value, std::memory_order_relaxed);
}
[[gnu::always_inline]] inline void Bump(CounterBlock& c, Counter which, uint64_t by = 1) {
  Bump(c.value[static_cast<size_t>(which)], by);
}
[[gnu::always_inline]] inline void Bump(CounterBlock& c, DropReason why) {
  Bump(c.drops[static_cast<size_t>(why)]);
}
inline uint64_t Read(const CounterBlock& c, Counter which) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(c.value[static_cast<size_t>(which)]))
      .load(std::memory_order_relaxed);
}

}  // namespace ikelb::net
