// Small seeded balanced-areas cases for the CBC anchor (tests/geo/planning/areas_exact_test.cpp,
// bench/planning_areas.cpp): square cells (rook contiguity) or hexagonal cells (6 neighbours,
// odd rows shifted by half a cell), 4 x 4, 3 x 5 or 4 x 5, 2 or 3 areas, integer workloads 1..9
// with now and then a heavy unit (x 3), as site counts per cell come.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo::testing {

struct AreaInstance {
  std::string shape;  ///< e.g. "grid 4x5" or "hex 5x5"
  std::size_t areas = 2;
  std::vector<double> workload;
  std::vector<Point> centroids;
  std::vector<std::vector<std::size_t>> adjacency;
};

inline AreaInstance lattice(std::size_t cols, std::size_t rows, bool hex) {
  AreaInstance g;
  g.shape = std::string(hex ? "hex " : "grid ") + std::to_string(cols) + "x" + std::to_string(rows);
  auto id = [&](std::size_t c, std::size_t r) { return r * cols + c; };
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double shift = hex && r % 2 == 1 ? 0.5 : 0.0;
      g.centroids.push_back(
          Point{double(c) + 0.5 + shift, (hex ? std::sqrt(3.0) / 2.0 : 1.0) * double(r) + 0.5});
      std::vector<std::size_t> nb;
      if (c > 0) nb.push_back(id(c - 1, r));
      if (c + 1 < cols) nb.push_back(id(c + 1, r));
      for (std::size_t rr : {r - 1, r + 1}) {
        if (rr >= rows) continue;  // r - 1 wraps for r = 0
        nb.push_back(id(c, rr));
        if (hex) {
          // Even rows reach the cell to the left in the rows above and below, odd rows the right.
          if (r % 2 == 0 && c > 0) nb.push_back(id(c - 1, rr));
          if (r % 2 == 1 && c + 1 < cols) nb.push_back(id(c + 1, rr));
        }
      }
      g.adjacency.push_back(nb);
    }
  return g;
}

inline AreaInstance randomAreaInstance(std::uint64_t seed) {
  static const std::size_t dims[][2] = {{4, 4}, {3, 5}, {4, 5}};
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + 7);
  const auto& d = dims[seed % 3];
  AreaInstance g = lattice(d[0], d[1], (seed / 3) % 2 == 1);
  g.areas = 2 + (seed / 6) % 2;
  std::uniform_int_distribution<int> work(1, 9);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  for (std::size_t u = 0; u < g.centroids.size(); ++u)
    g.workload.push_back(double(work(rng)) * (u01(rng) < 0.1 ? 3.0 : 1.0));
  return g;
}

/// Whether area `a` has members and they form one connected piece of `g`'s adjacency (a
/// breadth-first search over the area's own units from its first member reaches them all). Any
/// graph with `adjacency` (a list of neighbours per unit); independent of geo/planning's checks.
template <class Graph>
bool contiguousArea(const Graph& g, const std::vector<std::size_t>& areaOf, std::size_t a) {
  std::vector<std::size_t> members;
  for (std::size_t u = 0; u < areaOf.size(); ++u)
    if (areaOf[u] == a) members.push_back(u);
  if (members.empty()) return false;
  std::vector<char> seen(areaOf.size(), 0);
  std::vector<std::size_t> queue{members[0]};
  seen[members[0]] = 1;
  for (std::size_t i = 0; i < queue.size(); ++i)
    for (std::size_t v : g.adjacency[queue[i]])
      if (areaOf[v] == a && !seen[v]) {
        seen[v] = 1;
        queue.push_back(v);
      }
  return queue.size() == members.size();
}

/// Whether each of areas 0..k-1 is contiguous (contiguousArea).
inline bool allContiguous(const AreaInstance& g, const std::vector<std::size_t>& areaOf,
                          std::size_t k) {
  for (std::size_t a = 0; a < k; ++a)
    if (!contiguousArea(g, areaOf, a)) return false;
  return true;
}

}  // namespace veldwacht::geo::testing
