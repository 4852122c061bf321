// Influence rasters of risk factors for risk terrain modelling (Caplan & Kennedy 2016, "Risk
// Terrain Modeling: Crime Prediction and Risk Reduction", ch. 3; RTMDx): each factor's features
// (points, or polylines densified to points) become, on the analysis grid, one candidate
// variable per operationalisation and distance:
//  - Proximity(d): 1 where the cell centre lies within d metres of a feature (d <= distance),
//    else 0. Computed from the nearest-feature distance (a k-d tree query per cell).
//  - Density(d):   RTMDx's density operationalisation: 1 where the quartic kernel density with
//    bandwidth d is at least `densitySdAbove` standard deviations above its mean over the study
//    area cells, else 0. The density itself (points per km2, geo/density's KDE) is available.
//  - Remoteness(d): 1 where the nearest feature is farther than d (e.g. no BAG dwelling within
//    d: nobody sees what happens there), else 0.
// All three are binary, so a fitted coefficient b reads as a relative risk exp(b) inside vs
// outside. Continuous variables (nearest distance, time-decayed counts of earlier signals) are
// offered as they are.
//
// Time decay: a signal of age a (seconds before the reference time) counts 0.5^(a / halfLife);
// signals at or after the reference time are not counted (no look-ahead).
//  - Decayed(d, h): earlier signals as a factor (near repeats: where signals were recently,
//    more follow). 1 where the signals before the reference time within d metres of the cell
//    centre weigh together at least `decayedThreshold` (default 1/2: one signal at most one
//    half-life old, or two at most two half-lives old), each weighing 0.5^(age / h); else 0.
//    Candidates for every distance and every half-life h, so the data choose how far and how long a
//    signal counts.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/density/raster.h"

namespace veldwacht::geo {

enum class InfluenceKind { Proximity, Density, Remoteness, Continuous, Decayed };

/// Distance (metres) from every cell centre to its nearest feature, row-major as the grid;
/// +infinity when there are no features.
std::vector<double> nearestFeatureDistance(std::span<const Point> features, const RasterGrid& grid,
                                           Progress& progress = nullProgress());

/// 1 where `distances[i] <= distance`, else 0.
std::vector<double> proximityFromDistance(std::span<const double> distances, double distance);

/// Quartic kernel density of the features (weights empty = 1 each) at every cell centre, in
/// points per km2, bandwidth `bandwidth` metres.
std::vector<double> featureDensity(std::span<const Point> features, std::span<const double> weights,
                                   const RasterGrid& grid, double bandwidth,
                                   Progress& progress = nullProgress());

/// 1 where value >= mean + sdAbove * sd of the values of the study-area cells (`inArea` empty =
/// all cells; population sd), else 0. Cells outside the area get 0.
std::vector<double> highValueCells(std::span<const double> values,
                                   std::span<const std::uint8_t> inArea, double sdAbove);

/// Sum over events with time < referenceTime within `radius` metres of the cell centre of
/// 0.5^((referenceTime - time) / halfLifeSeconds); halfLifeSeconds = 0 counts each event as 1.
std::vector<double> decayedCounts(std::span<const Point> events, std::span<const TimeSeconds> times,
                                  const RasterGrid& grid, double radius, TimeSeconds referenceTime,
                                  double halfLifeSeconds, Progress& progress = nullProgress());

/// Points every `step` metres along a polyline (its vertices included), to treat lines (dead
/// ends, farm tracks) as features.
std::vector<Point> densifyPolyline(std::span<const Point> vertices, double step);

struct InfluenceOptions {
  /// Candidate distances, metres (> 0).
  std::vector<double> distances{100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
  bool proximity = true;
  bool density = true;
  double densitySdAbove = 2.0;
  /// Half-lives (days, > 0) of the earlier-signals candidates (decayedSignalCandidates).
  std::vector<double> halfLivesDays{30, 90, 180, 365};
  /// Decayed weight within d at which a cell counts as near earlier signals (> 0).
  double decayedThreshold = 0.5;
  void validate() const;
};

/// One candidate variable of a factor, one value per grid cell.
struct Operationalisation {
  InfluenceKind kind = InfluenceKind::Proximity;
  double distance = 0.0;  ///< metres; 0 for continuous variables without one
  std::string label;      ///< e.g. "proximity 300 m", "density 500 m"
  std::vector<double> values;
  double halfLifeDays = 0.0;  ///< Decayed candidates only
};

/// A risk factor with its candidate operationalisations (the model picks one).
struct RiskFactor {
  std::string name;
  std::vector<Operationalisation> candidates;
};

/// The proximity and density candidates of a point factor at every distance of the options.
/// Candidates that are constant over the study area (e.g. no feature within any distance) are
/// kept; the model drops them.
RiskFactor influenceCandidates(std::string name, std::span<const Point> features,
                               const RasterGrid& grid, std::span<const std::uint8_t> inArea,
                               const InfluenceOptions& options,
                               Progress& progress = nullProgress());

/// The remoteness candidates of a factor: one per distance, 1 where no feature lies within it.
RiskFactor remotenessCandidates(std::string name, std::span<const Point> features,
                                const RasterGrid& grid, std::span<const double> distances,
                                Progress& progress = nullProgress());

/// The earlier-signals candidates (InfluenceKind::Decayed) of a factor: one per distance of
/// the options and half-life of the options, in that order (distance outer), labelled e.g.
/// "signalen 300 m, halfwaardetijd 90 d". Only events with time < referenceTime count.
RiskFactor decayedSignalCandidates(std::string name, std::span<const Point> events,
                                   std::span<const TimeSeconds> times, const RasterGrid& grid,
                                   TimeSeconds referenceTime, const InfluenceOptions& options,
                                   Progress& progress = nullProgress());

}  // namespace veldwacht::geo
