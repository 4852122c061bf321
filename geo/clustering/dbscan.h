// DBSCAN and DBSCAN* over points in metres.
//
// DBSCAN (Ester, Kriegel, Sander, Xu, KDD 1996) grows clusters from "core" points: points whose
// eps-neighbourhood (the point itself included, boundary included: d <= eps) holds at least
// minPts points (or that much summed weight). Core points within eps of each other share a
// cluster; a non-core point within eps of a core point is a "border" point; the rest is noise.
// DBSCAN* (Campello, Moulavi, Sander, PAKDD 2013) drops the border points to noise, which makes
// the result independent of processing order; it is also the density level set HDBSCAN builds on.
//
// Semantics match scikit-learn's sklearn.cluster.DBSCAN (min_samples counts the point itself,
// d <= eps, sample_weight sums) for every point, border points included: clusters are numbered
// 0, 1, ... in the order of their lowest point index, and a border point reachable from several
// clusters joins the one with the lowest number, i.e. the cluster that reaches it first when the
// clusters are expanded one after another in point order. QGIS's native:dbscanclustering uses the
// same counting (its "minimum cluster size" counts the point itself, KDBush's within is d <= eps)
// and the same first-cluster-wins border rule, but numbers clusters from 1.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/clustering/labels.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct DbscanOptions {
  /// Neighbourhood radius in metres; a neighbour at exactly eps counts. > 0.
  double eps = 100.0;
  /// Points (summed weights when weights are given) within eps, the point itself included,
  /// that make a core point (scikit-learn's min_samples, QGIS's minimum cluster size). >= 1.
  std::size_t minPts = 5;
  /// DBSCAN*: border points become noise; clusters consist of core points only.
  bool borderPointsAreNoise = false;
  /// Worker threads; 0 uses all cores. The result is the same for any value.
  int threads = 0;

  /// Throws OptionError for a value out of range.
  void validate() const;
};

/// Result of any density clusterer of this folder (DBSCAN, DBSCAN*, ST-DBSCAN).
struct DbscanResult {
  /// Per input point: cluster id in [0, clusterCount), or kNoise.
  std::vector<std::int32_t> labels;
  /// Per input point: 1 when it is a core point.
  std::vector<std::uint8_t> core;
  std::size_t clusterCount = 0;
};

/// DBSCAN with every point weighing 1. Throws OptionError, CancelledError.
DbscanResult dbscan(std::span<const Point> points, const DbscanOptions& options,
                    Progress& progress = nullProgress());

/// Weighted DBSCAN: a point is core when the weights within eps sum to at least minPts
/// (scikit-learn's sample_weight). `weights` has one non-negative value per point.
/// Throws OptionError, InputError (weights of the wrong length or negative), CancelledError.
DbscanResult dbscan(std::span<const Point> points, std::span<const double> weights,
                    const DbscanOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
