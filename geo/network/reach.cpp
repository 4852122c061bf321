#include "geo/network/reach.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/core/error.h"
#include "geo/core/geos.h"

namespace veldwacht::geo {

void ReachOptions::validate() const {
  if (!(limit >= 0.0) || !std::isfinite(limit))
    throw OptionError("limit", "expected a finite limit >= 0");
  if (!(areaBuffer >= 0.0) || !std::isfinite(areaBuffer))
    throw OptionError("area_buffer", "expected a buffer >= 0 m");
  if (!(hullRatio >= 0.0 && hullRatio <= 1.0))
    throw OptionError("hull_ratio", "expected a ratio in [0, 1]");
}

std::vector<ReachedPart> reachedParts(const ShortestPaths& search, std::span<const Seed> seeds,
                                      double limit, std::uint32_t base) {
  const SearchGraph& g = search.graph();
  const RoadNetwork& net = g.network();
  std::vector<ReachedPart> raw;
  auto add = [&](std::uint32_t w, double a, double b) {
    if (b < a) std::swap(a, b);
    raw.push_back({base, w, std::max(0.0, a), std::min(net.length(w), b)});
  };
  // From every settled node, along each arc as far as the remaining budget goes.
  for (const std::uint32_t u : search.settledNodes()) {
    const double left = limit - search.cost(u);
    for (std::uint32_t a = g.outBegin(u), e = g.outEnd(u); a < e; ++a) {
      const std::uint32_t w = g.wegvak(a);
      const double len = net.length(w);
      const double perMetre = g.costPerMetre(w);
      const double reach = g.cost(a) <= left ? len : std::min(len, left / perMetre);
      if (g.alongLine(a))
        add(w, 0.0, reach);
      else
        add(w, len - reach, len);
    }
  }
  // From a base standing on a wegvak, both ways along it as the direction allows.
  for (const Seed& s : seeds) {
    if (s.wegvak == kNoWegvak || s.fromOffset == s.toOffset) continue;
    const double perMetre = g.costPerMetre(s.wegvak);
    const double reach = std::min(std::abs(s.toOffset - s.fromOffset), limit / perMetre);
    add(s.wegvak, s.fromOffset, s.fromOffset + (s.toOffset > s.fromOffset ? reach : -reach));
  }
  std::sort(raw.begin(), raw.end(), [](const ReachedPart& x, const ReachedPart& y) {
    return x.wegvak < y.wegvak || (x.wegvak == y.wegvak && x.fromOffset < y.fromOffset);
  });
  std::vector<ReachedPart> merged;
  for (const ReachedPart& p : raw) {
    if (!merged.empty() && merged.back().wegvak == p.wegvak &&
        p.fromOffset <= merged.back().toOffset) {
      merged.back().toOffset = std::max(merged.back().toOffset, p.toOffset);
    } else {
      merged.push_back(p);
    }
  }
  return merged;
}

std::vector<std::uint8_t> reachArea(const RoadNetwork& network, std::span<const ReachedPart> parts,
                                    double buffer, AreaShape shape, double hullRatio) {
  if (parts.empty() || buffer <= 0.0) return {};
  GeosContext& ctx = GeosContext::forThisThread();
  const GEOSContextHandle_t h = ctx.handle();
  auto sequence = [&](const std::vector<Point>& pts) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, std::uint32_t(pts.size()), 2);
    if (!seq) throw LibraryError("GEOS: cannot create a coordinate sequence: " + ctx.lastError());
    for (std::uint32_t k = 0; k < pts.size(); ++k)
      GEOSCoordSeq_setXY_r(h, seq, k, pts[k].x, pts[k].y);
    return seq;
  };
  auto collect = [&](int type, std::vector<GeosGeometry>& members, const char* what) {
    std::vector<GEOSGeometry*> raw;
    raw.reserve(members.size());
    for (auto& m : members) raw.push_back(m.release());
    return checkedGeos(
        ctx, GEOSGeom_createCollection_r(h, type, raw.data(), std::uint32_t(raw.size())), what);
  };
  GeosGeometry area;
  if (shape == AreaShape::ConcaveHull) {
    std::vector<GeosGeometry> points;
    for (const ReachedPart& p : parts)
      for (const Point& q : network.subLine(p.wegvak, p.fromOffset, p.toOffset))
        points.push_back(checkedGeos(ctx, GEOSGeom_createPointFromXY_r(h, q.x, q.y), "point"));
    GeosGeometry multi = collect(GEOS_MULTIPOINT, points, "multi point");
    GeosGeometry hull =
        checkedGeos(ctx, GEOSConcaveHull_r(h, multi.get(), hullRatio, 0), "concave hull");
    area = checkedGeos(ctx, GEOSBuffer_r(h, hull.get(), buffer, 8), "buffer");
  } else {
    std::vector<GeosGeometry> lines;
    lines.reserve(parts.size());
    for (const ReachedPart& p : parts) {
      const auto pts = network.subLine(p.wegvak, p.fromOffset, p.toOffset);
      if (pts.size() < 2) continue;
      lines.push_back(checkedGeos(ctx, GEOSGeom_createLineString_r(h, sequence(pts)), "line"));
    }
    GeosGeometry multi = collect(GEOS_MULTILINESTRING, lines, "multi line string");
    area = checkedGeos(ctx, GEOSBuffer_r(h, multi.get(), buffer, 8), "buffer");
  }
  std::unique_ptr<GEOSWKBWriter, GeosWkbWriterDeleter> writer(GEOSWKBWriter_create_r(h), {h});
  GEOSWKBWriter_setFlavor_r(h, writer.get(), GEOS_WKB_ISO);
  std::size_t size = 0;
  std::unique_ptr<unsigned char, GeosBufferDeleter> bytes(
      GEOSWKBWriter_write_r(h, writer.get(), area.get(), &size), {h});
  if (!bytes) throw LibraryError("GEOS: cannot write WKB: " + ctx.lastError());
  return {bytes.get(), bytes.get() + size};
}

ReachResult reachability(const SearchGraph& graph, std::span<const NetworkLocation> bases,
                         std::span<const NetworkLocation> sites, const ReachOptions& options,
                         Progress& progress) {
  options.validate();
  ReachResult result;
  const std::size_t nb = bases.size();
  result.areas.resize(nb);
  result.reachedLength.assign(nb, 0.0);
  std::vector<std::vector<ReachedPart>> perBase(nb);
  ProgressStep step(progress, 0.0, sites.empty() ? 1.0 : 0.9, "reachability");
  std::atomic<std::size_t> done{0};
  auto oneBase = [&](std::size_t b) {
    ShortestPaths sp(graph);
    std::vector<Seed> seeds;
    leavingSeeds(graph, bases[b], std::uint32_t(b), seeds);
    sp.run(seeds, options.limit, {}, progress);
    perBase[b] = reachedParts(sp, seeds, options.limit, std::uint32_t(b));
    for (const auto& p : perBase[b]) result.reachedLength[b] += p.toOffset - p.fromOffset;
    result.areas[b] = reachArea(graph.network(), perBase[b], options.areaBuffer, options.areaShape,
                                options.hullRatio);
    step.tick(++done, nb);
  };
  const int threads =
      options.threads ? int(options.threads) : tbb::this_task_arena::max_concurrency();
  if (threads == 1) {
    for (std::size_t b = 0; b < nb; ++b) oneBase(b);
  } else {
    tbb::task_arena arena(threads);
    arena.execute([&] { tbb::parallel_for(std::size_t(0), nb, oneBase); });
  }
  for (auto& v : perBase) result.parts.insert(result.parts.end(), v.begin(), v.end());

  if (!sites.empty()) {
    ProgressStep siteStep(progress, 0.9, 1.0, "nearest base");
    // One search from all bases at once; the label of a node is the base that reaches it first.
    std::vector<Seed> seeds;
    for (std::size_t b = 0; b < nb; ++b) leavingSeeds(graph, bases[b], std::uint32_t(b), seeds);
    ShortestPaths sp(graph);
    sp.run(seeds, kUnreachable, {}, progress);
    const bool timeCost = graph.costKind() == CostKind::Time;
    result.sites.resize(sites.size());
    std::vector<Seed> tails;
    for (std::size_t i = 0; i < sites.size(); ++i) {
      tails.clear();
      arrivingTails(graph, sites[i], tails);
      std::int64_t used = 0;
      Seed best = sp.arrive(tails, nullptr, used);
      for (std::size_t b = 0; b < nb; ++b) {  // a base on the site's own wegvak
        const Seed d = directTrip(graph, bases[b], sites[i]);
        if (d.cost < best.cost) {
          best = d;
          best.label = std::uint32_t(b);
        }
      }
      SiteReach& s = result.sites[i];
      if (best.cost == kUnreachable) continue;
      s.nearestBase = best.label;
      s.cost = best.cost;
      s.length = timeCost ? best.other : best.cost;
      s.time = timeCost ? best.cost : best.other;
      s.withinLimit = best.cost <= options.limit;
      siteStep.tick(i + 1, sites.size());
    }
  }
  step.done();
  return result;
}

}  // namespace veldwacht::geo
