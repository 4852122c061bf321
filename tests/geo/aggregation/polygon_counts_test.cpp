#include "geo/aggregation/polygon_counts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "geo/aggregation/grid.h"
#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

using Ring = std::vector<Point>;

void putU32(std::vector<std::uint8_t>& w, std::uint32_t v) {
  // Little-endian byte by byte (GCC 12 -O3 reports a false -Warray-bounds on a 4-byte range
  // insert from a local).
  for (int i = 0; i < 4; ++i) w.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void putRing(std::vector<std::uint8_t>& w, const Ring& r) {
  putU32(w, static_cast<std::uint32_t>(r.size()));
  for (const Point& p : r) {
    const auto* x = reinterpret_cast<const std::uint8_t*>(&p.x);
    const auto* y = reinterpret_cast<const std::uint8_t*>(&p.y);
    w.insert(w.end(), x, x + 8);
    w.insert(w.end(), y, y + 8);
  }
}
std::vector<std::uint8_t> wkbPolygon(const Ring& r) {
  std::vector<std::uint8_t> w = {1};
  putU32(w, 3);
  putU32(w, 1);
  putRing(w, r);
  return w;
}
std::vector<std::uint8_t> wkbMultiPolygon(const std::vector<Ring>& rings) {
  std::vector<std::uint8_t> w = {1};
  putU32(w, 6);
  putU32(w, static_cast<std::uint32_t>(rings.size()));
  for (const Ring& r : rings) {
    const auto p = wkbPolygon(r);
    w.insert(w.end(), p.begin(), p.end());
  }
  return w;
}

bool insideRing(const Ring& ring, const Point& p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 2; i + 1 < ring.size(); j = i++) {
    const Point& a = ring[i];
    const Point& b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
      in = !in;
    }
  }
  return in;
}

Ring rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

TEST(PolygonCounts, EqualBruteForcePointInPolygonOnSeededData) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> u(0, 1000), s(20, 300);
  // 40 random (overlapping) triangles and rectangles, plus one multipolygon of two rectangles.
  std::vector<std::vector<Ring>> shapes;
  for (int i = 0; i < 40; ++i) {
    const double x = u(rng), y = u(rng), a = s(rng), b = s(rng);
    if (i % 2) {
      shapes.push_back({rect(x, y, x + a, y + b)});
    } else {
      shapes.push_back({{{x, y}, {x + a, y}, {x, y + b}, {x, y}}});
    }
  }
  shapes.push_back({rect(0, 0, 100, 100), rect(500, 500, 650, 580)});
  std::vector<std::vector<std::uint8_t>> wkb;
  for (const auto& sh : shapes) {
    wkb.push_back(sh.size() == 1 ? wkbPolygon(sh[0]) : wkbMultiPolygon(sh));
  }
  std::vector<Point> pts(5000);
  std::vector<double> w(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    pts[i] = {u(rng), u(rng)};
    w[i] = 1.0 + double(i % 3);
  }
  const PolygonCounts counts = countPointsInPolygons(wkb, pts);
  const PolygonCounts sums = countPointsInPolygons(wkb, pts, w);
  std::vector<double> bruteCounts(shapes.size(), 0), bruteSums(shapes.size(), 0);
  std::size_t outside = 0;
  for (std::size_t k = 0; k < pts.size(); ++k) {
    bool any = false;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      bool in = false;
      for (const Ring& r : shapes[i]) in = in || insideRing(r, pts[k]);
      if (in) {
        bruteCounts[i] += 1;
        bruteSums[i] += w[k];
        any = true;
      }
    }
    outside += !any;
  }
  EXPECT_EQ(counts.counts, bruteCounts);
  EXPECT_EQ(sums.counts, bruteSums);
  EXPECT_EQ(counts.outside, outside);
}

TEST(PolygonCounts, BoundaryRuleDecidesPointsOnASharedEdge) {
  const std::vector<std::vector<std::uint8_t>> wkb = {wkbPolygon(rect(0, 0, 10, 10)),
                                                      wkbPolygon(rect(10, 0, 20, 10))};
  const std::vector<Point> onEdge = {{10, 5}};
  PolygonCountOptions o;
  EXPECT_EQ(countPointsInPolygons(wkb, onEdge, {}, o).counts, (std::vector<double>{1, 1}));
  o.boundary = BoundaryRule::FirstCovering;
  EXPECT_EQ(countPointsInPolygons(wkb, onEdge, {}, o).counts, (std::vector<double>{1, 0}));
  o.boundary = BoundaryRule::InteriorOnly;
  const PolygonCounts interior = countPointsInPolygons(wkb, onEdge, {}, o);
  EXPECT_EQ(interior.counts, (std::vector<double>{0, 0}));
  EXPECT_EQ(interior.outside, 1u);
}

TEST(PolygonCounts, GridCellsAsPolygonsGiveTheGridCounts) {
  GridOptions go;
  go.shape = GridShape::HexagonFlatTop;
  go.cellSize = 120;
  go.extent = {0, 0, 1000, 800};
  const Grid g = makeGrid(go);
  std::vector<std::vector<std::uint8_t>> wkb;
  for (const GridCell& c : g.cells) wkb.push_back(wkbPolygon(c.ring));
  std::mt19937_64 rng(23);
  std::uniform_real_distribution<double> ux(0, 1000), uy(0, 800);
  std::vector<Point> pts(3000);
  for (auto& p : pts) p = {ux(rng), uy(rng)};
  EXPECT_EQ(countPointsInPolygons(wkb, pts).counts, countPoints(g, pts));
}

TEST(PolygonCounts, RejectsNonPolygonsAndBadWeights) {
  std::vector<std::uint8_t> point = {1, 1, 0, 0, 0};
  for (int i = 0; i < 16; ++i) point.push_back(0);
  const std::vector<std::vector<std::uint8_t>> wkb = {point};
  const std::vector<Point> pts(2);
  EXPECT_THROW_WITH(countPointsInPolygons(wkb, pts), InputError, "row 1: not a (multi)polygon");
  const std::vector<double> w(1);
  EXPECT_THROW_WITH(countPointsInPolygons({}, pts, w), InputError,
                    "field 'weight': need one weight per point (2), got 1");  // bad input
}

TEST(Rates, DivideAndLeaveSmallDenominatorsUndefined) {
  const std::vector<double> num = {3, 5, 1, 2};
  const std::vector<double> den = {6, 0, 0.5, 40};
  RateOptions o;
  o.minDenominator = 1;
  o.scale = 100;
  const auto r = rates(num, den, o);
  EXPECT_DOUBLE_EQ(r[0], 50);
  EXPECT_TRUE(std::isnan(r[1]));
  EXPECT_TRUE(std::isnan(r[2]));
  EXPECT_DOUBLE_EQ(r[3], 5);
  o.scale = 0;
  EXPECT_OPTION_ERROR(rates(num, den, o), "scale");
  o.scale = 100;
  EXPECT_THROW_WITH(rates(num, std::vector<double>(3, 1.0), o), InputError,
                    "field 'denominator': expected one value per numerator value (4), got 3");
}

TEST(Rates, PerHectareUsesClippedCellAreas) {
  GridOptions go;
  go.shape = GridShape::Square;
  go.cellSize = 100;  // 1 ha
  go.extent = {0, 0, 199, 99};
  const Grid g = makeGrid(go);
  ASSERT_EQ(g.size(), 2u);
  std::vector<double> ha;
  for (const GridCell& c : g.cells) ha.push_back(c.area / 1e4);
  const std::vector<Point> pts = {{10, 10}, {20, 20}, {150, 50}};
  const auto r = rates(countPoints(g, pts), ha);
  EXPECT_DOUBLE_EQ(r[0], 2.0);
  EXPECT_DOUBLE_EQ(r[1], 1.0);
}

}  // namespace
}  // namespace veldwacht::geo
