// Inference shared by the local statistics: normal p-values, multiple-testing corrections,
// ArcGIS-style confidence bins, a seeded counter-based RNG and Anselin's (1995) conditional
// permutation test.
//
// Reproducibility: every feature i draws from its own stream, seeded by splitmix64 of
// (seed, i). The permutations of a feature therefore depend on nothing but the seed and its
// index, and results are bit-identical for any thread count or chunking.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/hotspots/weights.h"

namespace veldwacht::geo {

/// Multiple-testing correction of the local p-values.
enum class Correction {
  None,        ///< compare each p with alpha
  Fdr,         ///< Benjamini & Hochberg (1995) false discovery rate, as ArcGIS's FDR option
  Bonferroni,  ///< p * n
};

/// Which p-value drives significance (bins, cluster types).
enum class PValueSource {
  Analytic,     ///< two-sided normal p of the z-score
  Permutation,  ///< pseudo p of the conditional permutation test
};

/// Standard normal cumulative distribution function.
double normalCdf(double z);
/// Two-sided p-value of a standard normal z: 2 * (1 - Phi(|z|)). NaN stays NaN.
double twoSidedNormalP(double z);

/// Benjamini-Hochberg adjusted p-values (step-up q-values, capped at 1): a test is significant
/// at FDR level alpha exactly when its adjusted value is <= alpha. NaN entries are skipped
/// (not counted in m) and stay NaN.
std::vector<double> benjaminiHochberg(std::span<const double> p);
/// Bonferroni adjusted p-values min(1, m p), m = number of non-NaN p.
std::vector<double> bonferroni(std::span<const double> p);
/// Dispatches on `correction`; None returns p unchanged.
std::vector<double> adjustPValues(std::span<const double> p, Correction correction);

/// ArcGIS's Gi_Bin: +-3 for significance at 99 %, +-2 at 95 %, +-1 at 90 %, 0 otherwise, signed
/// by z. With a correction each level uses its own corrected threshold (BH run at alpha 0.01,
/// 0.05 and 0.10; equivalently the adjusted p compared with each alpha).
std::vector<std::int8_t> confidenceBins(std::span<const double> z, std::span<const double> p,
                                        Correction correction);

/// splitmix64 finaliser (Steele, Lea & Flood 2014): seeds the per-feature streams.
std::uint64_t splitmix64(std::uint64_t x);

__extension__ using Uint128 = unsigned __int128;

/// A small, fast, portable generator (wyrand, Wang Yi): identical draws on every platform,
/// unlike std::uniform_int_distribution.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  /// The stream of feature/simulation `stream` under `seed`.
  static Rng stream(std::uint64_t seed, std::uint64_t stream) {
    return Rng(splitmix64(seed ^ splitmix64(stream + 0x9e3779b97f4a7c15ULL)));
  }
  std::uint64_t next() {
    state_ += 0xa0761d6478bd642fULL;
    const Uint128 m =
        static_cast<Uint128>(state_) * static_cast<Uint128>(state_ ^ 0xe7037ed1a0b428dbULL);
    return static_cast<std::uint64_t>(m >> 64) ^ static_cast<std::uint64_t>(m);
  }
  /// Uniform integer in [0, n), n >= 1 (Lemire 2019, unbiased).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next())) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next())) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  /// Uniform double in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

/// Number of worker threads to use: 0 = all the hardware offers.
struct Threads {
  std::size_t count = 0;
};

/// Runs fn(begin, end) over [0, n) in chunks on up to `threads` threads (TBB), reporting
/// progress through `step` after each chunk and rethrowing CancelledError on the caller.
template <class Fn>
void parallelChunks(std::size_t n, std::size_t threads, ProgressStep& step, Fn&& fn);

struct PermutationResult {
  std::vector<double> pseudoP;  ///< (M + 1) / (R + 1), M = folded count as extreme
  std::vector<double> simMean;  ///< mean of the permuted neighbour sums
  std::vector<double> simSd;    ///< their standard deviation
};

/// Anselin's (1995) conditional randomisation for a local statistic that is monotone in the
/// (uniformly weighted) neighbour sum s_i = sum_{j in N(i)} x_j: hold x_i fixed, draw |N(i)|
/// values without replacement from the other n - 1 features, R times. M counts the permuted
/// sums at least as extreme as the observed one on the nearer tail, min(#{s' >= s},
/// #{s' <= s}) (ties within a relative 1e-12 count on both sides), so the pseudo p-value
/// (M + 1) / (R + 1) is folded (two-sided in the PySAL/GeoDa sense, never above 0.5 + 1/(R+1)).
/// Only |N(i)| draws per feature per permutation: O(R * sum |N(i)|), no full shuffles.
/// Features without neighbours, or neighbours to every other feature, get p = 1.
PermutationResult conditionalPermutation(std::span<const double> x, const SpatialWeights& w,
                                         std::uint32_t permutations, std::uint64_t seed,
                                         std::size_t threads, Progress& progress);

}  // namespace veldwacht::geo

#include "geo/hotspots/inference_impl.h"
