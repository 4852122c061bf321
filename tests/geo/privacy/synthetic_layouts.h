// Seeded synthetic address layouts and signal patterns for the privacy tests and for
// bench/privacy/privacy_eval: a dense town (terraced streets and flats) and a sparse rural layout
// (scattered farms round one village). Header-only so that the bench program shares it.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo::testdata {

struct Layout {
  std::vector<Point> addresses;
  std::vector<Point> signals;
};

/// A 2 km x 2 km town: streets every 80 m both ways, a house every 7 m on both sides of every
/// east-west street (about 14 000 addresses), 30 blocks of flats with 24 addresses at one point
/// each. Signals: `n` points, 60 % at a house (within 3 m), 40 % anywhere in the town, and a
/// third of all of them in two hot areas (radius 150 m).
inline Layout denseTown(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Layout out;
  const double side = 2000.0;
  for (double y = 0.0; y <= side; y += 80.0)
    for (double x = 3.5; x < side; x += 7.0) {
      out.addresses.push_back({x, y + 6.0});
      out.addresses.push_back({x, y - 6.0});
    }
  for (int b = 0; b < 30; ++b) {
    const Point flat{100.0 + 1800.0 * u(rng), 100.0 + 1800.0 * u(rng)};
    for (int a = 0; a < 24; ++a) out.addresses.push_back(flat);
  }
  const Point hot[2] = {{600.0, 700.0}, {1400.0, 1300.0}};
  for (std::size_t i = 0; i < n; ++i) {
    Point p;
    if (i % 3 == 0) {
      const Point& c = hot[(i / 3) % 2];
      const double r = 150.0 * std::sqrt(u(rng)), t = 2.0 * std::numbers::pi * u(rng);
      p = {c.x + r * std::cos(t), c.y + r * std::sin(t)};
    } else {
      p = {side * u(rng), side * u(rng)};
    }
    if (u(rng) < 0.6) {  // snap to the nearest house row: a report at a home
      const double row = std::round(p.y / 80.0) * 80.0 + (u(rng) < 0.5 ? 6.0 : -6.0);
      const double col = std::floor(p.x / 7.0) * 7.0 + 3.5;
      p = {col + 3.0 * (u(rng) - 0.5), row + 3.0 * (u(rng) - 0.5)};
    }
    out.signals.push_back(p);
  }
  return out;
}

/// A 12 km x 12 km buitengebied: 400 farms at random (1 address, a quarter with 2 a few metres
/// apart), one village of 600 addresses (radius 600 m) in the middle. Signals: `n` points, each
/// at a random farm's barn (20..80 m from the farmhouse), half of them on the farms of one
/// 2 km x 2 km corner (a hot area).
inline Layout ruralLayout(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Layout out;
  const double side = 12000.0;
  std::vector<Point> farms;
  for (int f = 0; f < 400; ++f) {
    const Point p{side * u(rng), side * u(rng)};
    farms.push_back(p);
    out.addresses.push_back(p);
    if (f % 4 == 0) out.addresses.push_back({p.x + 6.0, p.y + 4.0});
  }
  for (int a = 0; a < 600; ++a) {
    const double r = 600.0 * std::sqrt(u(rng)), t = 2.0 * std::numbers::pi * u(rng);
    out.addresses.push_back({6000.0 + r * std::cos(t), 6000.0 + r * std::sin(t)});
  }
  std::vector<std::size_t> cornerFarms;
  for (std::size_t f = 0; f < farms.size(); ++f)
    if (farms[f].x < 2000.0 && farms[f].y < 2000.0) cornerFarms.push_back(f);
  for (std::size_t i = 0; i < n; ++i) {
    const bool hot = i % 2 == 0 && !cornerFarms.empty();
    const std::size_t f = hot ? cornerFarms[std::size_t(u(rng) * double(cornerFarms.size()))]
                              : std::size_t(u(rng) * double(farms.size()));
    const double r = 20.0 + 60.0 * u(rng), t = 2.0 * std::numbers::pi * u(rng);
    out.signals.push_back({farms[f].x + r * std::cos(t), farms[f].y + r * std::sin(t)});
  }
  return out;
}

}  // namespace veldwacht::geo::testdata
