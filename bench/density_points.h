// Seeded clustered points for the density benchmarks: ~60 × 60 km around the centre of the
// Netherlands (RD New), 70 % in 300 Gaussian clusters (σ 150–1500 m), 30 % uniform background.
#pragma once

#include <random>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::bench {

inline std::vector<geo::Point> densityBenchPoints(std::size_t n, unsigned seed = 20240611) {
  constexpr double x0 = 130000, y0 = 430000, side = 60000;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  struct Blob {
    double x, y, sigma;
  };
  std::vector<Blob> blobs(300);
  for (auto& b : blobs) b = {x0 + side * u(rng), y0 + side * u(rng), 150 + 1350 * u(rng)};
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<geo::Point> pts(n);
  for (auto& p : pts) {
    if (u(rng) < 0.3) {
      p = {x0 + side * u(rng), y0 + side * u(rng)};
    } else {
      const Blob& b = blobs[static_cast<std::size_t>(u(rng) * blobs.size()) % blobs.size()];
      p = {b.x + b.sigma * g(rng), b.y + b.sigma * g(rng)};
    }
  }
  return pts;
}

}  // namespace veldwacht::bench
