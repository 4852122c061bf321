// Internals of hdbscan.cpp exposed for testing against brute force.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo::detail {

struct MstEdge {
  std::uint32_t a;
  std::uint32_t b;
  double weight;  ///< mutual reachability distance, metres
};

/// Minimum spanning tree of the mutual reachability graph by Prim's algorithm on the implicit
/// dense graph, O(n^2) time and O(n) memory; each step runs in parallel while at least
/// `parallelThreshold` vertices remain (same tree for any thread count). Reports progress on
/// [0.1, 0.85).
std::vector<MstEdge> mutualReachabilityMst(std::span<const Point> points,
                                           std::span<const double> coreDistances,
                                           Progress& progress,
                                           std::size_t parallelThreshold = 32768);

/// The same tree by Boruvka's algorithm over a k-d tree: O(n log n)-ish per round, at most
/// log2(n) rounds, O(n) memory. Edges in the order they were added; the tree is unique because
/// ties are broken by point indices, and the same for any thread count.
std::vector<MstEdge> boruvkaMst(std::span<const Point> points,
                                std::span<const double> coreDistances, Progress& progress);

}  // namespace veldwacht::geo::detail
