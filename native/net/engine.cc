#include "net/engine.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ikelb::net {

namespace {

// RFC 3948 §2.2: IKE on the NAT-T port is preceded by four zero octets.
const uint8_t kNonEspMarker[4] = {0, 0, 0, 0};
// RFC 3948 §2.3: a NAT-keepalive is a single 0xFF octet.
constexpr uint8_t kNatKeepalive = 0xff;

// Receive slots hold the largest UDP payload. The stride is not a power of
// two so the headers of a batch do not all land in the same cache set.
constexpr size_t kReceiveSlotBytes = 65536 + 192;
constexpr size_t kReceiveControlBytes =
    CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(in_pktinfo)) + CMSG_SPACE(sizeof(uint32_t)) + 64;
constexpr size_t kSendControlBytes = CMSG_SPACE(sizeof(in6_pktinfo));

constexpr uint64_t kStopToken = ~uint64_t{0};
constexpr uint64_t kWakeToken = ~uint64_t{0} - 1;
constexpr int kMaxEvents = 16;
// recvmmsg calls per socket per wake-up in dedicated mode: bounded so one
// flooded socket cannot starve the others.
constexpr int kBatchesPerWake = 8;

bool IsLinkLocal(const Address& a) { return a.family == 6 && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80; }

// Writes the pktinfo cmsg that makes the kernel send from `local`; returns
// the control length (0 = let the kernel choose).
size_t WriteSourceControl(const Address& local, uint32_t ifindex, uint8_t* buffer, size_t capacity) {
  if (local.family == 0 || local.unspecified()) return 0;
  msghdr fake{};
  fake.msg_control = buffer;
  fake.msg_controllen = capacity;
  cmsghdr* c = CMSG_FIRSTHDR(&fake);
  if (local.family == 4) {
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
    in_pktinfo info{};
    std::memcpy(&info.ipi_spec_dst, local.bytes, 4);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    return CMSG_SPACE(sizeof(in_pktinfo));
  }
  c->cmsg_level = IPPROTO_IPV6;
  c->cmsg_type = IPV6_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
  in6_pktinfo info{};
  std::memcpy(&info.ipi6_addr, local.bytes, 16);
  // Only a link-local source needs the interface; forcing it for a global
  // address would defeat routing.
  info.ipi6_ifindex = IsLinkLocal(local) ? ifindex : 0;
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return CMSG_SPACE(sizeof(in6_pktinfo));
}

void StoreAddress(uint32_t* meta, uint32_t field, const Address& a) {
  std::memcpy(meta + field, a.bytes, 16);
}

}  // namespace

void Engine::Vectors::Allocate(uint32_t count, size_t buffer_bytes, size_t iov_per_msg, size_t control_bytes) {
  msgs.assign(count, mmsghdr{});
  iov.assign(size_t{count} * iov_per_msg, iovec{});
  names.assign(count, sockaddr_storage{});
  control_stride = control_bytes;
  control.assign(size_t{count} * control_bytes, 0);
  buffer_stride = buffer_bytes;
  buffers.assign(size_t{count} * buffer_bytes, 0);
}

Engine::Engine(std::shared_ptr<SharedArea> shared)
    : shared_(std::move(shared)),
      targets_(&shared_->targets, &shared_->projection, &shared_->counters),
      fast_path_(shared_->control, &shared_->counters, &cookies_, &targets_) {}

Engine::~Engine() { Close(); }

bool Engine::Open(const EngineOptions& options, std::string* error) {
  options_ = options;
  if (options_.batch == 0) options_.batch = 1;
  if (options_.batch > 1024) options_.batch = 1024;
  if (!cookies_.Seed()) {
    *error = "cannot seed the cookie secret from the random generator";
    return false;
  }
  for (const ListenSpec& spec : options_.listen) {
    Socket s;
    s.spec = spec;
    s.fd = OpenUdpSocket(spec, options_.buffers, &s.bound_port, error);
    s.pktinfo = spec.address.unspecified();
    if (s.fd < 0) {
      Close();
      return false;
    }
    sockets_.push_back(s);
  }
  rx_.Allocate(options_.batch, kReceiveSlotBytes, 1, kReceiveControlBytes);
  tx_.Allocate(options_.batch, kReplyCapacity, 2, kSendControlBytes);
  js_tx_.Allocate(kSegmentRecords, 0, 2, kSendControlBytes);
  for (uint32_t i = 0; i < options_.batch; i++) {
    rx_.iov[i].iov_base = rx_.buffers.data() + i * rx_.buffer_stride;
    rx_.iov[i].iov_len = rx_.buffer_stride;
    msghdr& h = rx_.msgs[i].msg_hdr;
    h.msg_iov = &rx_.iov[i];
    h.msg_iovlen = 1;
    h.msg_name = &rx_.names[i];
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_control = rx_.control.data() + i * rx_.control_stride;
    h.msg_controllen = rx_.control_stride;
  }
  for (uint32_t i = 0; i < options_.batch; i++) tx_.msgs[i].msg_hdr.msg_iov = &tx_.iov[i * 2];
  rx_dirty_ = 0;
  return true;
}

bool Engine::StartThread(BatchSink* sink, std::string* error) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || stop_fd_ < 0 || wake_fd_ < 0) {
    *error = std::string("cannot create the engine's epoll set: ") + std::strerror(errno);
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kStopToken;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &ev);
  ev.data.u64 = kWakeToken;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  for (size_t i = 0; i < sockets_.size(); i++) {
    ev.data.u64 = i;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, sockets_[i].fd, &ev) != 0) {
      *error = std::string("cannot watch an IKE socket: ") + std::strerror(errno);
      return false;
    }
  }
  thread_ = std::thread([this, sink] {
    pthread_setname_np(pthread_self(), "ikelb-udp");
    if (options_.io_thread_nice != 0) {
      // Per-thread on Linux: setpriority on the thread id. EPERM is fine.
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options_.io_thread_nice);
    }
    RunLoop(sink);
  });
  return true;
}

void Engine::StopThread() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    ssize_t written = write(stop_fd_, &one, sizeof one);
    (void)written;
    thread_.join();
  }
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
  epoll_fd_ = stop_fd_ = wake_fd_ = -1;
}

void Engine::Close() {
  StopThread();
  for (Socket& s : sockets_) {
    if (s.fd >= 0) close(s.fd);
    s.fd = -1;
  }
  sockets_.clear();
}

void Engine::RunLoop(BatchSink* sink) {
  epoll_event events[kMaxEvents];
  for (;;) {
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int e = 0; e < n; e++) {
      if (events[e].data.u64 == kStopToken) return;
      if (events[e].data.u64 == kWakeToken) {
        uint64_t drained;
        ssize_t got = read(wake_fd_, &drained, sizeof drained);
        (void)got;
        continue;
      }
      size_t index = static_cast<size_t>(events[e].data.u64);
      for (int b = 0; b < kBatchesPerWake; b++) {
        if (ReceiveBatch(index, sink) < static_cast<int>(options_.batch)) break;
      }
    }
    DeliverIfIdle(sink);
  }
}

void Engine::Drain(size_t index, BatchSink* sink, int max_batches) {
  if (index >= sockets_.size() || sockets_[index].fd < 0) return;
  for (int b = 0; b < max_batches; b++) {
    if (ReceiveBatch(index, sink) < static_cast<int>(options_.batch)) break;
  }
  DeliverIfIdle(sink);
}

int Engine::ReceiveBatch(size_t index, BatchSink* sink) {
  Socket& socket = sockets_[index];
  const uint32_t batch = options_.batch;
  // The kernel rewrote the lengths of the slots it filled last time only.
  for (uint32_t i = 0; i < rx_dirty_; i++) {
    msghdr& h = rx_.msgs[i].msg_hdr;
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_controllen = rx_.control_stride;
  }
  int n = recvmmsg(socket.fd, rx_.msgs.data(), batch, MSG_DONTWAIT, nullptr);
  rx_dirty_ = n > 0 ? static_cast<uint32_t>(n) : 0;
  if (n <= 0) return 0;
  uint64_t bytes = 0;
  uint32_t replies = 0;
  const mmsghdr* msgs = rx_.msgs.data();
  for (int i = 0; i < n; i++) {
    bytes += msgs[i].msg_len;
    HandleDatagram(index, static_cast<uint32_t>(i), sink, &replies);
  }
  // Counters of the batch once per batch.
  CounterBlock& c = shared_->counters;
  Bump(c, Counter::receive_calls);
  Bump(c, Counter::datagrams_received, static_cast<uint64_t>(n));
  Bump(c, Counter::bytes_received, bytes);
  if (replies > 0) SendReplies(index, replies);
  return n;
}

void Engine::HandleDatagram(size_t index, uint32_t msg, BatchSink* sink, uint32_t* replies) {
  Socket& socket = sockets_[index];
  CounterBlock& c = shared_->counters;
  mmsghdr& m = rx_.msgs[msg];
  size_t len = m.msg_len;
  const uint8_t* data = rx_.buffers.data() + msg * rx_.buffer_stride;

  Address local = socket.spec.address;
  uint32_t ifindex = 0;
  // Without pktinfo (a bound address) the only cmsg is SO_RXQ_OVFL, sent by
  // the kernel only once it dropped something.
  for (cmsghdr* cm = m.msg_hdr.msg_controllen > 0 ? CMSG_FIRSTHDR(&m.msg_hdr) : nullptr; cm != nullptr;
       cm = CMSG_NXTHDR(&m.msg_hdr, cm)) {
    if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      std::memcpy(&info, CMSG_DATA(cm), sizeof info);
      std::memcpy(local.bytes, &info.ipi_addr, 4);
      ifindex = static_cast<uint32_t>(info.ipi_ifindex);
    } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      std::memcpy(&info, CMSG_DATA(cm), sizeof info);
      std::memcpy(local.bytes, &info.ipi6_addr, 16);
      ifindex = info.ipi6_ifindex;
    } else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
      uint32_t total;
      std::memcpy(&total, CMSG_DATA(cm), sizeof total);
      UpdateKernelDrops(socket, total);
    }
  }
  if (m.msg_hdr.msg_flags & MSG_TRUNC) {
    Bump(c, DropReason::truncated);
    return;
  }
  Address remote;
  uint16_t remote_port = 0;
  if (!FromSockaddr(rx_.names[msg], m.msg_hdr.msg_namelen, &remote, &remote_port)) {
    Bump(c, DropReason::too_short);
    return;
  }

  if (socket.spec.natt) {
    if (len == 1 && data[0] == kNatKeepalive) {
      Bump(c, Counter::natt_keepalives);
      return;
    }
    if (len < sizeof kNonEspMarker) {
      Bump(c, DropReason::too_short);
      return;
    }
    if (std::memcmp(data, kNonEspMarker, sizeof kNonEspMarker) != 0) {
      if (esp_hook_ != nullptr) {
        Bump(c, Counter::esp_received);
        esp_hook_->OnEsp(data, len, remote, remote_port, local, static_cast<uint32_t>(index));
      } else {
        Bump(c, DropReason::esp_unhandled);
      }
      return;
    }
    data += sizeof kNonEspMarker;
    len -= sizeof kNonEspMarker;
  }

  if (!options_.fast_path) {
    PassToJs(index, data, len, remote, remote_port, local, ifindex, sink);
    return;
  }
  uint32_t slot = *replies;
  uint8_t* reply = tx_.buffers.data() + slot * tx_.buffer_stride;
  FastPathResult result = fast_path_.Process({data, len, &remote, remote_port}, reply, tx_.buffer_stride);
  switch (result.verdict) {
    case Verdict::kPass:
      PassToJs(index, data, len, remote, remote_port, local, ifindex, sink);
      return;
    case Verdict::kDrop:
      Bump(c, result.reason);
      return;
    case Verdict::kReply:
      break;
  }
  // msg_iov of every send slot points at its two iovecs since Open.
  msghdr& h = tx_.msgs[slot].msg_hdr;
  // The receive vector stays untouched until this batch's sendmmsg: point at
  // the sender's address instead of copying it.
  h.msg_name = &rx_.names[msg];
  h.msg_namelen = m.msg_hdr.msg_namelen;
  iovec* iov = h.msg_iov;
  size_t parts = 0;
  if (socket.spec.natt) iov[parts++] = {const_cast<uint8_t*>(kNonEspMarker), sizeof kNonEspMarker};
  iov[parts++] = {reply, result.reply_len};
  h.msg_iovlen = parts;
  h.msg_control = nullptr;
  h.msg_controllen = 0;
  if (socket.pktinfo) {  // a bound socket answers from its address anyway
    uint8_t* control = tx_.control.data() + slot * tx_.control_stride;
    size_t control_len = WriteSourceControl(local, ifindex, control, tx_.control_stride);
    h.msg_control = control_len ? control : nullptr;
    h.msg_controllen = control_len;
  }
  *replies = slot + 1;
}

void Engine::SendReplies(size_t index, uint32_t replies) {
  CounterBlock& c = shared_->counters;
  uint32_t done = 0;
  while (done < replies) {
    int sent = sendmmsg(sockets_[index].fd, tx_.msgs.data() + done, replies - done, MSG_DONTWAIT);
    if (sent > 0) {
      done += static_cast<uint32_t>(sent);
      Bump(c, Counter::replies_sent, static_cast<uint64_t>(sent));
    } else {
      if (sent < 0 && errno == EINTR) continue;
      Bump(c, Counter::reply_send_errors);  // this one is lost; try the rest
      done++;
    }
  }
}

void Engine::UpdateKernelDrops(Socket& socket, uint32_t total) {
  if (total == socket.last_kernel_drops) return;
  socket.last_kernel_drops = total;
  uint64_t sum = 0;
  for (const Socket& s : sockets_) sum += s.last_kernel_drops;
  Set(shared_->counters.value[static_cast<size_t>(Counter::kernel_drops)], sum);
}

bool Engine::ClaimSegment() {
  for (uint32_t tries = 0; tries < kSegments; tries++) {
    uint32_t s = (next_segment_ + tries) % kSegments;
    std::atomic_ref<uint32_t> state(shared_->segment_state[s]);
    uint32_t expected = kSegmentFree;
    if (state.compare_exchange_strong(expected, kSegmentFilling, std::memory_order_acquire)) {
      filling_ = static_cast<int>(s);
      fill_count_ = 0;
      fill_bytes_ = 0;
      next_segment_ = (s + 1) % kSegments;
      return true;
    }
  }
  return false;
}

void Engine::PassToJs(size_t index, const uint8_t* data, size_t len, const Address& remote, uint16_t remote_port,
                      const Address& local, uint32_t ifindex, BatchSink* sink) {
  CounterBlock& c = shared_->counters;
  if (filling_ >= 0 && (fill_count_ == kSegmentRecords || fill_bytes_ + len > kSegmentDataBytes)) {
    DeliverFilled(sink);
  }
  if (filling_ < 0 && !ClaimSegment()) {
    Bump(c, DropReason::js_backlog);
    return;
  }
  Segment& seg = shared_->receive[filling_];
  std::memcpy(seg.data + fill_bytes_, data, len);
  uint32_t* meta = seg.meta + fill_count_ * kMetaWords;
  std::memset(meta, 0, kMetaWords * 4);
  meta[kMetaOffset] = fill_bytes_;
  meta[kMetaLength] = static_cast<uint32_t>(len);
  meta[kMetaSocket] = static_cast<uint32_t>(index);
  meta[kMetaFlags] = (sockets_[index].spec.natt ? kMetaFlagNatT : 0) | (remote.family == 6 ? kMetaFlagIpv6 : 0);
  meta[kMetaRemotePort] = remote_port;
  meta[kMetaLocalPort] = sockets_[index].bound_port;
  meta[kMetaIfindex] = ifindex;
  StoreAddress(meta, kMetaRemoteAddress, remote);
  StoreAddress(meta, kMetaLocalAddress, local);
  // Keep the next datagram 8-aligned for TypeScript's views.
  fill_bytes_ += static_cast<uint32_t>((len + 7) & ~size_t{7});
  fill_count_++;
  Bump(c, Counter::passed_to_js);
}

void Engine::DeliverIfIdle(BatchSink* sink) {
  if (filling_ < 0 || fill_count_ == 0) return;
  waiting_.store(true);
  if (in_flight_.load() != 0) return;  // ReleaseFromJs will wake us
  waiting_.store(false);
  DeliverFilled(sink);
}

void Engine::ReleaseFromJs(uint32_t segment) {
  ReleaseSegment(segment);
  if (in_flight_.fetch_sub(1) == 1 && waiting_.load() && wake_fd_ >= 0) {
    uint64_t one = 1;
    ssize_t written = write(wake_fd_, &one, sizeof one);
    (void)written;
  }
}

void Engine::DeliverFilled(BatchSink* sink) {
  if (filling_ < 0) return;
  uint32_t segment = static_cast<uint32_t>(filling_);
  uint32_t count = fill_count_;
  filling_ = -1;
  if (count == 0) {
    ReleaseSegment(segment);
    return;
  }
  std::atomic_ref<uint32_t>(shared_->segment_state[segment]).store(kSegmentQueued, std::memory_order_release);
  in_flight_.fetch_add(1);
  if (sink == nullptr || !sink->Deliver(segment, count)) {
    in_flight_.fetch_sub(1);
    ReleaseSegment(segment);
    for (uint32_t i = 0; i < count; i++) Bump(shared_->counters, DropReason::js_backlog);
  }
}

void Engine::ReleaseSegment(uint32_t segment) {
  if (segment >= kSegments) return;
  std::atomic_ref<uint32_t>(shared_->segment_state[segment]).store(kSegmentFree, std::memory_order_release);
}

uint32_t Engine::FlushSend(uint32_t count) {
  CounterBlock& c = shared_->counters;
  if (count > kSegmentRecords) count = kSegmentRecords;
  if (count == 0) return 0;
  Bump(c, Counter::js_flushes);
  Segment& seg = shared_->send;
  uint32_t accepted = 0;
  uint32_t i = 0;
  while (i < count) {
    // One group: consecutive records for the same socket -> one sendmmsg.
    uint32_t socket = seg.meta[i * kMetaWords + kMetaSocket];
    uint32_t group = 0;
    uint32_t errors = 0;
    for (; i < count && seg.meta[i * kMetaWords + kMetaSocket] == socket; i++) {
      const uint32_t* meta = seg.meta + i * kMetaWords;
      uint32_t offset = meta[kMetaOffset];
      uint32_t length = meta[kMetaLength];
      bool v6 = (meta[kMetaFlags] & kMetaFlagIpv6) != 0;
      if (socket >= sockets_.size() || sockets_[socket].fd < 0 || offset > kSegmentDataBytes ||
          length > kSegmentDataBytes - offset || (sockets_[socket].spec.address.family == 6) != v6 ||
          meta[kMetaRemotePort] == 0 || meta[kMetaRemotePort] > 0xffff) {
        errors++;
        continue;
      }
      Address remote;
      remote.family = v6 ? 6 : 4;
      std::memcpy(remote.bytes, meta + kMetaRemoteAddress, 16);
      Address local;
      local.family = remote.family;
      std::memcpy(local.bytes, meta + kMetaLocalAddress, 16);
      msghdr& h = js_tx_.msgs[group].msg_hdr;
      h = msghdr{};
      h.msg_namelen = ToSockaddr(remote, static_cast<uint16_t>(meta[kMetaRemotePort]), &js_tx_.names[group]);
      h.msg_name = &js_tx_.names[group];
      iovec* iov = &js_tx_.iov[group * 2];
      size_t parts = 0;
      if (sockets_[socket].spec.natt) iov[parts++] = {const_cast<uint8_t*>(kNonEspMarker), sizeof kNonEspMarker};
      iov[parts++] = {seg.data + offset, length};
      h.msg_iov = iov;
      h.msg_iovlen = parts;
      uint8_t* control = js_tx_.control.data() + group * js_tx_.control_stride;
      size_t control_len = WriteSourceControl(local, meta[kMetaIfindex], control, js_tx_.control_stride);
      h.msg_control = control_len ? control : nullptr;
      h.msg_controllen = control_len;
      group++;
    }
    uint32_t done = 0;
    while (done < group) {
      int sent = sendmmsg(sockets_[socket].fd, js_tx_.msgs.data() + done, group - done, MSG_DONTWAIT);
      if (sent > 0) {
        done += static_cast<uint32_t>(sent);
        accepted += static_cast<uint32_t>(sent);
      } else {
        if (sent < 0 && errno == EINTR) continue;
        errors++;
        done++;
      }
    }
    if (errors) Bump(c, Counter::js_send_errors, errors);
  }
  Bump(c, Counter::js_datagrams_sent, accepted);
  return accepted;
}

}  // namespace ikelb::net
