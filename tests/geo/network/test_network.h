// Small road networks built in code for the network tests.
#pragma once

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "geo/network/graph.h"

namespace veldwacht::geo::testing {

inline WegvakRecord wegvak(std::int64_t id, std::int64_t beg, std::int64_t end,
                           std::vector<Point> line, std::string dir = "B",
                           std::string beheerder = "G", std::string bst = "") {
  WegvakRecord r;
  r.wvkId = id;
  r.junctionBegin = beg;
  r.junctionEnd = end;
  r.rijrichting = std::move(dir);
  r.wegbeheerder = std::move(beheerder);
  r.baansubsoort = std::move(bst);
  r.line = std::move(line);
  return r;
}

/// Speeds that make times easy to check: every road 36 km/h (10 m/s) for auto, factor 1.
inline NetworkOptions tenMetresPerSecond() {
  NetworkOptions o;
  o.speeds.realDrivingFactor = 1.0;
  for (auto& [k, p] : o.speeds.byWegbeheerder) p = {36.0, 36.0};
  o.speeds.byBaansubsoort.clear();
  return o;
}

/// A random network: junctions on a jittered grid, wegvakken between near junctions with a bent
/// middle vertex, random directions and some cycle paths (not usable by auto). Fixed seed.
inline std::vector<WegvakRecord> randomNetwork(unsigned seed, int side, int extraEdges) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(-30.0, 30.0);
  std::uniform_int_distribution<int> dirPick(0, 5), kindPick(0, 9), beheerPick(0, 3);
  std::vector<Point> nodes;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c)
      nodes.push_back({c * 200.0 + jitter(rng), r * 200.0 + jitter(rng)});
  std::vector<WegvakRecord> out;
  std::int64_t id = 1000;
  auto add = [&](int a, int b) {
    const Point p = nodes[std::size_t(a)], q = nodes[std::size_t(b)];
    const Point mid{(p.x + q.x) / 2 + jitter(rng), (p.y + q.y) / 2 + jitter(rng)};
    const int d = dirPick(rng);
    const char* dirs[] = {"B", "B", "B", "H", "T", ""};
    const char* beheer[] = {"G", "P", "W", "G"};
    const int k = kindPick(rng);
    out.push_back(wegvak(id++, 10 + a, 10 + b, {p, mid, q}, dirs[d], beheer[beheerPick(rng)],
                         k == 0 ? "FP" : (k == 1 ? "NRB" : "")));
  };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int v = r * side + c;
      if (c + 1 < side && kindPick(rng) < 8) add(v, v + 1);
      if (r + 1 < side && kindPick(rng) < 8) add(v, v + side);
    }
  std::uniform_int_distribution<int> nodePick(0, side * side - 1);
  for (int e = 0; e < extraEdges; ++e) {
    const int a = nodePick(rng), b = nodePick(rng);
    if (a != b) add(a, b);
  }
  return out;
}

inline double polylineLength(const std::vector<Point>& pts) {
  double s = 0.0;
  for (std::size_t k = 1; k < pts.size(); ++k)
    s += std::hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y);
  return s;
}

}  // namespace veldwacht::geo::testing
