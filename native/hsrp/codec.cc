#include "hsrp/codec.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>

#include "ike/bytes.h"

namespace ikelb::hsrp {
namespace {

// Big-endian fields (RFC 2281 §5): the codec's shared loads and stores.
using ikelb::ike::Load16;
using ikelb::ike::Load32;
using ikelb::ike::Store16;
using ikelb::ike::Store32;

DecodeError Fail(const char* field, size_t offset, const char* reason) { return DecodeError{field, offset, reason}; }

// Reads the MD5 authentication TLV body (after type and length) at `at`.
void ReadMd5Tlv(const uint8_t* body, size_t body_offset, Message& out) {
  out.auth = AuthKind::Md5;
  out.md5_algorithm = body[0];
  // body[1] is padding
  out.md5_flags = Load16(body + 2);
  out.md5_ip = Load32(body + 4);
  out.md5_key_id = Load32(body + 8);
  std::memcpy(out.md5_digest, body + 12, kMd5DigestSize);
  out.md5_digest_offset = body_offset + 12;
}

// RFC 2281 §5: the 20-octet version 1 message, optionally followed by Cisco's MD5 TLV.
DecodeError DecodeV1(std::span<const uint8_t> d, Message& out) {
  if (d.size() < kV1Length) return Fail("length", d.size(), "a version 1 message is 20 octets");
  const uint8_t* p = d.data();
  out.version = 1;
  if (p[1] > static_cast<uint8_t>(Opcode::Advertise)) return Fail("opcode", 1, "unknown op code");
  out.opcode = static_cast<Opcode>(p[1]);
  if (out.opcode == Opcode::Advertise) {
    // Interface state advertisement: no group fields to believe.
    return {};
  }
  if (!StateFromWireV1(p[2], out.state)) return Fail("state", 2, "unknown state");
  out.hello_ms = static_cast<uint32_t>(p[3]) * 1000;
  out.hold_ms = static_cast<uint32_t>(p[4]) * 1000;
  out.priority = p[5];
  out.group = p[6];
  // p[7] reserved
  std::memcpy(out.text, p + 8, kTextAuthSize);
  out.auth = AuthKind::Text;
  out.ip_version = 4;
  std::memcpy(out.vip, p + 16, 4);
  if (d.size() == kV1Length) return {};
  // Cisco's MD5 extension: exactly one MD5 TLV after the 20 octets.
  if (d.size() < kV1Length + 2) return Fail("tlv", kV1Length, "truncated TLV header");
  uint8_t type = p[20];
  uint8_t len = p[21];
  if (type != kTlvMd5Auth) return Fail("tlv.type", 20, "only an MD5 TLV may follow a version 1 message");
  if (len != kMd5AuthLength) return Fail("tlv.length", 21, "MD5 TLV length must be 28");
  if (d.size() != kV1Length + kMd5TlvSize) return Fail("length", d.size(), "octets after the MD5 TLV");
  ReadMd5Tlv(p + 22, 22, out);
  return {};
}

DecodeError DecodeV2(std::span<const uint8_t> d, Message& out) {
  const uint8_t* p = d.data();
  size_t at = 0;
  bool have_group = false;
  bool have_text = false;
  bool have_md5 = false;
  out.version = 2;
  while (at < d.size()) {
    if (d.size() - at < 2) return Fail("tlv", at, "truncated TLV header");
    uint8_t type = p[at];
    uint8_t len = p[at + 1];
    size_t body = at + 2;
    if (d.size() - body < len) return Fail("tlv.length", at + 1, "TLV runs past the end of the datagram");
    const uint8_t* b = p + body;
    switch (type) {
      case kTlvGroupState: {
        if (len != kGroupStateLength) return Fail("tlv.length", at + 1, "group state TLV length must be 40");
        if (have_group) return Fail("tlv.type", at, "more than one group state TLV");
        have_group = true;
        if (b[0] != 2) return Fail("version", body, "group state TLV version must be 2");
        if (b[1] > static_cast<uint8_t>(Opcode::Resign)) return Fail("opcode", body + 1, "unknown op code");
        out.opcode = static_cast<Opcode>(b[1]);
        if (!StateFromWireV2(b[2], out.state)) return Fail("state", body + 2, "unknown state");
        out.ip_version = b[3];
        if (out.ip_version != 4 && out.ip_version != 6) return Fail("ipVersion", body + 3, "IP version must be 4 or 6");
        out.group = Load16(b + 4);
        if (out.group > 4095) return Fail("group", body + 4, "group must be 0..4095");
        std::memcpy(out.identifier, b + 6, 6);
        out.priority = Load32(b + 12);
        out.hello_ms = Load32(b + 16);
        out.hold_ms = Load32(b + 20);
        std::memcpy(out.vip, b + 24, 16);
        if (out.ip_version == 4) std::memset(out.vip + 4, 0, 12);  // only the first 4 octets are the address
        break;
      }
      case kTlvTextAuth:
        if (len != kTextAuthLength) return Fail("tlv.length", at + 1, "text authentication TLV length must be 8");
        if (have_text || have_md5) return Fail("tlv.type", at, "more than one authentication TLV");
        have_text = true;
        out.auth = AuthKind::Text;
        std::memcpy(out.text, b, kTextAuthSize);
        break;
      case kTlvMd5Auth:
        if (len != kMd5AuthLength) return Fail("tlv.length", at + 1, "MD5 authentication TLV length must be 28");
        if (have_text || have_md5) return Fail("tlv.type", at, "more than one authentication TLV");
        have_md5 = true;
        ReadMd5Tlv(b, body, out);
        break;
      default:
        // Interface state (2) and TLVs we do not know carry nothing we act on: skip them.
        break;
    }
    at = body + len;
  }
  if (!have_group) return Fail("tlv", 0, "no group state TLV");
  return {};
}

}  // namespace

uint8_t StateToWireV1(State s) {
  static constexpr uint8_t wire[] = {0, 1, 2, 4, 8, 16};
  return wire[static_cast<uint8_t>(s)];
}

bool StateFromWireV1(uint8_t wire, State& out) {
  switch (wire) {
    case 0: out = State::Initial; return true;
    case 1: out = State::Learn; return true;
    case 2: out = State::Listen; return true;
    case 4: out = State::Speak; return true;
    case 8: out = State::Standby; return true;
    case 16: out = State::Active; return true;
    default: return false;
  }
}

uint8_t StateToWireV2(State s) { return static_cast<uint8_t>(static_cast<uint8_t>(s) + 1); }

bool StateFromWireV2(uint8_t wire, State& out) {
  if (wire < 1 || wire > 6) return false;
  out = static_cast<State>(wire - 1);
  return true;
}

DecodeError Decode(std::span<const uint8_t> datagram, Message& out) {
  out = Message{};
  if (datagram.empty()) return Fail("length", 0, "empty datagram");
  if (datagram[0] == 0) return DecodeV1(datagram, out);
  if (datagram[0] == kTlvGroupState) return DecodeV2(datagram, out);
  return Fail("version", 0, "neither a version 1 message nor a version 2 TLV");
}

void KeyedMd5(std::span<const uint8_t> key, std::span<const uint8_t> datagram, size_t digest_offset,
              uint8_t digest[kMd5DigestSize]) {
  // RFC 1828 §2: the key, padded to a 512-bit boundary the way MD5 pads a
  // message (0x80, zeros, 64-bit little-endian bit count), then the data, then
  // the key again. Cisco feeds the whole HSRP datagram with the digest zeroed.
  uint8_t keyfill[2 * 64] = {};
  size_t key_len = key.size() > kMaxKeyLength ? kMaxKeyLength : key.size();
  std::memcpy(keyfill, key.data(), key_len);
  keyfill[key_len] = 0x80;
  size_t fill_len = (key_len + 1 + 8 + 63) / 64 * 64;
  uint64_t bits = static_cast<uint64_t>(key_len) * 8;
  for (int i = 0; i < 8; i++) keyfill[fill_len - 8 + i] = static_cast<uint8_t>(bits >> (8 * i));

  static const uint8_t zeros[kMd5DigestSize] = {};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int out_len = 0;
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
    std::memset(digest, 0xff, kMd5DigestSize);  // never equal to a computed digest's role: fails closed
    EVP_MD_CTX_free(ctx);
    return;
  }
  EVP_DigestUpdate(ctx, keyfill, fill_len);
  size_t before = digest_offset <= datagram.size() ? digest_offset : datagram.size();
  EVP_DigestUpdate(ctx, datagram.data(), before);
  if (digest_offset + kMd5DigestSize <= datagram.size()) {
    EVP_DigestUpdate(ctx, zeros, kMd5DigestSize);
    EVP_DigestUpdate(ctx, datagram.data() + digest_offset + kMd5DigestSize,
                     datagram.size() - digest_offset - kMd5DigestSize);
  }
  EVP_DigestUpdate(ctx, key.data(), key_len);
  EVP_DigestFinal_ex(ctx, digest, &out_len);
  EVP_MD_CTX_free(ctx);
}

AuthResult Authenticate(std::span<const uint8_t> datagram, const Message& msg, const AuthConfig& auth) {
  switch (auth.kind) {
    case AuthKind::None:
      return AuthResult::Ok;
    case AuthKind::Text:
      if (msg.auth == AuthKind::None) return AuthResult::Missing;
      if (msg.auth != AuthKind::Text) return AuthResult::WrongKind;
      return CRYPTO_memcmp(msg.text, auth.text, kTextAuthSize) == 0 ? AuthResult::Ok : AuthResult::Mismatch;
    case AuthKind::Md5: {
      if (msg.auth == AuthKind::None) return AuthResult::Missing;
      if (msg.auth != AuthKind::Md5) return AuthResult::WrongKind;
      if (msg.md5_algorithm != kMd5Algorithm || msg.md5_key_id != auth.key_id) return AuthResult::Mismatch;
      if (msg.md5_digest_offset + kMd5DigestSize > datagram.size()) return AuthResult::Mismatch;
      uint8_t expected[kMd5DigestSize];
      KeyedMd5({auth.key, auth.key_length}, datagram, msg.md5_digest_offset, expected);
      return CRYPTO_memcmp(expected, datagram.data() + msg.md5_digest_offset, kMd5DigestSize) == 0
                 ? AuthResult::Ok
                 : AuthResult::Mismatch;
    }
  }
  return AuthResult::Mismatch;
}

namespace {

size_t PutMd5Tlv(uint8_t* at, const AuthConfig& auth) {
  at[0] = kTlvMd5Auth;
  at[1] = kMd5AuthLength;
  at[2] = kMd5Algorithm;
  at[3] = 0;  // padding
  Store16(at + 4, 0);  // flags
  Store32(at + 6, auth.sender_ip);
  Store32(at + 10, auth.key_id);
  std::memset(at + 14, 0, kMd5DigestSize);  // filled in after hashing
  return kMd5TlvSize;
}

}  // namespace

size_t Encode(const Message& msg, const AuthConfig& auth, std::span<uint8_t> out, const char** error) {
  const char* ignored = nullptr;
  if (error == nullptr) error = &ignored;
  *error = nullptr;
  if (out.size() < kMaxEncodedLength) {
    *error = "output buffer too small";
    return 0;
  }
  uint8_t* p = out.data();
  size_t len = 0;
  size_t digest_offset = 0;
  if (msg.version == 1) {
    if (msg.group > 255) { *error = "group must be 0..255 in version 1"; return 0; }
    if (msg.priority > 255) { *error = "priority must be 0..255 in version 1"; return 0; }
    if (msg.ip_version != 4) { *error = "version 1 carries IPv4 only"; return 0; }
    if (msg.opcode == Opcode::Advertise) { *error = "Advertise is not built"; return 0; }
    // RFC 2281 §5 carries whole seconds; round msec timers up so a peer never expires us early.
    uint32_t hello_s = (msg.hello_ms + 999) / 1000;
    uint32_t hold_s = (msg.hold_ms + 999) / 1000;
    if (hello_s > 255 || hold_s > 255) { *error = "version 1 timers must be at most 255 seconds"; return 0; }
    p[0] = 0;
    p[1] = static_cast<uint8_t>(msg.opcode);
    p[2] = StateToWireV1(msg.state);
    p[3] = static_cast<uint8_t>(hello_s);
    p[4] = static_cast<uint8_t>(hold_s);
    p[5] = static_cast<uint8_t>(msg.priority);
    p[6] = static_cast<uint8_t>(msg.group);
    p[7] = 0;
    // With MD5 the text field is sent as zeros (as IOS does).
    if (auth.kind == AuthKind::Text) std::memcpy(p + 8, auth.text, kTextAuthSize);
    else std::memset(p + 8, 0, kTextAuthSize);
    std::memcpy(p + 16, msg.vip, 4);
    len = kV1Length;
    if (auth.kind == AuthKind::Md5) {
      len += PutMd5Tlv(p + len, auth);
      digest_offset = kV1Length + 14;
    }
  } else if (msg.version == 2) {
    if (msg.group > 4095) { *error = "group must be 0..4095"; return 0; }
    if (msg.ip_version != 4 && msg.ip_version != 6) { *error = "IP version must be 4 or 6"; return 0; }
    if (msg.opcode == Opcode::Advertise) { *error = "Advertise is not built"; return 0; }
    p[0] = kTlvGroupState;
    p[1] = kGroupStateLength;
    uint8_t* b = p + 2;
    b[0] = 2;
    b[1] = static_cast<uint8_t>(msg.opcode);
    b[2] = StateToWireV2(msg.state);
    b[3] = msg.ip_version;
    Store16(b + 4, msg.group);
    std::memcpy(b + 6, msg.identifier, 6);
    Store32(b + 12, msg.priority);
    Store32(b + 16, msg.hello_ms);
    Store32(b + 20, msg.hold_ms);
    std::memcpy(b + 24, msg.vip, 16);
    if (msg.ip_version == 4) std::memset(b + 28, 0, 12);
    len = 2 + kGroupStateLength;
    if (auth.kind == AuthKind::Text) {
      p[len] = kTlvTextAuth;
      p[len + 1] = kTextAuthLength;
      std::memcpy(p + len + 2, auth.text, kTextAuthSize);
      len += 2 + kTextAuthLength;
    } else if (auth.kind == AuthKind::Md5) {
      digest_offset = len + 14;
      len += PutMd5Tlv(p + len, auth);
    }
  } else {
    *error = "version must be 1 or 2";
    return 0;
  }
  if (auth.kind == AuthKind::Md5) {
    uint8_t digest[kMd5DigestSize];
    KeyedMd5({auth.key, auth.key_length}, {p, len}, digest_offset, digest);
    std::memcpy(p + digest_offset, digest, kMd5DigestSize);
  }
  return len;
}

const char* OpcodeName(Opcode op) {
  switch (op) {
    case Opcode::Hello: return "Hello";
    case Opcode::Coup: return "Coup";
    case Opcode::Resign: return "Resign";
    case Opcode::Advertise: return "Advertise";
  }
  return "Unknown";
}

const char* StateName(State s) {
  static const char* names[] = {"Initial", "Learn", "Listen", "Speak", "Standby", "Active"};
  return names[static_cast<uint8_t>(s)];
}

bool OpcodeFromName(std::string_view name, Opcode& out) {
  for (uint8_t i = 0; i <= static_cast<uint8_t>(Opcode::Advertise); i++) {
    if (name == OpcodeName(static_cast<Opcode>(i))) {
      out = static_cast<Opcode>(i);
      return true;
    }
  }
  return false;
}

bool StateFromName(std::string_view name, State& out) {
  for (uint8_t i = 0; i <= static_cast<uint8_t>(State::Active); i++) {
    if (name == StateName(static_cast<State>(i))) {
      out = static_cast<State>(i);
      return true;
    }
  }
  return false;
}

}  // namespace ikelb::hsrp
