// Moran's I, global (Moran 1950; moments from Cliff & Ord 1981) and local (Anselin 1995, LISA).
//
// With z_i = x_i - xbar and weights w_ij (self excluded):
//   global  I   = (n / S0) sum_i sum_j w_ij z_i z_j / sum_i z_i^2,  E[I] = -1 / (n - 1)
//   local   I_i = (z_i / m2) sum_j w_ij z_j,  m2 = sum_i z_i^2 / n,  E[I_i] = -w_i. / (n - 1)
// The local variance is Anselin's (1995) randomisation variance; the global one is given under
// both the normality and the randomisation assumptions (Cliff & Ord 1981, eqs. 1.35-1.36).
// Local Moran's I separates clusters (HH, LL) from spatial outliers (HL, LH), which Gi* cannot.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/hotspots/inference.h"
#include "geo/hotspots/weights.h"

namespace veldwacht::geo {

struct GlobalMoranOptions {
  /// Row-standardise the weights (w_ij = 1 / |N(i)|), as ArcGIS's Spatial Autocorrelation tool
  /// does by default; otherwise binary.
  bool rowStandardise = true;
  void validate() const {}
};

struct GlobalMoranResult {
  double i = 0.0;
  double expected = 0.0;        ///< -1 / (n - 1)
  double varianceNormal = 0.0;  ///< under normality
  double varianceRandom = 0.0;  ///< under randomisation (kurtosis-corrected)
  double zNormal = 0.0;
  double zRandom = 0.0;
  double pNormal = 1.0;  ///< two-sided
  double pRandom = 1.0;  ///< two-sided
  std::size_t n = 0;
  std::size_t islands = 0;
};

GlobalMoranResult globalMoran(std::span<const double> values, const SpatialWeights& weights,
                              const GlobalMoranOptions& options = {});

/// Global Moran's I for a series of fixed distance bands (ArcGIS's Incremental Spatial
/// Autocorrelation) in two k-d tree passes, without materialising any weights: the same
/// numbers as globalMoran(values, distanceBandWeights(points, {d}).weights) for each d, in
/// O(n * neighbours at the largest band * bands) time and O(n * bands) memory.
std::vector<GlobalMoranResult> incrementalGlobalMoran(std::span<const Point> points,
                                                      std::span<const double> values,
                                                      std::span<const double> distances,
                                                      const GlobalMoranOptions& options = {},
                                                      Progress& progress = nullProgress());

/// Local Moran cluster/outlier type, as ArcGIS's COType and GeoDa's LISA map.
enum class ClusterType : std::int8_t {
  NotSignificant = 0,
  HighHigh = 1,  ///< high value among high neighbours (cluster)
  LowLow = 2,    ///< low among low (cluster)
  HighLow = 3,   ///< high among low (outlier)
  LowHigh = 4,   ///< low among high (outlier)
};

struct LocalMoranOptions {
  bool rowStandardise = true;  ///< Anselin (1995) and ArcGIS use row-standardised weights
  std::uint32_t permutations = 999;
  std::uint64_t seed = 12345;
  Correction correction = Correction::Fdr;
  /// Permutation, as GeoDa and ArcGIS's Cluster and Outlier Analysis; analytic when 0 perms.
  PValueSource clustersFrom = PValueSource::Permutation;
  double alpha = 0.05;  ///< significance level of the cluster types
  std::size_t threads = 0;
  void validate() const;
};

struct LocalMoranResult {
  std::vector<double> i;             ///< I_i
  std::vector<double> expected;      ///< E[I_i]
  std::vector<double> variance;      ///< Var[I_i] under randomisation
  std::vector<double> z;             ///< (I_i - E) / sqrt(Var)
  std::vector<double> p;             ///< two-sided normal p of z
  std::vector<double> pPermutation;  ///< pseudo p, empty when permutations == 0
  std::vector<double> pAdjusted;     ///< the p used for the types, after correction
  std::vector<double> lag;           ///< spatial lag of z: sum_j w_ij z_j
  std::vector<ClusterType> type;
  std::vector<std::string> warnings;
};

LocalMoranResult localMoran(std::span<const double> values, const SpatialWeights& weights,
                            const LocalMoranOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
