// Getis-Ord Gi* hot spot statistic (Getis & Ord 1992; Ord & Getis 1995), as ArcGIS's Hot Spot
// Analysis computes it: for feature i with weights w_ij over all j *including i itself*,
//
//   Gi* = (sum_j w_ij x_j - xbar sum_j w_ij) / (S sqrt((n sum_j w_ij^2 - (sum_j w_ij)^2) / (n-1)))
//
// with xbar the mean and S = sqrt(sum x^2 / n - xbar^2) the population standard deviation of all
// n values. Gi* is itself a z-score (Ord & Getis 1995 derive its moments under the randomisation
// null), so its analytic p-value is the two-sided normal tail. Because the normal
// approximation is poor for skewed counts and small neighbourhoods, a conditional permutation
// pseudo p-value (Anselin 1995; hold x_i, permute the rest) is computed as well.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/hotspots/inference.h"
#include "geo/hotspots/weights.h"

namespace veldwacht::geo {

struct GiStarOptions {
  /// Binary weights (ArcGIS default) or row-standardised: w_ij = 1 / (|N(i)| + 1), self included.
  bool rowStandardise = false;
  /// Conditional permutations per feature; 0 = analytic inference only.
  std::uint32_t permutations = 999;
  std::uint64_t seed = 12345;
  /// Correction applied to the bins (Gi_Bin); the z and p fields are never corrected.
  Correction correction = Correction::Fdr;
  /// Which p drives the bins. Analytic, as ArcGIS's Gi_Bin.
  PValueSource binsFrom = PValueSource::Analytic;
  /// Worker threads, 0 = all; results are identical for any value.
  std::size_t threads = 0;

  void validate() const;
};

struct GiStarResult {
  std::vector<double> z;                      ///< Gi* (a z-score)
  std::vector<double> p;                      ///< two-sided normal p of z (uncorrected)
  std::vector<double> pPermutation;           ///< pseudo p, empty when permutations == 0
  std::vector<double> pAdjusted;              ///< the bins' p after the correction
  std::vector<std::int8_t> bin;               ///< -3..+3 as ArcGIS's Gi_Bin
  std::vector<std::uint32_t> neighbourCount;  ///< features in the sum, i itself included
  double mean = 0.0;
  double sd = 0.0;  ///< population standard deviation S
  std::vector<std::string> warnings;
};

/// Gi* for every feature. `values.size()` must equal `weights.size()`; values must be finite.
GiStarResult getisOrdGiStar(std::span<const double> values, const SpatialWeights& weights,
                            const GiStarOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
