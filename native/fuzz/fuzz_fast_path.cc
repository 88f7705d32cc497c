// libFuzzer target for the data plane's stateless fast path
// (native/net/fast_path.cc): arbitrary datagrams under every combination of
// redirect / cookie settings and target families. Checks, beyond the
// sanitizers: an answer is always a well-formed IKE message for the request's
// SPIi with SPIr 0, a redirect carries the request's Ni, and a cookie the fast
// path handed out is accepted when the request comes back with it; the
// verdict (with the fast path's memo) is the codec's, Ni the request's.
#include <cstdint>
#include <cstring>
#include <memory>

#include "ike/header.h"
#include "ike/message.h"
#include "ike/notify.h"
#include "ike/notify_data.h"
#include "ike/payload.h"
#include "ike/redirect.h"
#include "net/fast_path.h"
#include "net/shared_layout.h"

namespace {

using namespace ikelb;

struct World {
  net::CounterBlock counters{};
  net::TargetTableShared table{};
  net::TargetProjection projection{};
  uint32_t control[net::kControlWords] = {};
  net::CookieJar cookies;
  net::TargetSelector selector{&table, &projection, &counters};
  net::FastPath fast_path{control, &counters, &cookies, &selector};

  World() {
    uint8_t secret[net::kCookieSecretSize] = {7};
    cookies.RotateTo(secret);
    net::TargetRow& v4 = table.rows[0];
    v4.family = 4;
    const uint8_t a4[4] = {192, 0, 2, 11};
    std::memcpy(v4.address, a4, 4);
    v4.flags = net::kTargetEligible;
    v4.id = 1;
    v4.per_session = 0.01;
    v4.capacity = 1e12;
    v4.limit = 1e12;
    net::TargetRow& v6 = table.rows[1];
    v6 = v4;
    v6.family = 6;
    const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};
    std::memcpy(v6.address, a6, 16);
    v6.id = 2;
    table.slots = 2;
    table.seq = 2;
  }
};

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  data++;
  size--;
  World& w = *world;
  w.control[net::kControlRedirectInit] = mode & 1;
  w.control[net::kControlCookieThreshold] = (mode & 2) ? 0 : net::kCookieNever;
  w.table.rows[0].flags = (mode & 4) ? net::kTargetEligible : 0;  // steer to the IPv6 row
  w.table.seq += 2;
  net::Address remote;
  net::ParseAddress((mode & 8) ? "2001:db8::1" : "192.0.2.1", &remote);
  uint8_t reply[net::kReplyCapacity];
  const net::FastPathResult r = w.fast_path.Process({data, size, &remote, 500}, reply, sizeof reply);
  // The fast path keeps a memo across datagrams (request shapes, SA bodies):
  // its verdict must still be the codec's. A malformed datagram is dropped.
  ike::InitRequestInfo fresh;
  const bool valid = ike::InspectInitRequest(ike::ByteView(data, size), fresh).ok();
  Check(valid == ike::ValidateMessage(ike::ByteView(data, size)).ok());
  if (!valid) Check(r.verdict == net::Verdict::kDrop);
  if (r.verdict != net::Verdict::kReply) return 0;

  // Every answer: a valid IKE_SA_INIT response to this SPIi with SPIr 0.
  const ike::ByteView answer(reply, r.reply_len);
  Check(ike::ValidateMessage(answer).ok());
  ike::HeaderView h;
  Check(ike::ParseHeader(answer, h).ok());
  Check(std::memcmp(h.spi_i().data(), data, 8) == 0);
  Check(h.spi_r_u64() == 0 && h.response() && !h.initiator() && h.message_id() == 0);
  ike::PayloadCursor cursor = ike::PayloadCursor::ForMessage(h);
  ike::PayloadView p;
  Check(cursor.Next(p) && p.type == ike::PayloadType::NOTIFY);
  ike::NotifyPayload n;
  Check(ike::ParseNotify(p, n).ok());
  Check(!cursor.Next(p) && cursor.status().ok());
  if (n.type == ike::NotifyType::REDIRECT) {
    ike::RedirectData rd;
    Check(ike::ParseRedirectData(n.data, 0, false, rd).ok());
    Check(rd.nonce.size() >= 16);
    // Ni of this request (as a memo-less walk finds it), verbatim.
    Check(rd.nonce.size() == fresh.nonce.size() &&
          std::memcmp(rd.nonce.data(), fresh.nonce.data(), rd.nonce.size()) == 0);
  } else {
    Check(n.type == ike::NotifyType::COOKIE);
    Check(n.data.size() == net::kCookieSize);
  }
  return 0;
}
