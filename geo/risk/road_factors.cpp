#include "geo/risk/road_factors.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/error.h"
#include "geo/network/shortest_paths.h"
#include "geo/network/snap.h"
#include "geo/risk/influence.h"

namespace veldwacht::geo {

namespace {

bool usable(const RoadNetwork& n, std::uint32_t w, TravelMode mode) {
  return n.speedKmh(w, mode) > 0.0;
}

}  // namespace

std::vector<std::uint8_t> mainRoadWegvakken(const RoadNetwork& network, TravelMode mode) {
  std::vector<std::uint8_t> out(network.wegvakCount(), 0);
  for (std::uint32_t w = 0; w < network.wegvakCount(); ++w) {
    const char b = network.wegbeheerder(w);
    out[w] = usable(network, w, mode) &&
             (b == 'P' || b == 'R' || network.kind(w) == RoadKind::MotorwayLink);
  }
  return out;
}

std::vector<std::uint8_t> deadEndWegvakken(const RoadNetwork& network, TravelMode mode) {
  std::vector<std::uint32_t> degree(network.nodeCount(), 0);
  for (std::uint32_t w = 0; w < network.wegvakCount(); ++w)
    if (usable(network, w, mode)) {
      ++degree[network.from(w)];
      ++degree[network.to(w)];
    }
  std::vector<std::uint8_t> out(network.wegvakCount(), 0);
  for (std::uint32_t w = 0; w < network.wegvakCount(); ++w)
    out[w] =
        usable(network, w, mode) && (degree[network.from(w)] == 1 || degree[network.to(w)] == 1);
  return out;
}

std::vector<std::uint8_t> farmTrackWegvakken(const RoadNetwork& network, TravelMode mode) {
  std::vector<std::uint8_t> out(network.wegvakCount(), 0);
  for (std::uint32_t w = 0; w < network.wegvakCount(); ++w) {
    const char b = network.wegbeheerder(w);
    out[w] = usable(network, w, mode) && (b == 'W' || b == 'T');
  }
  return out;
}

std::vector<Point> wegvakPoints(const RoadNetwork& network, std::span<const std::uint8_t> flags,
                                double step) {
  if (flags.size() != network.wegvakCount())
    throw InputError({"wegvakken", std::nullopt, ""}, "one flag per wegvak expected");
  std::vector<Point> out;
  for (std::uint32_t w = 0; w < network.wegvakCount(); ++w) {
    if (!flags[w]) continue;
    const auto line = network.line(w);
    const auto dense = densifyPolyline(line, step);
    out.insert(out.end(), dense.begin(), dense.end());
  }
  return out;
}

std::vector<double> travelTimeToWegvakken(const SearchGraph& graph,
                                          std::span<const std::uint8_t> targets,
                                          std::span<const Point> points, double maxSnap,
                                          Progress& progress) {
  if (!(maxSnap > 0.0) || !std::isfinite(maxSnap))
    throw OptionError("maxSnap", "must be > 0 metres");
  const RoadNetwork& net = graph.network();
  if (targets.size() != net.wegvakCount())
    throw InputError({"wegvakken", std::nullopt, ""}, "one flag per wegvak expected");
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
      throw InputError({"points", std::int64_t(i + 1), "geometry"}, "coordinates must be finite");
  std::vector<Seed> seeds;
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w)
    if (targets[w] && graph.usable(w)) {
      seeds.push_back({net.from(w), 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0});
      seeds.push_back({net.to(w), 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0});
    }
  std::vector<double> out(points.size(), std::numeric_limits<double>::infinity());
  if (seeds.empty() || points.empty()) return out;
  ShortestPaths search(graph);
  search.run(seeds, kUnreachable, {}, progress);
  const Snapper snapper(graph);
  ProgressStep step(progress, 0.0, 1.0, "road access");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto snap = snapper.nearest(points[i], maxSnap);
    if (snap) {
      const std::uint32_t w = snap->wegvak;
      if (targets[w]) {
        out[i] = 0.0;
      } else {
        const double c = graph.costPerMetre(w);
        out[i] = std::min(search.cost(net.from(w)) + snap->offset * c,
                          search.cost(net.to(w)) + (net.length(w) - snap->offset) * c);
      }
    }
    if ((i & 4095) == 0) step.tick(i + 1, points.size());
  }
  return out;
}

}  // namespace veldwacht::geo
