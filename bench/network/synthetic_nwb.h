// A seeded, province-sized synthetic NWB (≈ 80k wegvakken) for the network bench: a perturbed
// grid of municipal roads (G, some W) with every 20th row and column a provincial road (P), a
// motorway (R) across the middle as two one-way carriageways with one-way ramps (AF/OP) to the
// grid every 10 km, and dead-end farm tracks (W/T). Junction ids are unique across the network.
#pragma once

#include <cmath>
#include <random>
#include <vector>

#include "geo/network/graph.h"

namespace veldwacht::bench {

inline std::vector<geo::WegvakRecord> syntheticProvince(unsigned seed, int side = 200,
                                                        int farmTracks = 5000) {
  using geo::Point;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(-60.0, 60.0), u01(0.0, 1.0);
  const double spacing = 300.0, x0 = 200000.0, y0 = 550000.0;
  std::vector<Point> grid;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c)
      grid.push_back({x0 + c * spacing + jitter(rng), y0 + r * spacing + jitter(rng)});
  std::vector<geo::WegvakRecord> out;
  std::int64_t wvk = 100000000;
  auto add = [&](std::int64_t beg, std::int64_t end, std::vector<Point> line, const char* dir,
                 const char* beheer, const char* bst) {
    geo::WegvakRecord w;
    w.wvkId = wvk++;
    w.junctionBegin = beg;
    w.junctionEnd = end;
    w.rijrichting = std::string(dir);
    w.wegbeheerder = std::string(beheer);
    w.baansubsoort = std::string(bst);
    w.line = std::move(line);
    out.push_back(std::move(w));
  };
  auto bent = [&](Point a, Point b) {
    return std::vector<Point>{
        a, {(a.x + b.x) / 2 + jitter(rng) / 3, (a.y + b.y) / 2 + jitter(rng) / 3}, b};
  };
  const std::int64_t jGrid = 1000000;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int v = r * side + c;
      if (c + 1 < side) {
        const bool provincial = r % 20 == 0;
        if (provincial || u01(rng) < 0.92)
          add(jGrid + v, jGrid + v + 1, bent(grid[v], grid[v + 1]), u01(rng) < 0.03 ? "H" : "B",
              provincial ? "P" : (u01(rng) < 0.15 ? "W" : "G"), "");
      }
      if (r + 1 < side) {
        const bool provincial = c % 20 == 0;
        if (provincial || u01(rng) < 0.92)
          add(jGrid + v, jGrid + v + side, bent(grid[v], grid[v + side]),
              u01(rng) < 0.03 ? "T" : "B", provincial ? "P" : (u01(rng) < 0.15 ? "W" : "G"), "");
      }
    }
  // Motorway across the middle: two carriageways 30 m apart, nodes every 1 km.
  const double ym = y0 + side * spacing / 2 + 150.0;
  const int stations = int(side * spacing / 1000.0);
  const std::int64_t jEast = 5000000, jWest = 6000000;
  for (int k = 0; k + 1 < stations; ++k) {
    const double xa = x0 + k * 1000.0, xb = xa + 1000.0;
    add(jEast + k, jEast + k + 1, {{xa, ym - 15}, {xb, ym - 15}}, "H", "R", "HR");
    add(jWest + k + 1, jWest + k, {{xb, ym + 15}, {xa, ym + 15}}, "H", "R", "HR");
  }
  // Ramps every 10 km to the nearest grid junction south (off/on the eastbound carriageway) and
  // north (westbound).
  for (int k = 5; k < stations; k += 10) {
    const double x = x0 + k * 1000.0;
    const int c = std::min(side - 1, int(std::lround((x - x0) / spacing)));
    const int rSouth = int((ym - y0) / spacing) - 1, rNorth = rSouth + 2;
    const int s = rSouth * side + c, n = rNorth * side + c;
    add(jEast + k, jGrid + s, {{x, ym - 15}, grid[s]}, "H", "R", "AF");
    add(jGrid + s, jEast + k, {grid[s], {x, ym - 15}}, "H", "R", "OP");
    add(jWest + k, jGrid + n, {{x, ym + 15}, grid[n]}, "H", "R", "AF");
    add(jGrid + n, jWest + k, {grid[n], {x, ym + 15}}, "H", "R", "OP");
  }
  // Dead-end farm tracks.
  std::uniform_int_distribution<int> pick(0, side * side - 1);
  std::uniform_real_distribution<double> len(150.0, 500.0), angle(0.0, 6.283185307179586);
  for (int t = 0; t < farmTracks; ++t) {
    const int v = pick(rng);
    const double l = len(rng), a = angle(rng);
    const Point end{grid[v].x + l * std::cos(a), grid[v].y + l * std::sin(a)};
    add(jGrid + v, 8000000 + t, bent(grid[v], end), "B", u01(rng) < 0.5 ? "W" : "T", "");
  }
  return out;
}

}  // namespace veldwacht::bench
