#include "net/udp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ikelb::net {

namespace {

std::string Describe(const ListenSpec& spec) {
  char text[INET6_ADDRSTRLEN] = "?";
  inet_ntop(spec.address.family == 4 ? AF_INET : AF_INET6, spec.address.bytes, text, sizeof text);
  std::string out = spec.address.family == 6 ? std::string("[") + text + "]" : std::string(text);
  return out + ":" + std::to_string(spec.port);
}

bool SetInt(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

// Root may exceed net.core.rmem_max with the *FORCE variant; others get what
// the sysctl allows.
void SetBuffer(int fd, int force_name, int name, int bytes) {
  if (bytes <= 0) return;
  if (!SetInt(fd, SOL_SOCKET, force_name, bytes)) SetInt(fd, SOL_SOCKET, name, bytes);
}

}  // namespace

int OpenUdpSocket(const ListenSpec& spec, const SocketBuffers& buffers, uint16_t* bound_port,
                  std::string* error) {
  const bool v6 = spec.address.family == 6;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) {
    *error = "cannot create a UDP socket for " + Describe(spec) + ": " + std::strerror(errno);
    return -1;
  }
  bool ok = true;
  const char* failed = nullptr;
  // Only a wildcard bind needs to learn which address a request was sent to:
  // a socket bound to one address (the VIP) answers from it anyway.
  const bool pktinfo = spec.address.unspecified();
  if (v6) {
    if (ok && !(ok = SetInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1))) failed = "IPV6_V6ONLY";
    if (ok && pktinfo && !(ok = SetInt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1))) failed = "IPV6_RECVPKTINFO";
#ifdef IPV6_FREEBIND
    if (ok && !SetInt(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1) && !(ok = SetInt(fd, IPPROTO_IP, IP_FREEBIND, 1))) {
      failed = "IPV6_FREEBIND";
    }
#else
    if (ok && !(ok = SetInt(fd, IPPROTO_IP, IP_FREEBIND, 1))) failed = "IP_FREEBIND";
#endif
  } else {
    if (ok && pktinfo && !(ok = SetInt(fd, IPPROTO_IP, IP_PKTINFO, 1))) failed = "IP_PKTINFO";
    if (ok && !(ok = SetInt(fd, IPPROTO_IP, IP_FREEBIND, 1))) failed = "IP_FREEBIND";
  }
  // Optional: a kernel without them still serves.
  SetInt(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
  SetBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, buffers.receive);
  SetBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, buffers.send);
  if (!ok) {
    *error = std::string("cannot set ") + failed + " on the socket for " + Describe(spec) + ": " + std::strerror(errno);
    close(fd);
    return -1;
  }
  sockaddr_storage sa;
  socklen_t len = ToSockaddr(spec.address, spec.port, &sa);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    *error = "cannot bind " + Describe(spec) + ": " + std::strerror(errno);
    close(fd);
    return -1;
  }
  sockaddr_storage bound;
  socklen_t bound_len = sizeof bound;
  Address ignored;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) != 0 ||
      !FromSockaddr(bound, bound_len, &ignored, bound_port)) {
    *bound_port = spec.port;
  }
  return fd;
}

}  // namespace ikelb::net
