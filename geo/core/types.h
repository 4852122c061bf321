// Plain value types the algorithms take as spans.
#pragma once

#include <cstdint>
#include <limits>

namespace veldwacht::geo {

/// A point in the working CRS (EPSG:28992, metres).
struct Point {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// An axis-aligned rectangle in the working CRS.
struct Extent {
  double minX = std::numeric_limits<double>::infinity();
  double minY = std::numeric_limits<double>::infinity();
  double maxX = -std::numeric_limits<double>::infinity();
  double maxY = -std::numeric_limits<double>::infinity();

  bool empty() const { return !(minX <= maxX && minY <= maxY); }
  void include(const Point& p) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  double width() const { return maxX - minX; }
  double height() const { return maxY - minY; }
};

/// Seconds since the Unix epoch (UTC); the time axis of space-time methods.
using TimeSeconds = std::int64_t;

/// The working CRS of every analysis.
inline constexpr int kWorkingEpsg = 28992;

}  // namespace veldwacht::geo
