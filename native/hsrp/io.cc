#include "hsrp/io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "hsrp/frame.h"

namespace ikelb::hsrp {

int QueryLink(const char* ifname, LinkInfo& out) {
  out = LinkInfo{};
  if (std::strlen(ifname) >= IFNAMSIZ) return ENAMETOOLONG;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  ifreq req{};
  std::strncpy(req.ifr_name, ifname, IFNAMSIZ - 1);
  int err = 0;
  if (ioctl(fd, SIOCGIFINDEX, &req) < 0) {
    err = errno;
  } else {
    out.ifindex = req.ifr_ifindex;
    if (ioctl(fd, SIOCGIFHWADDR, &req) == 0) std::memcpy(out.mac, req.ifr_hwaddr.sa_data, 6);
    if (ioctl(fd, SIOCGIFFLAGS, &req) == 0) {
      out.up = (req.ifr_flags & IFF_UP) != 0;
      out.running = (req.ifr_flags & IFF_RUNNING) != 0;
    }
    if (ioctl(fd, SIOCGIFADDR, &req) == 0) {
      out.ipv4 = ntohl(reinterpret_cast<sockaddr_in*>(&req.ifr_addr)->sin_addr.s_addr);
      if (ioctl(fd, SIOCGIFNETMASK, &req) == 0) {
        out.ipv4_mask = ntohl(reinterpret_cast<sockaddr_in*>(&req.ifr_netmask)->sin_addr.s_addr);
      }
    }
  }
  close(fd);
  return err;
}

// ---------------------------------------------------------------------------
// Packet socket

int PacketChannel::Open(int ifindex, uint32_t group, uint16_t port) {
  Close();
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IP));
  if (fd < 0) return errno;
  // Offsets are into the Ethernet frame (SOCK_RAW keeps the link header).
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),                   // ethertype
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 8),
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),                   // IP protocol
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),                   // flags + fragment offset
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 30),                   // destination address
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, group, 0, 2),
      BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),                  // X = IP header length
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 16),                   // UDP destination port
      // (the jump below is patched in: JEQ port -> accept, else drop)
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0x40000),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  // Fix the forward jumps that land on "drop" (the last instruction).
  const int drop = static_cast<int>(sizeof(code) / sizeof(code[0])) - 1;
  code[1].jf = static_cast<uint8_t>(drop - 2);
  code[3].jf = static_cast<uint8_t>(drop - 4);
  code[5].jt = static_cast<uint8_t>(drop - 6);
  code[7].jf = static_cast<uint8_t>(drop - 8);
  sock_fprog prog{static_cast<unsigned short>(sizeof(code) / sizeof(code[0])), code};
  // Filter before bind, so no unfiltered frame is queued in between.
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_P_IP);
  addr.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  // PACKET_AUXDATA tells us when a checksum is still partial (veth, offload).
  int one = 1;
  setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
  packet_mreq mreq{};
  mreq.mr_ifindex = ifindex;
  mreq.mr_type = PACKET_MR_MULTICAST;
  mreq.mr_alen = 6;
  MulticastMac(group, mreq.mr_address);
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  fd_ = fd;
  ifindex_ = ifindex;
  return 0;
}

int PacketChannel::OpenSendOnly(int ifindex) {
  Close();
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_ll addr{};
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = 0;
  addr.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  fd_ = fd;
  ifindex_ = ifindex;
  return 0;
}

size_t PacketChannel::Receive(Slot* slots, size_t max, IoCounters& counters) {
  size_t n = 0;
  uint8_t frame[1600];
  while (n < max && fd_ >= 0) {
    sockaddr_ll from{};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(tpacket_auxdata))];
    iovec iov{frame, sizeof(frame)};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t got = recvmsg(fd_, &msg, MSG_TRUNC);
    if (got < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) counters.rx_errors++;
      break;
    }
    // Our own hellos come back as PACKET_OUTGOING on a packet socket.
    if (from.sll_pkttype == PACKET_OUTGOING) continue;
    if (static_cast<size_t>(got) > sizeof(frame)) {
      counters.rx_oversize++;
      continue;
    }
    bool checksum_ready = true;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
        tpacket_auxdata aux;
        std::memcpy(&aux, CMSG_DATA(c), sizeof(aux));
        if (aux.tp_status & TP_STATUS_CSUMNOTREADY) checksum_ready = false;
      }
    }
    FrameInfo info;
    if (ParseUdpFrame({frame, static_cast<size_t>(got)}, info, checksum_ready)) {
      counters.rx_bad_frames++;
      continue;
    }
    if (info.payload_length > kSlotPayload) {
      counters.rx_oversize++;
      continue;
    }
    Slot& s = slots[n++];
    s.length = static_cast<uint32_t>(info.payload_length);
    s.src_ip = info.src_ip;
    s.dst_ip = info.dst_ip;
    s.src_port = info.src_port;
    s.ttl = info.ttl;
    std::memcpy(s.src_mac, info.src_mac, 6);
    std::memcpy(s.payload, frame + info.payload_offset, info.payload_length);
    counters.rx_datagrams++;
  }
  return n;
}

int PacketChannel::SendFrame(std::span<const uint8_t> frame, IoCounters& counters) {
  if (fd_ < 0) return EBADF;
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex_;
  to.sll_halen = 6;
  std::memcpy(to.sll_addr, frame.data(), 6);
  ssize_t sent = sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  if (sent < 0) {
    counters.tx_errors++;
    return errno;
  }
  return 0;
}

void PacketChannel::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

// ---------------------------------------------------------------------------
// UDP socket (unicast peers)

int UdpChannel::Open(uint32_t local_ip, uint16_t port, uint8_t ttl, const char* bind_device) {
  Close();
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int one = 1;
  int ttl_value = ttl;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
  if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl_value, sizeof(ttl_value)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  if (bind_device != nullptr && bind_device[0] != '\0') {
    // Needs CAP_NET_RAW; the loopback demo passes no device.
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bind_device, static_cast<socklen_t>(std::strlen(bind_device))) < 0) {
      int err = errno;
      close(fd);
      return err;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(local_ip);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  fd_ = fd;
  return 0;
}

size_t UdpChannel::Receive(Slot* slots, size_t max, IoCounters& counters) {
  size_t n = 0;
  while (n < max && fd_ >= 0) {
    Slot& s = slots[n];
    sockaddr_in from{};
    char control[64];
    iovec iov{s.payload, kSlotPayload};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t got = recvmsg(fd_, &msg, 0);
    if (got < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) counters.rx_errors++;
      break;
    }
    if (msg.msg_flags & MSG_TRUNC) {
      counters.rx_oversize++;
      continue;
    }
    s.length = static_cast<uint32_t>(got);
    s.src_ip = ntohl(from.sin_addr.s_addr);
    s.dst_ip = 0;
    s.src_port = ntohs(from.sin_port);
    s.ttl = 0;
    std::memset(s.src_mac, 0, 6);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
        int ttl = 0;
        std::memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
        s.ttl = static_cast<uint8_t>(ttl);
      }
    }
    counters.rx_datagrams++;
    n++;
  }
  return n;
}

int UdpChannel::SendTo(uint32_t ip, uint16_t port, std::span<const uint8_t> payload, IoCounters& counters) {
  if (fd_ < 0) return EBADF;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(ip);
  if (sendto(fd_, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)) < 0) {
    counters.tx_errors++;
    return errno;
  }
  counters.tx_datagrams++;
  return 0;
}

void UdpChannel::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

// ---------------------------------------------------------------------------
// rtnetlink

namespace {

void AddAttr(nlmsghdr* n, size_t max, uint16_t type, const void* data, size_t len) {
  size_t rta_len = RTA_LENGTH(len);
  if (NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(rta_len) > max) return;
  auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<uint8_t*>(n) + NLMSG_ALIGN(n->nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = static_cast<unsigned short>(rta_len);
  std::memcpy(RTA_DATA(rta), data, len);
  n->nlmsg_len = static_cast<uint32_t>(NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(rta_len));
}

// Sends one request and waits for the kernel's ACK; returns 0 or the errno it carries.
int Transact(nlmsghdr* req) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return errno;
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  req->nlmsg_seq = 1;
  int result = 0;
  if (sendto(fd, req, req->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    result = errno;
  } else {
    alignas(nlmsghdr) uint8_t buf[4096];
    ssize_t got = recv(fd, buf, sizeof(buf), 0);
    if (got < 0) {
      result = errno;
    } else {
      result = EPROTO;
      size_t len = static_cast<size_t>(got);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= NLMSG_LENGTH(sizeof(nlmsgerr))) {
          result = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
          break;
        }
      }
    }
  }
  close(fd);
  return result;
}

int AddressRequest(uint16_t type, uint16_t flags, int ifindex, uint32_t ip, uint8_t prefix, uint32_t lifetime_s) {
  alignas(nlmsghdr) uint8_t buf[256] = {};
  auto* n = reinterpret_cast<nlmsghdr*>(buf);
  n->nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  n->nlmsg_type = type;
  n->nlmsg_flags = flags;
  auto* ifa = reinterpret_cast<ifaddrmsg*>(NLMSG_DATA(n));
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = prefix;
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = static_cast<uint32_t>(ifindex);
  uint32_t be = htonl(ip);
  AddAttr(n, sizeof(buf), IFA_LOCAL, &be, 4);
  AddAttr(n, sizeof(buf), IFA_ADDRESS, &be, 4);
  if (type == RTM_NEWADDR && lifetime_s > 0) {
    ifa_cacheinfo ci{};
    ci.ifa_prefered = lifetime_s;
    ci.ifa_valid = lifetime_s;
    AddAttr(n, sizeof(buf), IFA_CACHEINFO, &ci, sizeof(ci));
  }
  return Transact(n);
}

}  // namespace

int AddAddress(int ifindex, uint32_t ip, uint8_t prefix, uint32_t lifetime_s) {
  // NLM_F_REPLACE: adding an address that is already there refreshes its lifetime.
  return AddressRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, ip, prefix, lifetime_s);
}

int DeleteAddress(int ifindex, uint32_t ip, uint8_t prefix) {
  return AddressRequest(RTM_DELADDR, 0, ifindex, ip, prefix, 0);
}

int LinkWatch::Open() {
  Close();
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return errno;
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = RTMGRP_LINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
    int err = errno;
    close(fd);
    return err;
  }
  fd_ = fd;
  return 0;
}

bool LinkWatch::Read(int ifindex, bool& up, bool& running, bool& deleted) {
  bool changed = false;
  alignas(nlmsghdr) uint8_t buf[16384];
  while (fd_ >= 0) {
    ssize_t got = recv(fd_, buf, sizeof(buf), 0);
    if (got < 0) {
      // ENOBUFS: notifications were lost; report a change so the caller re-reads the link.
      if (errno == ENOBUFS) {
        changed = true;
        continue;
      }
      break;
    }
    size_t len = static_cast<size_t>(got);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) continue;
      auto* ifi = reinterpret_cast<ifinfomsg*>(NLMSG_DATA(h));
      if (ifi->ifi_index != ifindex) continue;
      changed = true;
      deleted = h->nlmsg_type == RTM_DELLINK;
      up = (ifi->ifi_flags & IFF_UP) != 0;
      running = (ifi->ifi_flags & IFF_RUNNING) != 0;
    }
  }
  return changed;
}

void LinkWatch::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace ikelb::hsrp
