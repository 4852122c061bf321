// A literal O(n^2) transcription of scikit-learn's DBSCAN (_dbscan_inner.pyx): brute-force
// neighbourhoods, clusters expanded depth-first one after another in point order. The fast
// implementation must reproduce its labels exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace veldwacht::geo::testing {

struct ReferenceDbscan {
  std::vector<std::int32_t> labels;
  std::vector<std::uint8_t> core;
};

/// `isNeighbour(i, j)` must be symmetric and true for i == j.
inline ReferenceDbscan referenceDbscan(
    std::size_t n, const std::function<bool(std::size_t, std::size_t)>& isNeighbour,
    double minWeight, const std::vector<double>& weights = {}, bool borderNoise = false) {
  std::vector<std::vector<std::size_t>> nbrs(n);
  ReferenceDbscan out{std::vector<std::int32_t>(n, -1), std::vector<std::uint8_t>(n, 0)};
  for (std::size_t i = 0; i < n; ++i) {
    double w = 0;
    for (std::size_t j = 0; j < n; ++j)
      if (isNeighbour(i, j)) {
        nbrs[i].push_back(j);
        w += weights.empty() ? 1.0 : weights[j];
      }
    out.core[i] = w >= minWeight;
  }
  std::int32_t label = 0;
  std::vector<std::size_t> stack;
  for (std::size_t s = 0; s < n; ++s) {
    if (out.labels[s] != -1 || !out.core[s]) continue;
    std::size_t i = s;
    for (;;) {
      if (out.labels[i] == -1) {
        out.labels[i] = label;
        if (out.core[i])
          for (std::size_t v : nbrs[i])
            if (out.labels[v] == -1) stack.push_back(v);
      }
      if (stack.empty()) break;
      i = stack.back();
      stack.pop_back();
    }
    ++label;
  }
  if (borderNoise)
    for (std::size_t i = 0; i < n; ++i)
      if (!out.core[i]) out.labels[i] = -1;
  return out;
}

}  // namespace veldwacht::geo::testing
