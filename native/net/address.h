// IP addresses as the engine stores them: a family and 16 bytes in network
// order (IPv4 uses the first 4), convertible to and from sockaddr.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

namespace ikelb::net {

struct Address {
  uint8_t family = 0;  // 0 none, 4, 6
  uint8_t bytes[16] = {};

  size_t size() const { return family == 4 ? 4 : family == 6 ? 16 : 0; }
  bool unspecified() const;
};

// "192.0.2.1", "2001:db8::1", "0.0.0.0", "::". False on anything else.
bool ParseAddress(const char* text, Address* out);

// Fills `out` (a sockaddr_in or sockaddr_in6) and returns its length.
socklen_t ToSockaddr(const Address& address, uint16_t port, sockaddr_storage* out);

// Reads a sockaddr_in/in6 (an IPv4-mapped IPv6 address stays IPv6). Inline:
// it runs for every received datagram.
inline bool FromSockaddr(const sockaddr_storage& in, socklen_t len, Address* out, uint16_t* port) {
  if (in.ss_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&in);
    out->family = 4;
    __builtin_memcpy(out->bytes, &sin->sin_addr, 4);
    *port = __builtin_bswap16(sin->sin_port);
    return true;
  }
  if (in.ss_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&in);
    out->family = 6;
    __builtin_memcpy(out->bytes, &sin6->sin6_addr, 16);
    *port = __builtin_bswap16(sin6->sin6_port);
    return true;
  }
  return false;
}

}  // namespace ikelb::net
