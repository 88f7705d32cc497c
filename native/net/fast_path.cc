#include "net/fast_path.h"

namespace ikelb::net {

FastPath::FastPath(const uint32_t* control, CounterBlock* counters, CookieJar* cookies, TargetSelector* targets)
    : control_(control), counters_(counters), cookies_(cookies), targets_(targets) {}

uint32_t FastPath::Control(uint32_t word) const {
  return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(control_[word])).load(std::memory_order_relaxed);
}

FastPathResult FastPath::Process(const FastPathInput& in, uint8_t* reply, size_t reply_cap) {
  (void)in;
  (void)reply;
  (void)reply_cap;
  return FastPathResult{};
}

}  // namespace ikelb::net
