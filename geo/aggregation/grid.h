// Regular aggregation grids (squares, hexagons) over an extent, optionally restricted to a
// study-area / "where it can happen" mask, with lattice contiguity (rook/queen, hex 6) and
// O(1) point-to-cell lookup for counting.
//
// Why hexagons: every neighbour of a hexagon shares an edge and lies at the same centre
// distance, so contiguity weights have no corner ambiguity and edge effects are smaller than
// for squares (Birch, Oom & Beecham 2007, "Rectangular and hexagonal grids used for observation,
// experiment and simulation in ecology", Ecol. Modelling 206). Squares stay for raster-like
// output and rook/queen comparisons.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "geo/core/point_sink.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

/// The shape of the cells.
///  - Square: axis-aligned squares of side `cellSize`, lattice origin snapped to multiples of
///    `cellSize`, cells half-open [x, x+s) × [y, y+s).
///  - HexagonPointyTop: a vertex points north, rows run east-west and every odd row is shifted
///    east by half a cell ("odd-r" offset layout).
///  - HexagonFlatTop: an edge faces north, columns run north-south: the pointy-top lattice
///    mirrored in the line x = y.
/// For hexagons `cellSize` is the width across flats, i.e. the distance between the centres of
/// two neighbouring cells; the edge (and circumradius) is cellSize/√3 and the area is
/// (√3/2)·cellSize².
enum class GridShape { Square, HexagonPointyTop, HexagonFlatTop };

/// Contiguity for square cells (hexagons always have the six edge neighbours).
enum class Contiguity { Rook, Queen };

/// What a mask does to the cells it touches.
///  - Intersects: keep every whole cell whose polygon intersects the mask (regular cells; the
///    default, best for hot-spot statistics where all cells should have the same size).
///  - CentreInside: keep whole cells whose centre lies inside the mask.
///  - Clip: keep cells that intersect the mask and cut them to it; `area` becomes the clipped
///    area and counting only counts points inside the clipped part.
enum class ClipMode { Intersects, CentreInside, Clip };

/// The largest cell a grid accepts: 100 km, wider than any region Veldwacht maps. Larger
/// values are typing errors (1e12) that would leave fewer cells than any statistic needs.
inline constexpr double kMaxCellSize = 100000.0;

struct GridOptions {
  GridShape shape = GridShape::HexagonPointyTop;
  /// Square side or hexagon width across flats, metres (> 0).
  double cellSize = 500.0;
  /// Area to cover. When empty and a mask is given, the mask's envelope is used.
  Extent extent;
  /// Study area: polygons/multipolygons as ISO/OGC WKB, in the working CRS; their union is the
  /// mask. Empty = no mask (the extent is the study area).
  std::vector<std::vector<std::uint8_t>> maskWkb;
  /// Optional "where it can happen" polygons (e.g. agricultural parcels with barns, business
  /// parks), unioned; with maskWkb too, cells are restricted to the intersection of both.
  std::vector<std::vector<std::uint8_t>> possibleWkb;
  ClipMode clipMode = ClipMode::Intersects;
  Contiguity contiguity = Contiguity::Queen;
  /// Refuse to build more cells than this (protects against a typo in cellSize).
  std::size_t maxCells = 20'000'000;

  /// Throws OptionError on a non-positive cell size, an empty extent without a mask, or a
  /// lattice larger than maxCells.
  void validate() const;
};

struct GridCell {
  /// Lattice indices (column, row) of the cell in the grid's lattice; for flat-top hexagons
  /// `col` runs along y and `row` along x.
  std::int32_t col = 0;
  std::int32_t row = 0;
  Point centre;
  /// Closed exterior ring of the full (unclipped) cell, counter-clockwise, first == last.
  std::vector<Point> ring;
  /// Area in m² (after clipping in ClipMode::Clip).
  double area = 0.0;
  /// True when ClipMode::Clip cut this cell; its geometry is then `clippedWkb`.
  bool clipped = false;
  /// The clipped (multi)polygon as WKB (little endian), only when `clipped`.
  std::vector<std::uint8_t> clippedWkb;
};

struct Grid {
  GridShape shape = GridShape::Square;
  double cellSize = 0.0;
  /// Lattice origin (centre of lattice cell (0,0) for hexagons, lower-left corner for squares).
  Point origin;
  std::int32_t latticeCols = 0;
  std::int32_t latticeRows = 0;
  std::vector<GridCell> cells;
  /// neighbours[i]: indices into `cells` of the contiguous cells of cell i, ascending. Only
  /// cells kept in the grid appear (cells outside the mask are not neighbours).
  std::vector<std::vector<std::uint32_t>> neighbours;
  /// Dense lattice (row-major, latticeCols × latticeRows) → index into `cells`, or -1.
  std::vector<std::int32_t> lookup;

  std::size_t size() const { return cells.size(); }
  /// Index of the kept cell whose full lattice polygon contains p (boundaries: squares are
  /// half-open; hexagons go to the nearest centre), ignoring clipping. nullopt outside.
  std::optional<std::uint32_t> cellAt(const Point& p) const;
  /// Area of one full lattice cell, m².
  double fullCellArea() const;
};

/// The cellSize that gives cells of `areaM2` square metres (e.g. 250'000 for 25 ha): √A for
/// squares, √(2A/√3) for hexagons.
double cellSizeForArea(GridShape shape, double areaM2);

/// The cell's polygon as little-endian WKB: `clippedWkb` for clipped cells, else the ring — for
/// writing the grid as a layer.
std::vector<std::uint8_t> cellPolygonWkb(const GridCell& cell);

/// Builds the grid. Cells are ordered by lattice row, then column (deterministic).
Grid makeGrid(const GridOptions& options, Progress& progress = nullProgress());

/// Number of points per cell (or the sum of `weights`, one per point, when given). A point
/// that falls in no kept cell (or outside the clipped part of a clipped cell) is not counted.
/// Summation is in input order, so results are identical run to run.
std::vector<double> countPoints(const Grid& grid, std::span<const Point> points,
                                std::span<const double> weights = {},
                                Progress& progress = nullProgress());

/// countPoints one point at a time, as a host hands them over (the points are never held): per
/// cell the number of points and the sum of their weights, each summed in input order, so the
/// result equals countPoints's for the same points. `grid` must outlive the counter.
class GridCounter final : public PointSink {
 public:
  explicit GridCounter(const Grid& grid);
  ~GridCounter() override;
  GridCounter(const GridCounter&) = delete;
  GridCounter& operator=(const GridCounter&) = delete;

  void add(const Point& p, double weight = 1.0) override;
  /// The cell countPoints counts p in, -1 for none.
  std::int32_t cellOf(const Point& p);
  /// Points per cell (every point 1).
  const std::vector<double>& counts() const { return counts_; }
  /// Weights per cell.
  const std::vector<double>& weightSums() const { return weightSums_; }

 private:
  struct Clipped;  ///< the clipped cells' prepared geometries (made on first use), if any
  const Grid& grid_;
  std::unique_ptr<Clipped> clipped_;
  std::vector<double> counts_, weightSums_;
};

/// The cell index for every point (-1 when it falls in no cell), with the same rules as
/// countPoints; useful to aggregate other attributes.
std::vector<std::int32_t> assignPoints(const Grid& grid, std::span<const Point> points,
                                       Progress& progress = nullProgress());

}  // namespace veldwacht::geo
