#include "geo/hotspots/moran.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/error.h"
#include "geo/core/threads.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

namespace {

void checkValues(std::span<const double> values, const SpatialWeights& weights,
                 std::size_t minimum) {
  if (values.size() != weights.size())
    throw InputError({}, "got " + std::to_string(values.size()) + " values for " +
                             std::to_string(weights.size()) + " features in the weights");
  if (values.size() < minimum)
    throw InputError({}, "Moran's I needs at least " + std::to_string(minimum) + " features, got " +
                             std::to_string(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw InputError({.file = {}, .row = static_cast<std::int64_t>(i + 1), .field = "value"},
                       "value must be finite");
}

/// The weight of each neighbour of i: 1, or 1/|N(i)| when row-standardised.
double rowWeight(const SpatialWeights& w, std::size_t i, bool rowStandardise) {
  const std::size_t k = w.count(i);
  return rowStandardise ? (k ? 1.0 / static_cast<double>(k) : 0.0) : 1.0;
}

std::vector<double> deviations(std::span<const double> values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  std::vector<double> z(values.size());
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = values[i] - mean;
  return z;
}

/// I, its moments under normality and randomisation, z and p from the weight sums S0, S1, S2,
/// the cross product sum_i w_i. z_i lag_i, m2 = sum z^2 and m4 = sum z^4 (Cliff & Ord 1981).
void finishGlobalMoran(GlobalMoranResult& out, double s0, double s1, double s2, double cross,
                       double m2, double m4) {
  const double nd = static_cast<double>(out.n);
  out.expected = -1.0 / (nd - 1.0);
  if (!(m2 > 0.0) || !(s0 > 0.0)) {
    out.i = std::numeric_limits<double>::quiet_NaN();
    out.pNormal = out.pRandom = std::numeric_limits<double>::quiet_NaN();
    out.zNormal = out.zRandom = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  out.i = nd / s0 * cross / m2;
  const double e2 = out.expected * out.expected;
  out.varianceNormal = (nd * nd * s1 - nd * s2 + 3.0 * s0 * s0) / (s0 * s0 * (nd * nd - 1.0)) - e2;
  const double b2 = nd * m4 / (m2 * m2);  // sample kurtosis
  out.varianceRandom = (nd * ((nd * nd - 3.0 * nd + 3.0) * s1 - nd * s2 + 3.0 * s0 * s0) -
                        b2 * ((nd * nd - nd) * s1 - 2.0 * nd * s2 + 6.0 * s0 * s0)) /
                           ((nd - 1.0) * (nd - 2.0) * (nd - 3.0) * s0 * s0) -
                       e2;
  out.zNormal = (out.i - out.expected) / std::sqrt(out.varianceNormal);
  out.zRandom = (out.i - out.expected) / std::sqrt(out.varianceRandom);
  out.pNormal = twoSidedNormalP(out.zNormal);
  out.pRandom = twoSidedNormalP(out.zRandom);
}

}  // namespace

GlobalMoranResult globalMoran(std::span<const double> values, const SpatialWeights& weights,
                              const GlobalMoranOptions& options) {
  options.validate();
  checkValues(values, weights, 4);
  const std::size_t n = values.size();
  const double nd = static_cast<double>(n);
  const std::vector<double> z = deviations(values);
  GlobalMoranResult out;
  out.n = n;
  out.islands = weights.islands();
  out.expected = -1.0 / (nd - 1.0);

  double m2 = 0.0, m4 = 0.0;
  for (double v : z) {
    m2 += v * v;
    m4 += v * v * v * v;
  }
  // S0 = sum w, S1 = 1/2 sum (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2 (Cliff & Ord 1981).
  double s0 = 0.0, s1 = 0.0, cross = 0.0;
  std::vector<double> rowSum(n, 0.0), colSum(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = rowWeight(weights, i, options.rowStandardise);
    double lag = 0.0;
    for (std::uint32_t j : weights.of(i)) {
      lag += z[j];
      rowSum[i] += wi;
      colSum[j] += wi;
      const auto nj = weights.of(j);
      const bool back = std::binary_search(nj.begin(), nj.end(), static_cast<std::uint32_t>(i));
      if (back) {
        const double wj = rowWeight(weights, j, options.rowStandardise);
        s1 += 0.5 * (wi + wj) * (wi + wj);
      } else {
        s1 += wi * wi;
      }
    }
    cross += wi * z[i] * lag;
    s0 += rowSum[i];
  }
  double s2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) s2 += (rowSum[i] + colSum[i]) * (rowSum[i] + colSum[i]);
  finishGlobalMoran(out, s0, s1, s2, cross, m2, m4);
  return out;
}

std::vector<GlobalMoranResult> incrementalGlobalMoran(std::span<const Point> points,
                                                      std::span<const double> values,
                                                      std::span<const double> distances,
                                                      const GlobalMoranOptions& options,
                                                      Progress& progress) {
  options.validate();
  if (points.size() != values.size())
    throw InputError({}, "got " + std::to_string(values.size()) + " values for " +
                             std::to_string(points.size()) + " points");
  if (values.size() < 4)
    throw InputError({},
                     "Moran's I needs at least 4 features, got " + std::to_string(values.size()));
  for (std::size_t b = 0; b < distances.size(); ++b)
    if (!(distances[b] > 0.0) || (b > 0 && !(distances[b] > distances[b - 1])))
      throw OptionError("distances", "must be positive and strictly ascending");
  const std::size_t n = values.size(), nb = distances.size();
  std::vector<GlobalMoranResult> out(nb);
  if (nb == 0) return out;
  const std::vector<double> z = deviations(values);
  double m2 = 0.0, m4 = 0.0;
  for (double v : z) {
    m2 += v * v;
    m4 += v * v * v * v;
  }
  std::vector<double> bandSq(nb);
  for (std::size_t b = 0; b < nb; ++b) bandSq[b] = distances[b] * distances[b];
  KdTree tree(points);
  std::vector<std::uint32_t> found;
  // The first band (0..nb-1) that contains the pair: squared distances compared exactly as
  // distanceBandWeights does, so both agree on ties.
  auto firstBand = [&](std::size_t i, std::uint32_t j) {
    const double dx = points[i].x - points[j].x, dy = points[i].y - points[j].y;
    const double d2 = dx * dx + dy * dy;
    return static_cast<std::size_t>(std::lower_bound(bandSq.begin(), bandSq.end(), d2) -
                                    bandSq.begin());
  };

  // Pass 1: neighbour counts per feature and band (cumulative over bands).
  ProgressStep step(progress, 0.0, 1.0, "incremental spatial autocorrelation");
  std::vector<std::uint32_t> count(n * nb, 0);
  for (std::size_t i = 0; i < n; ++i) {
    tree.withinRadius(points[i], distances.back(), found);
    std::uint32_t* c = &count[i * nb];
    for (std::uint32_t j : found)
      if (j != i)
        if (const std::size_t b = firstBand(i, j); b < nb) ++c[b];
    for (std::size_t b = 1; b < nb; ++b) c[b] += c[b - 1];
    step.tick(i + 1, 2 * n);
  }
  auto weight = [&](std::size_t i, std::size_t b) {
    const std::uint32_t k = count[i * nb + b];
    return options.rowStandardise ? (k ? 1.0 / k : 0.0) : 1.0;
  };
  // Pass 2: distance bands are symmetric (j in N(i) iff i in N(j)), so the column sum of i is
  // sum_{j in N(i)} w_ji and S1 = 1/2 sum over ordered pairs of (w_ij + w_ji)^2.
  std::vector<double> s0(nb, 0.0), s1(nb, 0.0), s2(nb, 0.0), cross(nb, 0.0);
  std::vector<double> lag(nb), col(nb);
  for (std::size_t i = 0; i < n; ++i) {
    tree.withinRadius(points[i], distances.back(), found);
    std::fill(lag.begin(), lag.end(), 0.0);
    std::fill(col.begin(), col.end(), 0.0);
    for (std::uint32_t j : found) {
      if (j == i) continue;
      for (std::size_t b = firstBand(i, j); b < nb; ++b) {
        const double wi = weight(i, b), wj = weight(j, b);
        lag[b] += z[j];
        col[b] += wj;
        s1[b] += 0.5 * (wi + wj) * (wi + wj);
      }
    }
    for (std::size_t b = 0; b < nb; ++b) {
      const double wi = weight(i, b);
      const double row = wi * count[i * nb + b];
      s0[b] += row;
      s2[b] += (row + col[b]) * (row + col[b]);
      cross[b] += wi * z[i] * lag[b];
    }
    step.tick(n + i + 1, 2 * n);
  }
  for (std::size_t b = 0; b < nb; ++b) {
    out[b].n = n;
    for (std::size_t i = 0; i < n; ++i) out[b].islands += count[i * nb + b] == 0;
    finishGlobalMoran(out[b], s0[b], s1[b], s2[b], cross[b], m2, m4);
  }
  return out;
}

void LocalMoranOptions::validate() const {
  checkThreads(threads);
  if (permutations > 99999) throw OptionError("permutations", "must be at most 99999");
  if (!(alpha > 0.0 && alpha < 1.0)) throw OptionError("alpha", "must lie in (0, 1)");
}

LocalMoranResult localMoran(std::span<const double> values, const SpatialWeights& weights,
                            const LocalMoranOptions& options, Progress& progress) {
  options.validate();
  checkValues(values, weights, 3);
  const std::size_t n = values.size();
  const double nd = static_cast<double>(n);
  const std::vector<double> z = deviations(values);
  LocalMoranResult out;
  if (n < 30)
    out.warnings.push_back("fewer than 30 features (" + std::to_string(n) +
                           "): local Moran results are unreliable");
  if (const std::size_t isl = weights.islands(); isl > 0)
    out.warnings.push_back(std::to_string(isl) + " feature(s) have no neighbours: I_i = 0");

  double m2 = 0.0, m4 = 0.0;
  for (double v : z) {
    m2 += v * v;
    m4 += v * v * v * v;
  }
  m2 /= nd;
  m4 /= nd;
  const bool constant = !(m2 > 0.0);
  if (constant) out.warnings.push_back("all values are equal: no clusters or outliers");
  const double b2 = constant ? 0.0 : m4 / (m2 * m2);

  out.i.assign(n, 0.0);
  out.expected.assign(n, 0.0);
  out.variance.assign(n, 0.0);
  out.z.assign(n, 0.0);
  out.p.assign(n, 1.0);
  out.lag.assign(n, 0.0);
  ProgressStep step(progress, 0.0, options.permutations ? 0.05 : 1.0, "local Moran");
  for (std::size_t i = 0; i < n; ++i) {
    const double k = static_cast<double>(weights.count(i));
    const double w = rowWeight(weights, i, options.rowStandardise);
    double lag = 0.0;
    for (std::uint32_t j : weights.of(i)) lag += z[j];
    out.lag[i] = w * lag;
    const double wSum = w * k;     // w_i.
    const double wSq = w * w * k;  // w_i(2)
    out.expected[i] = -wSum / (nd - 1.0);
    if (constant || k == 0) continue;
    out.i[i] = z[i] / m2 * out.lag[i];
    // Anselin (1995), eq. 13: 2 w_i(kh) = w_i.^2 - w_i(2).
    out.variance[i] = wSq * (nd - b2) / (nd - 1.0) +
                      (wSum * wSum - wSq) * (2.0 * b2 - nd) / ((nd - 1.0) * (nd - 2.0)) -
                      wSum * wSum / ((nd - 1.0) * (nd - 1.0));
    if (out.variance[i] > 0.0) {
      out.z[i] = (out.i[i] - out.expected[i]) / std::sqrt(out.variance[i]);
      out.p[i] = twoSidedNormalP(out.z[i]);
    }
    step.tick(i + 1, n);
  }
  if (options.permutations > 0) {
    SubProgress sub(progress, 0.05, 1.0);
    // For fixed z_i, I_i is monotone in the neighbour sum (increasing or decreasing with the
    // sign of z_i); the folded count is the same either way, so the test runs on the sum.
    out.pPermutation = conditionalPermutation(values, weights, options.permutations, options.seed,
                                              options.threads, sub)
                           .pseudoP;
    for (std::size_t i = 0; i < n; ++i)
      if (constant || z[i] == 0.0) out.pPermutation[i] = 1.0;  // I_i = 0 under every draw
  }
  const auto& pTypes = options.clustersFrom == PValueSource::Permutation && options.permutations > 0
                           ? out.pPermutation
                           : out.p;
  out.pAdjusted = adjustPValues(pTypes, options.correction);
  out.type.assign(n, ClusterType::NotSignificant);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(out.pAdjusted[i] <= options.alpha) || weights.count(i) == 0) continue;
    if (z[i] > 0) {
      out.type[i] = out.lag[i] > 0 ? ClusterType::HighHigh : ClusterType::HighLow;
    } else if (z[i] < 0) {
      out.type[i] = out.lag[i] < 0 ? ClusterType::LowLow : ClusterType::LowHigh;
    }
  }
  progress.setFraction(1.0);
  return out;
}

}  // namespace veldwacht::geo
