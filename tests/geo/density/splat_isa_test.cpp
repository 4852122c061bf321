// The KDE's splat loops give the same bits whichever instruction set runs them. kde.cpp compiles
// them into run-time clones (AVX-512, AVX2, SSE2) and a surface must not depend on the CPU that
// made it: here each build of the loops (splat_isa_*.cpp) is checked against a plain scalar
// loop written out below, bit for bit, on seeded data that crosses the radius (t = 0 exactly,
// t < 0), has negative weights, window widths that leave vector tails of every length, and
// pixels beyond each row that must stay untouched. A CPU without AVX2 or AVX-512 tests what it
// has (the test says which ran).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "splat_isa.h"

namespace veldwacht::geo {
namespace {

struct Isa {
  std::string name;
  bool supported;
  splat_isa::Loops loops;
};

std::vector<Isa> isas() {
  __builtin_cpu_init();
  return {{"sse2", true, splat_isa::sse2()},
          {"avx2", __builtin_cpu_supports("avx2") != 0, splat_isa::avx2()},
          {"avx512f", __builtin_cpu_supports("avx512f") != 0, splat_isa::avx512()}};
}

bool sameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Window widths: every tail length of 2-, 4- and 8-wide vectors, and QGIS's 21 (r 500, px 50).
const std::int64_t kWidths[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 21, 23, 31, 33, 64};

TEST(SplatIsa, PolynomialRowsGiveTheSameBitsOnEveryInstructionSet) {
  std::mt19937_64 rng(20261206);
  std::uniform_real_distribution<double> cDist(-0.3, 1.0), eDist(0.0, 1.2), wDist(-3.0, 3.0),
      start(0.0, 10.0);
  for (const Isa& isa : isas()) {
    if (!isa.supported) {
      std::cout << "[ info ] this CPU has no " << isa.name << ": not tested here\n";
      continue;
    }
    for (int power = 1; power <= 3; ++power) {
      for (std::int64_t n : kWidths) {
        const std::size_t rows = 1 + rng() % 21, stride = std::size_t(n) + 3;
        std::vector<double> c(rows), e(std::size_t(n), 0.0);
        for (double& v : c) v = cDist(rng);
        for (double& v : e) v = eDist(rng);
        c[0] = e[0];  // t = 0 exactly
        const double ws = wDist(rng);
        std::vector<double> out(rows * stride);
        for (double& v : out) v = start(rng);
        std::vector<double> want = out;
        for (std::size_t j = 0; j < rows; ++j)
          for (std::int64_t i = 0; i < n; ++i) {
            const double d = c[j] - e[std::size_t(i)];
            const double t = d > 0.0 ? d : 0.0;
            double v = ws * t;
            if (power >= 2) v *= t;
            if (power >= 3) v *= t;
            want[j * stride + std::size_t(i)] += v;
          }
        isa.loops.polynomialRows(power, out.data(), stride, c.data(), rows, e.data(), n, ws);
        EXPECT_TRUE(sameBits(out, want))
            << isa.name << ": power " << power << ", width " << n << ", rows " << rows;
      }
    }
  }
}

TEST(SplatIsa, MaskedRowsGiveTheSameBitsOnEveryInstructionSet) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> d2Dist(0.0, 2.0e5), start(0.0, 10.0), wDist(-3, 3);
  for (const Isa& isa : isas()) {
    if (!isa.supported) continue;
    for (std::int64_t n : kWidths) {
      std::vector<double> dx2(static_cast<std::size_t>(n));
      for (double& v : dx2) v = d2Dist(rng);
      const double dy2 = d2Dist(rng) / 2, r2 = 1.5e5, w = wDist(rng), s = 1.0 / 3.0;
      dx2[0] = r2 - dy2;  // on the radius: inside
      std::vector<double> out(std::size_t(n) + 2);
      for (double& v : out) v = start(rng);
      std::vector<double> want = out;
      for (std::int64_t i = 0; i < n; ++i) {
        const double d2 = dx2[std::size_t(i)] + dy2;
        want[std::size_t(i)] += d2 <= r2 ? w * s : 0.0;
      }
      isa.loops.uniformRow(out.data(), dx2.data(), n, dy2, r2, w, s);
      EXPECT_TRUE(sameBits(out, want)) << isa.name << ": width " << n;
    }
  }
}

}  // namespace
}  // namespace veldwacht::geo
