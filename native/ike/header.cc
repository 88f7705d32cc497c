#include "ike/header.h"

#include <algorithm>

#include "ike/constants.h"

namespace ikelb::ike {

Header ToHeader(const HeaderView& view) {
  Header h;
  std::copy_n(view.spi_i().data(), 8, h.spi_i.begin());
  std::copy_n(view.spi_r().data(), 8, h.spi_r.begin());
  h.major_version = view.major_version();
  h.minor_version = view.minor_version();
  h.exchange_type = view.exchange_type();
  h.flags = view.flags();
  h.message_id = view.message_id();
  return h;
}

}  // namespace ikelb::ike
