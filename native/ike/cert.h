// Certificate (CERT, RFC 7296 §3.6) and Certificate Request (CERTREQ, §3.7).
//
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~       Certificate Data / Certification Authority              ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field         | notes                                 |
// |--------|--------|---------------|---------------------------------------|
// | 0      | 1      | Cert Encoding | CertEncoding in constants.def         |
// | 1      | n      | Data          | opaque here (X.509 DER, SHA-1 list...) |
#pragma once

#include "ike/payload.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct CertPayload {
  uint8_t encoding = 0;
  ByteView data;
};

/// For CERT and CERTREQ (payload.type tells which).
Status ParseCert(const PayloadView& payload, CertPayload& out);
EncodeStatus EncodeCert(const CertPayload& cert, Writer& w);

}  // namespace ikelb::ike
