// libFuzzer target for the HSRP parsers: the Ethernet/IPv4/UDP frame parser,
// the v1/v2 decoder and both authentications. Whatever decodes must re-encode
// and decode again to the same fields (a round trip), and nothing may read
// outside the input (ASan) or hit undefined behaviour (UBSan).
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "hsrp/codec.h"
#include "hsrp/frame.h"

using namespace ikelb::hsrp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FrameInfo frame;
  if (!ParseUdpFrame({data, size}, frame)) {
    if (frame.payload_offset + frame.payload_length > size) abort();
  }
  Message m;
  if (Decode({data, size}, m)) return 0;
  AuthConfig text;
  AuthConfig md5;
  md5.kind = AuthKind::Md5;
  std::memcpy(md5.key, "cluster-secret", 14);
  md5.key_length = 14;
  (void)Authenticate({data, size}, m, text);
  (void)Authenticate({data, size}, m, md5);
  if (m.opcode == Opcode::Advertise) return 0;
  uint8_t out[kMaxEncodedLength];
  const char* error = nullptr;
  size_t len = Encode(m, md5, {out, sizeof(out)}, &error);
  if (len == 0) return 0;  // e.g. a v1 timer of 255 s rounds within range; other refusals are fine
  Message again;
  if (Decode({out, len}, again)) abort();
  if (again.opcode != m.opcode || again.state != m.state || again.priority != m.priority || again.group != m.group ||
      std::memcmp(again.vip, m.vip, m.version == 1 ? 4 : 16) != 0) {
    abort();
  }
  if (Authenticate({out, len}, again, md5) != AuthResult::Ok) abort();
  return 0;
}
