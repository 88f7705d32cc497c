// The UDP engine and fast path of the addon without Node: the same C++
// (native/net, native/ike) compiled with the addon's flags (-O3, LTO), driven
// like the data-plane component drives it (dedicated I/O thread, redirect
// init on, a static target list), so callgrind can count the instructions of
// one redirected answer in seconds instead of minutes (node under valgrind
// takes ~2 minutes to start). bench/redirect/callgrind.ts measures the real
// daemon as well; this host is for quick iteration.
//   engine-host --address 127.0.0.1 --port 5600 --target 192.0.2.11[,...] [--cookies]
// Prints "ready" once serving; SIGTERM/SIGINT stop it and print the counters.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>

#include "net/engine.h"

using namespace ikelb::net;

namespace {

volatile std::sig_atomic_t stop_requested = 0;
void OnSignal(int) { stop_requested = 1; }

}  // namespace

int main(int argc, char** argv) {
  const char* address = "127.0.0.1";
  int port = 500;
  std::string targets;
  bool cookies = false;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (!std::strcmp(a, "--address")) address = v, i++;
    else if (!std::strcmp(a, "--port")) port = std::atoi(v), i++;
    else if (!std::strcmp(a, "--target")) targets = v, i++;
    else if (!std::strcmp(a, "--cookies")) cookies = true;
    else {
      std::fprintf(stderr, "engine-host: unknown option %s\n", a);
      return 2;
    }
  }
  auto shared = std::make_shared<SharedArea>();
  std::memset(shared.get(), 0, sizeof(SharedArea));
  shared->control[kControlRedirectInit] = 1;
  shared->control[kControlCookieThreshold] = cookies ? 0 : kCookieNever;

  // What lib/net/target-table.ts staticTargetTable() publishes.
  TargetTableShared& table = shared->targets;
  uint32_t slots = 0;
  for (size_t start = 0; start < targets.size() && slots < kMaxTargets;) {
    size_t end = targets.find(',', start);
    if (end == std::string::npos) end = targets.size();
    const std::string text = targets.substr(start, end - start);
    start = end + 1;
    Address a;
    if (!ParseAddress(text.c_str(), &a)) {
      std::fprintf(stderr, "engine-host: bad target %s\n", text.c_str());
      return 2;
    }
    TargetRow& row = table.rows[slots];
    std::memcpy(row.address, a.bytes, 16);
    row.flags = kTargetEligible;
    row.id = slots + 1;
    row.report = 1;
    row.rank = slots;
    row.score = 0;
    row.per_session = 100.0 / 10000;
    row.capacity = __builtin_inf();
    row.limit = __builtin_inf();
    row.family = a.family;
    slots++;
  }
  table.slots = slots;
  table.seq = 2;

  EngineOptions options;
  ListenSpec spec;
  if (!ParseAddress(address, &spec.address)) {
    std::fprintf(stderr, "engine-host: bad address %s\n", address);
    return 2;
  }
  spec.port = static_cast<uint16_t>(port);
  options.listen.push_back(spec);
  options.io_thread_nice = 0;
  Engine engine(shared);
  std::string error;
  if (!engine.Open(options, &error) || !engine.StartThread(nullptr, &error)) {
    std::fprintf(stderr, "engine-host: %s\n", error.c_str());
    return 1;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::printf("ready %s %d\n", address, port);
  std::fflush(stdout);
  while (!stop_requested) pause();
  engine.Close();
  const CounterBlock& c = shared->counters;
  std::fprintf(stderr, "engine-host: received %llu in %llu calls, redirects %llu, cookies %llu, passed %llu\n",
               static_cast<unsigned long long>(Read(c, Counter::datagrams_received)),
               static_cast<unsigned long long>(Read(c, Counter::receive_calls)),
               static_cast<unsigned long long>(Read(c, Counter::redirects_sent)),
               static_cast<unsigned long long>(Read(c, Counter::cookies_sent)),
               static_cast<unsigned long long>(Read(c, Counter::passed_to_js)));
  return 0;
}
