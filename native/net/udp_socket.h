// Opening an IKE socket: UDP, non-blocking, close-on-exec, bound with
// IP_FREEBIND (a standby gateway pre-binds the VIP before it owns it), with
// IP_PKTINFO / IPV6_RECVPKTINFO on a wildcard bind (replies leave from the
// address a request was sent to; a socket bound to one address answers from
// it anyway), SO_RXQ_OVFL (kernel drop count) and IPV6_V6ONLY (one socket per
// family keeps the address arithmetic simple).
#pragma once
#include <cstdint>
#include <string>

#include "net/address.h"

namespace ikelb::net {

struct ListenSpec {
  Address address;
  uint16_t port = 0;  // 0 = any free port (tests)
  bool natt = false;  // RFC 3948: 4-octet non-ESP marker before IKE messages
};

struct SocketBuffers {
  int receive = 4 << 20;
  int send = 4 << 20;
};

// Returns the fd, or -1 with `error` naming the address and the reason.
int OpenUdpSocket(const ListenSpec& spec, const SocketBuffers& buffers, uint16_t* bound_port,
                  std::string* error);

}  // namespace ikelb::net
