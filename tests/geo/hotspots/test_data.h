// Seeded test data shared by the hot-spot tests.
#pragma once

#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo::testdata {

/// n points uniform in [0, side)^2 with a value field: noise plus a bump around (hx, hy).
struct Field {
  std::vector<Point> points;
  std::vector<double> values;
};

inline Field seededField(std::size_t n, unsigned seed, double side = 1000.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, side);
  std::normal_distribution<double> noise(0.0, 1.0);
  Field f;
  for (std::size_t i = 0; i < n; ++i) {
    const Point p{u(rng), u(rng)};
    const double d = std::hypot(p.x - 0.3 * side, p.y - 0.6 * side);
    f.points.push_back(p);
    f.values.push_back(10.0 + noise(rng) + 6.0 * std::exp(-d * d / (2.0 * 0.01 * side * side)));
  }
  return f;
}

/// Rook-adjacency pairs of a rows x cols lattice, cells numbered row-major.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> rookPairs(std::uint32_t rows,
                                                                      std::uint32_t cols) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t c = 0; c < cols; ++c) {
      const std::uint32_t i = r * cols + c;
      if (c + 1 < cols) pairs.emplace_back(i, i + 1);
      if (r + 1 < rows) pairs.emplace_back(i, i + cols);
    }
  return pairs;
}

}  // namespace veldwacht::geo::testdata
