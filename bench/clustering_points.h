// Seeded point sets for the clustering benchmarks and their scikit-learn anchor (the bench
// binary's --dump writes exactly these points). Signals-like: 70 % of the points in Gaussian
// clusters (sigma 300 m, one cluster per 5000 points), 30 % uniform background, over a square
// whose side grows with sqrt(n) so the density stays that of 1 M points on 50 x 50 km.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::bench {

/// splitmix64: tiny, fully specified, the same on every platform.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t s_;
};

inline std::vector<geo::Point> clusteredPoints(std::size_t n, std::uint64_t seed = 20261125) {
  SplitMix rng(seed);
  const double side = 50000.0 * std::sqrt(double(n) / 1e6);
  const std::size_t clusters = n / 5000 + 1;
  std::vector<geo::Point> centres(clusters);
  for (auto& c : centres) c = {155000.0 + rng.uniform() * side, 463000.0 + rng.uniform() * side};
  std::vector<geo::Point> pts(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (rng.uniform() < 0.3) {
      pts[i] = {155000.0 + rng.uniform() * side, 463000.0 + rng.uniform() * side};
    } else {
      const auto& c = centres[rng.next() % clusters];
      pts[i] = {c.x + 300.0 * rng.normal(), c.y + 300.0 * rng.normal()};
    }
  }
  return pts;
}

/// DBSCAN parameters used by the bench and the anchor.
inline constexpr double kBenchEps = 50.0;
inline constexpr std::size_t kBenchMinPts = 10;

}  // namespace veldwacht::bench
