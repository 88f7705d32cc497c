// Linux I/O for HSRP: a packet socket on a named interface (multicast hellos
// from the virtual MAC, gratuitous ARP, a BPF filter on receive), a UDP
// socket for the unicast-peers mode, rtnetlink for the virtual IP address and
// link state. No N-API here: the glue (native/napi/hsrp.cc) polls the file
// descriptors on the Node event loop.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace ikelb::hsrp {

// One received datagram in the shared receive slab. JavaScript reads these
// fields at the offsets exported by the glue (offsetof), never hard-coded.
inline constexpr size_t kSlotPayload = 256;
inline constexpr size_t kSlots = 32;  // datagrams read per wake-up at most
struct Slot {
  uint32_t length;     // payload octets (0..kSlotPayload)
  uint32_t src_ip;     // host order
  uint32_t dst_ip;     // host order (0 when unknown)
  uint16_t src_port;
  uint8_t ttl;         // 0 when unknown
  uint8_t reserved;
  uint8_t src_mac[6];  // zeros on a UDP socket
  uint8_t reserved2[2];
  uint8_t payload[kSlotPayload];
};

// Native counters, read by JavaScript through a Float64Array view.
struct IoCounters {
  double rx_datagrams;    // delivered to JavaScript
  double rx_bad_frames;   // Ethernet/IP/UDP framing errors (dropped)
  double rx_oversize;     // payload longer than a slot (dropped)
  double rx_errors;       // recv() failures other than EAGAIN
  double tx_datagrams;
  double tx_errors;
  double tx_arps;
  double wakeups;         // poll callbacks (batches)
};

struct LinkInfo {
  int ifindex = 0;
  uint8_t mac[6] = {};
  bool up = false;       // IFF_UP
  bool running = false;  // IFF_RUNNING (carrier and operstate up)
  uint32_t ipv4 = 0;     // primary address, host order; 0 when none
  uint32_t ipv4_mask = 0;
};

// Returns 0 or an errno.
int QueryLink(const char* ifname, LinkInfo& out);

// A packet socket bound to one interface that receives only UDP datagrams to
// `group`:`port` (classic BPF in the kernel) and sends whole Ethernet frames.
// The group's multicast MAC is added to the interface's filter (no IGMP needed
// for 224.0.0.x link-local groups).
class PacketChannel {
 public:
  int Open(int ifindex, uint32_t group, uint16_t port);  // 0 or errno
  // Sends only (gratuitous ARP): bound with protocol 0, so nothing is ever queued to it.
  int OpenSendOnly(int ifindex);
  int fd() const { return fd_; }
  // Reads up to max datagrams into slots; returns how many (0 when none).
  size_t Receive(Slot* slots, size_t max, IoCounters& counters);
  int SendFrame(std::span<const uint8_t> frame, IoCounters& counters);  // 0 or errno
  void Close();
  ~PacketChannel() { Close(); }

 private:
  int fd_ = -1;
  int ifindex_ = 0;
};

// A UDP socket for unicast peers (clouds, the loopback demo): no privileges.
class UdpChannel {
 public:
  int Open(uint32_t local_ip, uint16_t port, uint8_t ttl, const char* bind_device);  // 0 or errno
  int fd() const { return fd_; }
  size_t Receive(Slot* slots, size_t max, IoCounters& counters);
  int SendTo(uint32_t ip, uint16_t port, std::span<const uint8_t> payload, IoCounters& counters);
  void Close();
  ~UdpChannel() { Close(); }

 private:
  int fd_ = -1;
};

// rtnetlink: add (or refresh) and delete an IPv4 address. A non-zero
// lifetime_s makes the kernel drop the address by itself when it is not
// refreshed in time (the "VIP lease": a crashed daemon leaves no VIP behind).
int AddAddress(int ifindex, uint32_t ip, uint8_t prefix, uint32_t lifetime_s);
int DeleteAddress(int ifindex, uint32_t ip, uint8_t prefix);

// Link state changes (RTMGRP_LINK) for one interface index.
class LinkWatch {
 public:
  int Open();  // 0 or errno
  int fd() const { return fd_; }
  // Drains pending notifications; returns true when `ifindex` changed, with its flags.
  bool Read(int ifindex, bool& up, bool& running, bool& deleted);
  void Close();
  ~LinkWatch() { Close(); }

 private:
  int fd_ = -1;
};

}  // namespace ikelb::hsrp
