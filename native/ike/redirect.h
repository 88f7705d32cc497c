// The stateless IKE_SA_INIT redirect of RFC 5685 (§3, notify data §8.2),
// zero allocation, for the data-plane fast path:
//
//   InitRequestInfo req;
//   if (InspectInitRequest(datagram, req).ok() && req.is_init_request &&
//       (req.redirect_supported || req.redirected_from)) {
//     size_t n;
//     if (WriteRedirectResponse(req, gateway, reply_buffer, n).ok()) send(reply_buffer, n);
//   }
//
// The response is HDR(SPIi, SPIr = 0, IKE_SA_INIT, R, message ID 0) followed
// by N(REDIRECT) only, carrying the gateway identity and the initiator's
// nonce Ni copied verbatim (the client checks it: anti-spoofing). Nothing is
// remembered about the request, like a cookie reply.
#pragma once

#include <span>

#include "ike/errors.h"
#include "ike/header.h"
#include "ike/notify_data.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct InitRequestInfo {
  HeaderView header;
  /// IKE_SA_INIT, Initiator flag set, Response flag clear, message ID 0.
  bool is_init_request = false;
  ByteView nonce;                   ///< Ni (16..256 octets once validated); empty if absent
  bool redirect_supported = false;  ///< N(REDIRECT_SUPPORTED)
  bool redirected_from = false;     ///< N(REDIRECTED_FROM): implies support (RFC 5685)
  ByteView cookie;                  ///< N(COOKIE) data, empty if absent
};

/// Validates the whole datagram (the checks of ValidateMessage) and collects
/// what a redirect decision needs. Zero allocation.
Status InspectInitRequest(ByteView datagram, InitRequestInfo& out);

/// Writes the redirect response into `out`. Refuses (INVALID / FIELD_OVERFLOW)
/// a request without a nonce or a gateway identity REDIRECT cannot carry.
EncodeStatus WriteRedirectResponse(const InitRequestInfo& request, const GatewayIdentity& gateway,
                                   std::span<uint8_t> out, size_t& written);

}  // namespace ikelb::ike
