#include "ike/redirect.h"

#include <algorithm>
#include <array>

#include "ike/constants.h"
#include "ike/message.h"
#include "ike/notify.h"
#include "ike/payload.h"

namespace ikelb::ike {

Status InspectInitRequest(ByteView datagram, InitRequestInfo& out) {
  out = InitRequestInfo{};
  IKELB_TRY(ParseHeader(datagram, out.header));
  const HeaderView& h = out.header;
  out.is_init_request = h.exchange_type() == ExchangeType::IKE_SA_INIT && h.initiator() && !h.response() &&
                        h.message_id() == 0;
  PayloadCursor cursor = PayloadCursor::ForMessage(h);
  PayloadView payload;
  while (cursor.Next(payload)) {
    IKELB_TRY(ValidatePayload(payload));
    if (payload.type == PayloadType::NONCE) {
      out.nonce = payload.body;
    } else if (payload.type == PayloadType::NOTIFY) {
      NotifyPayload n;
      IKELB_TRY(ParseNotify(payload, n));
      if (n.type == NotifyType::REDIRECT_SUPPORTED) out.redirect_supported = true;
      if (n.type == NotifyType::REDIRECTED_FROM) out.redirected_from = true;
      if (n.type == NotifyType::COOKIE) out.cookie = n.data;
    }
  }
  return cursor.status();
}

EncodeStatus WriteRedirectResponse(const InitRequestInfo& request, const GatewayIdentity& gateway,
                                   std::span<uint8_t> out, size_t& written) {
  if (request.nonce.empty()) {
    return Invalid(Fail(ErrorCode::REDIRECT_NONCE_LENGTH, "N(REDIRECT).nonce", 0, 0, WireSize::NONCE_MIN,
                        WireSize::NONCE_MAX));
  }
  // Notification data on the stack: type, length, <= 255 identity, <= 256 nonce.
  std::array<uint8_t, 2 + 255 + 256> data{};
  Writer dw(data);
  const EncodeStatus ds = EncodeRedirectData(RedirectData{gateway, request.nonce}, false, dw);
  if (!ds.ok()) return ds;
  if (dw.overflowed()) return Overflow("N(REDIRECT).data", dw.size(), data.size());

  Header h;
  std::copy_n(request.header.spi_i().data(), 8, h.spi_i.begin());  // SPIr stays zero
  h.exchange_type = ExchangeType::IKE_SA_INIT;
  h.flags = HeaderFlag::RESPONSE;
  h.message_id = 0;

  MessageWriter m(out);
  m.Header(h);
  m.BeginPayload(PayloadType::NOTIFY);
  const EncodeStatus ns = EncodeNotify(NotifyPayload{0, NotifyType::REDIRECT, {}, ByteView(data.data(), dw.size()), 0}, m.body());
  if (!ns.ok()) return ns;
  const EncodeStatus es = m.EndPayload();
  if (!es.ok()) return es;
  return m.Finish(written);
}

}  // namespace ikelb::ike
