// libFuzzer target for the tape reader (native/ike/tape.h): whatever words
// and blob arrive from JavaScript, ReadTape must refuse or produce a message
// the encoder handles without reading outside the blob. Input: 2 octets of
// word count n, n x 4 octets of words, then the blob.
#include <cstdint>
#include <cstring>
#include <vector>

#include "ike/message.h"
#include "ike/tape.h"

using namespace ikelb::ike;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t n = std::min<size_t>(Load16(data), (size - 2) / 4);
  std::vector<uint32_t> words(n);
  for (size_t i = 0; i < n; ++i) words[i] = Load32(data + 2 + 4 * i);
  const ByteView blob(data + 2 + 4 * n, size - 2 - 4 * n);
  const bool with_header = n > 0 && (words[0] & 1) == 0;
  Message m;
  TapeError te;
  if (ReadTape(words, blob, with_header ? &m.header : nullptr, m.payloads, te)) {
    std::vector<uint8_t> out;
    if (with_header) {
      (void)Encode(m, out);
    } else {
      uint8_t first = 0;
      (void)EncodePayloads(m.payloads, out, first);
    }
  }
  return 0;
}
