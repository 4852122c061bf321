#include "geo/hotspots/weights.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

namespace {

SpatialWeights fromSortedLists(std::vector<std::vector<std::uint32_t>>& lists) {
  SpatialWeights w;
  w.offsets.assign(lists.size() + 1, 0);
  std::size_t total = 0;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    auto& l = lists[i];
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
    l.erase(std::remove(l.begin(), l.end(), static_cast<std::uint32_t>(i)), l.end());
    total += l.size();
  }
  w.neighbours.reserve(total);
  for (std::size_t i = 0; i < lists.size(); ++i) {
    w.neighbours.insert(w.neighbours.end(), lists[i].begin(), lists[i].end());
    w.offsets[i + 1] = static_cast<std::uint32_t>(w.neighbours.size());
  }
  return w;
}

}  // namespace

std::size_t SpatialWeights::islands() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < size(); ++i) n += count(i) == 0;
  return n;
}

bool SpatialWeights::symmetric() const {
  for (std::size_t i = 0; i < size(); ++i)
    for (std::uint32_t j : of(i)) {
      const auto nj = of(j);
      if (!std::binary_search(nj.begin(), nj.end(), static_cast<std::uint32_t>(i))) return false;
    }
  return true;
}

SpatialWeights SpatialWeights::fromLists(std::span<const std::vector<std::uint32_t>> lists,
                                         bool symmetrise) {
  const std::size_t n = lists.size();
  std::vector<std::vector<std::uint32_t>> copy(lists.begin(), lists.end());
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint32_t j : lists[i]) {
      if (j >= n)
        throw InputError(
            {.file = {}, .row = static_cast<std::int64_t>(i + 1), .field = "neighbours"},
            "neighbour index " + std::to_string(j) + " >= feature count " + std::to_string(n));
      if (symmetrise) copy[j].push_back(static_cast<std::uint32_t>(i));
    }
  return fromSortedLists(copy);
}

SpatialWeights SpatialWeights::fromPairs(
    std::size_t n, std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs) {
  std::vector<std::vector<std::uint32_t>> lists(n);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto [i, j] = pairs[k];
    if (i >= n || j >= n)
      throw InputError({.file = {}, .row = static_cast<std::int64_t>(k + 1), .field = "adjacency"},
                       "feature index out of range (feature count " + std::to_string(n) + ")");
    lists[i].push_back(j);
    lists[j].push_back(i);
  }
  return fromSortedLists(lists);
}

double defaultDistanceBand(std::span<const Point> points, Progress& progress) {
  if (points.size() < 2) return 0.0;
  KdTree tree(points);
  ProgressStep step(progress, 0.0, 1.0, "nearest-neighbour distances");
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  double band = 0.0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    tree.nearest(points[i], 2, idx, dist);
    // Two results: the point itself (or a coincident twin) and the nearest other; either way
    // the second distance is the distance to the nearest *other* feature.
    band = std::max(band, dist[1]);
    step.tick(i + 1, points.size());
  }
  return band;
}

void DistanceBandOptions::validate() const {
  if (!(band >= 0.0) || !std::isfinite(band))
    throw OptionError("band", "must be a finite distance >= 0 (0 = default band)" + got(band));
}

DistanceBandWeights distanceBandWeights(std::span<const Point> points,
                                        const DistanceBandOptions& options, Progress& progress) {
  options.validate();
  DistanceBandWeights out;
  if (options.band > 0.0) {
    out.band = options.band;
  } else {
    SubProgress sub(progress, 0.0, 0.3);
    out.band = defaultDistanceBand(points, sub);
  }
  KdTree tree(points);
  ProgressStep step(progress, 0.3, 1.0, "distance band neighbours");
  auto& w = out.weights;
  w.offsets.assign(points.size() + 1, 0);
  std::vector<std::uint32_t> found;
  for (std::size_t i = 0; i < points.size(); ++i) {
    tree.withinRadius(points[i], out.band, found);
    std::sort(found.begin(), found.end());
    for (std::uint32_t j : found)
      if (j != i) w.neighbours.push_back(j);
    w.offsets[i + 1] = static_cast<std::uint32_t>(w.neighbours.size());
    step.tick(i + 1, points.size());
  }
  return out;
}

void KNearestOptions::validate() const {
  if (k < 1) throw OptionError("k", "must be at least 1" + got(k));
}

SpatialWeights kNearestWeights(std::span<const Point> points, const KNearestOptions& options,
                               Progress& progress) {
  options.validate();
  if (points.size() <= options.k)
    throw OptionError("k", "k nearest neighbours needs more than k = " + std::to_string(options.k) +
                               " features, got " + std::to_string(points.size()) +
                               "; choose a smaller k");
  KdTree tree(points);
  ProgressStep step(progress, 0.0, 1.0, "k nearest neighbours");
  SpatialWeights w;
  w.offsets.assign(points.size() + 1, 0);
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  std::vector<std::uint32_t> row;
  for (std::size_t i = 0; i < points.size(); ++i) {
    tree.nearest(points[i], options.k + 1, idx, dist);
    row.clear();
    for (std::uint32_t j : idx)
      if (j != i && row.size() < options.k) row.push_back(j);
    std::sort(row.begin(), row.end());
    w.neighbours.insert(w.neighbours.end(), row.begin(), row.end());
    w.offsets[i + 1] = static_cast<std::uint32_t>(w.neighbours.size());
    step.tick(i + 1, points.size());
  }
  return w;
}

}  // namespace veldwacht::geo
