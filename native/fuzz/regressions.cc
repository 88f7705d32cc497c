// Sanitizer-built regression runner (ASan + UBSan, no libFuzzer): decodes
// every vector under test/vectors/ike/ and checks what its folder promises.
//   valid/        must decode, and re-encode octet for octet
//   malformed/    <CODE>--<slug>.bin must fail with decode error CODE
//   regressions/  must decode or fail cleanly (round trip when it decodes)
// Every input also runs through the fuzz targets' invariant checks.
// Usage: regressions <vectors dir>. Exit 0 when every file passed.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ike/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

using namespace ikelb::ike;

namespace {

std::vector<std::string> BinFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".bin") == 0) files.push_back(name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

// libFuzzer crash files have no extension: take every regular file there.
std::vector<std::string> AllFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.empty() || name[0] == '.' || name == "README.md") continue;
    files.push_back(name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

bool RoundTrips(const std::vector<uint8_t>& bytes, std::string& why) {
  Message m;
  const Status s = DecodeMessage(ByteView(bytes), m);
  if (!s.ok()) {
    why = std::string(ErrorCodeName(s.code)) + " at " + s.field + " offset " + std::to_string(s.offset);
    return false;
  }
  std::vector<uint8_t> out;
  if (!Encode(m, out).ok()) {
    why = "does not re-encode";
    return false;
  }
  if (out != bytes) {
    why = "re-encodes differently";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <test/vectors/ike>\n", argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  int passed = 0;
  int failed = 0;
  auto report = [&](bool ok, const std::string& file, const std::string& why) {
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::fprintf(stderr, "FAIL %s: %s\n", file.c_str(), why.c_str());
    }
  };

  for (const std::string& f : BinFiles(root + "/valid")) {
    const std::vector<uint8_t> bytes = Read(root + "/valid/" + f);
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    std::string why;
    report(RoundTrips(bytes, why), "valid/" + f, why);
  }
  for (const std::string& f : BinFiles(root + "/malformed")) {
    const std::vector<uint8_t> bytes = Read(root + "/malformed/" + f);
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    const std::string expected = f.substr(0, f.find("--"));
    Message m;
    const Status s = DecodeMessage(ByteView(bytes), m);
    report(!s.ok() && expected == ErrorCodeName(s.code), "malformed/" + f,
           std::string("expected ") + expected + ", got " + ErrorCodeName(s.code));
  }
  for (const std::string& f : AllFiles(root + "/regressions")) {
    const std::vector<uint8_t> bytes = Read(root + "/regressions/" + f);
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());  // aborts on an invariant violation
    report(true, "regressions/" + f, "");
  }
  std::printf("regressions: %d passed, %d failed (ASan+UBSan)\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
