// HSRP wire codec: RFC 2281 (version 1) and Cisco's HSRP version 2 TLVs, with
// text and MD5 authentication. Pure C++ (no N-API, no sockets) so it compiles
// alone for the sanitizer and libFuzzer builds. Decoding never reads outside
// the given span and reports the field and offset of the first problem.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ikelb::hsrp {

// RFC 2281 §5: UDP port 1985, all-routers group 224.0.0.2, TTL 1.
inline constexpr uint16_t kUdpPort = 1985;
// Cisco HSRP v2: group 224.0.0.102 (IPv6: ff02::66, UDP 2029).
inline constexpr uint16_t kUdpPortV6 = 2029;
inline constexpr uint32_t kGroupAddrV1 = 0xE0000002;  // 224.0.0.2
inline constexpr uint32_t kGroupAddrV2 = 0xE0000066;  // 224.0.0.102

// RFC 2281 §5: the version 1 message is 20 octets; Cisco appends a 30-octet
// MD5 TLV (type 4, length 28) when MD5 authentication is on.
inline constexpr size_t kV1Length = 20;
// Cisco v2 TLVs: group state (type 1, length 40), interface state (2, 4),
// text authentication (3, 8), MD5 authentication (4, 28).
inline constexpr uint8_t kTlvGroupState = 1;
inline constexpr uint8_t kTlvInterfaceState = 2;
inline constexpr uint8_t kTlvTextAuth = 3;
inline constexpr uint8_t kTlvMd5Auth = 4;
inline constexpr uint8_t kGroupStateLength = 40;
inline constexpr uint8_t kTextAuthLength = 8;
inline constexpr uint8_t kMd5AuthLength = 28;
inline constexpr size_t kMd5TlvSize = 2 + kMd5AuthLength;
inline constexpr size_t kMd5DigestSize = 16;
inline constexpr uint8_t kMd5Algorithm = 1;  // Cisco MD5 TLV "Algorithm: MD5"
inline constexpr size_t kTextAuthSize = 8;
// Longest message we build: v2 group state + MD5 TLV (72 octets); decode accepts more TLVs.
inline constexpr size_t kMaxEncodedLength = 2 + kGroupStateLength + kMd5TlvSize;
inline constexpr size_t kMaxKeyLength = 64;  // IOS key-string limit

// RFC 2281 §5 op codes (3 = Advertise, interface state, not an election message).
enum class Opcode : uint8_t { Hello = 0, Coup = 1, Resign = 2, Advertise = 3 };

// Protocol-neutral states; each version has its own wire numbers.
enum class State : uint8_t { Initial = 0, Learn, Listen, Speak, Standby, Active };

// RFC 2281 §5: 0 Initial, 1 Learn, 2 Listen, 4 Speak, 8 Standby, 16 Active.
uint8_t StateToWireV1(State s);
bool StateFromWireV1(uint8_t wire, State& out);
// Cisco v2: 1 Init, 2 Learn, 3 Listen, 4 Speak, 5 Standby, 6 Active (0 = disabled).
uint8_t StateToWireV2(State s);
bool StateFromWireV2(uint8_t wire, State& out);

enum class AuthKind : uint8_t { None = 0, Text = 1, Md5 = 2 };

struct Message {
  uint8_t version = 2;  // protocol version: 1 (RFC 2281, wire version 0) or 2
  Opcode opcode = Opcode::Hello;
  State state = State::Initial;
  uint32_t hello_ms = 3000;
  uint32_t hold_ms = 10000;
  uint32_t priority = 100;  // v1 carries 8 bits, v2 32 bits
  uint16_t group = 0;       // v1 0..255, v2 0..4095
  uint8_t ip_version = 4;   // v2 group state TLV: 4 or 6 (v1 is always 4)
  uint8_t vip[16] = {};     // IPv4 in the first 4 octets
  uint8_t identifier[6] = {};  // v2: the sender's MAC address

  // What the sender put in its authentication field(s).
  AuthKind auth = AuthKind::None;
  uint8_t text[kTextAuthSize] = {};
  uint8_t md5_algorithm = 0;
  uint16_t md5_flags = 0;
  uint32_t md5_ip = 0;  // the sender's interface address (IPv4, host order)
  uint32_t md5_key_id = 0;
  uint8_t md5_digest[kMd5DigestSize] = {};
  size_t md5_digest_offset = 0;  // where the digest sits in the datagram
};

struct DecodeError {
  const char* field = nullptr;  // nullptr: no error
  size_t offset = 0;
  const char* reason = nullptr;
  explicit operator bool() const { return field != nullptr; }
};

// Parses one HSRP datagram (the UDP payload). v1 is recognised by its first
// octet (version 0), v2 by a leading group state TLV (type 1).
DecodeError Decode(std::span<const uint8_t> datagram, Message& out);

// How a group authenticates. Text: the 8-octet string (zero padded). Md5: the
// key string, key id and this router's interface address for the MD5 TLV.
struct AuthConfig {
  AuthKind kind = AuthKind::Text;
  uint8_t text[kTextAuthSize] = {'c', 'i', 's', 'c', 'o', 0, 0, 0};  // RFC 2281 §5 default
  uint8_t key[kMaxKeyLength] = {};
  size_t key_length = 0;
  uint32_t key_id = 0;
  uint32_t sender_ip = 0;  // host order
};

enum class AuthResult : uint8_t { Ok = 0, Missing = 1, WrongKind = 2, Mismatch = 3 };

// Checks a decoded datagram against the group's authentication, in constant
// time. `datagram` must be the bytes `msg` was decoded from.
AuthResult Authenticate(std::span<const uint8_t> datagram, const Message& msg, const AuthConfig& auth);

// Writes msg (with the authentication of `auth`) into out; returns the length,
// or 0 with *error set when a field does not fit its version.
size_t Encode(const Message& msg, const AuthConfig& auth, std::span<uint8_t> out, const char** error);

// Cisco's HSRP MD5 digest: RFC 1828 keyed MD5, MD5(key | keyfill | datagram | key),
// over the whole datagram with the 16 digest octets zeroed.
void KeyedMd5(std::span<const uint8_t> key, std::span<const uint8_t> datagram, size_t digest_offset,
              uint8_t digest[kMd5DigestSize]);

const char* OpcodeName(Opcode op);
const char* StateName(State s);
bool OpcodeFromName(std::string_view name, Opcode& out);
bool StateFromName(std::string_view name, State& out);

}  // namespace ikelb::hsrp
