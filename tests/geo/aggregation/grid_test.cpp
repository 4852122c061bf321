#include "geo/aggregation/grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "geo/core/error.h"
#include "geo/core/geos.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

double shoelace(const std::vector<Point>& ring) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return a / 2;
}

// Crossing-number point-in-polygon on a closed ring (brute-force reference).
bool insideRing(const std::vector<Point>& ring, const Point& p) {
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

// Little-endian WKB polygon with one ring.
std::vector<std::uint8_t> wkbPolygon(const std::vector<Point>& ring) {
  std::vector<std::uint8_t> w;
  auto put = [&](const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    w.insert(w.end(), b, b + n);
  };
  w.push_back(1);
  const std::uint32_t type = 3, nRings = 1, n = static_cast<std::uint32_t>(ring.size());
  put(&type, 4);
  put(&nRings, 4);
  put(&n, 4);
  for (const Point& p : ring) {
    put(&p.x, 8);
    put(&p.y, 8);
  }
  return w;
}

std::vector<Point> randomPoints(std::size_t n, const Extent& e, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(e.minX, e.maxX), uy(e.minY, e.maxY);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {ux(rng), uy(rng)};
  return pts;
}

const Extent kExtent{155000.0, 463000.0, 157000.0, 464500.0};

class HexGridTest : public ::testing::TestWithParam<GridShape> {};

TEST_P(HexGridTest, CellsHaveTheDocumentedAreaAndCounterClockwiseRings) {
  GridOptions o;
  o.shape = GetParam();
  o.cellSize = 200;
  o.extent = kExtent;
  const Grid g = makeGrid(o);
  ASSERT_FALSE(g.cells.empty());
  const double expected = std::sqrt(3.0) / 2 * 200 * 200;
  EXPECT_NEAR(g.fullCellArea(), expected, 1e-9);
  for (const GridCell& c : g.cells) {
    ASSERT_EQ(c.ring.size(), 7u);
    EXPECT_EQ(c.ring.front(), c.ring.back());
    EXPECT_NEAR(shoelace(c.ring), expected, 1e-4);  // positive: counter-clockwise
  }
}

TEST_P(HexGridTest, InteriorCellsHaveSixNeighboursAtCellSizeDistance) {
  GridOptions o;
  o.shape = GetParam();
  o.cellSize = 200;
  o.extent = kExtent;
  const Grid g = makeGrid(o);
  std::size_t interior = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    for (std::uint32_t j : g.neighbours[i]) {
      const double d = std::hypot(g.cells[i].centre.x - g.cells[j].centre.x,
                                  g.cells[i].centre.y - g.cells[j].centre.y);
      EXPECT_NEAR(d, 200.0, 1e-6);
      // Symmetric.
      EXPECT_TRUE(std::binary_search(g.neighbours[j].begin(), g.neighbours[j].end(), i));
    }
    const Point& c = g.cells[i].centre;
    if (c.x > kExtent.minX + 400 && c.x < kExtent.maxX - 400 && c.y > kExtent.minY + 400 &&
        c.y < kExtent.maxY - 400) {
      EXPECT_EQ(g.neighbours[i].size(), 6u);
      ++interior;
    }
    EXPECT_LE(g.neighbours[i].size(), 6u);
  }
  EXPECT_GT(interior, 20u);
}

TEST_P(HexGridTest, CellsIntersectTheExtentAndTileIt) {
  GridOptions o;
  o.shape = GetParam();
  o.cellSize = 200;
  o.extent = kExtent;
  const Grid g = makeGrid(o);
  // Every random point in the extent lies in exactly one cell ring, and cellAt finds it.
  for (const Point& p : randomPoints(2000, kExtent, 7)) {
    int hits = 0;
    std::size_t which = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (insideRing(g.cells[i].ring, p)) {
        ++hits;
        which = i;
      }
    }
    ASSERT_EQ(hits, 1);
    ASSERT_TRUE(g.cellAt(p).has_value());
    EXPECT_EQ(*g.cellAt(p), which);
  }
  // No cell lies wholly outside the extent (its bounding box must overlap it).
  for (const GridCell& c : g.cells) {
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const Point& p : c.ring) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y),
      y1 = std::max(y1, p.y);
    }
    EXPECT_TRUE(x1 > kExtent.minX && x0 < kExtent.maxX && y1 > kExtent.minY && y0 < kExtent.maxY);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, HexGridTest,
                         ::testing::Values(GridShape::HexagonPointyTop, GridShape::HexagonFlatTop),
                         [](const ::testing::TestParamInfo<GridShape>& param) {
                           return param.param == GridShape::HexagonPointyTop ? "PointyTop"
                                                                             : "FlatTop";
                         });

TEST(HexGrid, PointyTopHasAVertexNorthAndFlatTopAnEdgeNorth) {
  GridOptions o;
  o.cellSize = 100;
  o.extent = kExtent;
  o.shape = GridShape::HexagonPointyTop;
  Grid g = makeGrid(o);
  double top = -1e300;
  int atTop = 0;
  for (const Point& p : g.cells[0].ring) top = std::max(top, p.y);
  for (std::size_t i = 0; i + 1 < 7; ++i) atTop += std::abs(g.cells[0].ring[i].y - top) < 1e-9;
  EXPECT_EQ(atTop, 1);
  o.shape = GridShape::HexagonFlatTop;
  g = makeGrid(o);
  top = -1e300;
  atTop = 0;
  for (const Point& p : g.cells[0].ring) top = std::max(top, p.y);
  for (std::size_t i = 0; i + 1 < 7; ++i) atTop += std::abs(g.cells[0].ring[i].y - top) < 1e-9;
  EXPECT_EQ(atTop, 2);
}

TEST(HexGrid, CellSizeForAreaGivesCellsOfThatArea) {
  GridOptions o;
  o.extent = kExtent;
  o.cellSize = cellSizeForArea(GridShape::HexagonPointyTop, 250'000);  // 25 ha
  EXPECT_NEAR(makeGrid(o).cells[0].area, 250'000, 1e-6);
  EXPECT_DOUBLE_EQ(cellSizeForArea(GridShape::Square, 10'000), 100);
  EXPECT_OPTION_ERROR(cellSizeForArea(GridShape::Square, 0), "area");
}

TEST(SquareGrid, CoversTheExtentWithSnappedOrigin) {
  GridOptions o;
  o.shape = GridShape::Square;
  o.cellSize = 300;
  o.extent = {1050, 2020, 2000, 2700};
  const Grid g = makeGrid(o);
  // Origin snapped to multiples of 300: (900, 1800); columns 900..2100 (4), rows 1800..2700 (4:
  // the row starting at 2700 holds points on the top edge).
  EXPECT_DOUBLE_EQ(g.origin.x, 900);
  EXPECT_DOUBLE_EQ(g.origin.y, 1800);
  EXPECT_EQ(g.latticeCols, 4);
  EXPECT_EQ(g.latticeRows, 4);
  EXPECT_EQ(g.size(), 16u);
  for (const GridCell& c : g.cells) EXPECT_NEAR(shoelace(c.ring), 90000.0, 1e-6);
}

TEST(SquareGrid, RookAndQueenNeighbourCounts) {
  GridOptions o;
  o.shape = GridShape::Square;
  o.cellSize = 100;
  o.extent = {0, 0, 499, 499};  // 5 × 5 cells
  o.contiguity = Contiguity::Rook;
  Grid g = makeGrid(o);
  ASSERT_EQ(g.size(), 25u);
  std::multiset<std::size_t> rook;
  for (const auto& n : g.neighbours) rook.insert(n.size());
  EXPECT_EQ(rook.count(2), 4u);   // corners
  EXPECT_EQ(rook.count(3), 12u);  // edges
  EXPECT_EQ(rook.count(4), 9u);   // interior
  o.contiguity = Contiguity::Queen;
  g = makeGrid(o);
  std::multiset<std::size_t> queen;
  for (const auto& n : g.neighbours) queen.insert(n.size());
  EXPECT_EQ(queen.count(3), 4u);
  EXPECT_EQ(queen.count(5), 12u);
  EXPECT_EQ(queen.count(8), 9u);
}

TEST(CountPoints, EqualsBruteForcePointInPolygonWithWeights) {
  for (GridShape shape :
       {GridShape::Square, GridShape::HexagonPointyTop, GridShape::HexagonFlatTop}) {
    GridOptions o;
    o.shape = shape;
    o.cellSize = 250;
    o.extent = kExtent;
    const Grid g = makeGrid(o);
    const auto pts = randomPoints(3000, kExtent, 11);
    std::vector<double> w(pts.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.5 + double(i % 7);
    const auto counts = countPoints(g, pts);
    const auto sums = countPoints(g, pts, w);
    std::vector<double> bruteCounts(g.size(), 0), bruteSums(g.size(), 0);
    for (std::size_t k = 0; k < pts.size(); ++k) {
      for (std::size_t i = 0; i < g.size(); ++i) {
        if (insideRing(g.cells[i].ring, pts[k])) {
          bruteCounts[i] += 1;
          bruteSums[i] += w[k];
          break;
        }
      }
    }
    EXPECT_EQ(counts, bruteCounts);
    for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(sums[i], bruteSums[i], 1e-9);
  }
}

TEST(CountPoints, RejectsWrongNumberOfWeights) {
  GridOptions o;
  o.extent = kExtent;
  const Grid g = makeGrid(o);
  const std::vector<Point> pts(3);
  const std::vector<double> w(2, 1.0);
  EXPECT_THROW_WITH(countPoints(g, pts, w), InputError,
                    "field 'weight': need one weight per point (3), got 2");  // bad input
}

// Triangle mask inside the extent.
const std::vector<Point> kTriangle = {
    {155100, 463100}, {156900, 463100}, {155100, 464400}, {155100, 463100}};

TEST(MaskedGrid, ClipModeCellAreasSumToTheMaskArea) {
  for (GridShape shape :
       {GridShape::Square, GridShape::HexagonPointyTop, GridShape::HexagonFlatTop}) {
    GridOptions o;
    o.shape = shape;
    o.cellSize = 150;
    o.maskWkb = {wkbPolygon(kTriangle)};
    o.clipMode = ClipMode::Clip;
    const Grid g = makeGrid(o);
    double sum = 0;
    for (const GridCell& c : g.cells) sum += c.area;
    EXPECT_NEAR(sum, std::abs(shoelace(kTriangle)), 1e-3);
  }
}

TEST(MaskedGrid, ClipModeCountsOnlyPointsInsideTheMask) {
  GridOptions o;
  o.shape = GridShape::HexagonPointyTop;
  o.cellSize = 150;
  o.extent = kExtent;
  o.maskWkb = {wkbPolygon(kTriangle)};
  o.clipMode = ClipMode::Clip;
  const Grid g = makeGrid(o);
  const auto pts = randomPoints(4000, kExtent, 3);
  const auto counts = countPoints(g, pts);
  double total = 0;
  for (double c : counts) total += c;
  double inside = 0;
  for (const Point& p : pts) inside += insideRing(kTriangle, p);
  EXPECT_EQ(total, inside);
  EXPECT_GT(inside, 100);
}

TEST(MaskedGrid, IntersectsKeepsWholeCellsAndCentreInsideKeepsFewer) {
  GridOptions o;
  o.shape = GridShape::HexagonPointyTop;
  o.cellSize = 150;
  o.maskWkb = {wkbPolygon(kTriangle)};
  o.clipMode = ClipMode::Intersects;
  const Grid whole = makeGrid(o);
  o.clipMode = ClipMode::CentreInside;
  const Grid centres = makeGrid(o);
  EXPECT_LT(centres.size(), whole.size());
  for (const GridCell& c : whole.cells) {
    EXPECT_FALSE(c.clipped);
    EXPECT_NEAR(c.area, whole.fullCellArea(), 1e-9);
  }
  for (const GridCell& c : centres.cells) EXPECT_TRUE(insideRing(kTriangle, c.centre));
  // Union of whole cells covers the triangle: all its random interior points are in some cell.
  for (const Point& p : randomPoints(500, {155100, 463100, 156900, 464400}, 5)) {
    if (insideRing(kTriangle, p)) {
      EXPECT_TRUE(whole.cellAt(p).has_value());
    }
  }
}

TEST(MaskedGrid, PossibleAreaIsIntersectedWithTheStudyArea) {
  // Study area: the triangle; where it can happen: the square 155100..156000 × 463100..464000.
  const std::vector<Point> square = {
      {155100, 463100}, {156000, 463100}, {156000, 464000}, {155100, 464000}, {155100, 463100}};
  GridOptions o;
  o.shape = GridShape::Square;
  o.cellSize = 100;
  o.maskWkb = {wkbPolygon(kTriangle)};
  o.possibleWkb = {wkbPolygon(square)};
  o.clipMode = ClipMode::Clip;
  const Grid g = makeGrid(o);
  double sum = 0;
  for (const GridCell& c : g.cells) sum += c.area;
  // Triangle legs 1800 (x) and 1300 (y): the hypotenuse crosses x = 156000 at y = 463100 +
  // 1300·(1 − 900/1800) = 463750 and y = 464000 at x = 155100 + 1800·(1 − 900/1300).
  const double xAtTop = 155100 + 1800 * (1 - 900.0 / 1300);
  const double expected = 900.0 * 650 + 0.5 * (900 + (xAtTop - 155100)) * 250;
  EXPECT_NEAR(sum, expected, 1e-3);
  o.maskWkb.clear();  // the possible area alone
  double squareSum = 0;
  for (const GridCell& c : makeGrid(o).cells) squareSum += c.area;
  EXPECT_NEAR(squareSum, 900.0 * 900, 1e-3);
}

TEST(MaskedGrid, CellWkbIsTheRingOrTheClippedGeometry) {
  GridOptions o;
  o.shape = GridShape::HexagonPointyTop;
  o.cellSize = 150;
  o.maskWkb = {wkbPolygon(kTriangle)};
  o.clipMode = ClipMode::Clip;
  const Grid g = makeGrid(o);
  bool sawClipped = false, sawWhole = false;
  for (const GridCell& c : g.cells) {
    const auto w = cellPolygonWkb(c);
    if (c.clipped) {
      EXPECT_EQ(w, c.clippedWkb);
      sawClipped = true;
    } else {
      EXPECT_EQ(w, wkbPolygon(c.ring));  // same bytes as the test's own little-endian writer
      sawWhole = true;
    }
  }
  EXPECT_TRUE(sawClipped);
  EXPECT_TRUE(sawWhole);
}

// A wavy polygon with a hole, as WKB.
std::vector<std::uint8_t> wavyWithHole() {
  std::vector<std::uint8_t> w = {1};
  auto put = [&w](const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    w.insert(w.end(), b, b + n);
  };
  const std::uint32_t type = 3, rings = 2, n = 301;
  put(&type, 4);
  put(&rings, 4);
  for (int ring = 0; ring < 2; ++ring) {
    put(&n, 4);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double a = 2 * 3.141592653589793 * (i % (n - 1)) / (n - 1) * (ring ? -1 : 1);
      const double r = ring ? 300 + 40 * std::cos(3 * a) : 1000 + 150 * std::sin(5 * a);
      const double x = 156000 + r * std::cos(a), y = 463700 + r * std::sin(a);
      put(&x, 8);
      put(&y, 8);
    }
  }
  return w;
}

TEST(MaskedGrid, FastClassificationEqualsBruteForceGeosOverlay) {
  GeosContext& ctx = GeosContext::forThisThread();
  const auto wkb = wavyWithHole();
  std::unique_ptr<GEOSWKBReader, GeosWkbReaderDeleter> reader(GEOSWKBReader_create_r(ctx.handle()),
                                                              GeosWkbReaderDeleter{ctx.handle()});
  GeosGeometry mask(ctx.handle(),
                    GEOSWKBReader_read_r(ctx.handle(), reader.get(), wkb.data(), wkb.size()));
  ASSERT_TRUE(mask);
  for (GridShape shape :
       {GridShape::Square, GridShape::HexagonPointyTop, GridShape::HexagonFlatTop}) {
    GridOptions o;
    o.shape = shape;
    o.cellSize = 90;
    o.extent = {154800, 462500, 157200, 464900};
    const Grid all = makeGrid(o);
    o.maskWkb = {wkb};
    o.clipMode = ClipMode::Intersects;
    const Grid kept = makeGrid(o);
    o.clipMode = ClipMode::Clip;
    const Grid clipped = makeGrid(o);
    ASSERT_EQ(kept.size(), clipped.size());
    std::size_t expected = 0, partial = 0;
    for (const GridCell& c : all.cells) {
      // Brute force: interiors intersect, and the exact intersection area.
      GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx.handle(), unsigned(c.ring.size()), 2);
      for (unsigned i = 0; i < c.ring.size(); ++i) {
        GEOSCoordSeq_setXY_r(ctx.handle(), seq, i, c.ring[i].x, c.ring[i].y);
      }
      GeosGeometry poly(
          ctx.handle(),
          GEOSGeom_createPolygon_r(ctx.handle(), GEOSGeom_createLinearRing_r(ctx.handle(), seq),
                                   nullptr, 0));
      const bool meets =
          GEOSRelatePattern_r(ctx.handle(), mask.get(), poly.get(), "T********") == 1;
      const auto idx = kept.cellAt(c.centre);
      ASSERT_EQ(meets, idx.has_value()) << "cell " << c.col << "," << c.row;
      if (!meets) continue;
      ++expected;
      GeosGeometry cut(ctx.handle(), GEOSIntersection_r(ctx.handle(), mask.get(), poly.get()));
      double area = 0;
      GEOSArea_r(ctx.handle(), cut.get(), &area);
      const GridCell& k = clipped.cells[*idx];
      EXPECT_EQ(k.col, c.col);
      EXPECT_NEAR(k.area, area, 1e-6 * area);
      partial += k.clipped;
    }
    EXPECT_EQ(kept.size(), expected);
    EXPECT_GT(partial, 20u);
  }
}

TEST(GridOptions, RejectsNonPositiveCellSizeAndMissingExtent) {
  GridOptions o;
  o.extent = kExtent;
  o.cellSize = 0;
  EXPECT_OPTION_ERROR(o.validate(), "cellSize");
  o.cellSize = 100;
  o.extent = Extent{};
  EXPECT_OPTION_ERROR(o.validate(), "extent");
  o.extent = {0, 0, 1e6, 1e6};
  o.cellSize = 1;
  EXPECT_THROW_WITH(o.validate(), OptionError, "cellSize: the grid would have more than");
}

}  // namespace
}  // namespace veldwacht::geo
