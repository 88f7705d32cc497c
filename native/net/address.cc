#include "net/address.h"

#include <arpa/inet.h>

#include <cstring>

namespace ikelb::net {

bool Address::unspecified() const {
  for (size_t i = 0; i < size(); i++) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

bool ParseAddress(const char* text, Address* out) {
  Address a;
  if (inet_pton(AF_INET, text, a.bytes) == 1) {
    a.family = 4;
  } else if (inet_pton(AF_INET6, text, a.bytes) == 1) {
    a.family = 6;
  } else {
    return false;
  }
  *out = a;
  return true;
}

socklen_t ToSockaddr(const Address& address, uint16_t port, sockaddr_storage* out) {
  std::memset(out, 0, sizeof *out);
  if (address.family == 4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, address.bytes, 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  std::memcpy(&sin6->sin6_addr, address.bytes, 16);
  return sizeof(sockaddr_in6);
}

}  // namespace ikelb::net
