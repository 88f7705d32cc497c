#include "crypto/aead.h"

#include <openssl/evp.h>

#include <climits>

#include "crypto/ossl.h"

namespace ikelb::crypto {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

const EVP_CIPHER* GcmCipher(std::size_t keyLength) {
  static EVP_CIPHER* gcm128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* gcm256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return keyLength == 16 ? gcm128 : keyLength == 32 ? gcm256 : nullptr;
}

bool ArgsOk(Bytes key, Bytes nonce, Bytes aad, std::size_t length) {
  return GcmCipher(key.size()) != nullptr && nonce.size() == 12 && aad.size() < INT_MAX && length < INT_MAX;
}

}  // namespace

Status AesGcmSeal(Bytes key, Bytes nonce, Bytes aad, Bytes plaintext, MutableBytes out) {
  if (!ArgsOk(key, nonce, aad, plaintext.size()) || out.size() != plaintext.size() + kGcmTagLength) {
    return Status::kInvalidArgument;
  }
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> c(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (!c || EVP_EncryptInit_ex2(c.get(), GcmCipher(key.size()), key.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(c.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(c.get(), out.data(), &outl, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c.get(), out.data() + outl, &outl) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_GET_TAG, kGcmTagLength, out.data() + plaintext.size()) != 1) {
    ClearOpenSslErrors();
    return Status::kOpenSsl;
  }
  return Status::kOk;
}

Status AesGcmOpen(Bytes key, Bytes nonce, Bytes aad, Bytes input, MutableBytes out) {
  if (input.size() < kGcmTagLength) return Status::kSkMalformed;
  const std::size_t n = input.size() - kGcmTagLength;
  if (!ArgsOk(key, nonce, aad, n) || out.size() != n) return Status::kInvalidArgument;
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> c(EVP_CIPHER_CTX_new());
  int outl = 0;
  if (!c || EVP_DecryptInit_ex2(c.get(), GcmCipher(key.size()), key.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(c.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(c.get(), out.data(), &outl, input.data(), static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_AEAD_SET_TAG, kGcmTagLength,
                          const_cast<uint8_t*>(input.data() + n)) != 1) {
    ClearOpenSslErrors();
    OPENSSL_cleanse(out.data(), out.size());
    return Status::kOpenSsl;
  }
  if (EVP_DecryptFinal_ex(c.get(), out.data() + outl, &outl) != 1) {
    ClearOpenSslErrors();
    OPENSSL_cleanse(out.data(), out.size());
    return Status::kSkIcvMismatch;
  }
  return Status::kOk;
}

}  // namespace ikelb::crypto
