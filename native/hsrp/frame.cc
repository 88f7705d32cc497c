#include "hsrp/frame.h"

#include <cstring>

#include "ike/bytes.h"

namespace ikelb::hsrp {
namespace {

// Big-endian fields (RFC 2281 §5): the codec's shared loads and stores.
using ikelb::ike::Load16;
using ikelb::ike::Load32;
using ikelb::ike::Store16;
using ikelb::ike::Store32;

uint32_t SumWords(std::span<const uint8_t> data, uint32_t sum) {
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<uint32_t>((data[i] << 8) | data[i + 1]);
  if (i < data.size()) sum += static_cast<uint32_t>(data[i] << 8);
  return sum;
}

uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// RFC 768: the UDP checksum covers a pseudo header of addresses, protocol and length.
uint32_t PseudoHeaderSum(uint32_t src, uint32_t dst, uint16_t udp_length) {
  return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17u + udp_length;
}

DecodeError Fail(const char* field, size_t offset, const char* reason) { return DecodeError{field, offset, reason}; }

}  // namespace

uint16_t InternetChecksum(std::span<const uint8_t> data, uint32_t initial) { return Fold(SumWords(data, initial)); }

DecodeError ParseUdpFrame(std::span<const uint8_t> f, FrameInfo& out, bool verify_udp_checksum) {
  out = FrameInfo{};
  if (f.size() < kEthHeader + kIpv4Header + kUdpHeader) return Fail("frame", f.size(), "too short for IPv4/UDP");
  const uint8_t* p = f.data();
  std::memcpy(out.dst_mac, p, 6);
  std::memcpy(out.src_mac, p + 6, 6);
  if (Load16(p + 12) != kEtherTypeIpv4) return Fail("ethertype", 12, "not IPv4");
  const uint8_t* ip = p + kEthHeader;
  if ((ip[0] >> 4) != 4) return Fail("ip.version", kEthHeader, "not IPv4");
  size_t ihl = static_cast<size_t>(ip[0] & 0x0f) * 4;
  if (ihl < kIpv4Header) return Fail("ip.ihl", kEthHeader, "header shorter than 20 octets");
  size_t ip_room = f.size() - kEthHeader;
  uint16_t total = Load16(ip + 2);
  if (total < ihl + kUdpHeader || total > ip_room) return Fail("ip.totalLength", kEthHeader + 2, "length does not fit the frame");
  if (Load16(ip + 6) & 0x3fff) return Fail("ip.fragment", kEthHeader + 6, "fragments are not accepted");
  if (ip[9] != 17) return Fail("ip.protocol", kEthHeader + 9, "not UDP");
  if (InternetChecksum({ip, ihl}) != 0) return Fail("ip.checksum", kEthHeader + 10, "bad header checksum");
  out.ttl = ip[8];
  out.src_ip = Load32(ip + 12);
  out.dst_ip = Load32(ip + 16);
  const uint8_t* udp = ip + ihl;
  size_t udp_room = total - ihl;
  uint16_t udp_length = Load16(udp + 4);
  if (udp_length < kUdpHeader || udp_length > udp_room) return Fail("udp.length", kEthHeader + ihl + 4, "length does not fit the IP packet");
  if (verify_udp_checksum && Load16(udp + 6) != 0) {
    uint32_t sum = SumWords({udp, udp_length}, PseudoHeaderSum(out.src_ip, out.dst_ip, udp_length));
    if (Fold(sum) != 0) return Fail("udp.checksum", kEthHeader + ihl + 6, "bad checksum");
  }
  out.src_port = Load16(udp);
  out.dst_port = Load16(udp + 2);
  out.payload_offset = kEthHeader + ihl + kUdpHeader;
  out.payload_length = udp_length - kUdpHeader;
  return {};
}

size_t BuildUdpFrame(const FrameInfo& a, uint8_t ttl, uint8_t tos, uint16_t ip_id, std::span<const uint8_t> payload,
                     std::span<uint8_t> out) {
  size_t udp_length = kUdpHeader + payload.size();
  size_t total = kIpv4Header + udp_length;
  if (total > 1500 || out.size() < kEthHeader + total) return 0;
  uint8_t* p = out.data();
  std::memcpy(p, a.dst_mac, 6);
  std::memcpy(p + 6, a.src_mac, 6);
  Store16(p + 12, kEtherTypeIpv4);
  uint8_t* ip = p + kEthHeader;
  ip[0] = 0x45;
  ip[1] = tos;
  Store16(ip + 2, static_cast<uint16_t>(total));
  Store16(ip + 4, ip_id);
  Store16(ip + 6, 0);
  ip[8] = ttl;
  ip[9] = 17;
  Store16(ip + 10, 0);
  Store32(ip + 12, a.src_ip);
  Store32(ip + 16, a.dst_ip);
  Store16(ip + 10, InternetChecksum({ip, kIpv4Header}));
  uint8_t* udp = ip + kIpv4Header;
  Store16(udp, a.src_port);
  Store16(udp + 2, a.dst_port);
  Store16(udp + 4, static_cast<uint16_t>(udp_length));
  Store16(udp + 6, 0);
  std::memcpy(udp + kUdpHeader, payload.data(), payload.size());
  uint16_t sum = Fold(SumWords({udp, udp_length}, PseudoHeaderSum(a.src_ip, a.dst_ip, static_cast<uint16_t>(udp_length))));
  Store16(udp + 6, sum == 0 ? 0xffff : sum);  // RFC 768: a computed zero is sent as all ones
  return kEthHeader + total;
}

size_t BuildGratuitousArp(const uint8_t mac[6], uint32_t ip, std::span<uint8_t> out) {
  if (out.size() < kArpFrame) return 0;
  uint8_t* p = out.data();
  std::memset(p, 0xff, 6);
  std::memcpy(p + 6, mac, 6);
  Store16(p + 12, kEtherTypeArp);
  uint8_t* a = p + kEthHeader;
  Store16(a, 1);        // hardware: Ethernet
  Store16(a + 2, 0x0800);  // protocol: IPv4
  a[4] = 6;
  a[5] = 4;
  Store16(a + 6, 1);    // request (RFC 5227 announcement)
  std::memcpy(a + 8, mac, 6);
  Store32(a + 14, ip);
  std::memset(a + 18, 0, 6);
  Store32(a + 24, ip);
  return kArpFrame;
}

void MulticastMac(uint32_t group, uint8_t out[6]) {
  out[0] = 0x01;
  out[1] = 0x00;
  out[2] = 0x5e;
  out[3] = static_cast<uint8_t>((group >> 16) & 0x7f);
  out[4] = static_cast<uint8_t>(group >> 8);
  out[5] = static_cast<uint8_t>(group);
}

void VirtualMac(uint8_t version, uint16_t group, uint8_t out[6]) {
  out[0] = 0x00;
  out[1] = 0x00;
  out[2] = 0x0c;
  if (version == 1) {
    out[3] = 0x07;
    out[4] = 0xac;
    out[5] = static_cast<uint8_t>(group);
  } else {
    out[3] = 0x9f;
    out[4] = static_cast<uint8_t>(0xf0 | ((group >> 8) & 0x0f));
    out[5] = static_cast<uint8_t>(group);
  }
}

}  // namespace ikelb::hsrp
