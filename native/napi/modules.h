// The list of native modules the addon exports. Each module implements its
// Register function in its own native/napi/<module>.cc file.
#pragma once
#include <napi.h>

namespace ikelb::napi {

void RegisterModules(Napi::Env env, Napi::Object exports);
void RegisterHsrp(Napi::Env env, Napi::Object exports);

// exports.codec: the IKEv2 wire codec (native/napi/codec.cc).
void RegisterCodec(Napi::Env env, Napi::Object exports);
// crypto: native/napi/crypto.cc (exports.crypto)
void RegisterCrypto(Napi::Env env, Napi::Object exports);

}  // namespace ikelb::napi
