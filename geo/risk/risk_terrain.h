// Risk terrain model (Caplan & Kennedy 2016; Caplan, Kennedy & Piza 2013 for RTMDx): a Poisson
// regression of event counts per grid cell on risk factors, each factor entering through the
// one operationalisation (proximity or density, at one distance; influence.h) that fits best.
//
// Procedure (what RTMDx does, made explicit and reproducible here):
//  1. Operationalisation per factor. Every candidate of a factor is scored by the k-fold
//     cross-validated deviance of a one-variable Poisson GLM (counts ~ candidate), all
//     candidates of all factors on the same seeded folds. The candidate with the lowest CV
//     deviance is the factor's operationalisation; a factor whose best candidate does not beat
//     the intercept-only model's CV deviance is dropped here. Why CV deviance rather than the
//     in-sample deviance or p-values: candidates of one factor differ in how many cells they
//     mark, and held-out deviance compares them on predictive fit without favouring the
//     widest buffer; it is the same yardstick the elastic net uses next.
//  2. Selection among factors. The chosen operationalisations enter a penalised Poisson
//     regression (elastic net, standardised, poisson.h) whose lambda is chosen by k-fold CV
//     (lambda.min, or lambda.1se for a sparser model); factors with a zero coefficient at that
//     lambda are not selected.
//  3. Relative risk values. With `refitUnpenalised` (default; RTMDx likewise reports the RRVs of
//     an unpenalised count model on the selected factors) the selected factors are refitted by
//     the unpenalised GLM so that exp(coefficient) is not shrunk towards 1; otherwise the
//     elastic-net coefficients are reported.
// Results: per factor its operationalisation, coefficient, relative risk value exp(b) (for the
// binary operationalisations: the relative risk of a cell inside vs outside the factor's
// influence), standard error (refit only) and importance (|b| times the sd of the variable over
// the study area, as a share of the sum over selected factors: how much of the spread in log
// risk the factor carries); and per cell the relative risk score exp(sum_j b_j x_j) (for binary
// factors the product of the RRVs present, RTMDx's RRS; 1 where no factor is present) and the
// expected count exp(b0 + sum_j b_j x_j).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/risk/influence.h"
#include "geo/risk/poisson_options.h"

namespace veldwacht::geo {

struct RiskTerrainOptions {
  /// Elastic-net settings for step 2 (lambdas are chosen by the path; alpha 0.5 mixes lasso
  /// selection with ridge stability for correlated factors such as nearby barns and farms).
  ElasticNetOptions net{.alpha = 0.5, .nLambda = 60, .lambdaMinRatio = 1e-3, .tolerance = 1e-10};
  CrossValidationOptions cv{.folds = 10, .seed = 12345};
  bool oneStandardError = false;
  bool refitUnpenalised = true;
  void validate() const;
};

struct FactorSummary {
  std::string name;
  std::string operationalisation;  ///< the chosen candidate's label; empty when none fits
  InfluenceKind kind = InfluenceKind::Proximity;
  double distance = 0.0;
  double halfLifeDays = 0.0;  ///< Decayed operationalisations only
  /// Index of the chosen candidate in the factor's candidates; -1 when none fits.
  std::int64_t candidate = -1;
  double cvDeviance = 0.0;  ///< mean held-out deviance per cell of the chosen candidate alone
  bool selected = false;    ///< non-zero in the final model
  double coefficient = 0.0;
  double relativeRisk = 1.0;   ///< exp(coefficient)
  double standardError = 0.0;  ///< of the refitted coefficient; 0 without refit
  double importance = 0.0;
};

struct RiskTerrainResult {
  std::vector<FactorSummary> factors;  ///< in the input order
  double intercept = 0.0;
  double lambda = 0.0;                ///< the chosen elastic-net lambda (0 when nothing entered)
  double nullCvDeviance = 0.0;        ///< intercept-only, mean held-out deviance per cell
  double modelCvDeviance = 0.0;       ///< the elastic net at the chosen lambda
  std::vector<double> relativeRisk;   ///< per cell; nodata outside the study area
  std::vector<double> expectedCount;  ///< per cell; nodata outside the study area
  double nodata = -9999.0;
  std::size_t cells = 0;  ///< cells in the study area (the observations)
  std::vector<std::string> warnings;
};

/// Fits the model to `counts` (events per cell, row-major like the factors' values) over the
/// cells with inArea != 0 (empty = all cells). Every candidate must have one value per cell.
RiskTerrainResult fitRiskTerrain(std::span<const double> counts,
                                 std::span<const std::uint8_t> inArea,
                                 std::span<const RiskFactor> factors,
                                 const RiskTerrainOptions& options = {},
                                 Progress& progress = nullProgress());

/// The relative-risk and expected-count surfaces of a fitted model over other values of the
/// same factors (the same names and candidates, in the same order; e.g. the earlier-signals
/// candidates recomputed at a later reference time, for a forecast of the next period).
/// Replaces model.relativeRisk and model.expectedCount; cells with inArea == 0 get nodata.
void applyRiskTerrain(RiskTerrainResult& model, std::span<const RiskFactor> factors,
                      std::span<const std::uint8_t> inArea);

}  // namespace veldwacht::geo
