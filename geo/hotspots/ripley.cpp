#include "geo/hotspots/ripley.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/core/threads.h"
#include "geo/hotspots/inference.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void RipleyOptions::validate() const {
  checkThreads(threads);
  for (std::size_t i = 0; i < distances.size(); ++i) {
    if (!(distances[i] > 0.0) || !std::isfinite(distances[i]))
      throw OptionError("distances", "must be finite and > 0" + got(distances[i]));
    if (i > 0 && !(distances[i] > distances[i - 1]))
      throw OptionError("distances", "must be strictly ascending" + got(distances[i - 1]) +
                                         " then" + got(distances[i]).substr(5));
  }
  if (distances.empty() && (bands < 1 || bands > 1000))
    throw OptionError("bands", "must lie in 1..1000" + got(bands));
  if (simulations > 9999)
    throw OptionError("simulations", "must be at most 9999" + got(simulations));
  if (!studyArea.empty() && !(studyArea.width() > 0.0 && studyArea.height() > 0.0))
    throw OptionError("studyArea", "must have a positive width and height");
}

double ripleyIsotropicWeight(const Point& p, double r, const Extent& rect) {
  if (r <= 0.0) return 1.0;
  const double left = p.x - rect.minX, right = rect.maxX - p.x;
  const double bottom = p.y - rect.minY, top = rect.maxY - p.y;
  auto half = [r](double e) { return e < r ? std::acos(std::max(0.0, e) / r) : 0.0; };
  const double hl = half(left), hr = half(right), hb = half(bottom), ht = half(top);
  // Each edge closer than r cuts an arc of 2 acos(e / r); at a corner inside the circle the arcs
  // of its two edges overlap by acos(e1 / r) + acos(e2 / r) - pi / 2.
  double outside = 2.0 * (hl + hr + hb + ht);
  auto corner = [&](double e1, double a1, double e2, double a2) {
    if (e1 * e1 + e2 * e2 < r * r) outside -= a1 + a2 - std::numbers::pi / 2.0;
  };
  corner(left, hl, bottom, hb);
  corner(left, hl, top, ht);
  corner(right, hr, bottom, hb);
  corner(right, hr, top, ht);
  const double inside = 2.0 * std::numbers::pi - outside;
  return inside > 1e-9 ? 2.0 * std::numbers::pi / inside : 0.0;
}

namespace {

/// L(d) for every distance: one range query per point at the largest distance, then a
/// cumulative histogram over the distance bands.
std::vector<double> lFunction(std::span<const Point> pts, std::span<const double> distances,
                              const Extent& rect, EdgeCorrection edge, std::vector<double>* kOut) {
  const std::size_t n = pts.size();
  const double area = rect.width() * rect.height();
  const double dmax = distances.back();
  KdTree tree(pts);
  std::vector<double> acc(distances.size(), 0.0);
  std::vector<std::pair<std::uint32_t, double>> found;
  for (std::size_t i = 0; i < n; ++i) {
    tree.withinRadius(pts[i], dmax, found);
    for (const auto& [j, d] : found) {
      if (j == i) continue;
      const double w =
          edge == EdgeCorrection::RipleyIsotropic ? ripleyIsotropicWeight(pts[i], d, rect) : 1.0;
      const auto it = std::lower_bound(distances.begin(), distances.end(), d);
      if (it != distances.end()) acc[static_cast<std::size_t>(it - distances.begin())] += w;
    }
  }
  std::vector<double> l(distances.size());
  double running = 0.0;
  const double scale = area / (static_cast<double>(n) * static_cast<double>(n - 1));
  if (kOut) kOut->resize(distances.size());
  for (std::size_t b = 0; b < distances.size(); ++b) {
    running += acc[b];
    const double k = scale * running;
    if (kOut) (*kOut)[b] = k;
    l[b] = std::sqrt(k / std::numbers::pi);
  }
  return l;
}

}  // namespace

RipleyResult ripleyK(std::span<const Point> points, const RipleyOptions& options,
                     Progress& progress) {
  options.validate();
  if (points.size() < 3)
    throw InputError({},
                     "Ripley's K needs at least 3 points, got " + std::to_string(points.size()));
  RipleyResult out;
  out.studyArea = options.studyArea;
  if (out.studyArea.empty())
    for (const Point& p : points) out.studyArea.include(p);
  const Extent& rect = out.studyArea;
  if (!(rect.width() > 0.0 && rect.height() > 0.0))
    throw InputError({}, "the points are collinear: give the study area explicitly");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    if (p.x < rect.minX || p.x > rect.maxX || p.y < rect.minY || p.y > rect.maxY)
      throw InputError({.file = {}, .row = static_cast<std::int64_t>(i + 1), .field = {}},
                       "point outside the study area");
  }
  out.area = rect.width() * rect.height();
  const double shorter = std::min(rect.width(), rect.height());
  out.distances = options.distances;
  if (out.distances.empty()) {
    const double step = 0.25 * shorter / static_cast<double>(options.bands);
    for (std::size_t b = 1; b <= options.bands; ++b) out.distances.push_back(step * b);
  }
  if (options.edgeCorrection == EdgeCorrection::RipleyIsotropic &&
      out.distances.back() > 0.5 * shorter) {
    out.warnings.push_back(
        "distances beyond half the shorter side were dropped (isotropic "
        "edge correction is not valid there)");
    while (!out.distances.empty() && out.distances.back() > 0.5 * shorter) out.distances.pop_back();
    if (out.distances.empty()) throw OptionError("distances", "all beyond half the shorter side");
  }

  ProgressStep step(progress, 0.0, 1.0, "Ripley's K");
  out.l = lFunction(points, out.distances, rect, options.edgeCorrection, &out.k);
  if (options.simulations == 0) {
    step.done();
    return out;
  }
  const std::size_t nb = out.distances.size();
  std::vector<std::vector<double>> sims(options.simulations);
  parallelChunks(options.simulations, options.threads, step, [&](std::size_t b, std::size_t e) {
    std::vector<Point> csr(points.size());
    for (std::size_t s = b; s < e; ++s) {
      Rng rng = Rng::stream(options.seed, s);
      for (Point& p : csr)
        p = {rect.minX + rng.uniform() * rect.width(), rect.minY + rng.uniform() * rect.height()};
      sims[s] = lFunction(csr, out.distances, rect, options.edgeCorrection, nullptr);
    }
  });
  out.envelopeLow.assign(nb, INFINITY);
  out.envelopeHigh.assign(nb, -INFINITY);
  for (const auto& l : sims)
    for (std::size_t i = 0; i < nb; ++i) {
      out.envelopeLow[i] = std::min(out.envelopeLow[i], l[i]);
      out.envelopeHigh[i] = std::max(out.envelopeHigh[i], l[i]);
    }
  step.done();
  return out;
}

}  // namespace veldwacht::geo
