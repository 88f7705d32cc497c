// Notification data with structure: RFC 5685 redirect, RFC 5723 session
// resumption, and the fixed-length data of RFC 7296 / RFC 7383 / RFC 7427
// notifies. Zero allocation: parsers return views into the data, encoders
// write through a Writer.
//
// REDIRECT (RFC 5685 §8.2) and REDIRECTED_FROM (§8.3) data:
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | GW Ident Type |  GW Ident Len |                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               ~
// ~                 New (or Original) Responder GW Identity       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                 Nonce Data (REDIRECT in IKE_SA_INIT only)     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// | offset | octets | field         | notes                                   |
// |--------|--------|---------------|-----------------------------------------|
// | 0      | 1      | GW Ident Type | 1 IPv4, 2 IPv6, 3 FQDN; others kept raw |
// | 1      | 1      | GW Ident Len  | IPv4 4, IPv6 16, FQDN 1..255            |
// | 2      | len    | GW Identity   |                                         |
// | 2+len  | n      | Nonce Data    | REDIRECT only: the initiator's Ni copied |
// |        |        |               | (16..256 octets) or absent              |
//
// TICKET_LT_OPAQUE (RFC 5723 §4) data:
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                        Lifetime (seconds)                     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        Ticket                                 ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// TICKET_OPAQUE (§4.4) data is the ticket; TICKET_REQUEST, TICKET_ACK and
// TICKET_NACK (§4.3) carry none.
//
// Fixed lengths (constants.def IKELB_NOTIFY_DATA): COOKIE 1..64,
// INVALID_KE_PAYLOAD 2 (the group), NAT_DETECTION_*_IP 20 (SHA-1),
// SIGNATURE_HASH_ALGORITHMS 2n (RFC 7427 §4), IKEV2_FRAGMENTATION_SUPPORTED
// and REDIRECT_SUPPORTED empty, ...
#pragma once

#include <cstdint>

#include "ike/bytes.h"
#include "ike/errors.h"
#include "ike/writer.h"

namespace ikelb::ike {

struct GatewayIdentity {
  uint8_t type = 0;  ///< GatewayIdentityType
  ByteView value;    ///< 4 or 16 address octets, or the FQDN's octets
};

struct RedirectData {
  GatewayIdentity gateway;
  ByteView nonce;  ///< empty when absent
};

/// `redirected_from`: parse REDIRECTED_FROM (no nonce allowed) instead of
/// REDIRECT. `data_offset` is data[0]'s absolute offset, for errors.
Status ParseRedirectData(ByteView data, Offset data_offset, bool redirected_from, RedirectData& out);

/// Refuses what ParseRedirectData would reject (an FQDN over 255 octets:
/// FQDN_LENGTH; an IPv4 identity that is not 4 octets: REDIRECT_IDENTITY; a
/// nonce outside 16..256: REDIRECT_NONCE_LENGTH; a nonce in REDIRECTED_FROM).
EncodeStatus EncodeRedirectData(const RedirectData& redirect, bool redirected_from, Writer& w);

struct TicketLtOpaqueData {
  uint32_t lifetime = 0;
  ByteView ticket;
};

Status ParseTicketLtOpaque(ByteView data, Offset data_offset, TicketLtOpaqueData& out);
EncodeStatus EncodeTicketLtOpaque(const TicketLtOpaqueData& ticket, Writer& w);

/// Checks notification data of a known type: the length bounds of
/// constants.def (NOTIFY_DATA_LENGTH) and the structure of REDIRECT,
/// REDIRECTED_FROM and SIGNATURE_HASH_ALGORITHMS. Unknown types pass.
Status ValidateNotifyData(uint16_t notify_type, ByteView data, Offset data_offset);

}  // namespace ikelb::ike
