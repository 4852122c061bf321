// ST-DBSCAN: DBSCAN in space and time (Birant & Kut, "ST-DBSCAN: An algorithm for clustering
// spatial-temporal data", Data & Knowledge Engineering 60(1), 2007).
//
// Two points are neighbours when they are within eps metres (d <= eps) AND within epsSeconds
// of each other in time (dt <= epsSeconds); everything else — core test, union of core points,
// cluster numbering, border rule, DBSCAN* — is DBSCAN's (see dbscan.h), run by the same engine.
// (Birant & Kut's third threshold on a non-spatial attribute and their cluster-mean check are
// not implemented; QGIS's native:stdbscanclustering omits them too.)
//
// Time windows. A signal often has an uncertain time: "between Friday 18:00 and Monday 07:00".
// Such a signal carries a window [from, to] instead of a moment. The temporal distance between
// two windows is the gap between the intervals, 0 when they overlap:
//     dt([a1, a2], [b1, b2]) = max(0, max(a1, b1) - min(a2, b2))
// so two signals are temporal neighbours when they could have happened within epsSeconds of each
// other. A moment t is the window [t, t]; for two moments dt = |t1 - t2|, as in the paper.
// This distance is not a metric (two disjoint windows can both overlap a long third one), which
// is harmless: DBSCAN only needs a symmetric neighbourhood relation.
#pragma once

#include <span>

#include "geo/clustering/dbscan.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct StDbscanOptions {
  /// Spatial radius in metres (d <= eps). > 0.
  double eps = 100.0;
  /// Temporal radius in seconds (dt <= epsSeconds). >= 0. Default one week.
  double epsSeconds = 7.0 * 24 * 3600;
  /// Neighbours in space and time, the point itself included, that make a core point. >= 1.
  std::size_t minPts = 5;
  /// DBSCAN*: border points become noise.
  bool borderPointsAreNoise = false;
  /// Worker threads; 0 uses all cores. The result is the same for any value.
  int threads = 0;

  void validate() const;
};

/// ST-DBSCAN on moments: `times[i]` is the time of `points[i]`.
/// Throws OptionError, InputError (length mismatch), CancelledError.
DbscanResult stDbscan(std::span<const Point> points, std::span<const TimeSeconds> times,
                      const StDbscanOptions& options, Progress& progress = nullProgress());

/// ST-DBSCAN on time windows: point i happened somewhere in [from[i], to[i]] (from <= to).
/// Throws OptionError, InputError (length mismatch, from > to), CancelledError.
DbscanResult stDbscan(std::span<const Point> points, std::span<const TimeSeconds> from,
                      std::span<const TimeSeconds> to, const StDbscanOptions& options,
                      Progress& progress = nullProgress());

/// The temporal distance between windows [a1, a2] and [b1, b2]: the gap between them, 0 when
/// they overlap (see above).
constexpr double windowGapSeconds(TimeSeconds a1, TimeSeconds a2, TimeSeconds b1, TimeSeconds b2) {
  const TimeSeconds lo = a2 < b2 ? a2 : b2;  // earliest end
  const TimeSeconds hi = a1 > b1 ? a1 : b1;  // latest start
  return hi > lo ? double(hi - lo) : 0.0;
}

}  // namespace veldwacht::geo
