// Glue only: builds the addon's exports from each native module's register
// function. Every module hangs its functions under its own key (exports.codec,
// exports.crypto, ...) so lib/native.ts can hand each TypeScript module its
// own typed surface.
#include <napi.h>
#include <openssl/crypto.h>

#include "napi/modules.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("opensslVersion",
              Napi::String::New(env, OpenSSL_version(OPENSSL_VERSION)));
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  ikelb::napi::RegisterModules(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(ikelb, Init)
