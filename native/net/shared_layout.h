// Memory shared between the UDP engine and TypeScript, allocated once per
// engine and exposed as external ArrayBuffers (native/napi/udp.cc). Every
// size, offset and field index here is exported to TypeScript from native
// code; lib/net never hard-codes one.
//
// Receive slab ownership protocol (dedicated I/O thread):
//   The receive slab has kSegments segments; each has a state.
//     FREE     native may claim it (I/O thread: FREE -> FILLING, CAS)
//     FILLING  the I/O thread copies datagrams bound for TypeScript into it
//     QUEUED   handed to the JS thread (threadsafe function), not yet read
//     FREE     set by the JS thread right after the batch callback returned
//   So a segment belongs to TypeScript from the moment its batch callback is
//   called until that callback returns; TypeScript must copy whatever it keeps
//   longer (the IKE state machine copies the message it retains). Native code
//   never writes a segment that is not FREE: when all are QUEUED (JavaScript
//   is behind), datagrams bound for TypeScript are dropped and counted
//   (drops.js_backlog) while the fast path keeps answering.
//   In event-loop mode the batch callback runs synchronously inside the poll
//   callback, so the same rule holds with a single segment in flight.
//
// Send slab: owned by the JS thread. TypeScript stages datagrams (bytes plus a
// metadata record) and calls flush(), or the engine flushes right after a
// batch callback returned; flush() runs sendmmsg synchronously, so the slab is
// free again when it returns.
#pragma once
#include <cstddef>
#include <cstdint>

namespace ikelb::net {

// Metadata record of one datagram: kMetaWords uint32 words (64 bytes). The
// same layout is used for received and for staged-to-send datagrams.
enum MetaField : uint32_t {
  kMetaOffset = 0,      // datagram offset in the segment's data area
  kMetaLength = 1,      // datagram length (non-ESP marker already stripped)
  kMetaSocket = 2,      // index of the engine socket it arrived on / leaves by
  kMetaFlags = 3,       // kMetaFlag* bits
  kMetaRemotePort = 4,  // host order
  kMetaLocalPort = 5,   // host order
  kMetaIfindex = 6,     // interface it arrived on (IPv6 link-local replies)
  kMetaReserved = 7,
  kMetaRemoteAddress = 8,   // 16 bytes, network order; IPv4 in the first 4
  kMetaLocalAddress = 12,   // 16 bytes: the address the request was sent to
  kMetaWords = 16,
};
constexpr uint32_t kMetaFlagNatT = 1u << 0;  // NAT-T socket: marker stripped / added
constexpr uint32_t kMetaFlagIpv6 = 1u << 1;

constexpr uint32_t kSegments = 8;
constexpr uint32_t kSegmentDataBytes = 256 * 1024;
constexpr uint32_t kSegmentRecords = 256;
constexpr uint32_t kSegmentMetaBytes = kSegmentRecords * kMetaWords * 4;

enum SegmentState : uint32_t { kSegmentFree = 0, kSegmentFilling = 1, kSegmentQueued = 2 };

struct alignas(64) Segment {
  uint8_t data[kSegmentDataBytes];
  uint32_t meta[kSegmentRecords * kMetaWords];
};

// Words TypeScript writes (Atomics.store) and the fast path reads.
enum ControlWord : uint32_t {
  kControlRedirectInit = 0,     // 1: `crypto ikev2 redirect gateway init`
  kControlCookieThreshold = 1,  // half-open SAs at which cookies are demanded;
                                // 0 = always, 0xffffffff = never
  kControlHalfOpen = 2,         // half-open IKE SAs, reported by the gateway
  kControlSendPending = 3,      // records staged in the send slab (JS thread)
  kControlSendBytes = 4,        // bytes used in the send slab (JS thread)
  kControlWords = 16,
};
constexpr uint32_t kCookieNever = 0xffffffffu;

}  // namespace ikelb::net
