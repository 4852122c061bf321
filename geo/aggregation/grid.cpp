#include "geo/aggregation/grid.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>

#include "geo/aggregation/geos_helpers.h"
#include "geo/core/error.h"
#include "geo/core/geos.h"

namespace veldwacht::geo {

namespace {

using aggregation_detail::makePoint;
using aggregation_detail::makePolygon;
using aggregation_detail::prepare;
using aggregation_detail::PreparedPtr;
using aggregation_detail::readWkb;
using aggregation_detail::writeWkb;

constexpr double kSqrt3 = 1.7320508075688772;

bool isHex(GridShape s) { return s != GridShape::Square; }

/// (u, v) lattice space: identical to (x, y) for pointy-top, mirrored in x = y for flat-top.
Point toUv(GridShape s, const Point& p) {
  return s == GridShape::HexagonFlatTop ? Point{p.y, p.x} : p;
}
Point fromUv(GridShape s, const Point& p) { return toUv(s, p); }

/// Lattice sizes for the given extent (in xy); fills origin, cols, rows.
void layLattice(Grid& g, const Extent& e) {
  const double s = g.cellSize;
  if (!isHex(g.shape)) {
    g.origin = {std::floor(e.minX / s) * s, std::floor(e.minY / s) * s};
    g.latticeCols = static_cast<std::int32_t>(std::floor((e.maxX - g.origin.x) / s)) + 1;
    g.latticeRows = static_cast<std::int32_t>(std::floor((e.maxY - g.origin.y) / s)) + 1;
    return;
  }
  const double r = s / kSqrt3;
  const Point lo = toUv(g.shape, {e.minX, e.minY});
  const Point hi = toUv(g.shape, {e.maxX, e.maxY});
  // Origin at a multiple of the lattice periods (s along u, two rows = 3R along v), below and
  // left of the extent by a full cell, so every lattice index is non-negative.
  const Point o{std::floor((lo.x - s) / s) * s, std::floor((lo.y - r) / (3 * r)) * 3 * r};
  g.origin = fromUv(g.shape, o);
  g.latticeCols = static_cast<std::int32_t>(std::ceil((hi.x + s - o.x) / s)) + 1;
  g.latticeRows = static_cast<std::int32_t>(std::ceil((hi.y + r - o.y) / (1.5 * r))) + 1;
}

double latticeCellCount(const GridOptions& o, const Extent& e) {
  const double s = o.cellSize;
  const double w = e.width() + 2 * s;
  const double h = e.height() + 2 * s;
  return (w / s + 2) * (h / (isHex(o.shape) ? 0.75 * s : s) + 2);
}

Point hexCentreUv(const Point& o, double s, std::int32_t col, std::int32_t row) {
  const double r = s / kSqrt3;
  return {o.x + s * (col + 0.5 * (row & 1)), o.y + 1.5 * r * row};
}

std::vector<Point> cellRing(const Grid& g, std::int32_t col, std::int32_t row, Point& centre) {
  const double s = g.cellSize;
  if (!isHex(g.shape)) {
    const double x0 = g.origin.x + col * s;
    const double y0 = g.origin.y + row * s;
    centre = {x0 + s / 2, y0 + s / 2};
    return {{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}};
  }
  const double r = s / kSqrt3;
  const Point c = hexCentreUv(toUv(g.shape, g.origin), s, col, row);
  centre = fromUv(g.shape, c);
  // Pointy-top vertices at 30° + k·60°, counter-clockwise in uv.
  const std::array<Point, 6> d = {Point{s / 2, r / 2},   Point{0, r},  Point{-s / 2, r / 2},
                                  Point{-s / 2, -r / 2}, Point{0, -r}, Point{s / 2, -r / 2}};
  std::vector<Point> ring;
  ring.reserve(7);
  for (const Point& v : d) ring.push_back(fromUv(g.shape, {c.x + v.x, c.y + v.y}));
  // The mirror x = y reverses orientation: restore counter-clockwise.
  if (g.shape == GridShape::HexagonFlatTop) std::reverse(ring.begin(), ring.end());
  ring.push_back(ring.front());
  return ring;
}

bool overlaps(double aMin, double aMax, double bMin, double bMax, bool degenerate) {
  return degenerate ? (aMax >= bMin && aMin <= bMax) : (aMax > bMin && aMin < bMax);
}

/// Separating-axis test of a pointy-top hexagon (centre c, uv space) against a rectangle.
bool hexIntersectsRect(const Point& c, double s, const Point& lo, const Point& hi) {
  const double r = s / kSqrt3;
  const bool degU = !(hi.x > lo.x);
  const bool degV = !(hi.y > lo.y);
  const bool deg = degU || degV;
  if (!overlaps(c.x - s / 2, c.x + s / 2, lo.x, hi.x, deg)) return false;
  if (!overlaps(c.y - r, c.y + r, lo.y, hi.y, deg)) return false;
  // The two slanted edge normals at ±60°; the apothem is s/2.
  for (const double sign : {1.0, -1.0}) {
    const Point n{0.5, sign * kSqrt3 / 2};
    const double hc = c.x * n.x + c.y * n.y;
    const std::array<double, 4> proj = {lo.x * n.x + lo.y * n.y, hi.x * n.x + lo.y * n.y,
                                        lo.x * n.x + hi.y * n.y, hi.x * n.x + hi.y * n.y};
    const auto [mn, mx] = std::minmax_element(proj.begin(), proj.end());
    if (!overlaps(hc - s / 2, hc + s / 2, *mn, *mx, deg)) return false;
  }
  return true;
}

/// Lattice cell (col,row) of a point, or false when outside the lattice.
bool latticeIndex(const Grid& g, const Point& p, std::int32_t& col, std::int32_t& row) {
  const double s = g.cellSize;
  double fc = 0, fr = 0;
  if (!isHex(g.shape)) {
    fc = std::floor((p.x - g.origin.x) / s);
    fr = std::floor((p.y - g.origin.y) / s);
  } else {
    // Axial fractional coordinates and cube rounding (Red Blob Games, "Hexagonal Grids").
    const double r = s / kSqrt3;
    const Point o = toUv(g.shape, g.origin);
    const Point q = toUv(g.shape, p);
    const double x = q.x - o.x;
    const double y = q.y - o.y;
    const double qf = (kSqrt3 / 3 * x - y / 3) / r;
    const double rf = (2.0 / 3 * y) / r;
    const double sf = -qf - rf;
    double rq = std::round(qf), rr = std::round(rf);
    const double rs = std::round(sf);
    const double dq = std::abs(rq - qf), dr = std::abs(rr - rf), ds = std::abs(rs - sf);
    if (dq > dr && dq > ds) {
      rq = -rr - rs;
    } else if (dr > ds) {
      rr = -rq - rs;
    }
    if (!(std::abs(rq) < 1e9 && std::abs(rr) < 1e9)) return false;
    const auto iq = static_cast<std::int64_t>(rq);
    const auto ir = static_cast<std::int64_t>(rr);
    fr = static_cast<double>(ir);
    fc = static_cast<double>(iq + (ir - (ir & 1)) / 2);
  }
  if (!(fc >= 0 && fr >= 0 && fc < g.latticeCols && fr < g.latticeRows)) return false;
  col = static_cast<std::int32_t>(fc);
  row = static_cast<std::int32_t>(fr);
  return true;
}

void buildNeighbours(Grid& g, Contiguity contiguity) {
  static constexpr std::array<std::array<int, 2>, 8> kQueen = {
      {{-1, -1}, {0, -1}, {1, -1}, {-1, 0}, {1, 0}, {-1, 1}, {0, 1}, {1, 1}}};
  static constexpr std::array<std::array<int, 2>, 4> kRook = {{{0, -1}, {-1, 0}, {1, 0}, {0, 1}}};
  // Odd-r offset layout: the diagonal neighbours depend on the row parity.
  static constexpr std::array<std::array<int, 2>, 6> kHexEven = {
      {{-1, -1}, {0, -1}, {-1, 0}, {1, 0}, {-1, 1}, {0, 1}}};
  static constexpr std::array<std::array<int, 2>, 6> kHexOdd = {
      {{0, -1}, {1, -1}, {-1, 0}, {1, 0}, {0, 1}, {1, 1}}};
  g.neighbours.assign(g.cells.size(), {});
  auto visit = [&](std::size_t i, const auto& offsets) {
    const GridCell& c = g.cells[i];
    for (const auto& d : offsets) {
      const std::int32_t nc = c.col + d[0];
      const std::int32_t nr = c.row + d[1];
      if (nc < 0 || nr < 0 || nc >= g.latticeCols || nr >= g.latticeRows) continue;
      const std::int32_t j = g.lookup[static_cast<std::size_t>(nr) * g.latticeCols + nc];
      if (j >= 0) g.neighbours[i].push_back(static_cast<std::uint32_t>(j));
    }
    std::sort(g.neighbours[i].begin(), g.neighbours[i].end());
  };
  for (std::size_t i = 0; i < g.cells.size(); ++i) {
    if (isHex(g.shape)) {
      if (g.cells[i].row & 1) {
        visit(i, kHexOdd);
      } else {
        visit(i, kHexEven);
      }
    } else if (contiguity == Contiguity::Queen) {
      visit(i, kQueen);
    } else {
      visit(i, kRook);
    }
  }
}

/// Union of WKB polygons.
GeosGeometry unionOf(GeosContext& ctx, const std::vector<std::vector<std::uint8_t>>& wkbs) {
  std::vector<GeosGeometry> parts;
  parts.reserve(wkbs.size());
  for (const auto& w : wkbs) parts.push_back(readWkb(ctx, w));
  GeosGeometry coll = collectionOf(ctx, GEOS_GEOMETRYCOLLECTION, std::move(parts), "collection");
  return checkedGeos(ctx, GEOSUnaryUnion_r(ctx.handle(), coll.get()), "union of mask");
}

struct MaskGeoms {
  const GEOSGeometry* mask;
  const GEOSPreparedGeometry* prepared;
  const GEOSPreparedGeometry* boundary;
};

/// Decides whether `cell` is kept, and clips it in ClipMode::Clip. A cell whose centre lies
/// farther from the mask boundary than its circumradius is wholly inside or outside, which one
/// point-in-polygon test tells; only cells near the boundary need polygon overlay, done on the
/// mask clipped to the cell's bounding box (GEOSClipByRect) so its cost does not grow with the
/// size of the whole mask.
bool classifyAgainstMask(GeosContext& ctx, const MaskGeoms& m, ClipMode mode, double fullArea,
                         double circumradius, GridCell& cell) {
  GEOSContextHandle_t h = ctx.handle();
  GeosGeometry pt = makePoint(ctx, cell.centre);
  const char inside = GEOSPreparedContains_r(h, m.prepared, pt.get());
  if (inside == 2) throw LibraryError("GEOS contains: " + ctx.lastError());
  if (mode == ClipMode::CentreInside) return inside == 1;
  double d = 0.0;
  if (GEOSPreparedDistance_r(h, m.boundary, pt.get(), &d) != 1) {
    throw LibraryError("GEOS distance: " + ctx.lastError());
  }
  if (d > circumradius * (1.0 + 1e-9)) return inside == 1;
  // Near the boundary: overlay with the local piece of the mask.
  double x0 = cell.ring[0].x, x1 = x0, y0 = cell.ring[0].y, y1 = y0;
  for (const Point& p : cell.ring) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  GeosGeometry local =
      checkedGeos(ctx, GEOSClipByRect_r(h, m.mask, x0, y0, x1, y1), "clip mask to cell");
  GeosGeometry poly = makePolygon(ctx, cell.ring);
  GeosGeometry cut =
      checkedGeos(ctx, GEOSIntersection_r(h, local.get(), poly.get()), "intersect cell");
  double a = 0.0;
  GEOSArea_r(h, cut.get(), &a);
  if (!(a > 0)) return false;  // disjoint, or sharing only boundary
  if (mode == ClipMode::Clip && a < fullArea * (1.0 - 1e-9)) {
    cell.area = a;
    cell.clipped = true;
    cell.clippedWkb = writeWkb(ctx, cut);
  }
  return true;
}

}  // namespace

void GridOptions::validate() const {
  if (!(cellSize > 0) || !std::isfinite(cellSize) || cellSize > kMaxCellSize) {
    throw OptionError("cellSize", "must be > 0 and at most " + std::to_string(int(kMaxCellSize)) +
                                      " metres; got " + std::to_string(cellSize));
  }
  if (extent.empty() && maskWkb.empty() && possibleWkb.empty()) {
    throw OptionError("extent", "give an extent or a mask");
  }
  for (const auto& w : maskWkb) {
    if (w.empty()) throw OptionError("maskWkb", "empty WKB");
  }
  for (const auto& w : possibleWkb) {
    if (w.empty()) throw OptionError("possibleWkb", "empty WKB");
  }
  if (!extent.empty() && latticeCellCount(*this, extent) > static_cast<double>(maxCells)) {
    throw OptionError("cellSize", "the grid would have more than " + std::to_string(maxCells) +
                                      " cells; choose a larger cell size or smaller extent");
  }
}

double cellSizeForArea(GridShape shape, double areaM2) {
  if (!(areaM2 > 0) || !std::isfinite(areaM2)) throw OptionError("area", "must be > 0 m2");
  return isHex(shape) ? std::sqrt(2.0 * areaM2 / kSqrt3) : std::sqrt(areaM2);
}

std::vector<std::uint8_t> cellPolygonWkb(const GridCell& cell) {
  if (cell.clipped) return cell.clippedWkb;
  std::vector<std::uint8_t> w;
  w.reserve(13 + 16 * cell.ring.size());
  auto put = [&w](const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    w.insert(w.end(), b, b + n);
  };
  auto putU32 = [&put](std::uint32_t v) {
    std::uint8_t b[4] = {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16),
                         std::uint8_t(v >> 24)};
    put(b, 4);
  };
  auto putF64 = [&put](double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, 8);
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = std::uint8_t(u >> (8 * i));
    put(b, 8);
  };
  w.push_back(1);  // little endian
  putU32(3);       // polygon
  putU32(1);       // one ring
  putU32(static_cast<std::uint32_t>(cell.ring.size()));
  for (const Point& p : cell.ring) {
    putF64(p.x);
    putF64(p.y);
  }
  return w;
}

double Grid::fullCellArea() const {
  return isHex(shape) ? kSqrt3 / 2 * cellSize * cellSize : cellSize * cellSize;
}

std::optional<std::uint32_t> Grid::cellAt(const Point& p) const {
  std::int32_t col = 0, row = 0;
  if (!latticeIndex(*this, p, col, row)) return std::nullopt;
  const std::int32_t i = lookup[static_cast<std::size_t>(row) * latticeCols + col];
  if (i < 0) return std::nullopt;
  return static_cast<std::uint32_t>(i);
}

Grid makeGrid(const GridOptions& options, Progress& progress) {
  options.validate();
  GeosContext& ctx = GeosContext::forThisThread();

  // The mask: union of all WKB polygons.
  GeosGeometry mask;
  GeosGeometry boundary;
  PreparedPtr preparedMask(nullptr, aggregation_detail::PreparedDeleter{ctx.handle()});
  PreparedPtr preparedBoundary(nullptr, aggregation_detail::PreparedDeleter{ctx.handle()});
  Extent extent = options.extent;
  if (!options.maskWkb.empty() || !options.possibleWkb.empty()) {
    if (!options.maskWkb.empty()) mask = unionOf(ctx, options.maskWkb);
    if (!options.possibleWkb.empty()) {
      GeosGeometry possible = unionOf(ctx, options.possibleWkb);
      mask = mask ? checkedGeos(ctx, GEOSIntersection_r(ctx.handle(), mask.get(), possible.get()),
                                "study area ∩ possible")
                  : std::move(possible);
    }
    preparedMask = prepare(ctx, mask);
    boundary = checkedGeos(ctx, GEOSBoundary_r(ctx.handle(), mask.get()), "mask boundary");
    preparedBoundary = prepare(ctx, boundary);
    if (extent.empty()) {
      double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      if (!GEOSGeom_getXMin_r(ctx.handle(), mask.get(), &x0) ||
          !GEOSGeom_getYMin_r(ctx.handle(), mask.get(), &y0) ||
          !GEOSGeom_getXMax_r(ctx.handle(), mask.get(), &x1) ||
          !GEOSGeom_getYMax_r(ctx.handle(), mask.get(), &y1)) {
        throw OptionError("maskWkb", "the mask is empty");
      }
      extent = Extent{x0, y0, x1, y1};
      GridOptions sized = options;
      sized.extent = extent;
      sized.validate();
    }
  }

  Grid g;
  g.shape = options.shape;
  g.cellSize = options.cellSize;
  layLattice(g, extent);
  g.lookup.assign(static_cast<std::size_t>(g.latticeCols) * g.latticeRows, -1);

  const Point lo = toUv(g.shape, {extent.minX, extent.minY});
  const Point hi = toUv(g.shape, {extent.maxX, extent.maxY});
  const double fullArea = g.fullCellArea();
  const double circumradius = isHex(g.shape) ? g.cellSize / kSqrt3 : g.cellSize / std::sqrt(2.0);
  const MaskGeoms maskGeoms{mask.get(), preparedMask.get(), preparedBoundary.get()};
  ProgressStep step(progress, 0.0, 0.95, "grid");
  for (std::int32_t row = 0; row < g.latticeRows; ++row) {
    step.tick(static_cast<std::size_t>(row), static_cast<std::size_t>(g.latticeRows));
    for (std::int32_t col = 0; col < g.latticeCols; ++col) {
      if (isHex(g.shape) &&
          !hexIntersectsRect(hexCentreUv(toUv(g.shape, g.origin), g.cellSize, col, row), g.cellSize,
                             lo, hi)) {
        continue;
      }
      GridCell cell;
      cell.col = col;
      cell.row = row;
      cell.ring = cellRing(g, col, row, cell.centre);
      cell.area = fullArea;
      if (mask &&
          !classifyAgainstMask(ctx, maskGeoms, options.clipMode, fullArea, circumradius, cell)) {
        continue;
      }
      g.lookup[static_cast<std::size_t>(row) * g.latticeCols + col] =
          static_cast<std::int32_t>(g.cells.size());
      g.cells.push_back(std::move(cell));
    }
  }
  buildNeighbours(g, options.contiguity);
  step.done();
  progress.setFraction(1.0);
  return g;
}

struct GridCounter::Clipped {
  explicit Clipped(std::size_t cells) : ctx(GeosContext::forThisThread()), geoms(cells) {
    prepared.reserve(cells);
    for (std::size_t i = 0; i < cells; ++i)
      prepared.emplace_back(nullptr, aggregation_detail::PreparedDeleter{ctx.handle()});
  }
  GeosContext& ctx;
  std::vector<GeosGeometry> geoms;
  std::vector<PreparedPtr> prepared;
};

GridCounter::GridCounter(const Grid& grid)
    : grid_(grid), counts_(grid.cells.size(), 0.0), weightSums_(grid.cells.size(), 0.0) {
  if (std::any_of(grid.cells.begin(), grid.cells.end(),
                  [](const GridCell& c) { return c.clipped; }))
    clipped_ = std::make_unique<Clipped>(grid.cells.size());
}

GridCounter::~GridCounter() = default;

std::int32_t GridCounter::cellOf(const Point& p) {
  const auto c = grid_.cellAt(p);
  if (!c) return -1;
  const GridCell& cell = grid_.cells[*c];
  if (cell.clipped) {  // then clipped_ is there
    GeosContext& ctx = clipped_->ctx;
    PreparedPtr& prepared = clipped_->prepared[*c];
    if (!prepared) {
      clipped_->geoms[*c] = readWkb(ctx, cell.clippedWkb);
      prepared = prepare(ctx, clipped_->geoms[*c]);
    }
    GeosGeometry pt = makePoint(ctx, p);
    if (GEOSPreparedIntersects_r(ctx.handle(), prepared.get(), pt.get()) != 1) return -1;
  }
  return static_cast<std::int32_t>(*c);
}

void GridCounter::add(const Point& p, double weight) {
  const std::int32_t c = cellOf(p);
  if (c < 0) return;
  counts_[static_cast<std::size_t>(c)] += 1.0;
  weightSums_[static_cast<std::size_t>(c)] += weight;
}

std::vector<std::int32_t> assignPoints(const Grid& grid, std::span<const Point> points,
                                       Progress& progress) {
  GridCounter counter(grid);
  std::vector<std::int32_t> out(points.size(), -1);
  ProgressStep step(progress, 0.0, 1.0, "assigning points");
  for (std::size_t i = 0; i < points.size(); ++i) {
    step.tick(i, points.size());
    out[i] = counter.cellOf(points[i]);
  }
  step.done();
  return out;
}

std::vector<double> countPoints(const Grid& grid, std::span<const Point> points,
                                std::span<const double> weights, Progress& progress) {
  if (!weights.empty() && weights.size() != points.size()) {
    throw InputError({{}, std::nullopt, "weight"}, "need one weight per point (" +
                                                       std::to_string(points.size()) + "), got " +
                                                       std::to_string(weights.size()));
  }
  GridCounter counter(grid);
  ProgressStep step(progress, 0.0, 1.0, "assigning points");
  for (std::size_t i = 0; i < points.size(); ++i) {
    step.tick(i, points.size());
    counter.add(points[i], weights.empty() ? 1.0 : weights[i]);
  }
  step.done();
  return weights.empty() ? counter.counts() : counter.weightSums();
}

}  // namespace veldwacht::geo
