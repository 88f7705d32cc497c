#include "ike/cert.h"

#include "ike/constants.h"

namespace ikelb::ike {

Status ParseCert(const PayloadView& payload, CertPayload& out) {
  if (payload.body.empty()) {
    return Fail(ErrorCode::PAYLOAD_TOO_SHORT, payload.type == PayloadType::CERT ? "CERT" : "CERTREQ", payload.offset,
                0, 1);
  }
  out.encoding = payload.body[0];
  out.data = payload.body.subspan(1);
  return Status{};
}

EncodeStatus EncodeCert(const CertPayload& cert, Writer& w) {
  w.U8(cert.encoding);
  w.Bytes(cert.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
