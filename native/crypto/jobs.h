// The jobs the pool runs: DH key generation / derivation, signatures and
// certificate chains. Inputs are copied into the job and outputs stay in the
// job until the JavaScript thread collects them, so a worker never touches
// JavaScript memory. OpenSSL objects are reference-counted into the job.
#pragma once
#include <vector>

#include "crypto/auth.h"
#include "crypto/dh.h"
#include "crypto/keys.h"
#include "crypto/pki.h"
#include "crypto/pool.h"

namespace ikelb::crypto {

enum class JobKind : uint32_t {
  kDhGenerate = 1,
  kDhDerive = 2,
  kDhRespond = 3,
  kSign = 4,
  kVerify = 5,
  kVerifyChain = 6,
  kNoop = 7,  // does nothing: measures the pool's own per-job cost (bench/crypto)
  // IKE_SA_INIT responder in one job: DhRespond, then the IKE SA's key material
  // (DeriveIkeSaKeyMaterial); g^ir never leaves the worker.
  kDhRespondKeys = 8,
};

class NoopJob final : public PoolJob {
 public:
  void Run() override { status = Status::kOk; }
};

class DhJob final : public PoolJob {
 public:
  DhGroup group = DhGroup::kCurve25519;
  Secret privateBlob;   // derive: input; generate: output
  std::vector<uint8_t> peer;
  std::vector<uint8_t> publicValue;  // generate / respond: output
  Secret shared;                     // derive / respond: output
  // kDhRespondKeys: the key derivation's inputs and the SA's key material.
  PrfId prf = PrfId::kHmacSha256;
  uint16_t encrId = 0, keyBits = 0, integId = 0;
  std::vector<uint8_t> nonceI, nonceR, spiI, spiR;
  Secret material;

  void Run() override {
    switch (static_cast<JobKind>(kind)) {
      case JobKind::kDhGenerate:
        publicValue.resize(DhPublicLength(group));
        privateBlob.resize(DhPrivateLength(group));
        status = DhGenerate(group, publicValue.data(), privateBlob.data());
        break;
      case JobKind::kDhDerive:
        shared.resize(DhSharedLength(group));
        status = DhDerive(group, privateBlob, peer, shared.data());
        break;
      case JobKind::kDhRespond:
        publicValue.resize(DhPublicLength(group));
        shared.resize(DhSharedLength(group));
        status = DhRespond(group, peer, publicValue.data(), shared.data());
        break;
      case JobKind::kDhRespondKeys: {
        publicValue.resize(DhPublicLength(group));
        StackSecret<kMaxDhSharedLength> gir;
        const std::size_t girLength = DhSharedLength(group);
        status = DhRespond(group, peer, publicValue.data(), gir.data);
        if (status != Status::kOk) break;
        material.resize(IkeSaKeyMaterialLength(prf));
        status = DeriveIkeSaKeyMaterial(prf, encrId, keyBits, integId, nonceI, nonceR, Bytes(gir.data, girLength), spiI,
                                        spiR, {}, false, material);
        break;
      }
      default:
        status = Status::kInvalidArgument;
    }
  }
};

class SignJob final : public PoolJob {
 public:
  explicit SignJob(EVP_PKEY* k) : key(k) { EVP_PKEY_up_ref(k); }
  ~SignJob() override { EVP_PKEY_free(key); }
  EVP_PKEY* key;
  SignatureChoice choice{AuthMethod::kDigitalSignature, HashId::kSha256, false};
  std::vector<uint8_t> data;
  std::vector<uint8_t> authData;  // sign: output; verify: input

  void Run() override {
    if (static_cast<JobKind>(kind) == JobKind::kSign) {
      status = SignAuth(key, choice, data, &authData);
    } else {
      status = VerifyAuth(key, choice.method, authData, data);
    }
  }
};

class ChainJob final : public PoolJob {
 public:
  ChainJob(X509_STORE* s, X509* l) : store(s), leaf(l) {
    X509_STORE_up_ref(s);
    X509_up_ref(l);
  }
  ~ChainJob() override {
    for (X509* c : untrusted) X509_free(c);
    X509_free(leaf);
    X509_STORE_free(store);
  }
  void AddUntrusted(X509* c) {
    X509_up_ref(c);
    untrusted.push_back(c);
  }
  X509_STORE* store;
  X509* leaf;
  std::vector<X509*> untrusted;
  int64_t atTime = 0;
  ChainResult result;

  void Run() override { status = VerifyChain(store, leaf, untrusted, atTime, &result); }
};

}  // namespace ikelb::crypto
