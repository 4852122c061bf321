#include "geo/risk/influence.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "geo/core/error.h"
#include "geo/density/kde.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {
namespace {

void checkGrid(const RasterGrid& grid) {
  if (grid.cols <= 0 || grid.rows <= 0) throw OptionError("grid", "needs at least one cell");
  if (!(grid.pixelSize > 0.0) || !std::isfinite(grid.pixelSize))
    throw OptionError("grid", "cell size must be > 0 metres");
}

void checkPoints(std::span<const Point> points, const char* what) {
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
      throw InputError({what, std::int64_t(i + 1), "geometry"}, "coordinates must be finite");
}

std::string metres(double d) {
  const double r = std::round(d);
  return (std::abs(d - r) < 1e-9 ? std::to_string(std::int64_t(r)) : std::to_string(d)) + " m";
}

std::string days(double d) {
  const double r = std::round(d);
  return (std::abs(d - r) < 1e-9 ? std::to_string(std::int64_t(r)) : std::to_string(d)) + " d";
}

}  // namespace

std::vector<double> nearestFeatureDistance(std::span<const Point> features, const RasterGrid& grid,
                                           Progress& progress) {
  checkGrid(grid);
  checkPoints(features, "features");
  std::vector<double> out(grid.size(), std::numeric_limits<double>::infinity());
  if (features.empty()) return out;
  const KdTree tree(features);
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  ProgressStep step(progress, 0.0, 1.0, "nearest feature");
  for (std::int32_t r = 0; r < grid.rows; ++r) {
    for (std::int32_t c = 0; c < grid.cols; ++c) {
      tree.nearest({grid.centreX(c), grid.centreY(r)}, 1, idx, dist);
      out[std::size_t(r) * std::size_t(grid.cols) + std::size_t(c)] = dist.at(0);
    }
    step.tick(std::size_t(r + 1), std::size_t(grid.rows));
  }
  return out;
}

std::vector<double> proximityFromDistance(std::span<const double> distances, double distance) {
  std::vector<double> out(distances.size());
  for (std::size_t i = 0; i < distances.size(); ++i) out[i] = distances[i] <= distance ? 1.0 : 0.0;
  return out;
}

std::vector<double> featureDensity(std::span<const Point> features, std::span<const double> weights,
                                   const RasterGrid& grid, double bandwidth, Progress& progress) {
  checkGrid(grid);
  checkPoints(features, "features");
  KdeOptions o;
  o.radius = bandwidth;
  o.pixelSize = grid.pixelSize;
  o.kernel = Kernel::Quartic;
  o.output = KernelOutput::PerSquareKm;
  o.studyExtent = grid.extent();
  o.validate();
  const KdeLayout layout{grid, grid.extent().minY};
  return kernelDensityOnGrid(features, weights, o, layout, progress).raster.values;
}

std::vector<double> highValueCells(std::span<const double> values,
                                   std::span<const std::uint8_t> inArea, double sdAbove) {
  if (!inArea.empty() && inArea.size() != values.size())
    throw InputError({{}, std::nullopt, "inArea"}, "needs one flag per cell");
  double n = 0.0, sum = 0.0, sq = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!inArea.empty() && !inArea[i]) continue;
    n += 1.0;
    sum += values[i];
    sq += values[i] * values[i];
  }
  std::vector<double> out(values.size(), 0.0);
  if (n == 0.0) return out;
  const double mean = sum / n;
  const double sd = std::sqrt(std::max(0.0, sq / n - mean * mean));
  if (sd == 0.0) return out;  // a constant surface marks nothing
  const double threshold = mean + sdAbove * sd;
  for (std::size_t i = 0; i < values.size(); ++i)
    if ((inArea.empty() || inArea[i]) && values[i] >= threshold) out[i] = 1.0;
  return out;
}

std::vector<double> decayedCounts(std::span<const Point> events, std::span<const TimeSeconds> times,
                                  const RasterGrid& grid, double radius, TimeSeconds referenceTime,
                                  double halfLifeSeconds, Progress& progress) {
  checkGrid(grid);
  checkPoints(events, "events");
  if (times.size() != events.size())
    throw InputError({"events", std::nullopt, "time"}, "needs one time per event");
  if (!(radius > 0.0) || !std::isfinite(radius)) throw OptionError("radius", "must be > 0 metres");
  if (!(halfLifeSeconds >= 0.0) || !std::isfinite(halfLifeSeconds))
    throw OptionError("halfLife", "must be >= 0 seconds (0 = no decay)");
  std::vector<Point> earlier;
  std::vector<double> weight;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (times[i] >= referenceTime) continue;
    earlier.push_back(events[i]);
    const double age = double(referenceTime - times[i]);
    weight.push_back(halfLifeSeconds > 0.0 ? std::exp2(-age / halfLifeSeconds) : 1.0);
  }
  std::vector<double> out(grid.size(), 0.0);
  if (earlier.empty()) return out;
  const KdTree tree(earlier);
  std::vector<std::uint32_t> near;
  ProgressStep step(progress, 0.0, 1.0, "decayed counts");
  for (std::int32_t r = 0; r < grid.rows; ++r) {
    for (std::int32_t c = 0; c < grid.cols; ++c) {
      tree.withinRadius({grid.centreX(c), grid.centreY(r)}, radius, near);
      double s = 0.0;
      for (auto j : near) s += weight[j];
      out[std::size_t(r) * std::size_t(grid.cols) + std::size_t(c)] = s;
    }
    step.tick(std::size_t(r + 1), std::size_t(grid.rows));
  }
  return out;
}

RiskFactor remotenessCandidates(std::string name, std::span<const Point> features,
                                const RasterGrid& grid, std::span<const double> distances,
                                Progress& progress) {
  for (double d : distances)
    if (!(d > 0.0) || !std::isfinite(d)) throw OptionError("distances", "must be > 0 metres");
  RiskFactor f;
  f.name = std::move(name);
  const auto nearest = nearestFeatureDistance(features, grid, progress);
  for (double d : distances) {
    std::vector<double> v(nearest.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = nearest[i] > d ? 1.0 : 0.0;
    f.candidates.push_back({InfluenceKind::Remoteness, d, "remote " + metres(d), std::move(v)});
  }
  return f;
}

std::vector<Point> densifyPolyline(std::span<const Point> vertices, double step) {
  if (!(step > 0.0) || !std::isfinite(step)) throw OptionError("step", "must be > 0 metres");
  checkPoints(vertices, "polyline");
  std::vector<Point> out;
  if (vertices.empty()) return out;
  out.push_back(vertices[0]);
  for (std::size_t i = 1; i < vertices.size(); ++i) {
    const Point a = vertices[i - 1], b = vertices[i];
    const double len = std::hypot(b.x - a.x, b.y - a.y);
    const auto pieces = std::size_t(std::ceil(len / step));
    for (std::size_t k = 1; k < pieces; ++k) {
      const double t = double(k) / double(pieces);
      out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
    }
    if (len > 0.0) out.push_back(b);
  }
  return out;
}

void InfluenceOptions::validate() const {
  if (distances.empty()) throw OptionError("distances", "needs at least one distance");
  for (double d : distances)
    if (!(d > 0.0) || !std::isfinite(d)) throw OptionError("distances", "must be > 0 metres");
  if (!proximity && !density) throw OptionError("proximity", "choose proximity, density or both");
  if (!std::isfinite(densitySdAbove)) throw OptionError("densitySdAbove", "must be a number");
  if (halfLivesDays.empty()) throw OptionError("halfLivesDays", "needs at least one half-life");
  for (double h : halfLivesDays)
    if (!(h > 0.0) || !std::isfinite(h)) throw OptionError("halfLivesDays", "must be > 0 days");
  if (!(decayedThreshold > 0.0) || !std::isfinite(decayedThreshold))
    throw OptionError("decayedThreshold", "must be > 0");
}

RiskFactor influenceCandidates(std::string name, std::span<const Point> features,
                               const RasterGrid& grid, std::span<const std::uint8_t> inArea,
                               const InfluenceOptions& options, Progress& progress) {
  options.validate();
  checkGrid(grid);
  if (!inArea.empty() && inArea.size() != grid.size())
    throw InputError({{}, std::nullopt, "inArea"}, "needs one flag per cell");
  RiskFactor f;
  f.name = std::move(name);
  const double total = double(options.distances.size()) * (options.density ? 1.0 : 0.0) + 1.0;
  if (options.proximity) {
    SubProgress sub(progress, 0.0, 1.0 / total);
    const auto nearest = nearestFeatureDistance(features, grid, sub);
    for (double d : options.distances)
      f.candidates.push_back({InfluenceKind::Proximity, d, "proximity " + metres(d),
                              proximityFromDistance(nearest, d)});
  }
  if (options.density) {
    for (std::size_t k = 0; k < options.distances.size(); ++k) {
      const double d = options.distances[k];
      SubProgress sub(progress, double(k + 1) / total, double(k + 2) / total);
      const auto density = featureDensity(features, {}, grid, d, sub);
      f.candidates.push_back({InfluenceKind::Density, d, "density " + metres(d),
                              highValueCells(density, inArea, options.densitySdAbove)});
    }
  }
  return f;
}

RiskFactor decayedSignalCandidates(std::string name, std::span<const Point> events,
                                   std::span<const TimeSeconds> times, const RasterGrid& grid,
                                   TimeSeconds referenceTime, const InfluenceOptions& options,
                                   Progress& progress) {
  options.validate();
  checkGrid(grid);
  checkPoints(events, "events");
  if (times.size() != events.size())
    throw InputError({"events", std::nullopt, "time"}, "needs one time per event");
  const auto& ds = options.distances;
  const auto& hs = options.halfLivesDays;
  const std::size_t nd = ds.size(), nh = hs.size();
  double maxD = 0.0;
  for (double d : ds) maxD = std::max(maxD, d);
  // Earlier events with their weight under every half-life.
  std::vector<Point> earlier;
  std::vector<double> weight;  // event-major, nh per event
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (times[i] >= referenceTime) continue;
    earlier.push_back(events[i]);
    const double ageDays = double(referenceTime - times[i]) / 86400.0;
    for (double h : hs) weight.push_back(std::exp2(-ageDays / h));
  }
  // sums[(d * nh + h) * cells + cell]
  std::vector<double> sums(nd * nh * grid.size(), 0.0);
  if (!earlier.empty()) {
    const KdTree tree(earlier);
    std::vector<std::pair<std::uint32_t, double>> near;
    ProgressStep step(progress, 0.0, 1.0, "earlier signals");
    for (std::int32_t r = 0; r < grid.rows; ++r) {
      for (std::int32_t c = 0; c < grid.cols; ++c) {
        const Point centre{grid.centreX(c), grid.centreY(r)};
        const std::size_t cell = std::size_t(r) * std::size_t(grid.cols) + std::size_t(c);
        tree.withinRadius(centre, maxD, near);
        for (const auto& [j, dist] : near) {
          for (std::size_t k = 0; k < nd; ++k) {
            if (dist > ds[k]) continue;
            for (std::size_t h = 0; h < nh; ++h)
              sums[(k * nh + h) * grid.size() + cell] += weight[std::size_t(j) * nh + h];
          }
        }
      }
      step.tick(std::size_t(r + 1), std::size_t(grid.rows));
    }
  }
  RiskFactor f;
  f.name = std::move(name);
  // A tiny tolerance so that e.g. two signals of exactly two half-lives ago reach 1/2.
  const double threshold = options.decayedThreshold * (1.0 - 1e-12);
  for (std::size_t k = 0; k < nd; ++k) {
    for (std::size_t h = 0; h < nh; ++h) {
      Operationalisation o;
      o.kind = InfluenceKind::Decayed;
      o.distance = ds[k];
      o.halfLifeDays = hs[h];
      o.label = "signalen " + metres(ds[k]) + ", halfwaardetijd " + days(hs[h]);
      o.values.resize(grid.size());
      const double* s = &sums[(k * nh + h) * grid.size()];
      for (std::size_t i = 0; i < grid.size(); ++i) o.values[i] = s[i] >= threshold ? 1.0 : 0.0;
      f.candidates.push_back(std::move(o));
    }
  }
  return f;
}

}  // namespace veldwacht::geo
