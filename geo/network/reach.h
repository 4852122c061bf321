// Reachability within a cost limit (service areas, isochrones) from one or more bases: the
// reached parts of the wegvakken per base (partial at the frontier), an area polygon around them
// (a GEOS buffer of the reached lines, so the area follows the roads, not a circle), and for every
// site the nearest base by cost (one multi-source Dijkstra over all bases).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/network/shortest_paths.h"

namespace veldwacht::geo {

/// How the area around the reached roads is drawn.
enum class AreaShape : std::uint8_t {
  /// Concave hull (GEOS, Park & Oh 2012 via Delaunay edge removal) of the vertices of the reached
  /// parts, buffered by areaBuffer: the region the roads reach, fields between them included.
  /// Fast: O(n log n) in the vertices.
  ConcaveHull,
  /// The buffer of the reached parts themselves: only the road corridors. Exact, but GEOS's
  /// buffer of thousands of overlapping lines is slow (seconds per base at province scale).
  Buffer,
};

struct ReachOptions {
  /// The limit in the graph's cost unit (seconds for a time graph, metres for a length graph).
  double limit = 900.0;
  /// Buffer (metres) around the hull or the reached road parts; 0 = no polygons.
  double areaBuffer = 100.0;
  AreaShape areaShape = AreaShape::ConcaveHull;
  /// GEOS concave-hull ratio in [0, 1]: 0 = most concave, 1 = convex hull.
  double hullRatio = 0.2;
  /// Worker threads over bases; 0 = all cores. Results do not depend on it.
  std::size_t threads = 0;
  void validate() const;
};

/// [fromOffset, toOffset] (metres, fromOffset <= toOffset) of a wegvak reached from one base.
struct ReachedPart {
  std::uint32_t base = 0;
  std::uint32_t wegvak = 0;
  double fromOffset = 0.0, toOffset = 0.0;
};

struct SiteReach {
  std::int64_t nearestBase = -1;  ///< index into the bases; -1 when no base reaches the site
  double cost = kUnreachable;     ///< to the nearest base (graph's cost unit)
  double length = kUnreachable;   ///< metres
  double time = kUnreachable;     ///< seconds
  bool withinLimit = false;
};

struct ReachResult {
  std::vector<ReachedPart> parts;                ///< by base, then wegvak
  std::vector<std::vector<std::uint8_t>> areas;  ///< per base: ISO WKB (Multi)Polygon or empty
  std::vector<double> reachedLength;             ///< per base: metres of road reached
  std::vector<SiteReach> sites;
};

/// Reached parts of one settled search (cost ≤ limit), merged per wegvak.
std::vector<ReachedPart> reachedParts(const ShortestPaths& search, std::span<const Seed> seeds,
                                      double limit, std::uint32_t base);

ReachResult reachability(const SearchGraph& graph, std::span<const NetworkLocation> bases,
                         std::span<const NetworkLocation> sites, const ReachOptions& options,
                         Progress& progress = nullProgress());

/// The area around reached parts as ISO WKB (empty when there are no parts): the concave hull
/// of their vertices buffered by `buffer`, or the buffer (round, 8 segments per quarter
/// circle) of the lines themselves. A degenerate hull (collinear points) is buffered as a line.
std::vector<std::uint8_t> reachArea(const RoadNetwork& network, std::span<const ReachedPart> parts,
                                    double buffer, AreaShape shape = AreaShape::ConcaveHull,
                                    double hullRatio = 0.2);

}  // namespace veldwacht::geo
