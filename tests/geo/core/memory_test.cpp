// geo/core/memory.h: the large-array helpers keep std::vector's meaning, and on Linux the 2 MiB
// extents inside an array carry the huge-page advice (VmFlags "hg" in /proc/self/smaps).
#include "geo/core/memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace veldwacht::geo {
namespace {

constexpr std::size_t kMiB = std::size_t(1) << 20;

/// VmFlags of the mapping that holds `address` ("" when none is found).
std::string vmFlagsAt(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto a = reinterpret_cast<std::uintptr_t>(address);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= a && a < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return {};
}

TEST(Memory, TheHelpersKeepVectorSemantics) {
  std::vector<int> v{1, 2, 3};
  reserveLarge(v, 5 * kMiB);
  EXPECT_GE(v.capacity(), 5 * kMiB);
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3}));
  resizeLarge(v, 6 * kMiB);  // grows past the capacity: the old values stay, the new are 0
  ASSERT_EQ(v.size(), 6 * kMiB);
  EXPECT_EQ(v[2], 3);
  EXPECT_EQ(v[3], 0);
  EXPECT_EQ(v.back(), 0);
  assignLarge(v, 3 * kMiB, 7);
  ASSERT_EQ(v.size(), 3 * kMiB);
  EXPECT_EQ(v.front(), 7);
  EXPECT_EQ(v.back(), 7);
  std::vector<double> empty;
  assignLarge(empty, 0, 1.0);
  EXPECT_TRUE(empty.empty());
  adviseHugePages(nullptr, 0);  // nothing to advise: no effect, no failure
  adviseHugePages(v.data(), 16);
}

TEST(Memory, TheExtentsInsideALargeArrayCarryTheHugePageAdvice) {
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(thp, mode);
  if (mode.empty() || mode.find("[never]") != std::string::npos)
    GTEST_SKIP() << "no transparent huge pages on this system";
  std::vector<std::uint8_t> v;
  reserveLarge(v, 16 * kMiB);
  // The first whole 2 MiB extent inside the block.
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t extent = (begin + 2 * kMiB - 1) & ~(2 * kMiB - 1);
  const std::string flags = vmFlagsAt(reinterpret_cast<const void*>(extent));
  ASSERT_FALSE(flags.empty());
  EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  // A small vector is left alone (no whole extent inside it).
  std::vector<std::uint8_t> small;
  reserveLarge(small, 4096);
  EXPECT_EQ(vmFlagsAt(small.data()).find(" hg"), std::string::npos);
}

}  // namespace
}  // namespace veldwacht::geo
