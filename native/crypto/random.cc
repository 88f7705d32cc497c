#include "crypto/random.h"

#include <openssl/rand.h>

#include <climits>

#include "crypto/ossl.h"

namespace ikelb::crypto {

Status RandomFill(MutableBytes out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk = std::min<std::size_t>(out.size() - done, INT_MAX);
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      ClearOpenSslErrors();
      return Status::kOpenSsl;
    }
    done += chunk;
  }
  return Status::kOk;
}

}  // namespace ikelb::crypto
