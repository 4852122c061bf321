// Per-cluster summaries shared by every clusterer (DBSCAN family, HDBSCAN, k-means): sizes,
// hulls, time span and counts of integer-coded attributes. geo/ knows no domain, so categories
// (signal type) and sources (who reported) arrive as integers; layers/ and the CLI map their
// strings to integers and back.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "geo/clustering/labels.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct ClusterSummaryOptions {
  /// Compute the convex hull of each cluster.
  bool convexHull = true;
  /// Compute a concave hull too (GEOS 3.11 GEOSConcaveHull: edges longer than `concaveRatio`
  /// times the hull's edge-length range are removed; 1 gives the convex hull, 0 the tightest).
  bool concaveHull = false;
  double concaveRatio = 0.3;
  bool concaveAllowHoles = false;

  void validate() const;
};

/// A hull as a geometry: WKB (little-endian, 2-D) plus its vertices, for callers that want no
/// WKB. A hull of one distinct point is a Point, of collinear points a LineString, otherwise a
/// Polygon; `ring` holds the Polygon's exterior ring (closed) or the Point/LineString vertices.
struct Hull {
  std::vector<unsigned char> wkb;
  std::vector<Point> ring;
};

struct ClusterSummary {
  std::int32_t label = 0;
  std::size_t count = 0;
  /// Mean of the cluster's coordinates.
  Point centroid;
  std::optional<Hull> convexHull;
  std::optional<Hull> concaveHull;
  /// Earliest start and latest end of the members' times (when times were given).
  std::optional<TimeSeconds> timeMin;
  std::optional<TimeSeconds> timeMax;
  /// (category, number of members) sorted by category (when categories were given).
  std::vector<std::pair<std::int64_t, std::size_t>> categoryCounts;
  /// Number of distinct source values among the members (when sources were given).
  std::size_t distinctSources = 0;
};

/// Optional per-point attributes; each span is empty or has one value per point.
struct ClusterAttributes {
  /// Times (moments), or window starts when `timeTo` is given too.
  std::span<const TimeSeconds> timeFrom;
  std::span<const TimeSeconds> timeTo;
  std::span<const std::int64_t> categories;
  std::span<const std::int64_t> sources;
};

struct ClusterSummaryResult {
  /// One entry per cluster label 0 .. max label (a point's cluster size is
  /// clusters[label].count: no per-point array is held beside the labels).
  std::vector<ClusterSummary> clusters;
};

/// Summarises `labels` (kNoise or 0..k-1, one per point, as every clusterer here returns).
/// Throws OptionError, InputError (length mismatch, label < -1), LibraryError (GEOS),
/// CancelledError.
ClusterSummaryResult summarizeClusters(std::span<const Point> points,
                                       std::span<const std::int32_t> labels,
                                       const ClusterAttributes& attributes,
                                       const ClusterSummaryOptions& options,
                                       Progress& progress = nullProgress());

}  // namespace veldwacht::geo
