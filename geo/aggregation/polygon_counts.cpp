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

PolygonCounts countPointsInPolygons(std::span<const std::vector<std::uint8_t>> polygonsWkb,
                                    std::span<const Point> points, std::span<const double> weights,
                                    const PolygonCountOptions& options, Progress& progress) {
  options.validate();
  if (!weights.empty() && weights.size() != points.size()) {
    throw InputError({{}, std::nullopt, "weight"}, "need one weight per point (" +
                                                       std::to_string(points.size()) + "), got " +
                                                       std::to_string(weights.size()));
  }
  using namespace aggregation_detail;
  GeosContext& ctx = GeosContext::forThisThread();
  ProgressStep prep(progress, 0.0, 0.1, "indexing polygons");
  std::vector<GeosGeometry> geoms;
  std::vector<PreparedPtr> prepared;
  geoms.reserve(polygonsWkb.size());
  prepared.reserve(polygonsWkb.size());
  std::unique_ptr<GEOSSTRtree, StrTreeDeleter> tree(GEOSSTRtree_create_r(ctx.handle(), 10),
                                                    StrTreeDeleter{ctx.handle()});
  if (!tree) throw LibraryError("GEOS STRtree: " + ctx.lastError());
  // Item pointers index into `ids` (stable storage) so the callback recovers polygon numbers.
  std::vector<std::size_t> ids(polygonsWkb.size());
  for (std::size_t i = 0; i < polygonsWkb.size(); ++i) {
    prep.tick(i, polygonsWkb.size());
    ids[i] = i;
    geoms.push_back(readWkb(ctx, polygonsWkb[i]));
    const int type = GEOSGeomTypeId_r(ctx.handle(), geoms.back().get());
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
      throw InputError({"", static_cast<std::int64_t>(i + 1), ""}, "not a (multi)polygon");
    }
    prepared.push_back(prepare(ctx, geoms.back()));
    GEOSSTRtree_insert_r(ctx.handle(), tree.get(), geoms.back().get(), &ids[i]);
  }

  PolygonCounts out;
  out.counts.assign(polygonsWkb.size(), 0.0);
  std::vector<std::size_t> candidates;
  auto collect = [](void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<std::size_t*>(item));
  };
  ProgressStep step(progress, 0.1, 1.0, "counting points");
  for (std::size_t k = 0; k < points.size(); ++k) {
    step.tick(k, points.size());
    const Point& p = points[k];
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
      ++out.outside;
      continue;
    }
    GeosGeometry pt = makePoint(ctx, p);
    candidates.clear();
    GEOSSTRtree_query_r(ctx.handle(), tree.get(), pt.get(), collect, &candidates);
    std::sort(candidates.begin(), candidates.end());
    bool hit = false;
    for (std::size_t i : candidates) {
      const int in = options.boundary == BoundaryRule::InteriorOnly
                         ? GEOSPreparedContains_r(ctx.handle(), prepared[i].get(), pt.get())
                         : GEOSPreparedCovers_r(ctx.handle(), prepared[i].get(), pt.get());
      if (in == 2) throw LibraryError("GEOS point in polygon: " + ctx.lastError());
      if (in != 1) continue;
      out.counts[i] += weights.empty() ? 1.0 : weights[k];
      hit = true;
      if (options.boundary == BoundaryRule::FirstCovering) break;
    }
    if (!hit) ++out.outside;
  }
  step.done();
  return out;
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
