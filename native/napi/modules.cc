#include "napi/modules.h"

namespace ikelb::napi {

void RegisterModules(Napi::Env env, Napi::Object exports) {
  RegisterCodec(env, exports);
  RegisterHsrp(env, exports);
  RegisterCrypto(env, exports);
}

}  // namespace ikelb::napi
