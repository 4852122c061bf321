#include "geo/hotspots/optimized.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "geo/core/error.h"
#include "geo/core/got.h"
#include "geo/core/threads.h"
#include "geo/hotspots/moran.h"
#include "geo/hotspots/nearest_neighbour_index.h"
#include "geo/hotspots/weights.h"

namespace veldwacht::geo {

namespace {

/// The nearest (in ratio) of 1, 2, 2.5 and 5 x 10^k.
double roundNice(double v) {
  const double e = std::pow(10.0, std::floor(std::log10(v)));
  double best = e;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (std::fabs(std::log(m * e / v)) < std::fabs(std::log(best / v))) best = m * e;
  return best;
}

std::string metres(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v << " m";
  return s.str();
}

}  // namespace

double suggestedCellSize(std::span<const Point> points) {
  std::vector<Point> distinct(points.begin(), points.end());
  std::sort(distinct.begin(), distinct.end(),
            [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 2) return 100.0;
  Extent e;
  for (const Point& p : distinct) e.include(p);
  const double area = std::max(e.width(), 1.0) * std::max(e.height(), 1.0);
  const double meanNn = nearestNeighbourIndex(distinct, {.area = area}).observedMean;
  const double size = std::max(2.0 * meanNn, std::sqrt(area / 250000.0));
  return roundNice(std::max(size, 1e-3));
}

void OptimizedHotSpotOptions::validate() const {
  checkThreads(threads);
  if (!(cellSize >= 0.0) || !std::isfinite(cellSize) || cellSize > kMaxCellSize)
    throw OptionError("cellSize", "must be >= 0 (0 = suggested from the data) and at most " +
                                      std::to_string(int(kMaxCellSize)) + " metres" +
                                      got(cellSize));
  if (bands < 2 || bands > 100) throw OptionError("bands", "must lie in 2..100" + got(bands));
  if (permutations > 99999)
    throw OptionError("permutations", "must be at most 99999" + got(permutations));
}

OptimizedHotSpotResult optimizedHotSpots(std::span<const Point> points,
                                         const OptimizedHotSpotOptions& options,
                                         std::span<const double> weights, Progress& progress) {
  options.validate();
  if (!weights.empty() && weights.size() != points.size())
    throw InputError({}, "got " + std::to_string(weights.size()) + " weights for " +
                             std::to_string(points.size()) + " incidents");
  if (points.empty()) throw InputError({}, "no incidents");
  OptimizedHotSpotResult out;
  if (points.size() < 30)
    out.warnings.push_back("fewer than 30 incidents (" + std::to_string(points.size()) +
                           "): too few for a reliable hot spot analysis");

  // 1-2. Aggregation grid.
  out.cellSizeSuggested = options.cellSize == 0.0;
  out.cellSize = out.cellSizeSuggested ? suggestedCellSize(points) : options.cellSize;
  out.choices.push_back(std::string("cell size ") + metres(out.cellSize) +
                        (out.cellSizeSuggested
                             ? " (twice the mean nearest-neighbour distance, rounded)"
                             : " (given)"));
  GridOptions g;
  g.shape = options.shape;
  g.cellSize = out.cellSize;
  g.extent = options.extent;
  g.maskWkb = options.maskWkb;
  if (g.extent.empty() && g.maskWkb.empty())
    for (const Point& p : points) g.extent.include(p);
  SubProgress gridProgress(progress, 0.0, 0.1);
  out.grid = makeGrid(g, gridProgress);
  SubProgress countProgress(progress, 0.1, 0.2);
  out.counts = countPoints(out.grid, points, weights, countProgress);
  const std::size_t n = out.grid.size();
  out.choices.push_back(std::to_string(n) + " grid cells, empty cells included");
  if (n < 30)
    out.warnings.push_back("fewer than 30 grid cells (" + std::to_string(n) +
                           "): results are unreliable; use a smaller cell size");
  if (n < 3) throw InputError({}, "the grid has fewer than 3 cells; use a smaller cell size");

  std::vector<Point> centres(n);
  for (std::size_t i = 0; i < n; ++i) centres[i] = out.grid.cells[i].centre;

  // 3. Incremental spatial autocorrelation.
  const double start = defaultDistanceBand(centres) * (1.0 + 1e-9);
  bool constant = true;
  for (double c : out.counts) constant &= c == out.counts.front();
  for (std::size_t b = 0; b < options.bands; ++b)
    out.scaleDistances.push_back(start + static_cast<double>(b) * out.cellSize);
  if (constant) {
    out.scaleZ.assign(options.bands, 0.0);
  } else {
    SubProgress scaleProgress(progress, 0.2, 0.7);
    for (const auto& band : incrementalGlobalMoran(centres, out.counts, out.scaleDistances,
                                                   {.rowStandardise = true}, scaleProgress))
      out.scaleZ.push_back(band.zRandom);
  }
  // A peak: z above both neighbouring bands. A rise up to the last band is no peak (the curve
  // may still be climbing), so the first and last bands never qualify.
  std::size_t chosen = 0;
  int firstSignificant = -1, maxPeak = -1;
  for (std::size_t b = 1; b + 1 < out.scaleZ.size(); ++b) {
    const double z = out.scaleZ[b];
    if (!(z > out.scaleZ[b - 1] && z > out.scaleZ[b + 1])) continue;
    if (firstSignificant < 0 && z > 1.959963985) firstSignificant = static_cast<int>(b);
    if (maxPeak < 0 || z > out.scaleZ[static_cast<std::size_t>(maxPeak)])
      maxPeak = static_cast<int>(b);
  }
  if (firstSignificant >= 0) {
    chosen = static_cast<std::size_t>(firstSignificant);
    out.peakFound = out.firstPeak = true;
    out.choices.push_back("distance band " + metres(out.scaleDistances[chosen]) +
                          ": first significant peak of spatial autocorrelation (z = " +
                          std::to_string(out.scaleZ[chosen]) + ")");
  } else if (maxPeak >= 0) {
    chosen = static_cast<std::size_t>(maxPeak);
    out.peakFound = true;
    out.choices.push_back("distance band " + metres(out.scaleDistances[chosen]) +
                          ": highest (not significant) peak of spatial autocorrelation");
  } else {
    out.warnings.push_back("no peak of spatial autocorrelation found over " +
                           std::to_string(options.bands) +
                           " bands; using the smallest band that gives every cell a neighbour");
    out.choices.push_back("distance band " + metres(out.scaleDistances[0]) +
                          ": no peak, smallest band with a neighbour for every cell");
  }
  out.distanceBand = out.scaleDistances[chosen];

  // 4. Gi* with FDR.
  const auto w = distanceBandWeights(centres, {.band = out.distanceBand}).weights;
  if (const std::size_t isl = w.islands(); isl > 0)
    out.warnings.push_back(std::to_string(isl) + " cell(s) have no neighbours at the band");
  GiStarOptions gi;
  gi.permutations = options.permutations;
  gi.seed = options.seed;
  gi.threads = options.threads;
  gi.correction = Correction::Fdr;
  gi.binsFrom = options.permutations > 0 ? PValueSource::Permutation : PValueSource::Analytic;
  SubProgress giProgress(progress, 0.7, 1.0);
  out.gi = getisOrdGiStar(out.counts, w, gi, giProgress);
  for (const auto& m : out.gi.warnings) out.warnings.push_back("Gi*: " + m);
  out.choices.push_back("Gi* with FDR-corrected confidence bins");
  return out;
}

}  // namespace veldwacht::geo
