# One addon target. Sources are grouped per native module so that each module
# owns its own list. OpenSSL comes from Node's own headers (include/node/openssl)
# and its symbols from the node binary: the system libssl is never linked.
{
  "variables": {
    "ike_sources": [
      "native/ike/auth.cc",
      "native/ike/cert.cc",
      "native/ike/cp.cc",
      "native/ike/delete.cc",
      "native/ike/eap.cc",
      "native/ike/errors.cc",
      "native/ike/header.cc",
      "native/ike/id.cc",
      "native/ike/ke.cc",
      "native/ike/message.cc",
      "native/ike/nonce.cc",
      "native/ike/notify.cc",
      "native/ike/notify_data.cc",
      "native/ike/payload.cc",
      "native/ike/redirect.cc",
      "native/ike/sa.cc",
      "native/ike/sk.cc",
      "native/ike/tape.cc",
      "native/ike/ts.cc",
      "native/ike/vendor_id.cc",
    ],
    "crypto_sources": [
      "native/crypto/aead.cc",
      "native/crypto/auth.cc",
      "native/crypto/dh.cc",
      "native/crypto/keys.cc",
      "native/crypto/pki.cc",
      "native/crypto/pool.cc",
      "native/crypto/prf.cc",
      "native/crypto/random.cc",
      "native/crypto/sk.cc",
      "native/crypto/status.cc",
    ],
    "net_sources": [
    ],
    "hsrp_sources": [
      "native/hsrp/codec.cc",
      "native/hsrp/frame.cc",
      "native/hsrp/io.cc",
    ],
    "napi_sources": [
      "native/binding.cc",
      "native/napi/modules.cc",
      "native/napi/codec.cc",
      "native/napi/hsrp.cc",
      "native/napi/crypto.cc",
    ],
  },
  "targets": [
    {
      "target_name": "ikelb",
      "sources": [
        "<@(napi_sources)",
        "<@(ike_sources)",
        "<@(crypto_sources)",
        "<@(net_sources)",
        "<@(hsrp_sources)",
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native",
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_DISABLE_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
      ],
      "cflags!": ["-O2"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": [
        "-std=c++20",
        "-O3",
        "-fvisibility=hidden",
        "-fno-exceptions",
        "-Wall",
        "-Wextra",
        "-Wno-unused-parameter",
        "-Wno-missing-field-initializers",
      ],
      "ldflags": ["-Wl,--no-undefined-version"],
    },
  ],
}
