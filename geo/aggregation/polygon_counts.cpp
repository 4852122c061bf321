#include "geo/aggregation/polygon_counts.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "geo/aggregation/geos_helpers.h"
#include "geo/core/error.h"
#include "geo/core/geos.h"

namespace veldwacht::geo {

namespace {

struct StrTreeDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSSTRtree* t) const noexcept { GEOSSTRtree_destroy_r(ctx, t); }
};

}  // namespace

struct PolygonCounter::Index {
  explicit Index(std::size_t n)
      : ctx(GeosContext::forThisThread()),
        tree(GEOSSTRtree_create_r(ctx.handle(), 10), StrTreeDeleter{ctx.handle()}),
        ids(n) {
    if (!tree) throw LibraryError("GEOS STRtree: " + ctx.lastError());
    geoms.reserve(n);
    prepared.reserve(n);
  }
  GeosContext& ctx;
  std::vector<GeosGeometry> geoms;
  std::vector<aggregation_detail::PreparedPtr> prepared;
  std::unique_ptr<GEOSSTRtree, StrTreeDeleter> tree;
  /// Item pointers index into `ids` (stable storage) so the callback recovers polygon numbers.
  std::vector<std::size_t> ids;
  std::vector<std::size_t> candidates;
};

PolygonCounter::PolygonCounter(std::span<const std::vector<std::uint8_t>> polygonsWkb,
                               const PolygonCountOptions& options, Progress& progress)
    : options_(options),
      index_(std::make_unique<Index>(polygonsWkb.size())),
      counts_(polygonsWkb.size(), 0.0),
      weightSums_(polygonsWkb.size(), 0.0) {
  options.validate();
  using namespace aggregation_detail;
  Index& x = *index_;
  ProgressStep prep(progress, 0.0, 1.0, "indexing polygons");
  for (std::size_t i = 0; i < polygonsWkb.size(); ++i) {
    prep.tick(i, polygonsWkb.size());
    x.ids[i] = i;
    x.geoms.push_back(readWkb(x.ctx, polygonsWkb[i]));
    const int type = GEOSGeomTypeId_r(x.ctx.handle(), x.geoms.back().get());
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
      throw InputError({"", static_cast<std::int64_t>(i + 1), ""}, "not a (multi)polygon");
    }
    x.prepared.push_back(prepare(x.ctx, x.geoms.back()));
    GEOSSTRtree_insert_r(x.ctx.handle(), x.tree.get(), x.geoms.back().get(), &x.ids[i]);
  }
  prep.done();
}

PolygonCounter::~PolygonCounter() = default;

void PolygonCounter::add(const Point& p, double weight) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
    ++outside_;
    return;
  }
  Index& x = *index_;
  GEOSContextHandle_t h = x.ctx.handle();
  GeosGeometry pt = aggregation_detail::makePoint(x.ctx, p);
  x.candidates.clear();
  auto collect = [](void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<std::size_t*>(item));
  };
  GEOSSTRtree_query_r(h, x.tree.get(), pt.get(), collect, &x.candidates);
  std::sort(x.candidates.begin(), x.candidates.end());
  bool hit = false;
  for (std::size_t i : x.candidates) {
    const int in = options_.boundary == BoundaryRule::InteriorOnly
                       ? GEOSPreparedContains_r(h, x.prepared[i].get(), pt.get())
                       : GEOSPreparedCovers_r(h, x.prepared[i].get(), pt.get());
    if (in == 2) throw LibraryError("GEOS point in polygon: " + x.ctx.lastError());
    if (in != 1) continue;
    counts_[i] += 1.0;
    weightSums_[i] += weight;
    hit = true;
    if (options_.boundary == BoundaryRule::FirstCovering) break;
  }
  if (!hit) ++outside_;
}

PolygonCounts countPointsInPolygons(std::span<const std::vector<std::uint8_t>> polygonsWkb,
                                    std::span<const Point> points, std::span<const double> weights,
                                    const PolygonCountOptions& options, Progress& progress) {
  options.validate();
  if (!weights.empty() && weights.size() != points.size()) {
    throw InputError({{}, std::nullopt, "weight"}, "need one weight per point (" +
                                                       std::to_string(points.size()) + "), got " +
                                                       std::to_string(weights.size()));
  }
  SubProgress indexing(progress, 0.0, 0.1);
  PolygonCounter counter(polygonsWkb, options, indexing);
  ProgressStep step(progress, 0.1, 1.0, "counting points");
  for (std::size_t k = 0; k < points.size(); ++k) {
    step.tick(k, points.size());
    counter.add(points[k], weights.empty() ? 1.0 : weights[k]);
  }
  step.done();
  return {weights.empty() ? counter.counts() : counter.weightSums(), counter.outside()};
}

void RateOptions::validate() const {
  if (!(minDenominator >= 0) || !std::isfinite(minDenominator)) {
    throw OptionError("minDenominator", "must be >= 0");
  }
  if (!(scale > 0) || !std::isfinite(scale)) throw OptionError("scale", "must be > 0");
}

std::vector<double> rates(std::span<const double> numerator, std::span<const double> denominator,
                          const RateOptions& options) {
  options.validate();
  if (numerator.size() != denominator.size()) {
    throw InputError({{}, std::nullopt, "denominator"},
                     "expected one value per numerator value (" + std::to_string(numerator.size()) +
                         "), got " + std::to_string(denominator.size()));
  }
  std::vector<double> r(numerator.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double d = denominator[i];
    if (d > 0 && d >= options.minDenominator) r[i] = numerator[i] / d * options.scale;
  }
  return r;
}

}  // namespace veldwacht::geo
