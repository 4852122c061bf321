#include "geo/hotspots/gistar.h"

#include <cmath>
#include <limits>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/core/threads.h"

namespace veldwacht::geo {

void GiStarOptions::validate() const {
  checkThreads(threads);
  if (permutations > 99999)
    throw OptionError("permutations", "must be at most 99999" + got(permutations));
}

namespace {

void checkValues(std::span<const double> values, const SpatialWeights& weights) {
  if (values.size() != weights.size())
    throw InputError({}, "got " + std::to_string(values.size()) + " values for " +
                             std::to_string(weights.size()) + " features in the weights");
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw InputError({.file = {}, .row = static_cast<std::int64_t>(i + 1), .field = "value"},
                       "value must be finite");
}

}  // namespace

GiStarResult getisOrdGiStar(std::span<const double> values, const SpatialWeights& weights,
                            const GiStarOptions& options, Progress& progress) {
  options.validate();
  checkValues(values, weights);
  const std::size_t n = values.size();
  GiStarResult out;
  out.z.assign(n, 0.0);
  out.p.assign(n, 1.0);
  out.neighbourCount.resize(n);
  if (n < 3) throw InputError({}, "Gi* needs at least 3 features, got " + std::to_string(n));
  if (n < 30)
    out.warnings.push_back("fewer than 30 features (" + std::to_string(n) +
                           "): Gi* results are unreliable");
  if (const std::size_t isl = weights.islands(); isl > 0)
    out.warnings.push_back(std::to_string(isl) +
                           " feature(s) have no neighbours; their Gi* uses only themselves");

  double sum = 0.0, sumSq = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(n);
  for (double v : values) sumSq += (v - out.mean) * (v - out.mean);
  out.sd = std::sqrt(sumSq / static_cast<double>(n));
  const double nd = static_cast<double>(n);

  const bool constant = !(out.sd > 1e-12 * (std::fabs(out.mean) + 1e-300));
  if (constant) out.warnings.push_back("all values are equal: no hot or cold spots");

  ProgressStep step(progress, 0.0, options.permutations ? 0.05 : 1.0, "Gi*");
  for (std::size_t i = 0; i < n; ++i) {
    const auto nb = weights.of(i);
    const double k = static_cast<double>(nb.size()) + 1.0;  // self included
    out.neighbourCount[i] = static_cast<std::uint32_t>(k);
    double lag = values[i];
    for (std::uint32_t j : nb) lag += values[j];
    // Binary: w = 1, W_i = k, sum w^2 = k. Row-standardised: w = 1/k, W_i = 1, sum w^2 = 1/k.
    const double wi = options.rowStandardise ? 1.0 : k;
    const double s1 = options.rowStandardise ? 1.0 / k : k;
    const double w = options.rowStandardise ? 1.0 / k : 1.0;
    const double denom = out.sd * std::sqrt((nd * s1 - wi * wi) / (nd - 1.0));
    if (constant || !(denom > 0.0)) {
      out.z[i] = 0.0;  // every feature is a neighbour of i, or all values equal: no contrast
      out.p[i] = 1.0;
    } else {
      out.z[i] = (w * lag - out.mean * wi) / denom;
      out.p[i] = twoSidedNormalP(out.z[i]);
    }
    step.tick(i + 1, n);
  }

  if (options.permutations > 0) {
    SubProgress sub(progress, 0.05, 1.0);
    // Gi* is increasing in the neighbour sum for fixed x_i, so the test runs on that sum.
    out.pPermutation = conditionalPermutation(values, weights, options.permutations, options.seed,
                                              options.threads, sub)
                           .pseudoP;
    if (constant) out.pPermutation.assign(n, 1.0);
  }
  const auto& pBins = options.binsFrom == PValueSource::Permutation && options.permutations > 0
                          ? out.pPermutation
                          : out.p;
  out.pAdjusted = adjustPValues(pBins, options.correction);
  out.bin = confidenceBins(out.z, pBins, options.correction);
  progress.setFraction(1.0);
  return out;
}

}  // namespace veldwacht::geo
