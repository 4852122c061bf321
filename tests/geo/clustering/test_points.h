// Seeded test data for the clustering tests: Gaussian blobs over uniform background, rounded to
// whole metres so that many pairs lie exactly at eps (ties must count as neighbours).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo::testing {

inline std::vector<Point> blobsOnIntegerGrid(std::size_t n, unsigned seed, std::size_t blobs = 4,
                                             double extent = 300.0, double spread = 8.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, extent);
  std::normal_distribution<double> g(0.0, spread);
  std::vector<Point> centres(blobs);
  for (auto& c : centres) c = {u(rng), u(rng)};
  std::vector<Point> pts(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 3 == 0 || blobs == 0) {
      pts[i] = {std::round(u(rng)), std::round(u(rng))};
    } else {
      const Point& c = centres[i % blobs];
      pts[i] = {std::round(c.x + g(rng)), std::round(c.y + g(rng))};
    }
  }
  return pts;
}

}  // namespace veldwacht::geo::testing
