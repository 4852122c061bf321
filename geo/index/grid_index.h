// A uniform grid over a span of points for fixed-radius queries (DBSCAN family). Faster than
// the k-d tree when every query has the same radius and the cell size matches it: a query
// scans the 3 x 3 cells around the point, whose points lie contiguously in memory.
//
// Layout: points sorted by (row, column) of their cell; per row the occupied cells sorted by
// column (CSR), so memory is O(n + rows) whatever the extent. Queries with any radius work
// (they scan every cell the query square touches), and d <= radius is inclusive, as KdTree.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/types.h"

namespace veldwacht::geo {

class GridIndex {
 public:
  /// Builds the grid; `cellSize` > 0 (it may be enlarged for huge extents). Copies the points.
  GridIndex(std::span<const Point> points, double cellSize);

  std::size_t size() const { return ids_.size(); }
  double cellSize() const { return cell_; }
  /// Original point indices in cell order: iterating queries in this order is cache friendly.
  std::span<const std::uint32_t> cellOrder() const { return ids_; }

  /// Calls f(index) for every point with d(p, q) <= radius, in no particular order, until f
  /// returns false.
  template <class F>
  void forEachWithin(const Point& q, double radius, F&& f) const;

  /// Calls f(index) for every point within `radius` of the point in slot `slot` of
  /// cellOrder() that comes after it in cellOrder(), until f returns false. Over all slots this
  /// visits every pair of points within `radius` exactly once (half the work of forEachWithin
  /// for symmetric jobs such as joining neighbours).
  template <class F>
  void forEachLaterWithin(std::size_t slot, double radius, F&& f) const;

  /// Indices of all points within `radius` of `q` (d <= radius). `out` is cleared first.
  void withinRadius(const Point& q, double radius, std::vector<std::uint32_t>& out) const;
  std::size_t countWithinRadius(const Point& q, double radius) const;

 private:
  std::int64_t col(double x) const { return std::int64_t(std::floor((x - minX_) / cell_)); }
  std::int64_t row(double y) const { return std::int64_t(std::floor((y - minY_) / cell_)); }

  double cell_ = 1.0;
  double minX_ = 0.0, minY_ = 0.0;
  std::int64_t cols_ = 0, rows_ = 0;
  std::vector<std::uint32_t> rowStart_;   // rows_ + 1 offsets into cellCol_/cellStart_
  std::vector<std::int32_t> cellCol_;     // column of each occupied cell
  std::vector<std::uint32_t> cellStart_;  // occupied cells + 1 offsets into xs_/ys_/ids_
  std::vector<double> xs_, ys_;
  std::vector<std::uint32_t> ids_;
  std::vector<std::uint32_t> cellOfSlot_;  // occupied-cell index of each slot
  std::vector<std::int32_t> rowOfCell_;
};

template <class F>
void GridIndex::forEachWithin(const Point& q, double radius, F&& f) const {
  if (ids_.empty()) return;
  // Widen the cell range by a hair so rounding in (q - r) can never drop a point at exactly r;
  // the distance test below stays exact.
  const double pad = radius + 1e-9 * (std::abs(q.x) + std::abs(q.y) + radius);
  const std::int64_t c0 = std::max<std::int64_t>(0, col(q.x - pad));
  const std::int64_t c1 = std::min<std::int64_t>(cols_ - 1, col(q.x + pad));
  const std::int64_t r0 = std::max<std::int64_t>(0, row(q.y - pad));
  const std::int64_t r1 = std::min<std::int64_t>(rows_ - 1, row(q.y + pad));
  if (c0 > c1 || r0 > r1) return;
  const double r2 = radius * radius;
  for (std::int64_t r = r0; r <= r1; ++r) {
    const auto begin = cellCol_.begin() + rowStart_[std::size_t(r)];
    const auto end = cellCol_.begin() + rowStart_[std::size_t(r) + 1];
    auto it = std::lower_bound(begin, end, std::int32_t(c0));
    for (; it != end && *it <= c1; ++it) {
      const std::size_t c = std::size_t(it - cellCol_.begin());
      for (std::uint32_t k = cellStart_[c]; k < cellStart_[c + 1]; ++k) {
        const double dx = xs_[k] - q.x, dy = ys_[k] - q.y;
        if (dx * dx + dy * dy <= r2 && !f(ids_[k])) return;
      }
    }
  }
}

template <class F>
void GridIndex::forEachLaterWithin(std::size_t slot, double radius, F&& f) const {
  const double qx = xs_[slot], qy = ys_[slot];
  const double pad = radius + 1e-9 * (std::abs(qx) + std::abs(qy) + radius);
  const std::size_t own = cellOfSlot_[slot];
  const std::int64_t ownRow = rowOfCell_[own];
  const std::int64_t c0 = std::max<std::int64_t>(0, col(qx - pad));
  const std::int64_t c1 = std::min<std::int64_t>(cols_ - 1, col(qx + pad));
  const std::int64_t r1 = std::min<std::int64_t>(rows_ - 1, row(qy + pad));
  const double r2 = radius * radius;
  auto scan = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      const double dx = xs_[k] - qx, dy = ys_[k] - qy;
      if (dx * dx + dy * dy <= r2 && !f(ids_[k])) return false;
    }
    return true;
  };
  // The rest of the own cell, then the later cells of the own row, then the rows above.
  if (!scan(slot + 1, cellStart_[own + 1])) return;
  for (std::size_t c = own + 1; c < rowStart_[std::size_t(ownRow) + 1] && cellCol_[c] <= c1; ++c)
    if (!scan(cellStart_[c], cellStart_[c + 1])) return;
  for (std::int64_t r = ownRow + 1; r <= r1; ++r) {
    const auto begin = cellCol_.begin() + rowStart_[std::size_t(r)];
    const auto end = cellCol_.begin() + rowStart_[std::size_t(r) + 1];
    for (auto it = std::lower_bound(begin, end, std::int32_t(c0)); it != end && *it <= c1; ++it) {
      const std::size_t c = std::size_t(it - cellCol_.begin());
      if (!scan(cellStart_[c], cellStart_[c + 1])) return;
    }
  }
}

}  // namespace veldwacht::geo
