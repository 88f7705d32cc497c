#include "crypto/sk.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstring>

#include "crypto/ossl.h"
#include "crypto/prf.h"

namespace ikelb::crypto {

namespace {

constexpr uint8_t kMagic[4] = {'I', 'K', 'S', 'K'};

enum class Suite : uint8_t {
  kGcm128 = 1,
  kGcm256 = 2,
  kCbc128 = 3,
  kCbc256 = 4,
};

struct SuiteInfo {
  bool aead;
  std::size_t key;     // cipher key bytes
  std::size_t iv;      // IV bytes on the wire
  std::size_t block;   // padding block size
  std::size_t icv;     // ICV bytes
  HashId hash;         // CBC: HMAC digest
  std::size_t integKey;
};

struct Parsed {
  Suite suite;
  SuiteInfo info;
  uint16_t integId;
};

constexpr std::size_t kGcmIcv = 16;     // ENCR_AES_GCM_16
constexpr std::size_t kGcmIv = 8;       // RFC 5282 §3.1
constexpr std::size_t kGcmSalt = 4;     // RFC 5282 §7
constexpr std::size_t kAesBlock = 16;

bool IntegInfo(uint16_t integId, HashId* hash, std::size_t* key, std::size_t* icv) {
  switch (integId) {
    case kIntegHmacSha256_128:
      *hash = HashId::kSha256, *key = 32, *icv = 16;
      return true;
    case kIntegHmacSha384_192:
      *hash = HashId::kSha384, *key = 48, *icv = 24;
      return true;
    case kIntegHmacSha512_256:
      *hash = HashId::kSha512, *key = 64, *icv = 32;
      return true;
    default:
      return false;
  }
}

// Reads and checks the context header; the integrity id is stored in the reserved bytes.
bool ParseContext(Bytes ctx, Parsed* out) {
  if (ctx.size() != kSkContextLength || std::memcmp(ctx.data() + kSkCtxMagic, kMagic, 4) != 0) return false;
  out->suite = static_cast<Suite>(ctx[kSkCtxSuite]);
  out->integId = LoadBe16(ctx.data() + kSkCtxSuite + 1);
  SuiteInfo& i = out->info;
  switch (out->suite) {
    case Suite::kGcm128:
    case Suite::kGcm256:
      i = {true, out->suite == Suite::kGcm128 ? 16u : 32u, kGcmIv, 1, kGcmIcv, HashId::kSha256, 0};
      return out->integId == kIntegNone;
    case Suite::kCbc128:
    case Suite::kCbc256:
      i = {false, out->suite == Suite::kCbc128 ? 16u : 32u, kAesBlock, kAesBlock, 0, HashId::kSha256, 0};
      return IntegInfo(out->integId, &i.hash, &i.integKey, &i.icv);
  }
  return false;
}

const EVP_CIPHER* Cipher(Suite suite) {
  // Fetched once; fetched ciphers are immutable and shared across threads.
  static EVP_CIPHER* gcm128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* gcm256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  static EVP_CIPHER* cbc128 = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
  static EVP_CIPHER* cbc256 = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  switch (suite) {
    case Suite::kGcm128:
      return gcm128;
    case Suite::kGcm256:
      return gcm256;
    case Suite::kCbc128:
      return cbc128;
    default:
      return cbc256;
  }
}

struct ThreadCipher {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~ThreadCipher() { EVP_CIPHER_CTX_free(ctx); }
};
thread_local ThreadCipher t_cipher;

// The cipher argument for an Init of the thread's context: null when the
// context already runs this cipher. EVP_CipherInit_ex2 given a cipher frees
// the provider's context and allocates a new one every time; given null it
// re-keys and re-IVs the one it has (key schedule and GHASH key only).
const EVP_CIPHER* CipherFor(EVP_CIPHER_CTX* c, Suite suite) {
  const EVP_CIPHER* want = Cipher(suite);
  return EVP_CIPHER_CTX_get0_cipher(c) == want ? nullptr : want;
}

// A failed operation leaves the context in an unknown state: start the next from scratch.
Status FailReset(EVP_CIPHER_CTX* c, Status s) {
  EVP_CIPHER_CTX_reset(c);
  ClearOpenSslErrors();
  return s;
}

std::size_t Padding(const SuiteInfo& info, std::size_t plaintextLength) {
  if (info.block <= 1) return 0;
  // payloads | padding | pad length must fill whole blocks (RFC 7296 §3.14).
  return (info.block - (plaintextLength + 1) % info.block) % info.block;
}

// The IKE header length and the SK payload length must describe this buffer.
bool LayoutConsistent(Bytes message, std::size_t skOffset) {
  if (skOffset < kIkeHeaderLength || message.size() < skOffset + kGenericPayloadHeaderLength) return false;
  if (message.size() > 0xFFFF) return false;  // the SK payload length is 16 bits
  if (LoadBe32(message.data() + 24) != message.size()) return false;
  return LoadBe16(message.data() + skOffset + 2) == message.size() - skOffset;
}

Status Fail(Status s) {
  ClearOpenSslErrors();
  return s;
}

Status GcmSeal(const Parsed& p, Bytes ctx, MutableBytes message, std::size_t skOffset, const uint8_t* iv,
               std::size_t contentLength) {
  EVP_CIPHER_CTX* c = t_cipher.ctx;
  uint8_t nonce[kGcmSalt + kGcmIv];
  std::memcpy(nonce, ctx.data() + kSkCtxSalt, kGcmSalt);
  std::memcpy(nonce + kGcmSalt, iv, kGcmIv);
  uint8_t* content = message.data() + skOffset + kGenericPayloadHeaderLength + kGcmIv;
  int outl = 0;
  if (EVP_EncryptInit_ex2(c, CipherFor(c, p.suite), ctx.data() + kSkCtxEncKey, nonce, nullptr) != 1 ||
      EVP_EncryptUpdate(c, nullptr, &outl, message.data(), static_cast<int>(skOffset + kGenericPayloadHeaderLength)) !=
          1 ||
      EVP_EncryptUpdate(c, content, &outl, content, static_cast<int>(contentLength)) != 1 ||
      EVP_EncryptFinal_ex(c, content + outl, &outl) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, kGcmIcv, content + contentLength) != 1) {
    return FailReset(c, Status::kOpenSsl);
  }
  return Status::kOk;
}

}  // namespace

Status SkKeyMaterialLengths(uint16_t encrId, uint16_t keyBits, uint16_t integId, SkKeyLengths* out) {
  if (keyBits != 128 && keyBits != 256) return Status::kInvalidArgument;
  if (encrId == kEncrAesGcm16) {
    if (integId != kIntegNone) return Status::kInvalidArgument;  // AEAD: no integrity transform (RFC 5282 §8)
    *out = {keyBits / 8u + kGcmSalt, 0};
    return Status::kOk;
  }
  if (encrId == kEncrAesCbc) {
    HashId hash;
    std::size_t key = 0;
    std::size_t icv = 0;
    if (!IntegInfo(integId, &hash, &key, &icv)) return Status::kInvalidArgument;
    *out = {keyBits / 8u, key};
    return Status::kOk;
  }
  return Status::kInvalidArgument;
}

Status SkContextInit(MutableBytes ctx, uint16_t encrId, uint16_t keyBits, uint16_t integId, Bytes encKey,
                     Bytes integKey) {
  SkKeyLengths lengths;
  if (ctx.size() != kSkContextLength || SkKeyMaterialLengths(encrId, keyBits, integId, &lengths) != Status::kOk ||
      encKey.size() != lengths.encr || integKey.size() != lengths.integ) {
    return Status::kInvalidArgument;
  }
  OPENSSL_cleanse(ctx.data(), ctx.size());
  std::memcpy(ctx.data() + kSkCtxMagic, kMagic, 4);
  Suite suite = encrId == kEncrAesGcm16 ? (keyBits == 128 ? Suite::kGcm128 : Suite::kGcm256)
                                        : (keyBits == 128 ? Suite::kCbc128 : Suite::kCbc256);
  ctx[kSkCtxSuite] = static_cast<uint8_t>(suite);
  StoreBe16(ctx.data() + kSkCtxSuite + 1, integId);
  if (encrId == kEncrAesGcm16) {
    std::memcpy(ctx.data() + kSkCtxEncKey, encKey.data(), keyBits / 8u);
    std::memcpy(ctx.data() + kSkCtxSalt, encKey.data() + keyBits / 8u, kGcmSalt);  // salt = last 4 octets
  } else {
    std::memcpy(ctx.data() + kSkCtxEncKey, encKey.data(), encKey.size());
    std::memcpy(ctx.data() + kSkCtxIntegKey, integKey.data(), integKey.size());
  }
  return Status::kOk;
}

Status SkSealedSizes(Bytes ctx, std::size_t plaintextLength, SkSizes* out) {
  Parsed p;
  if (!ParseContext(ctx, &p)) return Status::kInvalidArgument;
  out->iv = p.info.iv;
  out->padding = Padding(p.info, plaintextLength);
  out->icv = p.info.icv;
  out->payload = kGenericPayloadHeaderLength + out->iv + plaintextLength + out->padding + 1 + out->icv;
  return Status::kOk;
}

Status SkProtect(MutableBytes ctx, MutableBytes message, std::size_t skOffset, std::size_t plaintextLength) {
  Parsed p;
  if (!ParseContext(ctx, &p)) return Status::kInvalidArgument;
  SkSizes sizes;
  SkSealedSizes(ctx, plaintextLength, &sizes);
  if (skOffset > message.size() || message.size() - skOffset != sizes.payload ||
      !LayoutConsistent(message, skOffset)) {
    return Status::kInvalidArgument;
  }
  uint8_t* iv = message.data() + skOffset + kGenericPayloadHeaderLength;
  uint8_t* content = iv + sizes.iv;
  const std::size_t contentLength = plaintextLength + sizes.padding + 1;
  // Padding octets are zero; the pad length octet follows them (RFC 7296 §3.14).
  std::memset(content + plaintextLength, 0, sizes.padding);
  content[plaintextLength + sizes.padding] = static_cast<uint8_t>(sizes.padding);

  if (p.info.aead) {
    uint64_t counter = LoadBe64(ctx.data() + kSkCtxNextIv);
    if (counter == UINT64_MAX) return Status::kSkIvExhausted;
    StoreBe64(ctx.data() + kSkCtxNextIv, counter + 1);  // consumed even if encryption fails
    StoreBe64(iv, counter);
    return GcmSeal(p, ctx, message, skOffset, iv, contentLength);
  }

  if (RAND_bytes(iv, static_cast<int>(sizes.iv)) != 1) return Fail(Status::kOpenSsl);
  EVP_CIPHER_CTX* c = t_cipher.ctx;
  int outl = 0;
  if (EVP_EncryptInit_ex2(c, CipherFor(c, p.suite), ctx.data() + kSkCtxEncKey, iv, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(c, 0) != 1 ||
      EVP_EncryptUpdate(c, content, &outl, content, static_cast<int>(contentLength)) != 1 ||
      EVP_EncryptFinal_ex(c, content + outl, &outl) != 1) {
    return FailReset(c, Status::kOpenSsl);
  }
  uint8_t mac[kMaxPrfLength];
  const std::size_t covered = message.size() - sizes.icv;
  Status s = Hmac(p.info.hash, Bytes(ctx.data() + kSkCtxIntegKey, p.info.integKey), {message.first(covered)}, mac);
  if (s != Status::kOk) return s;
  std::memcpy(message.data() + covered, mac, sizes.icv);  // truncated HMAC (RFC 4868 §2.1.1)
  return Status::kOk;
}

Status SkUnprotect(Bytes ctx, MutableBytes message, std::size_t skOffset, std::size_t* plaintextOffset,
                   std::size_t* plaintextLength) {
  Parsed p;
  if (!ParseContext(ctx, &p)) return Status::kInvalidArgument;
  if (!LayoutConsistent(message, skOffset)) return Status::kSkMalformed;
  const std::size_t payload = message.size() - skOffset;
  const std::size_t overhead = kGenericPayloadHeaderLength + p.info.iv + p.info.icv;
  if (payload < overhead + 1) return Status::kSkMalformed;  // at least the pad length octet
  const std::size_t contentLength = payload - overhead;
  if (contentLength % p.info.block != 0) return Status::kSkMalformed;
  const std::size_t ivOffset = skOffset + kGenericPayloadHeaderLength;
  uint8_t* content = message.data() + ivOffset + p.info.iv;
  const uint8_t* icv = content + contentLength;
  EVP_CIPHER_CTX* c = t_cipher.ctx;
  int outl = 0;

  if (p.info.aead) {
    uint8_t nonce[kGcmSalt + kGcmIv];
    std::memcpy(nonce, ctx.data() + kSkCtxSalt, kGcmSalt);
    std::memcpy(nonce + kGcmSalt, message.data() + ivOffset, kGcmIv);
    if (EVP_DecryptInit_ex2(c, CipherFor(c, p.suite), ctx.data() + kSkCtxEncKey, nonce, nullptr) != 1 ||
        EVP_DecryptUpdate(c, nullptr, &outl, message.data(), static_cast<int>(ivOffset)) != 1 ||
        EVP_DecryptUpdate(c, content, &outl, content, static_cast<int>(contentLength)) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, kGcmIcv, const_cast<uint8_t*>(icv)) != 1) {
      OPENSSL_cleanse(content, contentLength);
      return FailReset(c, Status::kOpenSsl);
    }
    // The tag is compared in constant time inside OpenSSL's GCM final.
    if (EVP_DecryptFinal_ex(c, content + outl, &outl) != 1) {
      OPENSSL_cleanse(content, contentLength);
      return FailReset(c, Status::kSkIcvMismatch);
    }
  } else {
    uint8_t mac[kMaxPrfLength];
    const std::size_t covered = message.size() - p.info.icv;
    Status s = Hmac(p.info.hash, Bytes(ctx.data() + kSkCtxIntegKey, p.info.integKey), {Bytes(message.first(covered))},
                    mac);
    if (s != Status::kOk) return s;
    if (CRYPTO_memcmp(mac, icv, p.info.icv) != 0) return Status::kSkIcvMismatch;
    if (EVP_DecryptInit_ex2(c, CipherFor(c, p.suite), ctx.data() + kSkCtxEncKey, message.data() + ivOffset,
                            nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(c, 0) != 1 ||
        EVP_DecryptUpdate(c, content, &outl, content, static_cast<int>(contentLength)) != 1 ||
        EVP_DecryptFinal_ex(c, content + outl, &outl) != 1) {
      return FailReset(c, Status::kOpenSsl);
    }
  }
  const std::size_t padLength = content[contentLength - 1];
  if (padLength + 1 > contentLength) return Status::kSkMalformed;
  *plaintextOffset = ivOffset + p.info.iv;
  *plaintextLength = contentLength - padLength - 1;
  return Status::kOk;
}

}  // namespace ikelb::crypto
