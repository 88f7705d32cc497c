// The message tape: a flat array of 32-bit words that carries a decoded
// Message across the N-API boundary in one call, instead of one call per
// property (lib/ike/tape.ts reads and writes the same layout). Byte strings
// are (offset, length) pairs into a byte buffer: the datagram when decoding,
// a blob of concatenated byte strings when encoding.
//
// Layout (every item one word; [n x ...] repeats):
//   message   := header payloads
//   header    := spiIOffset spiROffset majorVersion minorVersion exchangeType flags messageId
//   payloads  := count [count x payload]
//   payload   := type flags body           (flags = generic header octet 1)
//   body, by type:
//     SA        nProposals [number protocolId reserved spiOff spiLen nTransforms
//                 [type id reserved1 reserved2 nAttributes [type tv value dataOff dataLen]]]
//     KE        group reserved dataOff dataLen
//     IDi/IDr   idType reserved dataOff dataLen
//     CERT/REQ  encoding dataOff dataLen
//     AUTH      method reserved dataOff dataLen
//     NONCE     dataOff dataLen
//     NOTIFY    protocolId notifyType spiOff spiLen dataOff dataLen
//     DELETE    protocolId spiSize numSpis spisOff spisLen  (spisLen = numSpis x spiSize)
//     VENDOR_ID dataOff dataLen
//     TSi/TSr   reserved nSelectors [tsType ipProtocol startPort endPort aOff aLen bOff bLen]
//                 (address ranges: a = start, b = end address; other types: a = raw, bLen 0)
//     SK        innerNext dataOff dataLen
//     SKF       innerNext fragmentNumber totalFragments dataOff dataLen
//     CP        cfgType reserved nAttributes [type reservedBit valueOff valueLen]
//     EAP       dataOff dataLen
//     other     dataOff dataLen
//
// Reading a tape back (for encoding) checks every word: ranges of the wire
// fields, offsets and lengths inside the blob, and counts against the words
// left, so a bad tape is refused (TapeError) without over-allocating.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ike/bytes.h"
#include "ike/message.h"

namespace ikelb::ike {

inline constexpr size_t kTapeHeaderWords = 7;

/// Writes the message (or, with header == nullptr, just its payload chain)
/// into `words`; byte strings become offsets from `base`, which every
/// ByteView of the message must point into. Returns the number of words the
/// tape needs: when that exceeds words.size(), nothing useful was written and
/// the caller retries with a bigger tape.
size_t WriteTape(const Header* header, const std::vector<Payload>& payloads, ByteView base, std::span<uint32_t> words);

struct TapeError {
  size_t word = 0;         ///< index of the offending word
  const char* what = "";   ///< what was wrong with it
};

/// Reads a tape written by lib/ike/tape.ts. ByteViews point into `blob`.
/// header == nullptr: a payload chain only. Returns false and fills `error`
/// on a malformed tape.
bool ReadTape(std::span<const uint32_t> words, ByteView blob, Header* header, std::vector<Payload>& payloads,
              TapeError& error);

}  // namespace ikelb::ike
