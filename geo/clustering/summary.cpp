#include "geo/clustering/summary.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>

#include "geo/core/error.h"
#include "geo/core/geos.h"

namespace veldwacht::geo {

void ClusterSummaryOptions::validate() const {
  if (!(concaveRatio >= 0.0 && concaveRatio <= 1.0))
    throw OptionError("concaveRatio", "must lie in [0, 1]");
}

namespace {

void checkLength(std::size_t n, std::size_t got, const char* field) {
  if (got != 0 && got != n)
    throw InputError({{}, std::nullopt, field},
                     "expected " + std::to_string(n) + " values, got " + std::to_string(got));
}

// The distinct member locations as a MultiPoint. Duplicates (several signals at one address)
// are dropped first: they add nothing to a hull and they degrade GEOS's concave hull, which
// then falls back to (nearly) the convex hull.
/// The distinct points of a cluster, sorted by x, then y.
std::vector<Point> distinctPoints(std::span<const Point> points,
                                  const std::vector<std::uint32_t>& members) {
  std::vector<Point> distinct;
  distinct.reserve(members.size());
  for (std::uint32_t i : members) distinct.push_back(points[i]);
  std::sort(distinct.begin(), distinct.end(),
            [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  return distinct;
}

/// The points of `sorted` (distinct, sorted by x then y) that may be vertices of their convex
/// hull, in the same order: Andrew's monotone chain that drops a point only when it lies
/// clearly inside (a clockwise turn larger than the rounding error of the cross product), so
/// every vertex of the exact hull is kept, and collinear or nearly collinear points on the
/// boundary stay too. GEOS's convex hull of these points is the same geometry as of all of
/// them (its Graham scan keeps only the strict vertices, starting from the lowest point,
/// whatever else the input holds); building one GEOS point per cluster member was most of the
/// summary's time at 1M points.
std::vector<Point> hullCandidates(const std::vector<Point>& sorted) {
  const std::size_t n = sorted.size();
  if (n <= 3) return sorted;
  const double dx = sorted.back().x - sorted.front().x;
  double minY = sorted[0].y, maxY = sorted[0].y;
  double maxAbs = std::max(std::abs(sorted.front().x), std::abs(sorted.back().x));
  for (const Point& p : sorted) {
    minY = std::min(minY, p.y);
    maxY = std::max(maxY, p.y);
  }
  maxAbs = std::max({maxAbs, std::abs(minY), std::abs(maxY)});
  const double dy = maxY - minY;
  // The cross products below are at most 2 (dx^2 + dy^2); their rounding error is below 1e-15
  // of that, plus what rounding the coordinate differences adds (an ulp of the largest
  // coordinate times the other difference). The tolerance is far above both.
  const double tolerance = 1e-9 * (dx * dx + dy * dy) + 1e-13 * maxAbs * (dx + dy);
  const auto cross = [](const Point& o, const Point& a, const Point& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::vector<std::uint32_t> lower, upper;
  for (std::uint32_t i = 0; i < n; ++i) {
    const Point& p = sorted[i];
    while (lower.size() >= 2 &&
           cross(sorted[lower[lower.size() - 2]], sorted[lower.back()], p) < -tolerance)
      lower.pop_back();
    lower.push_back(i);
    while (upper.size() >= 2 &&
           cross(sorted[upper[upper.size() - 2]], sorted[upper.back()], p) > tolerance)
      upper.pop_back();
    upper.push_back(i);
  }
  std::vector<std::uint32_t> keep;
  keep.reserve(lower.size() + upper.size());
  std::merge(lower.begin(), lower.end(), upper.begin(), upper.end(), std::back_inserter(keep));
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  std::vector<Point> out;
  out.reserve(keep.size());
  for (std::uint32_t i : keep) out.push_back(sorted[i]);
  return out;
}

GeosGeometry multiPoint(GeosContext& ctx, const std::vector<Point>& distinct) {
  std::vector<GeosGeometry> parts;
  parts.reserve(distinct.size());
  for (const Point& p : distinct)
    parts.push_back(
        checkedGeos(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), p.x, p.y), "create point"));
  return collectionOf(ctx, GEOS_MULTIPOINT, std::move(parts), "create multipoint");
}

void appendCoords(GeosContext& ctx, const GEOSGeometry* g, std::vector<Point>& out) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.handle(), g);
  if (!seq) throw LibraryError("GEOS coordinate sequence: " + ctx.lastError());
  unsigned size = 0;
  GEOSCoordSeq_getSize_r(ctx.handle(), seq, &size);
  for (unsigned i = 0; i < size; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(ctx.handle(), seq, i, &x, &y);
    out.push_back({x, y});
  }
}

Hull toHull(GeosContext& ctx, const GeosGeometry& g) {
  Hull h;
  std::unique_ptr<GEOSWKBWriter, GeosWkbWriterDeleter> writer(GEOSWKBWriter_create_r(ctx.handle()),
                                                              {ctx.handle()});
  if (!writer) throw LibraryError("GEOS WKB writer: " + ctx.lastError());
  GEOSWKBWriter_setOutputDimension_r(ctx.handle(), writer.get(), 2);
  GEOSWKBWriter_setByteOrder_r(ctx.handle(), writer.get(), GEOS_WKB_NDR);
  std::size_t size = 0;
  std::unique_ptr<unsigned char, GeosBufferDeleter> buf(
      GEOSWKBWriter_write_r(ctx.handle(), writer.get(), g.get(), &size), {ctx.handle()});
  if (!buf) throw LibraryError("GEOS WKB write: " + ctx.lastError());
  h.wkb.assign(buf.get(), buf.get() + size);
  const int type = GEOSGeomTypeId_r(ctx.handle(), g.get());
  if (type == GEOS_POLYGON) {
    appendCoords(ctx, GEOSGetExteriorRing_r(ctx.handle(), g.get()), h.ring);
  } else if (type == GEOS_POINT || type == GEOS_LINESTRING) {
    appendCoords(ctx, g.get(), h.ring);
  } else if (type == GEOS_MULTIPOLYGON) {  // a concave hull may fall apart; keep the largest
    const int parts = GEOSGetNumGeometries_r(ctx.handle(), g.get());
    double bestArea = -1;
    const GEOSGeometry* best = nullptr;
    for (int i = 0; i < parts; ++i) {
      const GEOSGeometry* p = GEOSGetGeometryN_r(ctx.handle(), g.get(), i);
      double a = 0;
      GEOSArea_r(ctx.handle(), p, &a);
      if (a > bestArea) bestArea = a, best = p;
    }
    if (best) appendCoords(ctx, GEOSGetExteriorRing_r(ctx.handle(), best), h.ring);
  }
  return h;
}

}  // namespace

ClusterSummaryResult summarizeClusters(std::span<const Point> points,
                                       std::span<const std::int32_t> labels,
                                       const ClusterAttributes& attr,
                                       const ClusterSummaryOptions& options, Progress& progress) {
  options.validate();
  const std::size_t n = points.size();
  if (labels.size() != n)
    throw InputError(
        {{}, std::nullopt, "label"},
        "expected " + std::to_string(n) + " labels, got " + std::to_string(labels.size()));
  checkLength(n, attr.timeFrom.size(), "timeFrom");
  checkLength(n, attr.timeTo.size(), "timeTo");
  checkLength(n, attr.categories.size(), "category");
  checkLength(n, attr.sources.size(), "source");
  if (!attr.timeTo.empty() && attr.timeFrom.empty())
    throw InputError({{}, std::nullopt, "timeTo"}, "window ends given without starts");

  std::int32_t maxLabel = kNoise;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] < kNoise)
      throw InputError({{}, std::int64_t(i + 1), "label"}, "must be -1 (noise) or >= 0");
    maxLabel = std::max(maxLabel, labels[i]);
  }
  const std::size_t k = std::size_t(maxLabel + 1);
  std::vector<std::vector<std::uint32_t>> members(k);
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] >= 0) members[std::size_t(labels[i])].push_back(std::uint32_t(i));

  ClusterSummaryResult res;
  res.clusters.resize(k);
  ProgressStep step(progress, 0.0, 1.0, "cluster summaries");
  GeosContext& ctx = GeosContext::forThisThread();
  std::vector<std::int64_t> values;
  for (std::size_t c = 0; c < k; ++c) {
    step.tick(c, k);
    ClusterSummary& s = res.clusters[c];
    const auto& m = members[c];
    s.label = std::int32_t(c);
    s.count = m.size();
    if (m.empty()) continue;
    double sx = 0, sy = 0;
    for (std::uint32_t i : m) {
      sx += points[i].x;
      sy += points[i].y;
    }
    s.centroid = {sx / double(m.size()), sy / double(m.size())};
    if (!attr.timeFrom.empty()) {
      const auto& to = attr.timeTo.empty() ? attr.timeFrom : attr.timeTo;
      TimeSeconds lo = attr.timeFrom[m[0]], hi = to[m[0]];
      for (std::uint32_t i : m) {
        lo = std::min(lo, attr.timeFrom[i]);
        hi = std::max(hi, to[i]);
      }
      s.timeMin = lo;
      s.timeMax = hi;
    }
    if (!attr.categories.empty()) {
      values.clear();
      for (std::uint32_t i : m) values.push_back(attr.categories[i]);
      std::sort(values.begin(), values.end());
      for (std::size_t a = 0; a < values.size();) {
        std::size_t b = a;
        while (b < values.size() && values[b] == values[a]) ++b;
        s.categoryCounts.emplace_back(values[a], b - a);
        a = b;
      }
    }
    if (!attr.sources.empty()) {
      values.clear();
      for (std::uint32_t i : m) values.push_back(attr.sources[i]);
      std::sort(values.begin(), values.end());
      s.distinctSources = std::size_t(std::unique(values.begin(), values.end()) - values.begin());
    }
    if (options.convexHull || options.concaveHull) {
      const std::vector<Point> distinct = distinctPoints(points, m);
      if (options.convexHull) {
        const GeosGeometry mp = multiPoint(ctx, hullCandidates(distinct));
        s.convexHull =
            toHull(ctx, checkedGeos(ctx, GEOSConvexHull_r(ctx.handle(), mp.get()), "convex hull"));
      }
      if (options.concaveHull) {
        const GeosGeometry mp = multiPoint(ctx, distinct);
        s.concaveHull =
            toHull(ctx, checkedGeos(ctx,
                                    GEOSConcaveHull_r(ctx.handle(), mp.get(), options.concaveRatio,
                                                      options.concaveAllowHoles ? 1u : 0u),
                                    "concave hull"));
      }
    }
  }
  step.done();
  return res;
}

}  // namespace veldwacht::geo
