// Ethernet + IPv4 + UDP framing for HSRP over a packet socket, and the
// gratuitous ARP a new active router sends. Pure functions over caller
// buffers (no sockets), so the receive parser is fuzzed with the codec.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "hsrp/codec.h"

namespace ikelb::hsrp {

inline constexpr size_t kEthHeader = 14;
inline constexpr size_t kIpv4Header = 20;
inline constexpr size_t kUdpHeader = 8;
inline constexpr size_t kArpFrame = 42;  // Ethernet header + 28-octet ARP body
inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
// RFC 2281 §5: HSRP packets are sent with TTL 1.
inline constexpr uint8_t kHsrpTtl = 1;
// Network control traffic: DSCP CS6 (IOS marks HSRP this way).
inline constexpr uint8_t kHsrpTos = 0xc0;

struct FrameInfo {
  uint8_t dst_mac[6] = {};
  uint8_t src_mac[6] = {};
  uint32_t src_ip = 0;  // host order
  uint32_t dst_ip = 0;
  uint8_t ttl = 0;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  size_t payload_offset = 0;
  size_t payload_length = 0;
};

// Parses an Ethernet frame carrying IPv4/UDP. Checks every length, the IPv4
// header checksum and (when present) the UDP checksum; refuses fragments.
// verify_udp_checksum=false when the kernel says the checksum is not filled in
// yet (a locally generated packet on a virtual link, TP_STATUS_CSUMNOTREADY).
DecodeError ParseUdpFrame(std::span<const uint8_t> frame, FrameInfo& out, bool verify_udp_checksum = true);

// Builds Ethernet + IPv4 + UDP around payload into out; returns the frame length or 0.
size_t BuildUdpFrame(const FrameInfo& addresses, uint8_t ttl, uint8_t tos, uint16_t ip_id,
                     std::span<const uint8_t> payload, std::span<uint8_t> out);

// A gratuitous ARP request (RFC 5227 §3 "ARP Announcement"): sender and target
// protocol address both `ip`, broadcast to the LAN from `mac`.
size_t BuildGratuitousArp(const uint8_t mac[6], uint32_t ip, std::span<uint8_t> out);

// RFC 1112 §6.4: 01:00:5e + the low 23 bits of the group address.
void MulticastMac(uint32_t group, uint8_t out[6]);

// RFC 2281 §5: v1 virtual MAC 0000.0c07.acXX; Cisco v2: 0000.0c9f.fXXX.
void VirtualMac(uint8_t version, uint16_t group, uint8_t out[6]);

uint16_t InternetChecksum(std::span<const uint8_t> data, uint32_t initial = 0);

}  // namespace ikelb::hsrp
