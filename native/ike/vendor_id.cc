#include "ike/vendor_id.h"

namespace ikelb::ike {

Status ParseVendorId(const PayloadView& payload, VendorIdPayload& out) {
  out.data = payload.body;
  return Status{};
}

EncodeStatus EncodeVendorId(const VendorIdPayload& vid, Writer& w) {
  w.Bytes(vid.data);
  return EncodeStatus{};
}

}  // namespace ikelb::ike
