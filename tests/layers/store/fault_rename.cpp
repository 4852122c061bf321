#include "tests/layers/store/fault_rename.h"

#include <dlfcn.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace veldwacht::layers::testing {
namespace {

std::atomic<std::int64_t> gCount{0};
std::atomic<std::int64_t> gInjected{0};
std::atomic<std::int64_t> gFailAt{0};  // 0: disarmed
std::atomic<int> gError{0};
std::atomic<bool> gPersistent{false};

}  // namespace

FaultRename& FaultRename::instance() {
  static FaultRename self;
  return self;
}

void FaultRename::arm(std::int64_t n, int error, bool persistent) {
  gCount = 0;
  gInjected = 0;
  gError = error;
  gPersistent = persistent;
  gFailAt = n;
}

void FaultRename::disarm() { gFailAt = 0; }
std::int64_t FaultRename::renames() const { return gCount; }
std::int64_t FaultRename::injected() const { return gInjected; }

void FaultRename::reset() {
  gFailAt = 0;
  gCount = 0;
  gInjected = 0;
}

}  // namespace veldwacht::layers::testing

extern "C" int rename(const char* from, const char* to) noexcept {
  using namespace veldwacht::layers::testing;
  using Rename = int (*)(const char*, const char*);
  static const auto real = reinterpret_cast<Rename>(::dlsym(RTLD_NEXT, "rename"));
  if (from && std::strstr(from, ".tmp-")) {
    const std::int64_t n = ++gCount;
    const std::int64_t at = gFailAt;
    if (at > 0 && (n == at || (gPersistent && n > at))) {
      ++gInjected;
      errno = gError;
      return -1;
    }
  }
  return real(from, to);
}
