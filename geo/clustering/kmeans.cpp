#include "geo/clustering/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/clustering/density_core.h"
#include "geo/core/error.h"
#include "geo/core/threads.h"

namespace veldwacht::geo {

void KmeansOptions::validate() const {
  if (k < 1) throw OptionError("k", "must be at least 1");
  if (nInit < 1) throw OptionError("nInit", "must be at least 1");
  if (maxIter < 1) throw OptionError("maxIter", "must be at least 1");
  if (!(tolerance >= 0.0) || !std::isfinite(tolerance))
    throw OptionError("tolerance", "must be a non-negative number");
  checkThreads(threads);
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

double dist2(const Point& a, const Point& b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy;
}

// Arthur & Vassilvitskii's D^2 sampling.
std::vector<Point> seedPlusPlus(std::span<const Point> pts, std::span<const double> w,
                                std::size_t k, std::mt19937_64& rng, const Progress& progress) {
  const std::size_t n = pts.size();
  auto weight = [&](std::size_t i) { return w.empty() ? 1.0 : w[i]; };
  auto pick = [&](const std::vector<double>& mass) {
    double total = 0.0;
    for (double m : mass) total += m;
    if (!(total > 0.0)) return std::size_t(uniform01(rng) * double(n)) % n;
    const double target = uniform01(rng) * total;
    double acc = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      acc += mass[i];
      if (acc > target && mass[i] > 0.0) return i;
    }
    for (std::size_t i = n; i-- > 0;)
      if (mass[i] > 0.0) return i;
    return std::size_t(0);
  };
  std::vector<double> mass(n);
  for (std::size_t i = 0; i < n; ++i) mass[i] = weight(i);
  std::vector<Point> centres{pts[pick(mass)]};
  std::vector<double> d2(n, kInf);
  while (centres.size() < k) {
    progress.checkCancelled();
    for (std::size_t i = 0; i < n; ++i) {
      d2[i] = std::min(d2[i], dist2(pts[i], centres.back()));
      mass[i] = d2[i] * weight(i);
    }
    centres.push_back(pts[pick(mass)]);
  }
  return centres;
}

struct Run {
  std::vector<std::int32_t> labels;
  std::vector<Point> centres;
  double inertia = kInf;
  std::size_t iterations = 0;
};

Run lloyd(std::span<const Point> pts, std::span<const double> w, std::vector<Point> centres,
          const KmeansOptions& opt, double tolAbs, ProgressStep& step, std::size_t runIndex) {
  const std::size_t n = pts.size(), k = centres.size();
  Run run;
  run.labels.assign(n, -1);
  std::vector<double> best(n);
  auto weight = [&](std::size_t i) { return w.empty() ? 1.0 : w[i]; };
  for (std::size_t it = 0; it < opt.maxIter; ++it) {
    step.tick(runIndex * opt.maxIter + it, opt.nInit * opt.maxIter);
    std::atomic<bool> changed{false};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        bool ch = false;
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          std::int32_t arg = 0;
                          double bd = kInf;
                          for (std::size_t c = 0; c < k; ++c) {
                            const double d = dist2(pts[i], centres[c]);
                            if (d < bd) bd = d, arg = std::int32_t(c);
                          }
                          best[i] = bd;
                          if (run.labels[i] != arg) run.labels[i] = arg, ch = true;
                        }
                        if (ch) changed.store(true, std::memory_order_relaxed);
                      });
    run.iterations = it + 1;
    if (!changed && it > 0) break;
    // Update: weighted means, summed in point order (deterministic).
    std::vector<double> sx(k, 0.0), sy(k, 0.0), sw(k, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = std::size_t(run.labels[i]);
      sx[c] += weight(i) * pts[i].x;
      sy[c] += weight(i) * pts[i].y;
      sw[c] += weight(i);
    }
    double shift = 0.0;
    std::vector<std::uint8_t> taken(n, 0);
    for (std::size_t c = 0; c < k; ++c) {
      Point nc;
      if (sw[c] > 0.0) {
        nc = {sx[c] / sw[c], sy[c] / sw[c]};
      } else {
        // Empty cluster: move it to the point farthest from its centre (lowest index on ties).
        std::size_t far = 0;
        double fd = -1.0;
        for (std::size_t i = 0; i < n; ++i)
          if (!taken[i] && best[i] > fd) fd = best[i], far = i;
        taken[far] = 1;
        best[far] = 0.0;
        nc = pts[far];
      }
      shift += dist2(nc, centres[c]);
      centres[c] = nc;
    }
    if (shift <= tolAbs) break;
  }
  // Final assignment to the last centres.
  for (std::size_t i = 0; i < n; ++i) {
    std::int32_t arg = 0;
    double bd = kInf;
    for (std::size_t c = 0; c < k; ++c) {
      const double d = dist2(pts[i], centres[c]);
      if (d < bd) bd = d, arg = std::int32_t(c);
    }
    run.labels[i] = arg;
  }
  run.inertia = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    run.inertia += weight(i) * dist2(pts[i], centres[std::size_t(run.labels[i])]);
  run.centres = std::move(centres);
  return run;
}

}  // namespace

KmeansResult kmeans(std::span<const Point> points, const KmeansOptions& options,
                    Progress& progress) {
  return kmeans(points, {}, options, progress);
}

KmeansResult kmeans(std::span<const Point> points, std::span<const double> weights,
                    const KmeansOptions& options, Progress& progress) {
  options.validate();
  if (options.k > points.size())
    throw OptionError(
        "k", "is larger than the number of points (" + std::to_string(points.size()) + ")");
  detail::checkWeights(points.size(), weights);
  detail::checkFinite(points);

  // scikit-learn's tolerance: relative to the mean variance of the coordinates.
  const double n = double(points.size());
  double mx = 0, my = 0;
  for (const auto& p : points) mx += p.x, my += p.y;
  mx /= n;
  my /= n;
  double vx = 0, vy = 0;
  for (const auto& p : points) vx += (p.x - mx) * (p.x - mx), vy += (p.y - my) * (p.y - my);
  const double tolAbs = options.tolerance * (vx / n + vy / n) / 2.0;

  std::mt19937_64 rng(options.seed);
  ProgressStep step(progress, 0.0, 1.0, "k-means");
  Run best;
  auto runAll = [&] {
    for (std::size_t r = 0; r < options.nInit; ++r) {
      auto seeds = seedPlusPlus(points, weights, options.k, rng, progress);
      Run run = lloyd(points, weights, std::move(seeds), options, tolAbs, step, r);
      if (run.inertia < best.inertia) best = std::move(run);
    }
  };
  if (options.threads > 0) {
    tbb::task_arena arena(options.threads);
    arena.execute(runAll);
  } else {
    runAll();
  }
  step.done();
  return {std::move(best.labels), std::move(best.centres), best.inertia, best.iterations};
}

}  // namespace veldwacht::geo
