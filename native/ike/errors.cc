#include "ike/errors.h"

#include <cstdio>
#include <cstring>

#include "ike/constants.h"

namespace ikelb::ike {
namespace {

struct ErrorInfo {
  const char* name;
  uint16_t notify;
  const char* detail;
};

constexpr ErrorInfo kErrors[] = {
    {"OK", 0, ""},
#define IKELB_DECODE_ERROR(name, notify, detail) {#name, NotifyType::notify, detail},
#include "ike/constants.def"
};

constexpr size_t kErrorCount = sizeof(kErrors) / sizeof(kErrors[0]);

const ErrorInfo& Info(ErrorCode code) {
  const auto index = static_cast<size_t>(code);
  return index < kErrorCount ? kErrors[index] : kErrors[0];
}

}  // namespace

size_t ErrorCodeCount() { return kErrorCount; }

const char* ErrorCodeName(ErrorCode code) { return Info(code).name; }

uint16_t ErrorNotifyType(ErrorCode code) { return Info(code).notify; }

size_t FormatErrorDetail(const Status& status, char* out, size_t cap) {
  const char* t = Info(status.code).detail;
  size_t n = 0;
  auto put = [&](char c) {
    if (cap > 0 && n + 1 < cap) out[n] = c;
    ++n;
  };
  while (*t != '\0') {
    const uint32_t* number = nullptr;
    size_t skip = 0;
    if (std::strncmp(t, "{value}", 7) == 0) {
      number = &status.value;
      skip = 7;
    } else if (std::strncmp(t, "{min}", 5) == 0) {
      number = &status.min;
      skip = 5;
    } else if (std::strncmp(t, "{max}", 5) == 0) {
      number = &status.max;
      skip = 5;
    }
    if (number != nullptr) {
      char digits[16];
      const int len = std::snprintf(digits, sizeof digits, "%u", static_cast<unsigned>(*number));
      for (int i = 0; i < len; ++i) put(digits[i]);
      t += skip;
    } else {
      put(*t++);
    }
  }
  if (cap > 0) out[n < cap ? n : cap - 1] = '\0';
  return n;
}

std::string ErrorDetail(const Status& status) {
  char buf[256];
  const size_t n = FormatErrorDetail(status, buf, sizeof buf);
  if (n < sizeof buf) return std::string(buf, n);
  std::string s(n + 1, '\0');
  FormatErrorDetail(status, s.data(), s.size());
  s.resize(n);
  return s;
}

}  // namespace ikelb::ike
