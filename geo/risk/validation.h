// Does a forecast surface predict? Hit rate and the Predictive Accuracy Index (Chainey,
// Tompson & Uhlig 2008, "The utility of hotspot mapping for predicting spatial patterns of
// crime", Security Journal 21: PAI = (n / N) / (a / A), the share of the held-out events that
// fall in the flagged cells over the share of the area those cells cover).
//
// Any score surface can be judged the same way (RTM relative risk, a KDE of past events, Gi*
// z-scores of past counts): cells of the study area are ranked by score, highest first, and
// the top `areaFraction` of the area is flagged. Ties are not broken arbitrarily: a group of
// cells with equal scores that straddles the budget is flagged fractionally (each of its cells
// counts for remaining budget / group size), which is the expected hit rate under a random
// tie-break. A binary surface (RTM with one proximity factor) therefore gets the honest score
// rather than one that depends on cell order. All cells are of equal area.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace veldwacht::geo {

struct HitRate {
  double areaFraction = 0.0;  ///< share of the study area flagged (a / A)
  double hits = 0.0;          ///< held-out events in the flagged cells (n; fractional with ties)
  double hitRate = 0.0;       ///< n / N
  double pai = 0.0;           ///< (n / N) / (a / A)
};

struct ForecastAccuracy {
  double events = 0.0;  ///< N, held-out events in the study area
  std::size_t cells = 0;
  std::vector<HitRate> at;  ///< one per requested area fraction
};

/// Hit rate and PAI of `scores` against held-out `counts` at each area fraction in (0, 1].
/// `inArea` empty = all cells. Scores must be finite in the study area (use a very low score,
/// not NaN, for "no risk").
ForecastAccuracy forecastAccuracy(std::span<const double> scores, std::span<const double> counts,
                                  std::span<const std::uint8_t> inArea,
                                  std::span<const double> areaFractions);

/// Hit rate and PAI of a given selection of cells (e.g. Gi* hot spot cells at 95 %).
HitRate selectionAccuracy(std::span<const std::uint8_t> selected, std::span<const double> counts,
                          std::span<const std::uint8_t> inArea);

}  // namespace veldwacht::geo
