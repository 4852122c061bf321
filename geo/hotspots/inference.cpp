#include "geo/hotspots/inference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace veldwacht::geo {

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double twoSidedNormalP(double z) {
  if (std::isnan(z)) return z;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

std::vector<double> benjaminiHochberg(std::span<const double> p) {
  std::vector<std::size_t> order;
  order.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
  std::vector<double> q(p.begin(), p.end());
  const double m = static_cast<double>(order.size());
  // Step-up: q_(k) = min over j >= k of m p_(j) / j, so that q is monotone in p.
  double running = 1.0;
  for (std::size_t r = order.size(); r-- > 0;) {
    const std::size_t i = order[r];
    running = std::min(running, p[i] * m / static_cast<double>(r + 1));
    q[i] = running;
  }
  return q;
}

std::vector<double> bonferroni(std::span<const double> p) {
  const auto m = static_cast<double>(
      std::count_if(p.begin(), p.end(), [](double v) { return !std::isnan(v); }));
  std::vector<double> q(p.begin(), p.end());
  for (double& v : q)
    if (!std::isnan(v)) v = std::min(1.0, v * m);
  return q;
}

std::vector<double> adjustPValues(std::span<const double> p, Correction correction) {
  switch (correction) {
    case Correction::Fdr:
      return benjaminiHochberg(p);
    case Correction::Bonferroni:
      return bonferroni(p);
    case Correction::None:
      break;
  }
  return {p.begin(), p.end()};
}

std::vector<std::int8_t> confidenceBins(std::span<const double> z, std::span<const double> p,
                                        Correction correction) {
  const std::vector<double> q = adjustPValues(p, correction);
  std::vector<std::int8_t> bins(z.size(), 0);
  for (std::size_t i = 0; i < z.size(); ++i) {
    if (std::isnan(q[i]) || std::isnan(z[i]) || z[i] == 0.0) continue;
    const std::int8_t level = q[i] <= 0.01 ? 3 : q[i] <= 0.05 ? 2 : q[i] <= 0.10 ? 1 : 0;
    bins[i] = static_cast<std::int8_t>(z[i] > 0 ? level : -level);
  }
  return bins;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

PermutationResult conditionalPermutation(std::span<const double> x, const SpatialWeights& w,
                                         std::uint32_t permutations, std::uint64_t seed,
                                         std::size_t threads, Progress& progress) {
  const std::size_t n = x.size();
  PermutationResult out;
  out.pseudoP.assign(n, 1.0);
  out.simMean.assign(n, std::numeric_limits<double>::quiet_NaN());
  out.simSd.assign(n, std::numeric_limits<double>::quiet_NaN());
  if (permutations == 0 || n < 2) return out;
  double maxAbs = 0.0;
  for (double v : x) maxAbs = std::max(maxAbs, std::fabs(v));
  const auto others = static_cast<std::uint32_t>(n - 1);
  const double r = permutations;

  ProgressStep step(progress, 0.0, 1.0, "permutations");
  parallelChunks(n, threads, step, [&](std::size_t begin, std::size_t end) {
    std::vector<std::uint32_t> drawn;
    std::vector<std::uint32_t> stamp;  // for large neighbourhoods: stamp[j] == tag marks drawn
    std::uint32_t tag = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const auto nb = w.of(i);
      const std::size_t k = nb.size();
      if (k == 0 || k >= others) continue;  // statistic fixed under permutation: p = 1
      double observed = 0.0;
      for (std::uint32_t j : nb) observed += x[j];
      const double tol = 1e-12 * static_cast<double>(k) * (maxAbs + 1e-300);
      Rng rng = Rng::stream(seed, i);
      const auto self = static_cast<std::uint32_t>(i);
      drawn.resize(k);
      const bool useStamp = k > 24;
      if (useStamp && stamp.size() != n) stamp.assign(n, 0);
      std::uint32_t above = 0, below = 0;
      double sum = 0.0, sumSq = 0.0;
      for (std::uint32_t p = 0; p < permutations; ++p) {
        double s = 0.0;
        if (useStamp) {
          if (++tag == 0) {
            std::fill(stamp.begin(), stamp.end(), 0);
            tag = 1;
          }
          for (std::size_t t = 0; t < k; ++t) {
            std::uint32_t u;
            do {
              u = rng.below(others);
              u += u >= self;
            } while (stamp[u] == tag);
            stamp[u] = tag;
            s += x[u];
          }
        } else {
          for (std::size_t t = 0; t < k; ++t) {
            std::uint32_t u;
            bool dup;
            do {
              u = rng.below(others);
              u += u >= self;
              dup = false;
              for (std::size_t q = 0; q < t; ++q) dup |= drawn[q] == u;
            } while (dup);
            drawn[t] = u;
            s += x[u];
          }
        }
        above += s >= observed - tol;
        below += s <= observed + tol;
        sum += s;
        sumSq += s * s;
      }
      const std::uint32_t extreme = std::min(above, below);
      out.pseudoP[i] = (extreme + 1.0) / (r + 1.0);
      const double mean = sum / r;
      out.simMean[i] = mean;
      out.simSd[i] =
          permutations > 1 ? std::sqrt(std::max(0.0, (sumSq - r * mean * mean) / (r - 1.0))) : 0.0;
    }
  });
  step.done();
  return out;
}

}  // namespace veldwacht::geo
