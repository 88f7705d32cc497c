// libFuzzer target for the tape reader (native/ike/tape.h): whatever words
// and blob arrive from JavaScript, ReadTape must refuse or produce a message
// the encoder handles without reading outside the blob; and the one-pass
// encode into a fixed buffer (what codec.encodeInto runs) must agree with the
// measuring encode: the same octets when they fit, BUFFER_TOO_SMALL with the
// length needed when they do not, the same refusal otherwise. Input: 2 octets
// of word count n, n x 4 octets of words, then the blob.
#include <cstdint>
#include <cstdlib>
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
    uint8_t first = 0;
    const EncodeStatus measured = with_header ? Encode(m, out) : EncodePayloads(m.payloads, out, first);
    uint8_t fixed[512];
    size_t written = 0;
    uint8_t fixed_first = 0;
    const EncodeStatus direct = with_header ? Encode(m, std::span<uint8_t>(fixed), written)
                                            : EncodePayloads(m.payloads, std::span<uint8_t>(fixed), written, fixed_first);
    if (measured.ok()) {
      if (out.size() <= sizeof fixed) {
        if (!direct.ok() || written != out.size() || std::memcmp(fixed, out.data(), written) != 0) abort();
        if (!with_header && fixed_first != first) abort();
      } else if (direct.code != EncodeError::BUFFER_TOO_SMALL || direct.value != out.size()) {
        abort();
      }
    } else if (direct.ok()) {
      abort();
    }
  }
  return 0;
}
