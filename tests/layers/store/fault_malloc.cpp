#include "tests/layers/store/fault_malloc.h"

#include <sqlite3.h>

#include <atomic>
#include <stdexcept>
#include <string>

namespace veldwacht::layers::testing {

namespace {

sqlite3_mem_methods gDefault{};
std::atomic<std::int64_t> gCount{0};
std::atomic<std::int64_t> gInjected{0};
std::atomic<std::int64_t> gFailAt{0};  // 0 = disarmed
std::atomic<bool> gPersistent{false};

/// True when this allocation is to fail.
bool shouldFail() {
  const std::int64_t n = ++gCount;
  const std::int64_t at = gFailAt.load(std::memory_order_relaxed);
  if (at <= 0) return false;
  if (n == at || (n > at && gPersistent.load(std::memory_order_relaxed))) {
    ++gInjected;
    return true;
  }
  return false;
}

void* faultMalloc(int bytes) {
  if (shouldFail()) return nullptr;
  return gDefault.xMalloc(bytes);
}

void* faultRealloc(void* p, int bytes) {
  // A realloc that does not grow cannot fail in practice; counting only growth keeps the
  // numbering of a run stable whatever the default allocator does with shrinking.
  if (p == nullptr || bytes > gDefault.xSize(p)) {
    if (shouldFail()) return nullptr;
  }
  return gDefault.xRealloc(p, bytes);
}

}  // namespace

FaultMalloc& FaultMalloc::install() {
  static FaultMalloc* instance = [] {
    int rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &gDefault);
    if (rc == SQLITE_MISUSE) {  // initialised already: shut down first (nothing is open yet)
      sqlite3_shutdown();
      rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &gDefault);
    }
    if (rc != SQLITE_OK)
      throw std::runtime_error("SQLITE_CONFIG_GETMALLOC failed: " + std::to_string(rc));
    sqlite3_mem_methods wrapped = gDefault;
    wrapped.xMalloc = faultMalloc;
    wrapped.xRealloc = faultRealloc;
    rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped);
    if (rc != SQLITE_OK)
      throw std::runtime_error("SQLITE_CONFIG_MALLOC failed: " + std::to_string(rc));
    rc = sqlite3_initialize();
    if (rc != SQLITE_OK)
      throw std::runtime_error("sqlite3_initialize failed: " + std::to_string(rc));
    return new FaultMalloc();
  }();
  return *instance;
}

void FaultMalloc::arm(std::int64_t n, bool persistent) {
  gCount = 0;
  gInjected = 0;
  gPersistent = persistent;
  gFailAt = n;
}

void FaultMalloc::disarm() { gFailAt = 0; }

MallocCounts FaultMalloc::counts() const { return {gCount.load(), gInjected.load()}; }

void FaultMalloc::reset() {
  gCount = 0;
  gInjected = 0;
}

}  // namespace veldwacht::layers::testing
