#include "geo/privacy/reidentification.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "geo/aggregation/grid.h"
#include "geo/clustering/dbscan.h"
#include "geo/core/error.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/weights.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

namespace {
void checkSameLength(std::span<const Point> a, std::span<const Point> b) {
  if (a.size() != b.size())
    throw InputError({"masked", std::nullopt, ""}, "expected one masked point per true point (" +
                                                       std::to_string(a.size()) + "), got " +
                                                       std::to_string(b.size()));
}
}  // namespace

NearestAddressAttack nearestAddressAttack(std::span<const Point> truePoints,
                                          std::span<const Point> masked,
                                          std::span<const Point> addresses, Progress& progress) {
  checkSameLength(truePoints, masked);
  if (addresses.empty()) throw InputError({"addresses", std::nullopt, ""}, "no addresses");
  const KdTree tree(addresses);
  NearestAddressAttack res;
  res.points = truePoints.size();
  res.trueAddress.resize(res.points);
  res.guessedAddress.resize(res.points);
  ProgressStep step(progress, 0.0, 1.0, "nearest-address attack");
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  for (std::size_t i = 0; i < res.points; ++i) {
    tree.nearest(truePoints[i], 1, idx, dist);
    res.trueAddress[i] = idx[0];
    tree.nearest(masked[i], 1, idx, dist);
    res.guessedAddress[i] = idx[0];
    res.hits += res.trueAddress[i] == res.guessedAddress[i];
    step.tick(i + 1, res.points);
  }
  res.successRate = res.points ? double(res.hits) / double(res.points) : 0.0;
  step.done();
  return res;
}

void HotSpotKeepingOptions::validate() const {
  if (!(cellSize > 0.0) || !std::isfinite(cellSize))
    throw OptionError("cellSize", "must be finite and > 0 metres");
  if (minBin < 1 || minBin > 3) throw OptionError("minBin", "must lie in 1..3");
}

HotSpotKeeping hotSpotKeeping(std::span<const Point> truePoints, std::span<const Point> masked,
                              const HotSpotKeepingOptions& options, Progress& progress) {
  options.validate();
  checkSameLength(truePoints, masked);
  HotSpotKeeping res;
  if (truePoints.empty()) {
    res.kept = res.jaccard = 1.0;
    return res;
  }
  GridOptions go;
  go.shape = GridShape::Square;
  go.cellSize = options.cellSize;
  go.contiguity = Contiguity::Queen;
  for (const auto& p : truePoints) go.extent.include(p);
  for (const auto& p : masked) go.extent.include(p);
  // A degenerate extent (one point) still needs one cell.
  go.extent.maxX += options.cellSize * 1e-6;
  go.extent.maxY += options.cellSize * 1e-6;
  const Grid grid = makeGrid(go, progress);
  res.cells = grid.size();
  const auto weights = SpatialWeights::fromLists(grid.neighbours);
  GiStarOptions gio;
  gio.permutations = 0;
  gio.seed = options.seed;
  gio.threads = 1;
  auto hot = [&](std::span<const Point> pts, double from, double to) {
    SubProgress sub(progress, from, to);
    const auto counts = countPoints(grid, pts, {}, sub);
    std::vector<bool> h(grid.size(), false);
    // Gi* is undefined without variance (all cells equal): no hot cells then.
    if (std::all_of(counts.begin(), counts.end(), [&](double c) { return c == counts[0]; }))
      return h;
    const auto gi = getisOrdGiStar(counts, weights, gio, sub);
    for (std::size_t c = 0; c < h.size(); ++c) h[c] = gi.bin[c] >= options.minBin;
    return h;
  };
  const auto hotTrue = hot(truePoints, 0.1, 0.55);
  const auto hotMasked = hot(masked, 0.55, 1.0);
  std::size_t either = 0;
  for (std::size_t c = 0; c < grid.size(); ++c) {
    res.hotTrue += hotTrue[c];
    res.hotMasked += hotMasked[c];
    res.hotBoth += hotTrue[c] && hotMasked[c];
    either += hotTrue[c] || hotMasked[c];
  }
  res.kept = res.hotTrue ? double(res.hotBoth) / double(res.hotTrue) : 1.0;
  res.jaccard = either ? double(res.hotBoth) / double(either) : 1.0;
  return res;
}

double adjustedRandIndex(std::span<const std::int32_t> a, std::span<const std::int32_t> b) {
  if (a.size() != b.size())
    throw InputError({"labels", std::nullopt, ""}, "expected two labelings of the same length");
  const double n = double(a.size());
  if (a.size() < 2) return 1.0;
  std::map<std::pair<std::int32_t, std::int32_t>, double> joint;
  std::map<std::int32_t, double> rows, cols;
  for (std::size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1.0;
    rows[a[i]] += 1.0;
    cols[b[i]] += 1.0;
  }
  auto pairs = [](double c) { return c * (c - 1.0) / 2.0; };
  double sumJoint = 0.0, sumRows = 0.0, sumCols = 0.0;
  for (const auto& [key, c] : joint) sumJoint += pairs(c);
  for (const auto& [key, c] : rows) sumRows += pairs(c);
  for (const auto& [key, c] : cols) sumCols += pairs(c);
  const double expected = sumRows * sumCols / pairs(n);
  const double maxIndex = 0.5 * (sumRows + sumCols);
  if (maxIndex == expected) return 1.0;  // both trivial partitions (all one class / singletons)
  return (sumJoint - expected) / (maxIndex - expected);
}

void DbscanKeepingOptions::validate() const {
  DbscanOptions{.eps = eps, .minPts = minPts}.validate();
}

DbscanKeeping dbscanKeeping(std::span<const Point> truePoints, std::span<const Point> masked,
                            const DbscanKeepingOptions& options, Progress& progress) {
  options.validate();
  checkSameLength(truePoints, masked);
  const DbscanOptions dbo{.eps = options.eps, .minPts = options.minPts, .threads = 1};
  SubProgress first(progress, 0.0, 0.5), second(progress, 0.5, 1.0);
  const auto t = dbscan(truePoints, dbo, first);
  const auto m = dbscan(masked, dbo, second);
  return {t.clusterCount, m.clusterCount, adjustedRandIndex(t.labels, m.labels)};
}

}  // namespace veldwacht::geo
