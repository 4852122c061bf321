// Contraction hierarchies (Geisberger, Sanders, Schultes, Delling 2008) on a SearchGraph, and the
// bucket-based many-to-many travel matrix of Knopp, Sanders, Schultes, Schulz, Wagner (2007).
//
// Build: nodes are contracted one by one in the order of a lazily updated priority (edge
// difference + contracted neighbours + level); a node's priority is simulated again only when it
// leads the queue (no neighbour updates), and it is contracted when the fresh value still leads;
// contracting v adds a shortcut u → w (cost and other measure
// summed) for every pair of remaining neighbours u → v → w unless a witness search from u that
// avoids v finds a path to w no dearer. A witness search gives up after a set number of settled
// nodes and then adds the shortcut: never wrong, only a larger hierarchy. The result is kept as
// two CSR arrays: upward arcs v → (higher node), and downward arcs stored at their lower end
// (arc u → v with rank u > rank v, kept at v pointing to u), so both searches only climb.
//
// Matrix: one backward upward search per target (seeded with its arrival tails) leaves a bucket
// entry (target, cost, other) at every node it settles; one forward upward search per origin
// (seeded with its leaving seeds) scans the buckets of the nodes it settles. Stall-on-demand
// prunes both. Every entry equals plain Dijkstra's (up to the summation order of the costs);
// unreachable pairs are +infinity.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/network/graph.h"
#include "geo/network/shortest_paths.h"

namespace veldwacht::geo {

struct ContractionOptions {
  /// Nodes a witness search may settle before it gives up (and the shortcut is added).
  std::size_t witnessSettleLimit = 400;
  void validate() const;
};

class ContractionHierarchy {
 public:
  /// Contracts every node of `graph`. Checks `progress` for cancel every 1024 contractions.
  static ContractionHierarchy build(const SearchGraph& graph,
                                    const ContractionOptions& options = {},
                                    Progress& progress = nullProgress());

  std::size_t nodeCount() const { return rank_.size(); }
  std::size_t upArcCount() const { return upHead_.size(); }
  std::size_t downArcCount() const { return downHead_.size(); }
  std::size_t shortcutCount() const { return shortcuts_; }
  std::uint32_t rank(std::uint32_t node) const { return rank_[node]; }
  /// True when the hierarchy was built on a graph of this shape (nodes, arcs, mode, cost).
  bool matches(const SearchGraph& graph) const;
  std::size_t memoryBytes() const;

  // Upward arcs out of v: [upBegin(v), upEnd(v)), each to a higher node.
  std::uint32_t upBegin(std::uint32_t v) const { return upStart_[v]; }
  std::uint32_t upEnd(std::uint32_t v) const { return upStart_[v + 1]; }
  std::uint32_t upHead(std::uint32_t a) const { return upHead_[a]; }
  double upCost(std::uint32_t a) const { return upCost_[a]; }
  double upOther(std::uint32_t a) const { return upOther_[a]; }
  // Downward arcs into v: [downBegin(v), downEnd(v)), arc downTail(a) → v from a higher node.
  std::uint32_t downBegin(std::uint32_t v) const { return downStart_[v]; }
  std::uint32_t downEnd(std::uint32_t v) const { return downStart_[v + 1]; }
  std::uint32_t downTail(std::uint32_t a) const { return downHead_[a]; }
  double downCost(std::uint32_t a) const { return downCost_[a]; }
  double downOther(std::uint32_t a) const { return downOther_[a]; }

  /// Raw arrays, for keeping the hierarchy in the store (layers/network).
  struct Arrays {
    /// nodes, arcs, mode, cost and shortcut count of the graph it was built on.
    std::vector<std::uint64_t> shape;
    std::vector<std::uint32_t> rank, upStart, upHead, downStart, downHead;
    std::vector<double> upCost, upOther, downCost, downOther;
  };
  Arrays arrays() const;
  /// Rebuilds from stored arrays; checks sizes and indices (InputError "contraction hierarchy").
  static ContractionHierarchy fromArrays(Arrays&& a);

 private:
  std::uint64_t arcs_ = 0;
  TravelMode mode_ = TravelMode::Auto;
  CostKind cost_ = CostKind::Time;
  std::size_t shortcuts_ = 0;
  std::vector<std::uint32_t> rank_;
  std::vector<std::uint32_t> upStart_, upHead_;
  std::vector<double> upCost_, upOther_;
  std::vector<std::uint32_t> downStart_, downHead_;
  std::vector<double> downCost_, downOther_;
};

/// The travel matrix of travelMatrix(graph, ...) answered on a hierarchy built for `graph`
/// (OptionError when it does not match). Results do not depend on options.threads.
MatrixResult travelMatrix(const ContractionHierarchy& hierarchy, const SearchGraph& graph,
                          std::span<const NetworkLocation> from,
                          std::span<const NetworkLocation> to, const MatrixOptions& options = {},
                          Progress& progress = nullProgress());

}  // namespace veldwacht::geo
