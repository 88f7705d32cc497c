// The UDP engine: owns the IKE sockets, receives with recvmmsg in batches,
// runs the fast path on every datagram, sends the fast path's answers with one
// sendmmsg per batch, and hands everything else to TypeScript in receive-slab
// segments (shared_layout.h). Plain C++: the N-API glue (native/napi/udp.cc)
// implements BatchSink and decides which thread drains the sockets:
//   dedicated mode  RunThread(): an I/O thread blocks in epoll_wait and drains;
//                   the JS thread only sees batches bound for TypeScript.
//   event-loop mode the glue polls the fds with libuv and calls Drain() on the
//                   JS thread.
#pragma once
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/address.h"
#include "net/cookie.h"
#include "net/counters.h"
#include "net/fast_path.h"
#include "net/shared_layout.h"
#include "net/target_table.h"
#include "net/udp_socket.h"

namespace ikelb::net {

// Everything TypeScript can see, in one allocation.
struct alignas(4096) SharedArea {
  CounterBlock counters;
  TargetProjection projection;
  alignas(64) uint32_t control[kControlWords];
  TargetTableShared targets;
  alignas(64) uint32_t segment_state[kSegments];
  Segment receive[kSegments];
  Segment send;
};

// Receives full segments. Deliver runs on the draining thread; the segment
// stays QUEUED until ReleaseSegment() is called (by the JS thread).
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // False if the segment could not be handed over (it is released again).
  virtual bool Deliver(uint32_t segment, uint32_t count) = 0;
};

// ESP (non-zero first 4 octets on a NAT-T socket, RFC 3948 §2.2) goes to the
// data plane through this hook, on the draining thread. Without a hook ESP is
// dropped and counted (drops.esp_unhandled).
class EspHook {
 public:
  virtual ~EspHook() = default;
  virtual void OnEsp(const uint8_t* data, size_t len, const Address& remote, uint16_t remote_port,
                     const Address& local, uint32_t socket) = 0;
};

struct EngineOptions {
  std::vector<ListenSpec> listen;
  SocketBuffers buffers;
  uint32_t batch = 64;        // datagrams per recvmmsg / sendmmsg
  bool fast_path = true;      // false: every IKE datagram goes to TypeScript
  // Niceness of the I/O thread (dedicated mode). Negative gives it more CFS
  // weight than the JS thread, so on a shared core a woken I/O thread
  // preempts JS work instead of waiting out its slice; -5 is ~3x the weight,
  // a share, not starvation. Needs CAP_SYS_NICE; ignored without it.
  int io_thread_nice = -5;
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<SharedArea> shared);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens and binds every socket; on failure closes what it opened.
  bool Open(const EngineOptions& options, std::string* error);

  // Dedicated mode: start / stop the I/O thread.
  bool StartThread(BatchSink* sink, std::string* error);
  void StopThread();

  // Event-loop mode: read socket `index` until it is empty or `max_batches`
  // recvmmsg calls were made, then hand the filled segment to the sink.
  void Drain(size_t index, BatchSink* sink, int max_batches);

  // Stops the thread (if any) and closes every socket. Idempotent.
  void Close();

  // JS thread: sends the records staged in the send slab, grouped by socket,
  // with sendmmsg. Returns how many the kernel accepted.
  uint32_t FlushSend(uint32_t count);

  // JS thread: the batch callback for `segment` returned. Wakes the I/O
  // thread when it holds a filled segment waiting for this one.
  void ReleaseFromJs(uint32_t segment);

  void SetEspHook(EspHook* hook) { esp_hook_ = hook; }

  size_t socket_count() const { return sockets_.size(); }
  int socket_fd(size_t i) const { return sockets_[i].fd; }
  uint16_t bound_port(size_t i) const { return sockets_[i].bound_port; }
  const ListenSpec& spec(size_t i) const { return sockets_[i].spec; }
  bool running() const { return thread_.joinable(); }

  CookieJar& cookies() { return cookies_; }
  SharedArea& shared() { return *shared_; }
  TargetSelector& targets() { return targets_; }

 private:
  struct Socket {
    int fd = -1;
    ListenSpec spec;
    uint16_t bound_port = 0;
    uint32_t last_kernel_drops = 0;
    bool pktinfo = false;  // wildcard bind: the local address comes from pktinfo
  };

  // Preallocated message vectors of one direction.
  struct Vectors {
    std::vector<mmsghdr> msgs;
    std::vector<iovec> iov;
    std::vector<sockaddr_storage> names;
    std::vector<uint8_t> control;
    std::vector<uint8_t> buffers;
    size_t buffer_stride = 0;
    size_t control_stride = 0;
    void Allocate(uint32_t count, size_t buffer_bytes, size_t iov_per_msg, size_t control_bytes);
  };

  void RunLoop(BatchSink* sink);
  // One recvmmsg call on socket `index`; returns the number of datagrams read.
  int ReceiveBatch(size_t index, BatchSink* sink);
  void HandleDatagram(size_t index, uint32_t msg, BatchSink* sink, uint32_t* replies);
  void SendReplies(size_t index, uint32_t replies);
  void PassToJs(size_t index, const uint8_t* data, size_t len, const Address& remote, uint16_t remote_port,
                const Address& local, uint32_t ifindex, BatchSink* sink);
  bool ClaimSegment();
  // Hands the filling segment over unless one is still in flight (then it
  // keeps filling: TypeScript gets fewer, fuller batches when it is busy).
  void DeliverIfIdle(BatchSink* sink);
  void DeliverFilled(BatchSink* sink);
  void ReleaseSegment(uint32_t segment);
  void UpdateKernelDrops(Socket& socket, uint32_t total);

  std::shared_ptr<SharedArea> shared_;
  std::vector<Socket> sockets_;
  EngineOptions options_;
  CookieJar cookies_;
  TargetSelector targets_;
  FastPath fast_path_;
  EspHook* esp_hook_ = nullptr;

  // Receive side (the draining thread).
  Vectors rx_;
  Vectors tx_;
  uint32_t rx_dirty_ = 0;  // receive slots the kernel wrote last time
  int filling_ = -1;  // segment being filled, -1 none
  uint32_t fill_count_ = 0;
  uint32_t fill_bytes_ = 0;
  uint32_t next_segment_ = 0;

  // JS send side (the JS thread).
  Vectors js_tx_;

  // Segments handed to the JS thread and not yet released, and whether the
  // I/O thread holds records waiting for them (Dekker-style handshake, both
  // seq_cst, so a release never misses a waiting filler).
  std::atomic<uint32_t> in_flight_{0};
  std::atomic<bool> waiting_{false};

  std::thread thread_;
  int epoll_fd_ = -1;
  int stop_fd_ = -1;
  int wake_fd_ = -1;
};

}  // namespace ikelb::net
