// Random bytes from OpenSSL's DRBG (RAND_bytes) for nonces, SPIs and IVs.
#pragma once
#include "crypto/bytes.h"
#include "crypto/status.h"

namespace ikelb::crypto {

Status RandomFill(MutableBytes out);

}  // namespace ikelb::crypto
