// Connectivity of the network for one travel mode: weakly connected components (islands),
// strongly connected components (Kosaraju, iterative), dead ends and one-way traps, and the
// warning for a point whose snap lands in a small island.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/network/shortest_paths.h"

namespace veldwacht::geo {

struct ConnectivityOptions {
  /// An island with fewer junctions than this is "small": snaps into it get a warning.
  std::size_t smallComponentJunctions = 50;
  /// At most this many junction ids are listed per kind (the counts are always complete).
  std::size_t maxListed = 100;
  void validate() const;
};

struct ConnectivityReport {
  std::size_t junctions = 0;  ///< junctions with at least one usable wegvak
  std::size_t weakComponents = 0, strongComponents = 0;
  std::size_t largestWeak = 0, largestStrong = 0;  ///< junctions in the largest component
  /// Per node: its weak component (-1 when no usable wegvak meets there) and that size.
  std::vector<std::int32_t> weakOf;
  std::vector<std::uint32_t> weakSize;
  std::vector<std::int32_t> strongOf;
  std::int32_t largestStrongId = -1;
  /// Junctions where exactly one usable wegvak ends (cul-de-sacs, farm tracks).
  std::size_t deadEnds = 0;
  std::vector<std::int64_t> deadEndJunctions;
  /// Junctions on the main island that are not in its largest strong component: one can drive
  /// in and not out, or out and not in (one-way traps).
  std::size_t trapJunctions = 0;
  std::vector<std::int64_t> trapJunctionIds;

  std::vector<std::string> summary() const;
};

ConnectivityReport connectivity(const SearchGraph& graph, const ConnectivityOptions& options = {},
                                Progress& progress = nullProgress());

/// A warning when `loc` lies in a small island or a one-way trap; nullopt otherwise.
std::optional<std::string> snapWarning(const ConnectivityReport& report, const SearchGraph& graph,
                                       const NetworkLocation& loc, const std::string& layer,
                                       const std::string& key,
                                       const ConnectivityOptions& options = {});

}  // namespace veldwacht::geo
